"""Text helpers the crawler and the detector share."""

from __future__ import annotations

import re


class CharMap:
    """A one-to-one character mapping (offsets stay valid), applied where those characters occur:
    str.translate looks every character of a page up, and few need it."""

    def __init__(self, source: str, target: str) -> None:
        assert len(source) == len(target)
        self._map = dict(zip(source, target))
        self._chars = re.compile("[" + re.escape(source) + "]")

    def __call__(self, text: str) -> str:
        return self._chars.sub(self._replace, text)

    def _replace(self, match: re.Match[str]) -> str:
        return self._map[match.group()]
