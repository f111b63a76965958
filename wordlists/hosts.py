"""Host allow-lists: hosts whose hidden links are not 暗链 unless their words or address are spam.

The shipped list (`hidden_link_allow.txt`: government sites, central media, CMS vendors, share
services, statistics counters) plus a deployment's own (`detector.hidden_link_allow`), as host
suffixes: an entry covers that host and every host under it.
"""

from __future__ import annotations

from importlib import resources
from typing import Iterable
from urllib.parse import urlsplit

from core.urls import ascii_host


def host_suffix(entry: str) -> str:
    """An entry as a host suffix: `*.x.cn`, `.x.cn` and `https://x.cn/` all mean x.cn; comments dropped."""
    entry = entry.split("#", 1)[0].strip()
    if "/" in entry:
        entry = urlsplit(entry if "//" in entry else f"//{entry}").hostname or ""
    return ascii_host(entry.lstrip("*"))


def hidden_link_allow(extra: Iterable[str] = ()) -> frozenset[str]:
    """The shipped allow-list with `extra` entries (from the config) added."""
    shipped = resources.files(__name__.rpartition(".")[0]).joinpath("hidden_link_allow.txt").read_text("utf-8")
    return frozenset(h for h in map(host_suffix, [*shipped.splitlines(), *extra]) if h)
