"""Source cases (cases/sources.toml), what a finding tells the office, and the outlets list."""

from __future__ import annotations

from typing import Any

import pytest

from casefile import TODAY, params
from core.config import loads
from detector.base import Context
from detector.checks.sources import CHECK
from pagecase import page_of
from wordlists.sources import authoritative_sources


def _context(case: dict[str, Any]) -> Context:
    return Context(today=TODAY, authoritative_sources=authoritative_sources(case.get("sources", [])))


@pytest.mark.parametrize("case", params("sources"))
def test_case(case: dict[str, Any]) -> None:
    found = {f"{f.kind}:{f.evidence}" for f in CHECK.check(page_of(case), _context(case))}
    assert found == set(case["expect"])


def _article(source: str) -> dict[str, Any]:
    return {"title": "冬季进补的五个误区", "body": f"""<div class="article"><h1>冬季进补的五个误区</h1>
<div class="info">发布时间：2026-11-20 14:00 来源：{source} 浏览次数：532</div>
<div class="TRS_Editor"><p>立冬以后，不少人开始进补，但盲目进补不仅达不到效果，还可能损害健康，专家提醒要注意以下误区。</p></div></div>"""}


def test_self_media_finding_names_the_platform_and_what_to_do() -> None:
    [finding] = CHECK.check(page_of(_article("今日头条")), _context({}))
    assert (finding.kind, finding.severity) == ("unauthorized_source", "medium")
    assert finding.details["platform"] == "今日头条"
    assert "来源：今日头条" in finding.context and "自媒体平台" in finding.suggestion
    assert finding.site == "某某县人民政府" and finding.unit == "某某县人民政府办公室"


def test_unlisted_outlet_finding_names_the_rejected_part() -> None:
    [finding] = CHECK.check(page_of(_article("新华社、某某资讯网")), _context({}))
    assert finding.details["rejected"] == ["某某资讯网"] and "platform" not in finding.details
    assert "稿源单位" in finding.suggestion


def test_missing_source_finding_points_at_the_header() -> None:
    case = {"title": "我县举办秋季就业招聘会_某某县人民政府", "body": """<h1>我县举办秋季就业招聘会</h1>
<div class="info">发布时间：2026-11-10 10:00 浏览次数：56</div>
<p>11月9日，我县2026年秋季就业招聘会在县体育馆举行，86家企业提供就业岗位2300余个。</p>"""}
    [finding] = CHECK.check(page_of(case), _context({}))
    assert finding.evidence == "我县举办秋季就业招聘会_某某县人民政府"
    assert finding.context == "发布时间：2026-11-10 10:00 浏览次数：56"
    assert finding.details["published"] == "2026-11-10" and "注明信息来源" in finding.suggestion


def test_without_the_outlets_list_no_source_is_judged() -> None:
    """An empty list cannot tell 新华社 from 今日头条: silence rather than a flag on every repost."""
    assert list(CHECK.check(page_of(_article("今日头条")), Context(today=TODAY))) == []


def test_outlets_list_is_shipped_casefolded_and_extended_by_the_config() -> None:
    shipped = authoritative_sources()
    assert {"新华社", "人民日报", "学习强国", "融媒体中心", "cctv"} <= shipped
    assert not {"今日头条", "百家号", "新华"} & shipped  # 新华 alone would match 新华书店
    assert authoritative_sources(["  某某城市网  # the city's news site", "", "# a comment"]) == shipped | {"某某城市网"}
    assert loads('[detector]\nauthoritative_sources = ["某某城市网"]\n').detector.authoritative_sources == ["某某城市网"]
    assert loads("").detector.authoritative_sources == []
