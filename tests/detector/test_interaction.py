"""互动回应: parsing messages as real sites render them, working days with the official calendar, the checks."""

from __future__ import annotations

from datetime import date

import lxml.html
import pytest

from core.config import InteractionConfig
from core.model import Letter, Page
from crawler.extract import extract_page
from crawler.letters import letters_of
from detector import Context, check_page
from detector.workdays import working_days

TODAY = date(2026, 11, 20)
LIST = "http://www.example.gov.cn/hdjl/xzxx/list.html"


def _letters(html: str, url: str = LIST, title: str = "") -> list[Letter]:
    return letters_of(lxml.html.document_fromstring(html), url, title, TODAY)


def test_a_letter_table_with_a_header_row() -> None:
    html = """<html><body><table class="xx"><tr><th>序号</th><th>信件标题</th><th>来信时间</th><th>办理状态</th>
    <th>回复时间</th></tr>
    <tr><td>1</td><td><a href="detail.html?id=11">关于小区停水的咨询</a></td><td>2026-07-01</td><td>未回复</td><td></td></tr>
    <tr><td>2</td><td><a href="detail.html?id=12" title="关于道路维修的建议">关于道路维修的…</a></td><td>2025-09-29 10:12</td>
        <td>已办结</td><td>2025-10-10</td></tr>
    <tr><td>3</td><td>反映噪音扰民问题</td><td>2026年11月1日</td><td>重复来信</td><td>2026年11月3日</td></tr></table></body></html>"""
    assert _letters(html) == [
        Letter("关于小区停水的咨询", "http://www.example.gov.cn/hdjl/xzxx/detail.html?id=11", date(2026, 7, 1), None,
               "未回复", False),
        Letter("关于道路维修的建议", "http://www.example.gov.cn/hdjl/xzxx/detail.html?id=12", date(2025, 9, 29),
               date(2025, 10, 10), "已办结", True),
        Letter("反映噪音扰民问题", LIST, date(2026, 11, 1), date(2026, 11, 3), "重复来信", True),
    ]


def test_labelled_list_blocks() -> None:
    html = """<html><body><ul class="lylist">
    <li><a href="show.jsp?id=7">关于学校招生政策的咨询</a><p>留言时间：2026-03-02 14:00 状态：办理中</p></li>
    <li><a href="show.jsp?id=8">关于路灯损坏的投诉</a><p>留言时间：2026-10-02</p><p>状态：已回复</p>
        <p>回复时间：2026-10-09</p></li></ul></body></html>"""
    assert [(l.title, l.asked, l.replied, l.answered) for l in _letters(html)] == [
        ("关于学校招生政策的咨询", date(2026, 3, 2), None, False),
        ("关于路灯损坏的投诉", date(2026, 10, 2), date(2026, 10, 9), True)]


@pytest.mark.parametrize("reply, answered", [
    ("回复部门：县交通运输局 回复时间：2025-10-11 回复内容：已研究，将在线路调整时增加班次。", True),
    ("答复单位：县交通运输局 答复时间：2025-10-11", True),
    ("办理状态：不予受理 回复内容：不属于本机关职责，请向市公交公司反映。", True),
    ("办理状态：办理中", False),
])
def test_a_letters_own_page(reply: str, answered: bool) -> None:
    url = "http://www.example.gov.cn/hdjl/xzxx/detail.html?id=9"
    html = f"""<html><body><h1>关于公交线路调整的建议</h1><div class="q">来信人：张** 来信时间：2025-09-28 10:20
    </div><div>内容：建议增加早高峰班次。</div><div class="a">{reply}</div></body></html>"""
    [letter] = _letters(html, url, "关于公交线路调整的建议")
    assert (letter.title, letter.url, letter.asked, letter.answered) == ("关于公交线路调整的建议", url, date(2025, 9, 28),
                                                                      answered)


def test_pages_without_message_labels_have_no_letters() -> None:
    html = "<html><body><ul><li><a href='/a.html'>通知</a><span>2026-11-01</span></li></ul>发布时间：2026-11-01</body></html>"
    page, _ = extract_page("http://www.example.gov.cn/tzgg/", html, site="县", today=TODAY)
    assert page.letters == []


