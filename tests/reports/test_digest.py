"""The reading-duty digest: what it says, in which order, folded and per unit, with crawled text made harmless."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from typing import Callable

import pytest

from reports.digest import (FOLD_SAMPLE, AssessmentLine, Digest, DigestItem, FailedJob, SiteAvailability, fold,
                            render_html, render_text)

UTC = timezone.utc
DEADLINE = datetime(2026, 11, 23, 16, 30, tzinfo=UTC)  # 2026-11-24 00:30 in Asia/Shanghai
HOSTILE_TITLE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">关于\x1b[2J\u202e印发的通知'


def item(kind: str, severity: str, unit: str, url: str, title: str, evidence: str, context: str,
         suggestion: str, *, site: str = "某某区人民政府", ticket: int | None = None,
         deadline: datetime | None = DEADLINE) -> DigestItem:
    return DigestItem(kind=kind, severity=severity, site=site, unit=unit, url=url, title=title,
                      evidence=evidence, context=context, suggestion=suggestion, deadline=deadline,
                      ticket_id=ticket)


def sample_digest() -> Digest:
    """A realistic morning: the one the README's screenshot shows."""
    jyj, www = "http://jyj.example.gov.cn", "http://www.example.gov.cn"
    wrong = [item("erroneous_expression", "high", "区教育局", f"{jyj}/tzgg/2026{n}.html", f"关于做好第{n}批学位申请的通知",
                  "中华人民共和国宪法法", "认真学习中华人民共和国宪法法，依法保障适龄儿童入学", "中华人民共和国宪法",
                  site="某某区教育局", ticket=120 + n) for n in range(1, 4)]
    return Digest(
        estate="某某区人民政府网站", day=date(2026, 11, 23), tz="Asia/Shanghai",
        new=[
            item("sensitive_word", "veto", "区教育局", f"{jyj}/xwdt/202611/t20261120_88.html", "我区召开秋季校园安全工作会议",
                 "网上赌场", "会议强调，要严厉打击网上赌场等违法犯罪活动的宣传", "立即删除或改写，核实后重新发布",
                 site="某某区教育局", ticket=118),
            *wrong,
            item("privacy_leak", "high", "区民政局", f"{www}/zwgk/gsgg/t20261121_7.html", "2026年11月临时救助名单公示",
                 "110105********1238", "张某某 110105********1238 临时救助 1200 元", "删除或遮盖身份证号码",
                 ticket=124),
            item("dead_link", "low", "区政府办公室", f"{www}/", "某某区人民政府",
                 f"{www}/zwgk/zfxxgknb/2025/P020260115_nianbao_full_report_attachment.pdf", "HTTP 404",
                 "修复或删除该链接（首页链接，检查时单独计分）", ticket=125),
        ],
        overdue=[item("stale_column", "high", "区民政局", f"{www}/bmdt/mzj/", "民政动态", "新闻类栏目 21 天未更新",
                      "最新一条：2026-11-01 区民政局开展冬季送温暖活动", "及时更新栏目内容",
                      ticket=97, deadline=datetime(2026, 11, 22, 0, 0, tzinfo=UTC))],
        fixed=[item("hidden_link", "veto", "区教育局", f"{jyj}/", "某某区教育局", "http://bet.example.com/",
                    "", "删除", site="某某区教育局", ticket=90)],
        availability=[SiteAvailability("某某区人民政府", f"{www}/", 672, 0, "区政府办公室"),
                      SiteAvailability("某某区教育局", f"{jyj}/", 672, 5, "区教育局")],
        assessments=[AssessmentLine("某某区人民政府", "合格", 97.3, []),
                     AssessmentLine("某某区教育局", "不合格", 91.5, ["严重问题：敏感信息 1 条"])],
        failed_jobs=[FailedJob("上级文件转载检查", datetime(2026, 11, 23, 1, 0, tzinfo=UTC),
                               "中国政府网 最新政策：连接超时")],
    )


def hostile_digest() -> Digest:
    digest = sample_digest()
    evil = item("sensitive_word", "veto", "区教育局\x1b[31m", "javascript:alert(1)", HOSTILE_TITLE, "网上赌场",
                "<b>网上赌场</b>\x07\r\n广告", "删除\x1b]0;pwned\x07")
    return replace(digest, new=[*digest.new, evil],
                   failed_jobs=[FailedJob("全站扫描", DEADLINE, "<script>x</script>\x1b[2J")])


