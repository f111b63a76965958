"""Hidden-link cases and what a finding tells the inspector.

cases/hidden_links.toml holds the mechanics and the decision rule on small pages,
cases/hidden_links_templates.toml real-looking templates that must stay silent, and
cases/hidden_links_spam.toml planted spam that must be found. Every case runs with the shipped word
lists, as a scan does; the spam cases run once more without them, where the built-in patterns must
find the same.
"""

from __future__ import annotations

import dataclasses

import pytest

from lxml import etree

from casefile import TODAY, context_of, load_cases, page_of, params
from crawler.extract import complete_read_page
from detector.base import Context
from core.urls import ascii_host
from detector.checks import hidden_links
from wordlists.hosts import hidden_link_allow, host_suffix
from detector.checks.hidden_links import CHECK
from detector.words import WordMatcher

CASE_FILES = ("hidden_links", "hidden_links_templates", "hidden_links_spam")


def _context(case: dict, matcher: WordMatcher | None = None) -> Context:
    return dataclasses.replace(context_of(case), matcher=matcher)


def _found(case: dict, ctx: Context) -> set[str]:
    return {f"{f.kind}:{f.evidence}" for f in CHECK.check(page_of(case), ctx)}


@pytest.mark.parametrize("case", [p for name in CASE_FILES for p in params(name)])
def test_case(case: dict, shipped_matcher: WordMatcher) -> None:
    assert _found(case, _context(case, shipped_matcher)) == set(case["expect"])


@pytest.mark.parametrize("case", [p for name in CASE_FILES for p in params(name)])
def test_case_with_the_tree_the_scans_parent_parsed(case: dict, shipped_matcher: WordMatcher) -> None:
    """A page the scan's parent completes comes with its tree (Page.tree): the same findings as a
    page parsed by the check, and the tree left as it was (document.write output goes into a copy)."""
    page = page_of(case)
    complete_read_page(page, page.url, TODAY)
    before = etree.tostring(page.tree) if page.tree is not None else None
    found = {f"{f.kind}:{f.evidence}" for f in CHECK.check(page, _context(case, shipped_matcher))}
    assert found == set(case["expect"])
    assert (etree.tostring(page.tree) if page.tree is not None else None) == before


def test_a_link_nested_deeper_than_libxml2s_default_limit_is_judged() -> None:
    # Without huge_tree libxml2 stops building at depth 256, and everything after went unseen.
    html = ("<html><body>" + "<div>" * 300 + '<a href="http://x.com/">正文</a>' + "</div>" * 300
            + '<div style="display:none"><a href="http://y.bet/">澳门赌场</a></div></body></html>')
    case = {"html": html}
    page = page_of(case)
    assert {f.evidence for f in CHECK.check(page, _context(case))} == {"http://y.bet/"}
    complete_read_page(page, page.url, TODAY)
    assert page.tree is not None
    assert {f.evidence for f in CHECK.check(page, _context(case))} == {"http://y.bet/"}


@pytest.mark.parametrize("case", [c for c in load_cases("hidden_links_spam") if not c.get("needs_words")],
                         ids=lambda c: c["name"])
def test_spam_found_without_word_lists(case: dict) -> None:
    assert _found(case, _context(case)) == set(case["expect"])


def test_word_list_spam_needs_the_word_lists() -> None:
    case = next(c for c in load_cases("hidden_links_spam") if c.get("needs_words"))
    assert _found(case, _context(case)) == set()


def test_every_spam_case_expects_findings_and_every_template_none() -> None:
    assert all(case["expect"] for case in load_cases("hidden_links_spam"))
    assert not any(case["expect"] for case in load_cases("hidden_links_templates"))


def test_finding_names_text_and_technique_once_per_target() -> None:
    html = """<html><body>
    <div style="display:none"><a href="http://x.bet/">澳门 赌场</a></div>
    <p style="font-size:0"><a href="http://x.bet/">again</a></p>
    <script>document.write('<div style="display:none"><a href="http://y.bet/">y</a></div>');</script>
    </body></html>"""
    findings = list(CHECK.check(page_of({"html": html}), context_of({})))
    assert [(f.evidence, f.context, f.details["technique"]) for f in findings] == [
        ("http://x.bet/", "澳门 赌场（display:none）", "display:none"),
        ("http://y.bet/", "y（document.write+display:none）", "document.write+display:none"),
    ]
    assert [f.details["spam"] for f in findings] == ["赌场", "y.bet"]
    assert all(f.severity == "veto" and f.suggestion for f in findings)


def test_shipped_allow_list_covers_government_and_widgets() -> None:
    allow = hidden_link_allow()
    for host in ("www.npc.gov.cn", "beian.miit.gov.cn", "www.beian.gov.cn", "www.court.gov.cn",
                 "www.spp.gov.cn", "www.cppcc.gov.cn", "www.某某县.政务", "s4.cnzz.com", "hm.baidu.com",
                 "static.bshare.cn", "www.hanweb.com", "pucha.kaipuyun.cn"):
        assert hidden_links._allowed(ascii_host(host), allow), host
    for host in ("www.baidu.com", "gov.cn.example.com", "xgov.cn", "bet365.com"):
        assert not hidden_links._allowed(ascii_host(host), allow), host


@pytest.mark.parametrize("entry, suffix", [
    ("example.com", "example.com"),
    ("  Example.COM  # our CMS vendor", "example.com"),
    ("*.example.com", "example.com"),
    (".example.com", "example.com"),
    ("https://www.example.com/path", "www.example.com"),
    ("www.example.com/", "www.example.com"),
    ("某某.政务", "xn--xuva.xn--zfr164b"),
    ("# a comment", ""),
    ("", ""),
])
def test_allow_list_entries(entry: str, suffix: str) -> None:
    assert host_suffix(entry) == suffix
