"""The authoritative outlets a government site may repost from: who counts as a 合规转载来源.

The shipped list (`sources.txt`: central news units and sites, sector papers, provincial Party
papers and their sites, local broadcasters and 融媒体中心, after the national 互联网新闻信息稿源单位
名单) plus a deployment's own (`detector.authoritative_sources`). Read here because the detector
does no I/O; it gets the set through its context.
"""

from __future__ import annotations

from importlib import resources
from typing import Iterable


def source_name(entry: str) -> str:
    """An entry as matched: comments dropped, spaces trimmed, Latin letters folded (CCTV, cctv)."""
    return entry.split("#", 1)[0].strip().casefold()


def authoritative_sources(extra: Iterable[str] = ()) -> frozenset[str]:
    """The shipped allow-list with `extra` names (from the config) added."""
    shipped = resources.files(__name__.rpartition(".")[0]).joinpath("sources.txt").read_text("utf-8")
    return frozenset(n for n in map(source_name, [*shipped.splitlines(), *extra]) if n)
