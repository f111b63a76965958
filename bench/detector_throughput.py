"""The detector's throughput: build time, matcher MB/s next to plain pyahocorasick and to ahocorasick-rs
(a native Aho–Corasick, the reference only: the product does not use it), and full page-check MB/s."""

from __future__ import annotations

import resource
import time
from datetime import date

import ahocorasick
import ahocorasick_rs

import wordlists
from detector import Context, check_page
from detector.registry import PAGE_CHECKS
from detector.words import WordMatcher
from core.model import Page

from . import corpus

CORPUS_BYTES = 10_000_000
USER_TERMS = 20_000


def timed(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def timed_in_turns(fns, repeat: int = 5) -> list[float]:  # type: ignore[no-untyped-def]
    """The best time of each function, run in turns: on a busy machine a burst of load then slows
    them alike rather than whichever ran during it, so their ratio holds."""
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def plain_automaton(terms: list[str]) -> ahocorasick.Automaton:
    """The naive design, for comparison: the raw terms straight into pyahocorasick."""
    automaton = ahocorasick.Automaton()
    for term in terms:
        automaton.add_word(term, term)
    automaton.make_automaton()
    return automaton


def native_automaton(terms: list[str]) -> ahocorasick_rs.AhoCorasick:
    """The reference: the same raw terms in ahocorasick-rs, reporting overlapping matches as the
    matcher does."""
    return ahocorasick_rs.AhoCorasick(terms, matchkind=ahocorasick_rs.MATCHKIND_STANDARD)


def report() -> None:
    text = corpus.text(CORPUS_BYTES)
    mb = len(text.encode("utf-8")) / 1e6
    shipped = wordlists.load()
    user = [wordlists.Entry(t, "sensitive") for t in corpus.user_terms(USER_TERMS)]
    rows = []
    for label, entries in (("shipped lists", shipped), (f"shipped + {USER_TERMS:,} user terms", shipped + user)):
        start = time.perf_counter()
        matcher = WordMatcher(entries)
        build = time.perf_counter() - start
        matcher.prepare()
        terms = [e.term for e in entries]
        native = native_automaton(terms)
        seconds, native_seconds = timed_in_turns(
            [lambda: matcher.find(text), lambda: native.find_matches_as_indexes(text, overlapping=True)])
        plain = plain_automaton(terms)
        plain_seconds = timed(lambda: sum(1 for _ in plain.iter(text)), repeat=1)
        rows.append((label, len(entries), build, mb / seconds, mb / plain_seconds, mb / native_seconds))

    ctx = Context(today=date(2026, 11, 23), matcher=WordMatcher(shipped + user).prepare())
    pages = [Page(url=f"http://127.0.0.1/{i}.html", site="bench", text=text[i:i + 20_000])
             for i in range(0, len(text), 20_000)]
    check_seconds = timed(lambda: [check_page(p, ctx) for p in pages], repeat=1)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"Corpus: {mb:.1f} MB of government-style text\n")
    print("| word lists | entries | build (s) | matcher MB/s | plain pyahocorasick MB/s "
          "| ahocorasick-rs MB/s | matcher / ahocorasick-rs |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, n, build, speed, plain_speed, native_speed in rows:
        print(f"| {label} | {n:,} | {build:.2f} | {speed:.1f} | {plain_speed:.1f} | {native_speed:.1f} "
              f"| {speed / native_speed:.2f}× |")
    names = ", ".join(check.name for check in PAGE_CHECKS)
    print(f"\nAll page checks ({names}) with the large lists: "
          f"{mb / check_seconds:.1f} MB/s over {len(pages)} pages of 20,000 characters.")
    print(f"Peak RSS: {rss_mb:.0f} MB")
