"""The self-assessment: veto thresholds of the indicators, deductions and their caps."""

from __future__ import annotations

from core.model import ARTICLE_META, COLUMN_META, SITE_META, Availability, Finding, SiteFacts
from detector.assessment import IDENTIFIERS, assess

ALL_MARKS = [*IDENTIFIERS, "我为政府网站找错"]
FACTS = SiteFacts("http://x/", ALL_MARKS, [("http://x/a.html", [*SITE_META, *ARTICLE_META])],
                  [("http://x/col/", [*SITE_META, *COLUMN_META])])


def stale(n: int, category: str = "other", level: int = 1) -> list[Finding]:
    return [Finding(kind="stale_column", url=f"http://x/c{category}{i}/", evidence="…", site="站",
                    column=f"栏目{i}", details={"category": category, "level": level}) for i in range(n)]


def blank(n: int) -> list[Finding]:
    return [Finding(kind="blank_column", url=f"http://x/b{i}/", evidence="暂无信息", site="站") for i in range(n)]


def test_a_clean_site_passes_with_full_marks() -> None:
    result = assess("站", FACTS, [], None, 20)
    assert (result.verdict, result.score, result.vetoes, result.deductions) == ("合格", 100, [], [])


def test_column_vetoes_at_their_thresholds() -> None:
    assert not assess("站", FACTS, stale(4, "news"), None, 20).vetoes
    assert [v.item for v in assess("站", FACTS, stale(3, "news") + stale(2, "notice"), None, 20).vetoes] == ["栏目不更新"]
    assert not assess("站", FACTS, stale(2, "notice", level=2) + stale(2, "news"), None, 20).vetoes
    assert [v.item for v in assess("站", FACTS, stale(10), None, 20).vetoes] == ["栏目不更新"]
    assert not assess("站", FACTS, blank(4), None, 20).vetoes
    assert "空白栏目 5 个" in assess("站", FACTS, blank(5), None, 20).vetoes[0].evidence


def test_availability_vetoes_at_five_percent_with_enough_probes() -> None:
    def verdict(probes: int, failures: int) -> str:
        return assess("站", FACTS, [], Availability("站", "http://x/", "", probes, failures), 20).verdict

    assert verdict(100, 4) == "合格" and verdict(100, 5) == "不合格" and verdict(10, 5) == "合格"


def test_serious_problems_veto_but_ordinary_typos_do_not() -> None:
    typo = Finding(kind="erroneous_expression", url="http://x/a.html", evidence="部暑", severity="low")
    state = Finding(kind="erroneous_expression", url="http://x/a.html", evidence="中华人民共合国")
    spam = Finding(kind="hidden_link", url="http://x/", evidence="http://bet.example/")
    assert assess("站", FACTS, [typo], None, 20).verdict == "合格"
    [veto] = assess("站", FACTS, [state, spam], None, 20).vetoes
    assert veto.item == "严重问题" and "严重表述错误" in veto.evidence and "挂马" in veto.evidence


def test_deductions_and_their_caps() -> None:
    dead = [Finding(kind="dead_link", url="http://x/", evidence=f"http://x/{i}", details={"on_homepage": i < 3})
            for i in range(12)]
    facts = SiteFacts("http://x/", ["主办单位"], [("http://x/a.html", ["SiteName"])], [])
    result = assess("站", facts, dead + blank(3) + stale(2, "news"), None, 20)
    points = {d.item: d.points for d in result.deductions}
    assert points["可用性（链接）"] == 1.0  # 3 × 0.2 + 9 × 0.1 = 1.5, capped at 1
    assert points["空白栏目、应更新而未更新的栏目"] == 4.0  # 3 × 2 + 2 × 1 = 8, capped at 4
    assert points["网站标识"] == 2.5 and points["“我为政府网站找错”入口"] == 1
    assert points["动态要闻 2 周内未更新"] == 5 and points["页面标签"] == 0.1
    assert result.score == 100 - 1 - 4 - 2.5 - 1 - 5 - 0.1


def test_unanswered_messages_veto_poor_interaction_with_their_evidence() -> None:
    unanswered = [Finding(kind="unanswered_message", url=f"http://x/xx/d?id={i}", evidence=f"关于停水的咨询{i}",
                          site="站", context=f"留言于 2026-0{i + 1}-01 提交，{200 - i} 天未回复（超过 90 天）",
                          details={"age_days": 200 - i}) for i in range(2)]
    result = assess("站", FACTS, unanswered, None, 20)
    [veto] = result.vetoes
    assert veto.item == "互动回应差" and "2 条有效留言" in veto.evidence and "关于停水的咨询0" in veto.evidence
    late = Finding(kind="late_reply", url="http://x/xx/d?id=9", evidence="关于路灯", site="站")
    assert assess("站", FACTS, [late], None, 20).vetoes == []


def test_a_stale_consultation_column_costs_three_points() -> None:
    result = assess("站", FACTS, stale(1, "interaction"), None, 20)
    assert ("留言公开 2 个月内未更新", 3) in [(d.item, d.points) for d in result.deductions]


def test_a_site_down_for_the_whole_scan_gets_its_veto_and_no_deduction() -> None:
    down = Finding(kind="site_unreachable", url="http://y/", evidence="连接被拒绝", site="乙",
                   context="首页无法访问：连接被拒绝")
    result = assess("乙", SiteFacts("http://y/", seen=False), [down], None, 20)
    assert [v.item for v in result.vetoes] == ["站点无法访问"] and result.deductions == []
