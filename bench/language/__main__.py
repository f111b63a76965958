"""`python -m bench.language`: detection quality of the current detector (issue 20).

Recall on the held-out test half (or, with --tuning, the tuning half, the only one whose misses are
listed: mechanisms are tuned there and judged on the test half), false flags on the corrected texts,
the same on the matching half of ECSpell's official-document sentences (bench/language/ecspell),
the precision corpus judged at each document's date (erroneous_expression must stay 0,
suspected_typo sparse), the rule mix, the matcher's build time and its speed on the corpus next to
ahocorasick-rs. Prints Markdown tables ready for BENCHMARKS.md.

    .venv/bin/python -m bench.language [--tuning] [--no-ecspell] [--no-corpus] [--no-speed]
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import sys
from collections import Counter
from datetime import date

import wordlists
from detector.words import WordMatcher

from ..detector_throughput import native_automaton, timed_in_turns
from . import ecspell, heldout, prose
from .evaluate import WORD_KINDS, Precision, Recall, build_matcher, precision, recall, rule_of

SUSPECTED_BUDGET_PER_MB = 6  # issue 20: at most ~30 suspected_typo on ~5 MB of real prose


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "–"


def print_recall(result: Recall, half: str, show_misses: bool) -> None:
    total = len(result.results)
    print(f"## Held-out errors, {half} half: {result.caught} of {total} caught ({pct(result.caught, total)})\n")
    print("| class | rows | caught | recall |")
    print("|---|---:|---:|---:|")
    for cls, rows, caught in result.by_class():
        print(f"| {cls} | {rows} | {caught} | {pct(caught, rows)} |")
    print(f"| **all** | **{total}** | **{result.caught}** | **{pct(result.caught, total)}** |")
    unlocated = sum(r.unlocated for r in result.results)
    if unlocated:
        print(f"\n{unlocated} caught by a word finding whose place in the text is unknown (evidence not in the text).")
    flagged = result.false_flags
    print(f"\nCorrected texts flagged: {len(flagged)} of {total}")
    for r in flagged:
        print(f"- {r.row.corrected} ← " + "; ".join(f"{f.kind}:{f.evidence}" for f in r.false_flags))
    if show_misses:
        missed = [r for r in result.results if not r.caught]
        print(f"\nMissed ({len(missed)}):")
        for r in sorted(missed, key=lambda r: (heldout.CLASSES.index(r.row.cls), r.row.erroneous)):
            print(f"- [{r.row.cls}] {r.row.erroneous} → {r.row.corrected} ({r.row.published})")
    print()


def print_ecspell(result: ecspell.Result, half: str, show_misses: bool) -> None:
    print(f"## ECSpell official documents (odw), {half} half: {result.caught} of {result.errors} errors caught "
          f"({pct(result.caught, result.errors)})\n")
    print(f"Sentences with an error: {result.sentences_caught} of {result.sentences_with_errors} with one caught "
          f"({pct(result.sentences_caught, result.sentences_with_errors)}). Rules: "
          + (", ".join(f"{rule} {n}" for rule, n in sorted(result.rules.items())) or "none") + ".")
    print(f"\nCorrected sentences flagged: {len(result.flagged)}")
    for text, flags in result.flagged:
        print(f"- {text} ← " + "; ".join(flags))
    if show_misses:
        print(f"\nMissed ({len(result.missed)}):")
        for erroneous, corrected in result.missed:
            print(f"- {erroneous} → {corrected}")
    print()


def print_precision(result: Precision) -> None:
    mb = result.bytes / 1e6
    errors = result.of_kind("erroneous_expression")
    suspected = result.of_kind("suspected_typo")
    sensitive = result.of_kind("sensitive_word")
    budget = SUSPECTED_BUDGET_PER_MB * mb
    print(f"## Precision corpus: {result.documents} documents, {mb:.2f} MB, each judged at its own date\n")
    print("| kind | findings | occurrences | target |")
    print("|---|---:|---:|---|")
    print(f"| erroneous_expression | {len(errors)} | {result.occurrences('erroneous_expression')} | 0 |")
    print(f"| suspected_typo | {len(suspected)} | {result.occurrences('suspected_typo')} | ≤ {budget:.0f} |")
    print(f"| sensitive_word | {len(sensitive)} | {result.occurrences('sensitive_word')} | review |")
    print(f"\nChecked in {result.seconds:.1f} s ({mb / result.seconds:.2f} MB/s with every page check).")
    if result.flags:
        print("\nFlagged excerpts, for review:")
        for flag in sorted(result.flags, key=lambda f: (WORD_KINDS.index(f.finding.kind), f.doc.date)):
            f = flag.finding
            print(f"- {f.kind} [{rule_of(f)}] {f.evidence} — {flag.doc.date} {flag.doc.title}: {f.context}")
    print()


def print_rules(result: Recall, corpus: Precision | None) -> None:
    caught = Counter(rule for r in result.results if r.caught for rule in set(r.rules))
    print("## Rule mix (details.rule)\n")
    print("| rule | held-out rows caught | findings on the corpus |")
    print("|---|---:|---:|")
    on_corpus = Counter(rule_of(f.finding) for f in corpus.flags) if corpus else Counter()
    for rule in sorted(set(caught) | set(on_corpus)):
        print(f"| {rule} | {caught[rule]} | {on_corpus[rule] if corpus else '–'} |")
    print()


def print_speed(matcher: WordMatcher, text: str, build: float) -> None:
    """The matcher next to ahocorasick-rs holding the same raw terms, as bench/detector_throughput.py
    measures it, but on real prose."""
    mb = len(text.encode("utf-8")) / 1e6
    terms = [e.term for e in wordlists.load()]
    native = native_automaton(terms)
    seconds, native_seconds = timed_in_turns(
        [lambda: matcher.find(text), lambda: native.find_matches_as_indexes(text, overlapping=True)])
    print("## Matcher build and speed on the precision corpus\n")
    print("| entries built | build (s) | matcher MB/s | ahocorasick-rs MB/s | matcher / ahocorasick-rs |")
    print("|---:|---:|---:|---:|---:|")
    print(f"| {matcher.size:,} | {build:.2f} | {mb / seconds:.1f} | {mb / native_seconds:.1f} "
          f"| {native_seconds / seconds:.2f}× |")
    print()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.language", description=__doc__.split("\n")[0])
    parser.add_argument("--tuning", action="store_true", help="the tuning half instead of the test half (lists misses)")
    parser.add_argument("--no-ecspell", action="store_true", help="skip ECSpell's official-document sentences")
    parser.add_argument("--no-corpus", action="store_true", help="skip the precision corpus")
    parser.add_argument("--no-speed", action="store_true", help="skip the matcher speed measurement")
    args = parser.parse_args(argv)
    command = shlex.join([".venv/bin/python", "-m", "bench.language", *(sys.argv[1:] if argv is None else argv)])
    print(f"{date.today()}: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}")
    print(f"Command: `{command}`\n")
    half = "tuning" if args.tuning else "test"
    matcher, build = build_matcher()
    result = recall(matcher, heldout.load(half))
    print_recall(result, half, show_misses=args.tuning)
    if not args.no_ecspell:
        print_ecspell(ecspell.measure(matcher, ecspell.load(half)), half, show_misses=args.tuning)
    corpus_result = None
    texts: list[str] = []
    if not args.no_corpus:
        pairs = prose.corpus()
        if pairs:
            texts = [text for _, text in pairs]
            corpus_result = precision(matcher, pairs)
            print_precision(corpus_result)
        else:
            print("## Precision corpus: not measured (no mirror present; see bench/language/prose.py)\n")
    print_rules(result, corpus_result)
    if not args.no_speed and texts:
        print_speed(matcher, "\n".join(texts), build)


if __name__ == "__main__":
    main()
