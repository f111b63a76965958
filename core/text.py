"""Text helpers the crawler and the detector share."""

from __future__ import annotations

import re

from lxml import etree


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


_STRING_VALUE = etree.XPath("string()", smart_strings=False)


def element_text(el: etree._Element) -> str:
    """All the text inside `el`, script and style text too, as `"".join(el.itertext())` gives it:
    libxml2 gathers it in one call, where the iterator hands Python each piece (half the time on
    an anchor, less than half on a list row). The call lets go of the GIL: on the crawl process's
    reactor thread, where taking it back waits behind other threads, `itertext` stays
    (crawler.extract._folded)."""
    return _STRING_VALUE(el)