def test_subject_counts_new_and_overdue_problems() -> None:
    digest = sample_digest()
    assert digest.subject == "【读网值班日报】2026-11-23 某某区人民政府网站：新发现 6 条，逾期 1 条"
    assert digest.for_unit("区教育局").subject == "【读网值班日报】2026-11-23 某某区人民政府网站（区教育局）：新发现 4 条，逾期 0 条"


@pytest.mark.parametrize("render, headings", [
    (render_text, ["概况：", "■ 逾期工单", "■ 新发现问题", "■ 已整改", "■ 站点可用率", "■ 自评估", "■ 失败的定时任务"]),
    (render_html, ["单项否决</div>", "逾期工单（已升级）：1 条", "新发现问题：6 条", "已整改：1 条", "站点可用率（近 7 天）",
                   "自评估（", "失败的定时任务</div>"]),
])
def test_sections_come_in_reading_order(render: Callable[[Digest], str], headings: list[str]) -> None:
    out = render(sample_digest())
    positions = [out.index(h) for h in headings]
    assert positions == sorted(positions)


def test_summary_counts_by_severity_and_veto() -> None:
    text = render_text(sample_digest())
    assert "概况：新发现 6 条（否决级 1，严重 4，一般 0，轻微 1），其中单项否决 1 条；逾期工单 1 条；已整改 1 条。" in text
    assert "有 1 项定时任务失败" in text


def test_new_problems_grouped_by_unit_then_severity() -> None:
    text = render_text(sample_digest())
    new = text.split("■ 新发现问题", 1)[1].split("■ 已整改", 1)[0]
    units = [new.index(f"【{u}】") for u in ("区教育局", "区民政局", "区政府办公室")]
    assert units == sorted(units), "the unit with a veto-level problem first, the one with only a dead link last"
    education = new.split("【区教育局】", 1)[1].split("【区民政局】", 1)[0]
    assert education.index("—— 否决级 1 条") < education.index("—— 严重 3 条")


def test_each_problem_has_title_link_context_suggestion_and_deadline() -> None:
    text = render_text(sample_digest())
    assert "页面：我区召开秋季校园安全工作会议\n  http://jyj.example.gov.cn/xwdt/202611/t20261120_88.html" in text
    assert "上下文：会议强调，要严厉打击【网上赌场】等违法犯罪活动的宣传" in text
    assert "整改建议：立即删除或改写，核实后重新发布" in text
    html = render_html(sample_digest())
    assert '<a href="http://jyj.example.gov.cn/xwdt/202611/t20261120_88.html"' in html
    assert "要严厉打击<mark>网上赌场</mark>等" in html


def test_deadlines_are_shown_in_the_configured_time_zone() -> None:
    digest = sample_digest()
    for out in (render_text(digest), render_html(digest)):
        assert "2026-11-24 00:30" in out and "2026-11-23 16:30" not in out
        assert "2026-11-22 08:00" in out  # the overdue ticket's deadline
    assert "整改期限：2026-11-22 08:00（已逾期）" in render_text(digest)
    assert "2026-11-23 16:30" in render_text(replace(digest, tz="UTC"))


def test_fold_makes_one_line_of_the_same_problem_on_many_pages() -> None:
    pages = [item("erroneous_expression", "high", "区教育局", f"http://a/{n}.html", f"第{n}页", "宪法法", "", "宪法",
                  deadline=datetime(2026, 11, 24, n, tzinfo=UTC)) for n in range(10)]
    other_unit = replace(pages[0], unit="区民政局")
    other_word = replace(pages[1], evidence="国务院办公室")
    folded = fold([*pages, other_unit, other_word])
    assert [(f.unit, f.evidence, f.count) for f in folded] == [
        ("区教育局", "宪法法", 10), ("区民政局", "宪法法", 1), ("区教育局", "国务院办公室", 1)]
    first = folded[0]
    assert first.url == "http://a/0.html" and first.deadline == datetime(2026, 11, 24, 0, tzinfo=UTC)
    assert first.pages == [f"http://a/{n}.html" for n in range(1, 1 + FOLD_SAMPLE)]
    assert fold(folded) == folded


