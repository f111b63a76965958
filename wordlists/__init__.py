"""The shipped word lists and the loader that reads them together with the user's own lists.

Format (see README.md here): `term<TAB>category<TAB>suggestion[<TAB>options]`, `#` comments.
Reading files lives here, not in detector/, which does no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Iterable

CATEGORIES = ("sensitive", "error", "allow")
SEVERITIES = ("veto", "high", "medium", "low")


class WordListError(ValueError):
    """A malformed line in a word list; the message names the file and line."""


@dataclass(frozen=True)
class Entry:
    term: str
    category: str
    suggestion: str = ""
    strict: bool = False  # wrong wherever it appears: no segmentation confirmation
    after: date | None = None  # only wrong on pages published after this date
    topic: str = ""
    severity: str = ""
    source: str = ""  # the list it came from, for reports


def shipped_lists() -> list[Path]:
    """The lists bundled with govwatch, in a stable order."""
    folder = resources.files(__name__)
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".tsv"))


def load(extra: Iterable[str | Path] = ()) -> list[Entry]:
    """Every entry of the shipped lists followed by the user's `extra` lists."""
    entries: list[Entry] = []
    for path in [*shipped_lists(), *map(Path, extra)]:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise WordListError(f"无法读取词库 {path}：{getattr(exc, 'strerror', None) or exc}") from None
        entries.extend(parse(text, source=str(path)))
    return entries


def parse(text: str, source: str = "<string>") -> list[Entry]:
    entries = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            entries.append(_parse_line(line, Path(source).name))
        except WordListError as exc:
            raise WordListError(f"{source}:{lineno}: {exc}") from None
    return entries


def _parse_line(line: str, source: str) -> Entry:
    cols = line.split("\t")
    if len(cols) < 2 or not cols[0].strip():
        raise WordListError("expected term<TAB>category<TAB>suggestion[<TAB>options]")
    term, category = cols[0].strip(), cols[1].strip()
    if category not in CATEGORIES:
        raise WordListError(f"unknown category {category!r} (expected one of {', '.join(CATEGORIES)})")
    suggestion = cols[2].strip() if len(cols) > 2 else ""
    options: dict[str, str] = {}
    for opt in (cols[3].split(",") if len(cols) > 3 else []):
        if opt.strip():
            key, _, value = opt.strip().partition("=")
            options[key.strip()] = value.strip()
    unknown = set(options) - {"strict", "after", "topic", "severity"}
    if unknown:
        raise WordListError(f"unknown option {sorted(unknown)[0]!r}")
    if options.get("severity", "") not in ("", *SEVERITIES):
        raise WordListError(f"unknown severity {options['severity']!r}")
    try:
        after = date.fromisoformat(options["after"]) if options.get("after") else None
    except ValueError:
        raise WordListError(f"after= needs a YYYY-MM-DD date, got {options['after']!r}") from None
    return Entry(term, category, suggestion, "strict" in options, after,
                 options.get("topic", ""), options.get("severity", ""), source)
