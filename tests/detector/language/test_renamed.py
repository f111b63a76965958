"""Rule `renamed`: dated entries judged at the page's date, never after 原 nor in a citation by order."""

from __future__ import annotations

from datetime import date

import pytest

import wordlists
from core.model import Page
from detector.base import Context
from detector.checks.words import CHECK
from detector.words import WordMatcher

LIST = ("农业部\terror\t农业农村部\tafter=2018-04-03,severity=medium\n银保监会\terror\t国家金融监督管理总局\tafter=2023-05-18\n"
        "《中华人民共和国婚姻法》\terror\t《中华人民共和国民法典》\tafter=2020-12-31\n")


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context(today=date(2026, 11, 23), matcher=WordMatcher(wordlists.parse(LIST, source="renamed.tsv")))


def found(ctx: Context, text: str, published: date | None) -> list[dict]:
    page = Page(url="http://127.0.0.1:1/a.html", site="测试站", text=text, published=published)
    return [{"evidence": f.evidence, **f.details, "suggestion": f.suggestion} for f in CHECK.check(page, ctx)]


def test_a_renamed_body_after_its_date_names_the_rule_and_the_date(ctx: Context) -> None:
    [finding] = found(ctx, "按照农业部要求开展春耕。", date(2024, 3, 1))
    assert (finding["evidence"], finding["rule"], finding["since"], finding["suggestion"]) == (
        "农业部", "renamed", "2018-04-03", "应为“农业农村部”")


@pytest.mark.parametrize("text, published", [
    ("按照农业部要求开展春耕。", date(2017, 3, 1)),  # before the renaming
    ("按照农业部要求开展春耕。", None),  # no known date: never judged
    ("原农业部印发的文件继续有效。", date(2024, 3, 1)),  # the body as it was
    ("（2004年7月1日农业部令第38号公布，2022年修订）", date(2024, 3, 1)),  # a citation by its order
    ("根据中国银保监会令2020年第7号", date(2024, 3, 1)),
    ("2001年4月3日信息产业部、农业部、国家工商行政管理局发布的《管理办法》同时废止。", date(2024, 3, 1)),
    ("2018年3月农业部印发的《通知》", date(2024, 3, 1)),
    ("1988年1月14日由卫生部、原国家教育委员会、农业部联合发布的《规定》", date(2024, 3, 1)),
    ("本法自2021年1月1日起施行。《中华人民共和国婚姻法》、《中华人民共和国继承法》同时废止。", date(2024, 3, 1)),
    ("决定废止《中华人民共和国婚姻法》", date(2024, 3, 1)),
])
def test_historical_uses_are_not_errors(ctx: Context, text: str, published: date | None) -> None:
    assert found(ctx, text, published) == []


@pytest.mark.parametrize("text", [
    "2024年3月农业部发布的《通知》要求",  # a date after the renaming
    "2018年农业部发布的《通知》",  # a year that runs past the renaming (2018-04-03)
    "2024年，农业部发布的《通知》要求",  # the date is another clause's
    "农业部决定废止部分规章。",  # a body beside 废止, not a law repealed
    "根据《中华人民共和国婚姻法》，废止前的规定不再适用。",  # 废止 in the next clause, not a repeal of it
])
def test_current_uses_stay_errors(ctx: Context, text: str) -> None:
    assert [f["evidence"] for f in found(ctx, text, date(2024, 3, 1))]


def test_every_shipped_renamed_entry_is_dated() -> None:
    entries = [e for e in wordlists.load() if e.source == "renamed.tsv"]
    assert len(entries) > 40 and all(e.after and e.category == "error" and e.suggestion for e in entries)


@pytest.mark.parametrize("text", ["美国环保局发布报告", "向上级主管部门或者监察部门检举", "县农业农村局"])
def test_shipped_renamings_spare_correct_text(text: str, shipped_matcher: WordMatcher) -> None:
    assert [h for h in shipped_matcher.find(text, date(2024, 3, 1)) if h.entry.rule == "renamed"] == []
