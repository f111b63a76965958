"""Recall and false flags of the shipped word lists over the measurement cases.

cases/word_errors.toml holds real-world error lines (each with its corrected line); cases/word_correct.toml
holds correct lines. Recall is the share of error lines whose expected findings are all reported; a
false flag is a finding on a corrected or correct line. Run for the figures in BENCHMARKS.md:

    .venv/bin/python tests/detector/wordstats.py
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))  # for casefile when run as a script

import wordlists  # noqa: E402
from casefile import load_cases  # noqa: E402
from core.model import Page  # noqa: E402
from detector.base import Context  # noqa: E402
from detector.checks.words import CHECK  # noqa: E402
from detector.language.nearmiss import near_misses
from detector.language.segmenter import tokenizer  # noqa: E402
from detector.words import WordMatcher  # noqa: E402


def findings(case: dict[str, Any], ctx: Context, text: str | None = None) -> list[str]:
    """"kind:term" of every finding on the case's page (its `text`, or the given text)."""
    published = date.fromisoformat(case["published"]) if case.get("published") else None
    page = Page(url="http://127.0.0.1:1/a.html", site="测试站", text=case["text"] if text is None else text,
                published=published)
    return sorted(f"{f.kind}:{f.evidence}" for f in CHECK.check(page, ctx))


@dataclass
class Stats:
    error_lines: int = 0
    found: int = 0
    correct_lines: int = 0
    flagged: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.error_lines if self.error_lines else 0.0


def measure(ctx: Context) -> Stats:
    stats = Stats()
    for case in load_cases("word_errors"):
        stats.error_lines += 1
        if set(case["expect"]) <= set(findings(case, ctx)):
            stats.found += 1
        else:
            stats.missed.append(case["name"])
        stats.correct_lines += 1
        if findings(case, ctx, case["correct"]):
            stats.flagged.append(f"{case['name']}（更正后）")
    for case in load_cases("word_correct"):
        stats.correct_lines += 1
        if findings(case, ctx):
            stats.flagged.append(case["name"])
    return stats


def main() -> None:
    start = time.perf_counter()
    written = tuple(wordlists.load())
    tokenizer()  # jieba's dictionary, so the timing below is generation alone
    loaded = time.perf_counter()
    generated = near_misses(written)
    built = time.perf_counter()
    ctx = Context(today=date(2026, 11, 23), matcher=WordMatcher(written).prepare())
    stats = measure(ctx)
    print(f"entries as written: {len(written)}; near-miss entries generated: {len(generated)} "
          f"in {built - loaded:.2f} s (lists and jieba loaded in {loaded - start:.2f} s)")
    print(f"recall: {stats.found}/{stats.error_lines} error lines = {stats.recall:.1%}")
    print(f"false flags: {len(stats.flagged)} of {stats.correct_lines} correct lines "
          f"({stats.correct_lines - stats.error_lines} written as correct, {stats.error_lines} corrected)")
    for name in stats.missed:
        print("  missed:", name)
    for name in stats.flagged:
        print("  flagged:", name)


if __name__ == "__main__":
    main()
