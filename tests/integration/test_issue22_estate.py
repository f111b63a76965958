"""Issue 22 on a small held-out-style estate served on loopback (tests/estate22/build.py): pagers whose
first page is numbered, columns categorised by their context, empty lists and failing data proxies,
a mailbox of 40 letters past the query-variant cap, interpretations and their documents — scored
against the estate's truth (F1 ≥ 0.97 over the scored kinds, no decoy reported), then `assess` and
`check --json` on the same estate.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from govwatch.demo.server import EstateServer
from tests.estate22.build import CASES, DECOYS, SCORED, SITE, SITE_NAME, TODAY, write
from tests.integration.conftest import govwatch

DOWN_SITE = "某某县已停运子站"


@pytest.fixture(scope="module")
def estate22(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EstateServer]:
    root = tmp_path_factory.mktemp("estate22")
    write(root)
    with EstateServer(root) as server:
        yield server


@pytest.fixture(scope="module")
def config22(estate22: EstateServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("work22")
    path = work / "govwatch.toml"
    path.write_text(f"""[database]
url = "sqlite:///{work / 'govwatch.db'}"
[report]
dir = "{work / 'reports'}"
[crawl]
timeout = 2
retries = 0
max_query_variants = 10

[[sites]]
name = "{SITE_NAME}"
url = "{estate22.url(SITE)}"
unit = "县政府办公室"

[[sites]]
name = "{DOWN_SITE}"
url = "http://127.0.0.1:{estate22.closed_port}/"
unit = "县政府办公室"
""", encoding="utf-8")
    return path


def _run(*args: str) -> Any:
    run = govwatch(*args)
    assert run.returncode in (0, 1), run.stderr + run.stdout
    return run


@pytest.fixture(scope="module")
def findings22(config22: Path) -> list[dict[str, Any]]:
    assert govwatch("scan", "--help").returncode == 0
    out = config22.parent / "findings.json"
    run = govwatch("scan", "--config", str(config22), "--json", str(out))
    assert run.returncode == 0, run.stderr + run.stdout
    assert TODAY  # the scan judged the estate as of its day (GOVWATCH_TODAY, set by `govwatch`)
    return json.loads(out.read_text(encoding="utf-8"))["findings"]


def _path(estate: EstateServer, url: str) -> str:
    base = estate.url(SITE).rstrip("/")
    return url[len(base):] if url.startswith(base) else url


def _matches(case: tuple[str, str, str | None], finding: dict[str, Any], estate: EstateServer) -> bool:
    kind, path, evidence = case
    return (finding["kind"] == kind and _path(estate, finding["url"]) == path
            and (evidence is None or evidence in finding["evidence"]))


def test_scored_kinds_reach_f1_and_no_decoy_is_reported(findings22: list[dict[str, Any]],
                                                        estate22: EstateServer) -> None:
    scored = [f for f in findings22 if f["kind"] in SCORED and f["site"] == SITE_NAME]
    hits = [case for case in CASES if any(_matches(case, f, estate22) for f in scored)]
    true_positives = [f for f in scored if any(_matches(case, f, estate22) for case in CASES)]
    precision = len(true_positives) / len(scored) if scored else 0.0
    recall = len(hits) / len(CASES)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    missed = [case for case in CASES if case not in hits]
    extra = [(f["kind"], _path(estate22, f["url"]), f["evidence"]) for f in scored if f not in true_positives]
    assert f1 >= 0.97, f"F1 {f1:.3f}; missed {missed}; unexpected {extra}"
    decoyed = [(f["kind"], _path(estate22, f["url"])) for f in scored if _path(estate22, f["url"]) in DECOYS]
    assert decoyed == []


def test_column_findings_say_where_their_category_came_from(findings22: list[dict[str, Any]],
                                                           estate22: EstateServer) -> None:
    [stale] = [f for f in findings22 if f["kind"] == "stale_column"]
    assert stale["details"]["category"] == "notice" and stale["details"]["category_from"] == "name"
    blank = {_path(estate22, f["url"]) for f in findings22 if f["kind"] == "blank_column"}
    assert blank == {"/zwgk/zdxm/", "/col/col77/"}
    proxy = [f for f in findings22 if f["kind"] == "dead_link" and "dataproxy.jsp" in f["evidence"]]
    assert proxy and _path(estate22, proxy[0]["url"]) == "/col/col77/index.html"  # the failed proxy is a dead link


def test_assess_names_poor_interaction_and_the_site_that_was_down(findings22: list[dict[str, Any]],
                                                                 config22: Path) -> None:
    run = _run("assess", "--config", str(config22), "--json")
    sites = {s["site"]: s for s in json.loads(run.stdout)["sites"]}
    county = {v["item"]: v["evidence"] for v in sites[SITE_NAME]["vetoes"]}
    assert "互动回应差" in county and "2 条有效留言" in county["互动回应差"]
    down = sites[DOWN_SITE]
    assert [v["item"] for v in down["vetoes"]] == ["站点无法访问"] and down["deductions"] == []
    text = _run("assess", "--config", str(config22)).stdout
    assert "互动回应差" in text and DOWN_SITE in text


def test_check_json_shows_what_govwatch_saw_on_a_list(config22: Path, estate22: EstateServer) -> None:
    url = estate22.url(SITE).rstrip("/") + "/ghxx/gzjz/"
    page = json.loads(_run("check", url, "--json", "--config", str(config22)).stdout)["page"]
    assert (page["kind"], page["items"], page["newest"], page["pages"]) == ("list", 3, "2026-06-01", 1)
    assert page["category"] == {"category": "planning", "label": "人事、规划计划类", "rule": "应在 365 天内更新",
                                "from": "breadcrumb", "by": "规划信息"}
    numbered = estate22.url(SITE).rstrip("/") + "/xwzx/gzdt/column-index-1.shtml"
    page = json.loads(_run("check", numbered, "--json", "--config", str(config22)).stdout)["page"]
    assert (page["pages"], page["pager"], page["page_number"], page["newest"]) == (3, "column-index-N", 1, "2026-11-20")
    text = _run("check", url, "--config", str(config22)).stdout
    assert "栏目类别：人事、规划计划类" in text and "当前位置“规划信息”" in text
    last = estate22.url(SITE).rstrip("/") + "/xwzx/gzdt/column-index-3.shtml"  # the last page, its items three years old
    checked = json.loads(_run("check", last, "--json", "--config", str(config22)).stdout)
    assert (checked["page"]["page_number"], checked["page"]["newest"]) == (3, "2023-06-02")
    assert [f for f in checked["findings"] if f["kind"] in ("stale_column", "blank_column")] == []


def test_check_json_shows_an_article_and_a_letter(config22: Path, estate22: EstateServer) -> None:
    article = estate22.url(SITE).rstrip("/") + "/zcwj/202611/t20261101_23.html"
    page = json.loads(_run("check", article, "--json", "--config", str(config22)).stdout)["page"]
    assert (page["kind"], page["published"], page["source"]) == ("article", "2026-11-01", "县政府办公室")
    assert page["title"].startswith("某某县优化营商环境若干规定")
    letter = estate22.url(SITE).rstrip("/") + "/hdjl/xzxx/detail.html?id=1"
    checked = json.loads(_run("check", letter, "--json", "--config", str(config22)).stdout)
    assert checked["page"]["kind"] == "interaction"
    assert [f["kind"] for f in checked["findings"] if f["kind"] in SCORED] == ["unanswered_message"]
