"""Term matching for 错敏 words: one Aho–Corasick automaton, hits confirmed by jieba segmentation.

Speed: pyahocorasick looks up a node's children linearly, so with thousands of CJK terms the root
fans out to thousands of characters and throughput falls about tenfold. We therefore match over the
text's UTF-8 bytes, spelled as a latin-1 string (one character per byte): no node has more than 256
children, and because a UTF-8 lead byte never looks like a continuation byte a match can only start
and end on a character boundary. Encoding is a few C-speed passes (`_Folding`), and byte offsets
map back to character offsets by decoding, once, the bytes between one hit and the next.

Precision: a hit whose start or end falls strictly inside a jieba token that does not wholly contain
it straddles a word boundary (台独 in 平台/独立) and is dropped, unless its entry is `strict`. Only a
small window around each hit is segmented (`_token_spans`), and its tokens are cached. A phrase
of several words is the exception at its end: when its last word fuses with the next word into one
token (一带一路/战略 + 部署 → 战略部署) it still ends on a word boundary, because that token is two
words. Hits inside an allow match are dropped, and so are mentions (`_is_mention`): a quoted term
that names the wording rather than uses it, and a renamed body inside the 《title》 of a document
cited as it was issued.

What is matched comes from the language rules (detector/language/), composed in their order: each
adds terms to the one automaton, may veto hits of its own terms, and may find hits of its own around
its probes or in a pass of its own over the text. `name` entries are not matched themselves: they
seed rules such as nearmiss.py.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date
from itertools import accumulate
from typing import Any, Iterable, Iterator

import ahocorasick

from wordlists import Entry

from .language import RULES
from .language.base import Hit, Rule, tagged
from .language.segmenter import blocks, tokenizer, tokens

__all__ = ["Hit", "WordMatcher", "encode"]

_FULL_WIDTH = range(0xFF01, 0xFF5F)  # full-width ASCII, ！ to ～
_CHUNK = 1 << 16  # haystack characters (bytes of UTF-8) fed to the automaton at a time
_WINDOW = 10  # characters segmented on either side of a hit
_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", '"': '"'}
_TITLE_REACH = 80  # characters searched either side of a hit for the 《》 of a cited title
# Words around a quoted error term that show the text discusses the wording: 所谓“海峡中线”,
# 不得使用“台湾总统”, 将“中华人名共和国”更正为…, “北朝鲜”的提法.
_CUES_BEFORE = ("所谓", "不得", "不能", "不宜", "不再", "不要", "不用", "不使用", "不称", "禁用", "慎用",
                "误写", "错写", "误作", "误为")
_CUES_AFTER = ("应为", "改为", "更正", "更改为", "的说法", "的提法", "的表述", "的称谓", "的称呼", "一词",
               "字样")
_CUE_REACH = 6  # characters searched for a cue before the opening or after the closing quote


def _fold(code: int) -> int:
    """Case-fold ASCII and map full-width ASCII to half-width, so Ａｂｃ matches abc."""
    if 0xFF01 <= code <= 0xFF5E:
        code -= 0xFEE0
    if 0x41 <= code <= 0x5A:
        code += 0x20
    return code


_FOLD = {c: _fold(c) for c in (*range(0x41, 0x5B), *_FULL_WIDTH)}


def encode(term: str) -> str:
    """A term as the automaton holds it: folded, then its UTF-8 bytes, one latin-1 character each."""
    return term.translate(_FOLD).encode("utf-8", "surrogatepass").decode("latin-1")


def _common_first(term: str) -> list[int]:
    """Sort key that adds terms of common characters first (by jieba's count of the character as a
    word): pyahocorasick keeps a node's children in the order they were added and scans them
    linearly, so the bytes of common characters are then found after few comparisons."""
    counts = tokenizer().FREQ
    return [-counts.get(c, 0) for c in term]


class _Folding:
    """Folds a whole text to the automaton's bytes in a few C-speed passes instead of a lookup per
    character. Only a full-width form whose half-width form occurs in some key can change a match, so
    only those are mapped: the punctuation among them by one `str.replace` each (，（： are in almost
    every Chinese sentence), the letters and digits, rare in text, by one search for all of them and a
    full fold only when it finds one. ASCII case is folded on the bytes."""

    def __init__(self, terms: Iterable[str]) -> None:
        alphabet = set("".join(terms))  # of the folded terms
        wide = [chr(c) for c in _FULL_WIDTH if chr(_fold(c)) in alphabet]
        self._replace = [(w, chr(_fold(ord(w)))) for w in wide if not w.isalnum()]
        self._rare = _any_of([w for w in wide if w.isalnum()])

    def __call__(self, text: str) -> bytes:
        for wide, narrow in self._replace:
            text = text.replace(wide, narrow)
        data = text.encode("utf-8", "surrogatepass")
        if self._rare is not None and self._rare.search(data):
            data = text.translate(_FOLD).encode("utf-8", "surrogatepass")
        return data.lower()  # bytes.lower() folds ASCII letters only, as _fold does


def _any_of(chars: list[str]) -> re.Pattern[bytes] | None:
    """A pattern for any of the full-width `chars` in UTF-8, as one byte class per two-byte prefix
    (EF BC, EF BD): the regex engine scans a class far faster than an alternation of literals."""
    tails: dict[bytes, list[int]] = {}
    for char in chars:
        code = char.encode("utf-8")
        tails.setdefault(code[:2], []).append(code[2])
    classes = [re.escape(head) + b"[" + b"".join(b"\\x%02x" % t for t in sorted(ts)) + b"]"
               for head, ts in tails.items()]
    return re.compile(b"|".join(classes)) if classes else None


def _scan(automaton: ahocorasick.Automaton, haystack: str, chunk: int = _CHUNK) -> Iterator[tuple[int, Any]]:
    """The automaton's matches in `haystack` as (index of the last character, value), fed a chunk at
    a time: pyahocorasick copies its input to four bytes a symbol before scanning, and a small copy
    stays in the CPU cache. The search keeps its state from chunk to chunk, so a match across a
    chunk boundary is found, and indexes count from the start of the whole haystack."""
    found = automaton.iter("")
    for start in range(0, len(haystack), chunk):
        found.set(haystack[start:start + chunk])
        yield from found


class _CharOffsets:
    """Character offsets of byte offsets into UTF-8 `data`, asked in increasing order: each stretch
    of bytes is decoded once, so a scan's hits cost one pass over the text in all."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._byte = self._char = 0

    def __call__(self, byte: int) -> int:
        if byte != self._byte:
            self._char += len(self._data[self._byte:byte].decode("utf-8", "surrogatepass"))
            self._byte = byte
        return self._char


