"""Finding identity: one problem, one fingerprint, whatever the port, scheme or referring page."""

from __future__ import annotations

import pytest

from core.model import IDENTITY, KINDS, Finding

SITE = "某某县人民政府"


def dead(port: int, referrer: str, scheme: str = "http") -> Finding:
    base = f"{scheme}://127.0.0.1:{port}"
    finding = Finding(kind="dead_link", url=f"{base}{referrer}", evidence=f"{base}/gone.html", site=SITE)
    finding.identify({f"127.0.0.1:{port}": SITE})
    return finding


def test_every_kind_has_an_identity() -> None:
    assert set(IDENTITY) == set(KINDS)


def test_dead_link_identity_is_site_and_target() -> None:
    assert dead(8001, "/a.html").fingerprint == dead(8001, "/b.html").fingerprint
    assert dead(8001, "/a.html").fingerprint == dead(9002, "/a.html").fingerprint  # demo ports change
    assert dead(8001, "/a.html").fingerprint != Finding(
        kind="dead_link", url="http://127.0.0.1:8001/a.html", evidence="http://127.0.0.1:8001/other.html",
        site=SITE).identify({"127.0.0.1:8001": SITE})


def test_a_site_moved_to_https_keeps_its_problems() -> None:
    def word(scheme: str, host: str) -> str:
        return Finding(kind="erroneous_expression", url=f"{scheme}://{host}/a.html", evidence="中华人民共合国",
                       site=SITE).identify({host: SITE})

    assert word("http", "www.example.gov.cn") == word("https", "www.example.gov.cn")


@pytest.mark.parametrize("kind", ["sensitive_word", "privacy_leak", "secret_marking", "hidden_link"])
def test_page_kinds_are_page_and_evidence(kind: str) -> None:
    def one(url: str, evidence: str) -> str:
        return Finding(kind=kind, url=url, evidence=evidence, site=SITE).fingerprint

    assert one("http://x/a.html", "甲") == one("http://x/a.html", "甲")
    assert one("http://x/a.html", "甲") != one("http://x/b.html", "甲")
    assert one("http://x/a.html", "甲") != one("http://x/a.html", "乙")


def test_unreachable_site_is_one_problem_per_site() -> None:
    a = Finding(kind="site_unreachable", url="http://127.0.0.1:1/", evidence="http://127.0.0.1:1/", site=SITE)
    b = Finding(kind="site_unreachable", url="http://127.0.0.1:2/", evidence="http://127.0.0.1:2/", site=SITE)
    assert a.fingerprint == b.fingerprint


def test_a_pages_letters_pager_and_citations_cross_the_crawl_pipe() -> None:
    import json
    from datetime import date

    from core.model import Letter, Page

    page = Page(url="http://x/hd/", site="县", pager="index_N", list_pages=5, list_page=2, empty_list=True,
                letters=[Letter("咨询", "http://x/hd/d?id=1", date(2026, 9, 29), date(2026, 10, 12), "已办结", True)],
                cited=["某某办法"], cited_links=["http://x/zcwj/1.html"], sections={"http://x/ghxx/": "规划信息"})
    assert Page.from_json(json.loads(json.dumps(page.to_json()))) == page


def test_a_pages_tree_stays_in_the_process_that_parsed_it() -> None:
    import pickle

    import lxml.html

    from core.model import Page

    page = Page(url="http://x/a.html", site="县", html="<p>正文</p>")
    page.tree = lxml.html.document_fromstring(page.html)
    assert "tree" not in page.to_json()
    copied = pickle.loads(pickle.dumps(page))
    assert copied.tree is None and copied == page