def test_folded_problem_is_one_line_with_a_count() -> None:
    text = render_text(sample_digest())
    assert text.count("错误表述：中华人民共和国宪法法") == 1
    assert "错误表述：中华人民共和国宪法法（同一问题共 3 个页面）" in text
    assert "其他页面：\n    http://jyj.example.gov.cn/tzgg/20262.html\n    http://jyj.example.gov.cn/tzgg/20263.html" in text
    assert "同一问题共 3 个页面" in render_html(sample_digest())


def test_unit_digest_has_only_that_units_problems_and_sites() -> None:
    digest = sample_digest().for_unit("区教育局")
    assert {i.unit for i in digest.new + digest.overdue + digest.fixed} == {"区教育局"}
    assert [a.site for a in digest.availability] == ["某某区教育局"] and not digest.assessments
    text = render_text(digest)
    assert "本邮件只含区教育局的问题。" in text and "今日无逾期工单。" in text
    assert "区民政局" not in text and "某某区人民政府：可用率" not in text and "失败的定时任务" not in text


def test_an_empty_day_says_so_briefly() -> None:
    quiet = replace(sample_digest(), new=[], overdue=[], fixed=[], assessments=[], failed_jobs=[])
    text = render_text(quiet)
    assert "今日无逾期工单。" in text and "自上次日报以来未发现新问题。" in text
    assert "■ 已整改" not in text and "■ 自评估" not in text and "■ 失败的定时任务" not in text
    assert quiet.subject.endswith("新发现 0 条，逾期 0 条")
    html = render_html(quiet)
    assert "今日无逾期工单。" in html and "已整改：" not in html


def test_hostile_page_title_never_becomes_markup() -> None:
    html = render_html(hostile_digest())
    assert "<script" not in html and "<img" not in html and "<b>网上赌场" not in html
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;img src=x onerror=&#34;window.pwned=2&#34;&gt;" in html
    assert 'href="javascript:' not in html, "only http(s) addresses become links"
    assert "\x1b" not in html and "\u202e" not in html


def test_hostile_text_is_harmless_in_the_text_version() -> None:
    text = render_text(hostile_digest())
    assert '页面：<script>window.pwned=1</script><img src=x onerror="window.pwned=2">关于 [2J 印发的通知' in text
    assert not [ch for ch in text if ch not in "\n" and (ord(ch) < 32 or 0x7f <= ord(ch) < 0xa0 or ch == "\u202e")]
    assert "上下文：<b>【网上赌场】</b>   广告" in text


def test_tickets_link_to_the_console_when_web_base_url_is_set() -> None:
    plain_html = render_html(sample_digest())
    linked = replace(sample_digest(), ticket_base="https://gw.example.gov.cn")
    ticket = next(i.ticket_id for i in linked.new if i.ticket_id)
    assert f"/tickets/{ticket}" not in plain_html
    assert f'href="https://gw.example.gov.cn/tickets/{ticket}"' in render_html(linked)
    assert f"https://gw.example.gov.cn/tickets/{ticket}" in render_text(linked)


def test_suspected_typos_are_shown_apart_with_their_review_number_and_not_counted_as_new() -> None:
    suspect = DigestItem(kind="suspected_typo", severity="review", site="某某区人民政府", unit="区政府办公室",
                         url="http://www.example.gov.cn/a.html", title="", evidence="城施",
                         context="因城施策<促进>房地产", suggestion="疑为“城市”之误，请人工核实", review_id=7)
    digest = replace(sample_digest(), suspected=[suspect])
    text = render_text(digest)
    assert "■ 疑似错别字（待人工确认，确认前不生成工单）：1 条" in text and "审核编号 #7" in text
    assert digest.new_count == sample_digest().new_count and "待确认" not in text.split("\n概况")[1].split("\n")[0]
    html = render_html(digest)
    assert "疑似错别字（待人工确认，确认前不生成工单）：1 条" in html and "审核编号 #7" in html and "<促进>" not in html
    assert digest.for_unit("区教育局").suspected == [] and digest.for_unit("区政府办公室").suspected == [suspect]


def test_suspected_typos_come_after_the_fixed_and_before_availability() -> None:
    suspect = DigestItem("suspected_typo", "review", "某某区人民政府", "区政府办公室", "http://www.example.gov.cn/a.html",
                         "", "城施", "", "", review_id=7)
    text = render_text(replace(sample_digest(), suspected=[suspect]))
    assert text.index("■ 已整改") < text.index("■ 疑似错别字") < text.index("■ 站点可用率")