class WordMatcher:
    """Finds confirmed hits of the language rules (`rules`, by default every rule of RULES, in order)
    built from the word-list entries, in a text. Build once per process, reuse."""

    def __init__(self, entries: Iterable[Entry], rules: Iterable[type[Rule]] = RULES) -> None:
        lexicon = tuple(entries)
        self._rules = {rule.name: rule for rule in (cls(lexicon) for cls in rules)}
        self._scanning = [rule for rule in self._rules.values() if type(rule).scan is not Rule.scan]
        by_term: dict[str, list[Entry]] = {}  # by folded term
        for rule in self._rules.values():
            for entry in tagged(rule.entries(), rule.name):
                by_term.setdefault(entry.term.translate(_FOLD), []).append(entry)
        self._automaton = ahocorasick.Automaton()
        for term in sorted(by_term, key=_common_first):
            group = by_term[term]
            allowing = any(e.category == "allow" for e in group)
            reported = tuple(e for e in group if e.category not in ("allow", "probe"))
            probes = tuple(e for e in group if e.category == "probe")
            self._automaton.add_word(encode(term), (len(term), allowing, reported, probes))
        self.size = len(by_term)
        if self.size:
            self._automaton.make_automaton()
        self._folding = _Folding(by_term)
        self._last_words: dict[str, str] = {}

    def find(self, text: str, published: date | None = None) -> list[Hit]:
        """Confirmed hits in order of appearance. `published` gates entries marked `after=`."""
        if not text or not (self.size or self._scanning):
            return []
        allowed: list[tuple[int, int]] = []
        candidates: list[Hit] = []
        found: list[Hit] = []  # by rules around their probes: judged by the rule, not by segmentation
        data = self._folding(text)
        offset = _CharOffsets(data)
        probed: list[tuple[int, int, tuple[Entry, ...]]] = []
        matches = _scan(self._automaton, data.decode("latin-1")) if self.size else ()
        for last, (length, allowing, group, probes) in matches:
            if probes:
                probed.append((last + 1, length, probes))  # judged after the scan, most in bytes alone
                if not group and not allowing:
                    continue
            end = offset(last + 1)
            if allowing:
                allowed.append((end - length, end))
            for entry in group:
                if entry.after is None or (published is not None and published > entry.after):
                    candidates.append(Hit(entry, end - length, end))
        for rule in self._scanning:
            found.extend(rule.scan(text, published))
        probe_offset = _CharOffsets(data)
        for byte_end, length, probes in probed:
            for entry in probes:
                rule = self._rules[entry.rule]
                if rule.screen(data, byte_end, entry.term):
                    end = probe_offset(byte_end)
                    found.extend(rule.expand(text, Hit(entry, end - length, end), published))
        covered = _Coverage(allowed)
        confirmed = [
            hit for hit in candidates
            if not covered(hit.start, hit.end)
            and not _is_mention(text, hit)
            and _ascii_bounded(text, hit.start, hit.end)
            and (hit.entry.strict or self._on_word_boundaries(text, hit))
            and self._rules[hit.entry.rule].confirm(text, hit)
        ]
        errors = [(h.start, h.end) for h in confirmed if h.entry.category == "error"]
        unique = {(hit.start, hit.end, hit.entry.rule): hit for hit in found}.values()  # one name, two anchors
        confirmed.extend(hit for hit in unique if not covered(hit.start, hit.end) and not _is_mention(text, hit)
                         and not any(s < hit.end and hit.start < e for s, e in errors))  # reported already
        return _outermost(sorted(confirmed, key=lambda h: (h.start, -h.end)))

    def _on_word_boundaries(self, text: str, hit: Hit) -> bool:
        left = max(0, hit.start - _WINDOW)
        window = text[left:min(len(text), hit.end + _WINDOW)]
        s, e = hit.start - left, hit.end - left
        for t_start, t_end in _token_spans(window, s, e):
            if t_start <= s and e <= t_end:
                return True
            if t_start < s < t_end:
                return False  # the hit cuts a word in two: 台独 in 平台/独立
            if t_start < e < t_end:
                return self._fused_last_word(hit.entry.term, window[t_start:e], window[e:t_end])
        return True

    def _fused_last_word(self, term: str, head: str, tail: str) -> bool:
        """Whether the token head+tail across the hit's end is the phrase's last word followed by
        another word (战略 + 部署), rather than a word the hit cuts (环境保护部 + 署, 被告 + 人)."""
        if term not in self._last_words:
            words = list(self._tokens(term))
            self._last_words[term] = words[-1] if len(words) > 1 and len(words[-1]) > 1 else ""
        last = self._last_words[term]
        return (bool(last) and head.lower() == last.lower()
                and len(tail) > 1 and bool(tokenizer().FREQ.get(tail)))

    def prepare(self) -> WordMatcher:
        """Load jieba's dictionary now rather than at the first hit."""
        tokenizer()
        return self

    @staticmethod
    def _tokens(text: str) -> Iterator[str]:
        return tokenizer().cut(text, HMM=False)


