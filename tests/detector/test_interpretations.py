"""解读关联: an interpretation and its document, matched by link then by normalised title, linked both ways."""

from __future__ import annotations

from datetime import date

from core.model import Interpretation
from crawler.extract import extract_page
from detector import Context
from detector.checks.interpretations import CHECK, document_keys, title_key

H = "http://www.example.gov.cn"
DOC = f"{H}/zcwj/202610/t20261010_1.html"
DOC_TITLE = "某某县人民政府关于印发《某某县促进民营经济发展的若干措施》的通知"
JD = f"{H}/zcjd/202610/t20261012_2.html"


class Estate:
    def __init__(self, interpretations: list[Interpretation], titles: dict[str, str], links: set[tuple[str, str]]):
        self._interpretations, self._titles, self._links = interpretations, titles, links

    def interpretations(self) -> list[Interpretation]:
        return self._interpretations

    def article_titles(self) -> list[tuple[str, str]]:
        return list(self._titles.items())

    def links_between(self, sources: set[str], targets: set[str]) -> set[tuple[str, str]]:
        return {(s, t) for s, t in self._links if s in sources and t in targets}


def _found(interpretation: Interpretation, links: set[tuple[str, str]], titles: dict[str, str] | None = None) -> list:
    titles = titles if titles is not None else {DOC: DOC_TITLE, f"{H}/xw/1.html": "县政府召开常务会议"}
    return list(CHECK.check(Estate([interpretation], titles, links), Context(today=date(2026, 11, 20))))  # type: ignore[arg-type]


def test_keys_normalise_and_reach_the_issued_document() -> None:
    assert title_key("《某某县 促进民营经济发展的若干措施》") == "某某县促进民营经济发展的若干措施"
    assert "某某县促进民营经济发展的若干措施" in document_keys(DOC_TITLE)


def test_linked_both_ways_is_fine() -> None:
    jd = Interpretation(JD, "县", cited=["某某县促进民营经济发展的若干措施"], cited_links=[DOC])
    assert _found(jd, {(JD, DOC), (DOC, JD)}) == []


def test_the_document_does_not_link_back() -> None:
    jd = Interpretation(JD, "县", unit="县发改局", title="《某某县促进民营经济发展的若干措施》政策解读",
                        cited=["某某县促进民营经济发展的若干措施"], cited_links=[DOC])
    [finding] = _found(jd, {(JD, DOC)})
    assert (finding.kind, finding.url, finding.evidence, finding.severity) == (
        "interpretation_unlinked", JD, DOC_TITLE, "medium")
    assert finding.details["document"] == DOC and finding.details["links"] == "one_way"
    assert DOC in finding.context and JD in finding.context


def test_named_by_title_and_linked_neither_way() -> None:
    jd = Interpretation(JD, "县", cited=["某某县促进民营经济发展的若干措施"])
    [finding] = _found(jd, set())
    assert finding.details["links"] == "neither"
    assert _found(jd, {(DOC, JD)}) == []  # the document links its interpretation: linked


def test_an_unknown_document_or_an_unrelated_title_is_not_judged() -> None:
    jd = Interpretation(JD, "县", cited=["某某市另一份文件的名称"])
    assert _found(jd, set()) == []
    assert _found(Interpretation(JD, "县", cited=["促进民营经济发展"]), set()) == []  # not an exact title


def test_interpretation_pages_name_and_link_their_documents() -> None:
    html = f"""<html><head><title>《某某县促进民营经济发展的若干措施》政策解读_某某县人民政府</title></head><body>
    <div>当前位置：首页 > 政务公开 > 政策解读</div><p>发布时间：2026-10-12 来源：县发改局</p>
    <p>为贯彻落实……，制定了《某某县促进民营经济发展的若干措施》。</p>
    <p>原文链接：<a href="{DOC}">某某县促进民营经济发展的若干措施</a></p></body></html>"""
    page, _ = extract_page(JD, html, site="某某县人民政府", today=date(2026, 11, 20))
    assert (page.cited, page.cited_links) == (["某某县促进民营经济发展的若干措施"], [DOC])
    news = html.replace("政策解读_", "政策解读会召开_").replace("政务公开 > 政策解读", "新闻中心 > 工作动态")
    page, _ = extract_page(f"{H}/xw/2.html", news, site="某某县人民政府", today=date(2026, 11, 20))
    assert (page.cited, page.cited_links) == ([], [])


def test_a_documents_title_is_read_without_the_sites_name() -> None:
    assert "某某县就业创业扶持办法" in document_keys("某某县就业创业扶持办法_某某县人民政府")
    jd = Interpretation(JD, "县", cited=["某某县就业创业扶持办法"])
    [finding] = _found(jd, set(), {DOC: "某某县就业创业扶持办法_某某县人民政府"})
    assert finding.evidence == "某某县就业创业扶持办法"


def test_a_page_naming_only_its_own_title_names_no_document() -> None:
    """A news item in an interpretation column is read as citing its own title; a namesake news item
    elsewhere is not its document (the bench estate had 281 such findings)."""
    news = "县教育局开展校园安全专项检查督导检查"
    jd = Interpretation(JD, "县", title=f"{news}_政策解读_某某县人民政府", cited=[news])
    assert _found(jd, set(), {f"{H}/bmdt/1.html": f"{news}_部门动态_某某县人民政府"}) == []
    named = Interpretation(JD, "县", title="《某某县就业创业扶持办法》", cited=["某某县就业创业扶持办法"])
    [finding] = _found(named, set(), {DOC: "某某县就业创业扶持办法_某某县人民政府"})
    assert finding.details["document"] == DOC


def test_among_documents_of_one_title_the_first_by_url_is_judged_whatever_the_order() -> None:
    jd = Interpretation(JD, "县", cited=["某某县促进民营经济发展的若干措施"])
    docs = [f"{H}/zcwj/{n}.html" for n in "4213"]
    [first] = _found(jd, set(), {url: DOC_TITLE for url in docs})
    [again] = _found(jd, set(), {url: DOC_TITLE for url in reversed(docs)})
    assert first.details["document"] == again.details["document"] == f"{H}/zcwj/1.html"


def test_one_copy_of_a_document_linking_back_is_enough() -> None:
    jd = Interpretation(JD, "县", cited=["某某县促进民营经济发展的若干措施"])
    copy = f"{H}/tzgg/202610/t20261011_3.html"
    assert _found(jd, {(copy, JD)}, {DOC: DOC_TITLE, copy: DOC_TITLE}) == []