def test_working_days_across_national_day() -> None:
    # 2025: 10-01 … 10-08 off, 09-28 (Sunday) and 10-11 (Saturday) make-up workdays.
    assert working_days(date(2025, 9, 29), date(2025, 10, 10)) == (3, True)
    assert working_days(date(2025, 9, 27), date(2025, 9, 28)) == (1, True)  # a Sunday worked
    days, official = working_days(date(2026, 12, 28), date(2027, 1, 8))  # 2027 not published yet
    assert (days, official) == (9, False)


def _page(letters: list[Letter], url: str = "http://www.example.gov.cn/hdjl/d?id=1") -> Page:
    return Page(url=url, site="县", letters=letters)


def _kinds(page: Page, today: date = TODAY, **config: int) -> list[tuple[str, str]]:
    ctx = Context(today=today, interaction=InteractionConfig(**config))
    return [(f.kind, f.evidence) for f in check_page(page, ctx) if f.kind in ("unanswered_message", "late_reply")]


def test_a_letter_answered_within_five_working_days_across_national_day_is_not_late() -> None:
    url = "http://www.example.gov.cn/hdjl/d?id=1"
    on_time = Letter("国庆前的咨询", url, date(2025, 9, 29), date(2025, 10, 10), "已回复", True)
    assert _kinds(_page([on_time], url), today=date(2025, 11, 1)) == []
    late = Letter("国庆前的咨询", url, date(2025, 9, 29), date(2025, 10, 14), "已回复", True)
    assert _kinds(_page([late], url), today=date(2025, 11, 1)) == [("late_reply", "国庆前的咨询")]


def test_an_open_message_over_ninety_days_within_a_year_is_a_veto() -> None:
    url = "http://www.example.gov.cn/hdjl/d?id=1"
    open_ = Letter("关于停水的咨询", url, date(2026, 7, 1), None, "未回复", False)
    [(kind, evidence)] = _kinds(_page([open_], url))
    assert kind == "unanswered_message" and evidence == "关于停水的咨询"
    [finding] = [f for f in check_page(_page([open_], url), Context(today=TODAY)) if f.kind == "unanswered_message"]
    assert finding.severity == "veto" and finding.details["age_days"] == 142
    assert _kinds(_page([Letter("去年的留言", url, date(2025, 10, 1), None, "未回复", False)], url)) == []  # > 1 year
    assert _kinds(_page([open_], url), max_unanswered_days=200) == [("late_reply", "关于停水的咨询")]  # still late


def test_refused_and_repeated_messages_are_answered() -> None:
    url = "http://www.example.gov.cn/hdjl/d?id=1"
    for status in ("不予受理", "重复来信"):
        answered = Letter("反映问题", url, date(2026, 6, 1), date(2026, 6, 3), status, True)
        assert _kinds(_page([answered], url)) == []


def test_linked_rows_are_judged_on_their_own_page_only() -> None:
    row = Letter("关于停水的咨询", "http://www.example.gov.cn/hdjl/d?id=2", date(2026, 7, 1), None, "未回复", False)
    assert _kinds(_page([row], url=LIST)) == []


def test_a_letter_page_needs_no_source() -> None:
    html = """<html><body><h1>关于公交线路调整的建议</h1><p>发布时间：2025-10-11</p>
    <div>来信时间：2025-09-28</div><div>内容：建议增加早高峰班次，方便群众上下班出行，谢谢。</div>
    <div>回复部门：县交通运输局 回复时间：2025-10-11</div>
    <div>回复内容：您好，您的建议已收悉。我局将在下一次线路调整时研究增加早高峰班次，感谢您的关心和支持。</div></body></html>"""
    page, _ = extract_page("http://www.example.gov.cn/hdjl/d?id=3", html, site="县", today=TODAY)
    assert page.letters and not [f for f in check_page(page, Context(today=TODAY)) if f.kind == "missing_source"]


def test_a_long_mailbox_list_is_read_up_to_its_bound() -> None:
    rows = "".join(f"<li><a href='d?id={i}'>咨询{i}</a> 留言时间：2026-01-0{i % 9 + 1} 状态：已回复</li>" for i in range(3000))
    letters = _letters(f"<html><body><ul>{rows}</ul></body></html>")
    assert len(letters) == 200 and letters[-1].url.endswith("d?id=199")
