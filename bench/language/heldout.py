"""The held-out error set: real published errors the word lists were not written from.

Each row of heldout-tuning.tsv / heldout-test.tsv is
`erroneous text<TAB>corrected text<TAB>class<TAB>date<TAB>source URL`, `#` lines are comments.
The set is split once by `half_of` (sha1 of the erroneous text: even → tuning, odd → test) and rows
never move: mechanisms are tuned on the tuning half, recall is reported on the test half only.

`python -m bench.language.heldout add RAW.tsv` appends new gathered rows (same five columns) to the
half the rule names, dropping malformed rows, rows already in the set, and rows whose error the
shipped lists or the word-list cases already hold (the lists were written from those: they would
measure memory, not generalization). `python -m bench.language.heldout prune` drops from both halves
the rows whose error a list taken in since holds, for the same reason.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import re
import sys
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).parent
HALVES = {"tuning": HERE / "heldout-tuning.tsv", "test": HERE / "heldout-test.tsv"}
CLASSES = ("two_char", "shape_alike", "fixed_name", "leader_name", "formulation", "geography",
           "renamed_organ", "banned_word", "common_miswriting", "other")
ROOT = HERE.parent.parent
WORD_CASES = ROOT / "tests" / "detector" / "cases" / "word_errors.toml"
_DATE = re.compile(r"\d{4}(-\d{2}-\d{2})?")


class RowError(ValueError):
    """A malformed row; the message names the file and line."""


@dataclass(frozen=True)
class Row:
    erroneous: str
    corrected: str
    cls: str
    published: str  # YYYY or YYYY-MM-DD, as the source dates the text
    url: str

    @property
    def page_date(self) -> date:
        """The date the text is judged at: a bare year counts as its last day (the text was on the
        page by then), so a rule dated within that year applies."""
        if len(self.published) == 4:
            return date(int(self.published), 12, 31)
        return date.fromisoformat(self.published)

    @property
    def span(self) -> tuple[int, int]:
        """The erroneous part of `erroneous`, as character offsets: every stretch the corrected text
        changes, from the first to the last. A pure deletion (齐齐哈市 for 齐齐哈尔市) spans the
        characters on either side of the gap."""
        ops = [op for op in difflib.SequenceMatcher(None, self.erroneous, self.corrected, autojunk=False)
               .get_opcodes() if op[0] != "equal"]
        start, end = ops[0][1], ops[-1][2]
        if start == end:
            start, end = max(0, start - 1), min(len(self.erroneous), end + 1)
        return start, end

    def line(self) -> str:
        return "\t".join((self.erroneous, self.corrected, self.cls, self.published, self.url))


def half_of(erroneous: str) -> str:
    """The half a row belongs to, forever: the parity of the sha1 of its erroneous text."""
    return "tuning" if hashlib.sha1(erroneous.encode("utf-8")).digest()[-1] % 2 == 0 else "test"


def parse_row(line: str, where: str) -> Row:
    cols = line.split("\t")
    if len(cols) != 5:
        raise RowError(f"{where}: expected 5 tab-separated columns, got {len(cols)}")
    erroneous, corrected, cls, published, url = (c.strip() for c in cols)
    if not erroneous or not corrected:
        raise RowError(f"{where}: empty erroneous or corrected text")
    if erroneous == corrected:
        raise RowError(f"{where}: corrected text equals the erroneous text")
    if cls not in CLASSES:
        raise RowError(f"{where}: unknown class {cls!r}")
    if not _DATE.fullmatch(published):
        raise RowError(f"{where}: date must be YYYY or YYYY-MM-DD, got {published!r}")
    if len(published) > 4:
        try:
            date.fromisoformat(published)
        except ValueError:
            raise RowError(f"{where}: no such date {published!r}") from None
    if not url.startswith(("http://", "https://")):
        raise RowError(f"{where}: source must be an http(s) URL, got {url!r}")
    return Row(erroneous, corrected, cls, published, url)


def read(path: Path) -> list[Row]:
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            rows.append(parse_row(line, f"{path.name}:{lineno}"))
    return rows


def load(half: str) -> list[Row]:
    return read(HALVES[half])


def known_errors() -> list[str]:
    """Error forms the project already holds: the terms of the shipped `error` and `sensitive` lists
    and the expected terms of the word-list cases."""
    sys.path.insert(0, str(ROOT))
    import wordlists

    terms = [e.term for e in wordlists.load() if e.category in ("error", "sensitive")]
    with open(WORD_CASES, "rb") as f:
        for case in tomllib.load(f)["case"]:
            terms += [expect.partition(":")[2] for expect in case["expect"]]
    return sorted(set(terms))


def already_known(row: Row, known: list[str]) -> str:
    """A known error form that occurs in the row's erroneous text over its erroneous span, or ''."""
    start, end = row.span
    for term in known:
        at = row.erroneous.find(term)
        while at >= 0:
            if at < end and start < at + len(term):
                return term
            at = row.erroneous.find(term, at + 1)
    return ""


def add(raw: Path) -> None:
    existing = {row.erroneous for half in HALVES for row in load(half)}
    known = known_errors()
    added = {half: 0 for half in HALVES}
    dropped: dict[str, list[str]] = {"malformed": [], "duplicate": [], "known": []}
    for lineno, line in enumerate(raw.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            row = parse_row(line, f"{raw.name}:{lineno}")
        except RowError as exc:
            dropped["malformed"].append(str(exc))
            continue
        if row.erroneous in existing:
            dropped["duplicate"].append(row.erroneous)
            continue
        term = already_known(row, known)
        if term:
            dropped["known"].append(f"{row.erroneous} ({term})")
            continue
        half = half_of(row.erroneous)
        with open(HALVES[half], "a", encoding="utf-8") as f:
            f.write(row.line() + "\n")
        existing.add(row.erroneous)
        added[half] += 1
    for reason, items in dropped.items():
        print(f"dropped {len(items)} {reason}: {'; '.join(items)}")
    print(f"added {added['tuning']} to tuning, {added['test']} to test")


def prune() -> None:
    """Drop from both halves the rows whose error the shipped lists or the word-list cases now hold:
    taken into the lists (from a source of their own, as a list is taken whole), such a row measures
    memory from then on, as one `add` would drop."""
    known = known_errors()
    for half, path in HALVES.items():
        kept, dropped = [], []
        for line in path.read_text(encoding="utf-8").splitlines():
            row = None if not line.strip() or line.startswith("#") else parse_row(line, path.name)
            term = already_known(row, known) if row else ""
            if row and term:
                dropped.append(f"{row.erroneous} ({term})")
            else:
                kept.append(line)
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
        print(f"{half}: dropped {len(dropped)}: {'; '.join(dropped)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.language.heldout", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("add", help="append gathered rows to their halves").add_argument("raw", type=Path)
    sub.add_parser("prune", help="drop the rows whose error the shipped lists now hold")
    args = parser.parse_args(argv)
    if args.command == "add":
        add(args.raw)
    else:
        prune()


if __name__ == "__main__":
    main()