def _token_spans(window: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Spans of jieba's tokens of `window`, in order, save those that lie wholly before `start` or
    from `end` on: they cannot decide a boundary. jieba splits a text into blocks (runs of Han
    characters, letters and digits, and what lies between) and segments each block on its own, so
    only the blocks that overlap the hit are segmented: about half the window's work."""
    pos = 0
    for block in blocks(window):
        block_end = pos + len(block)
        if pos < end and start < block_end:
            for token in tokens(block):
                yield pos, pos + len(token)
                pos += len(token)
        pos = block_end



class _Coverage:
    """Whether a span lies inside one of many spans, in O(log n) rather than pairwise."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans.sort()
        self._starts = [a for a, _ in spans]
        self._reach = list(accumulate((b for _, b in spans), max))  # furthest end among spans so far

    def __call__(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, start)
        return i > 0 and self._reach[i - 1] >= end


def _is_mention(text: str, hit: Hit) -> bool:
    """A hit that names the wording rather than uses it (wordlists/README.md, rule 4 of matching)."""
    entry = hit.entry
    if entry.after is not None and _inside_title(text, hit.start, hit.end):
        return True  # 《农业部关于…的通知》 cites a document under the name it was issued with
    if not _quoted(text, hit.start, hit.end):
        return False
    if entry.category == "sensitive" or f"“{entry.term}”" in entry.suggestion:
        return True  # 反对“台独”; an error whose correct form is the quoted one: 所谓“海峡中线”
    before = text[max(0, hit.start - 1 - _CUE_REACH):hit.start - 1]
    after = text[hit.end + 1:hit.end + 1 + _CUE_REACH]
    return any(cue in before for cue in _CUES_BEFORE) or any(after.startswith(cue) for cue in _CUES_AFTER)


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether the hit fills a pair of quotation marks exactly: “台独”."""
    return 0 < start and end < len(text) and _QUOTES.get(text[start - 1]) == text[end]


def _inside_title(text: str, start: int, end: int) -> bool:
    opening = text.rfind("《", max(0, start - _TITLE_REACH), start)
    if opening < 0 or "》" in text[opening:start]:
        return False
    closing = text.find("》", end, end + _TITLE_REACH)
    return closing >= 0 and "《" not in text[end:closing]


def _ascii_bounded(text: str, start: int, end: int) -> bool:
    """An ASCII term must not run on into letters or digits: BBIN is not inside BBINGO."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return not ((text[start].isascii() and before.isascii() and before.isalnum())
                or (text[end - 1].isascii() and after.isascii() and after.isalnum()))


def _outermost(hits: list[Hit]) -> list[Hit]:
    """Drop a hit lying inside another hit of the same category, or of an error where this one is
    only suspected: 重庆时时彩计划 is one finding. Of two rules' hits on one span the first is kept."""
    kept: list[Hit] = []
    for hit in hits:
        if not any(_covers(k, hit) and ((k.start, k.end) != (hit.start, hit.end) or k.entry.rule != hit.entry.rule)
                   for k in kept):
            kept.append(hit)
    return kept


def _covers(outer: Hit, inner: Hit) -> bool:
    same = outer.entry.category == inner.entry.category or (outer.entry.category, inner.entry.category) == (
        "error", "suspect")
    return same and outer.start <= inner.start and inner.end <= outer.end
