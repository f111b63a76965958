"""Which suspects of the suspecting rules correct official writing holds: wordlists/language/attested.tsv.

A suspect of `statistical` (城市 → 城施) is a string one sound- or shape-alike from a common word that
jieba's dictionary lacks; one of `homophone` (报装材料 → 包装材料) a stretch that sounds like a word it
is not. Many such strings are real words of official writing jieba never counted (限行, 视情, 报装,
主辅食品) or real sequences the segmenter cuts as a slip would be (暂不付表决). Those would be suspected
on every page holding them. This tool runs both rules, with nothing left out, over correct official
prose (laws and regulations of LawRefBook/Laws, the work reports 1954–1997 of chengjun/mybook), leaving
out every document of the precision corpus (prose-manifest.toml) so that its figures stay a measure,
and lists each string they report there `ATTESTED` times or more. The rules then leave those out.

    .venv/bin/python -m bench.language.attested   # needs both mirrors (bench/language/prose.py)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

import wordlists
from wordlists import Entry
from detector.language.homophone import HomophoneRule
from detector.language.statistical import StatisticalRule, candidates
from detector.words import WordMatcher

from . import prose

# Reported this many times in correct writing: a real word or sequence, not a slip. A homophone
# reported once there is as often a slip in the law itself (北洋军伐, 聚碳酸脂) as a real term.
ATTESTED = {StatisticalRule.name: 1, HomophoneRule.name: 2}
TARGET = Path(__file__).parents[2] / "wordlists" / "language" / "attested.tsv"
EARLIEST_REPORTS = 1954
LAW_FOLDERS = prose.LAW_FOLDERS + ("司法解释/", "刑法/", "民法典/", "诉讼与非诉讼程序法/")


class _EveryCandidate(StatisticalRule):
    """The rule as it would be with nothing left out."""

    def entries(self) -> Iterable[Entry]:
        return candidates(self.lexicon)


class _EveryHomophone(HomophoneRule):
    """The rule as it would be with nothing left out."""

    def __init__(self, lexicon: tuple[Entry, ...]) -> None:
        super().__init__(lexicon)
        self._attested = frozenset()


def texts() -> Iterator[tuple[str, str]]:
    """(repository@commit, text) of every correct document used, none of the precision corpus; each
    text extracted as the precision corpus's are (`prose.extract`)."""
    left_out = {(d.repo, d.path, d.part) for d in prose.load_manifest()}
    repo, path = prose.REPORTS
    commit = prose.git(repo, "rev-parse", "HEAD").decode().strip()
    raw = prose.git(repo, "show", f"{commit}:{path}")
    for year in sorted({line.partition("\t")[0] for line in raw.decode("utf-8").splitlines()}):
        if year.isdigit() and (repo, path, year) not in left_out:
            yield f"{repo}@{commit[:10]}", prose.extract(_document(repo, commit, path, year), raw)
    for law in laws():
        yield law.source, law.text


@dataclass(frozen=True)
class Law:
    source: str  # repository@commit
    path: str
    published: date | None  # as the file name dates it (…(2019-07-26).md); None when it does not
    text: str


def laws() -> Iterator[Law]:
    """The laws and regulations of LawRefBook/Laws under `LAW_FOLDERS`, none of the precision corpus."""
    left_out = {(d.repo, d.path, d.part) for d in prose.load_manifest()}
    commit = prose.git(prose.LAWS, "rev-parse", "HEAD").decode().strip()
    names = prose.git(prose.LAWS, "-c", "core.quotepath=off", "ls-tree", "-r", "--name-only", commit).decode()
    for name in names.splitlines():
        if name.endswith(".md") and name.startswith(LAW_FOLDERS) and (prose.LAWS, name, "") not in left_out:
            raw = prose.git(prose.LAWS, "show", f"{commit}:{name}")
            dated = prose.DATED.search(name)
            yield Law(f"{prose.LAWS}@{commit[:10]}", name, date.fromisoformat(dated[1]) if dated else None,
                      prose.extract(_document(prose.LAWS, commit, name), raw))


def _document(repo: str, commit: str, path: str, part: str = "") -> prose.Document:
    """A document to extract (its date and size are not read here)."""
    return prose.Document(repo, commit, path, date.min, "", 0, part)


def count() -> tuple[Counter[tuple[str, str]], int, list[str]]:
    """How often each rule reports each string, the characters read, the sources."""
    matcher = WordMatcher(wordlists.load(), rules=[_EveryCandidate, _EveryHomophone]).prepare()
    seen: Counter[tuple[str, str]] = Counter()
    chars = 0
    sources = set()
    for source, text in texts():
        chars += len(text)
        sources.add(source)
        seen.update((hit.entry.rule, hit.entry.term) for hit in matcher.find(text))
    return seen, chars, sorted(sources)


def main() -> None:
    seen, chars, sources = count()
    kept = sorted((term, n) for (rule, term), n in seen.items() if n >= ATTESTED[rule])
    header = [
        "# Suspects of the `statistical` and `homophone` rules that correct official writing holds: left out of them.",
        "# Each string was reported by `statistical` at least "
        f"{ATTESTED[StatisticalRule.name]} time(s), or by `homophone` at least {ATTESTED[HomophoneRule.name]}, "
        f"in {chars / 1e6:.1f} million characters of",
        "# laws, regulations and judicial interpretations (LawRefBook/Laws) and the State Council's work reports",
        f"# {EARLIEST_REPORTS}–1997 (chengjun/mybook), the precision corpus's documents left out. Official documents of",
        "# state organs: outside copyright (PRC Copyright Law, art. 5). Generated by",
        f"# `python -m bench.language.attested` on {date.today()} from {', '.join(sources)}.",
        "# Columns: string<TAB>times reported there.",
    ]
    TARGET.write_text("\n".join(header + [f"{t}\t{n}" for t, n in kept]) + "\n", encoding="utf-8")
    print(f"{len(kept)} of {len(seen)} reported strings attested ({chars:,} characters) → {TARGET}")


if __name__ == "__main__":
    main()
