"""Messages of consultation columns (留言, 信箱, 咨询, 投诉, 建议, 找错): when each was asked, whether and
when it was answered, as real sites render them.

Three shapes: a table with a header row (标题 | 留言时间 | 状态 | 回复时间), list blocks that label each
field (<li>… 来信时间：2026-09-28 状态：已办结 …</li>), and a letter's own page with the same labels
around the question and the reply block (回复部门, 答复单位, 回复内容 …). The detector judges them
(`unanswered_message`, `late_reply`); nothing here decides what is late.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Iterator

from lxml import etree

from core.model import Letter
from core.urls import absolute_url
from crawler.dates import find_dates

_ASKED = r"(?:留言|来信|提问|咨询|写信|投诉|提交|求助|反映)(?:时间|日期)"
_REPLIED = r"(?:回复|答复|办结|反馈|处理|回信)(?:时间|日期)"
_STATUS = r"(?:办理|回复|处理|答复|信件)?状态"
_REPLY_BODY = r"(?:回复|答复|办理)(?:内容|意见|结果)"
_TITLE = r"(?:信件|留言|来信|咨询|投诉)?(?:标题|主题)"
ASKED_LABEL = re.compile(_ASKED)  # a page without one shows no message
_LABEL = re.compile(rf"({_ASKED}|{_REPLIED}|{_STATUS}|{_REPLY_BODY}|{_TITLE})\s*[:：]\s*")
_HEADER = {"asked": re.compile(_ASKED), "replied": re.compile(_REPLIED), "status": re.compile(_STATUS),
           "title": re.compile(rf"{_TITLE}|^事项$|^内容$|^名称$")}
# A final answer: replied, closed, or refused with a reason (不予受理, 重复来信 are answers too).
_ANSWERED = re.compile(r"已(?:回复|答复|办结|处理|反馈|解决|公开)|^办结|^完成|不予受理|重复(?:来信|留言|信件)|不属于受理范围")
_OPEN = re.compile(r"未(?:回复|答复|办结|处理)|待(?:回复|答复|处理|办理)|办理中|处理中|转办|受理中|^已受理$|已转")
MAX_LETTERS = 200  # messages read from one page at most
MAX_BLOCK_DEPTH = 12  # levels a message's block may sit above its 留言时间 label


@dataclass
class _Fields:
    """What a message shows of itself, before its status is read."""

    asked: date | None
    replied: date | None = None
    status: str = ""
    body: str = ""  # the reply's text (回复内容 …)
    title: str = ""

    @property
    def complete(self) -> bool:
        """An asked date and something about its answer: a message, not a page that mentions 留言时间."""
        return self.asked is not None and bool(self.status or self.replied or self.body)

    def letter(self, title: str, url: str) -> Letter:
        """The message, titled `title` (its link or heading) or else by its own 标题 field."""
        status = self.status.split(" ")[0]
        answered = bool(_ANSWERED.search(status)) or (
            not _OPEN.search(status) and (self.replied is not None or len(self.body) >= 4))
        return Letter(" ".join((title or self.title).split()), url, self.asked,
                      self.replied if answered else None, status, answered)


def letters_of(root: etree._Element, url: str, title: str, today: date) -> list[Letter]:
    """The messages a page shows: the rows of a letter table, labelled list blocks, or the page's own."""
    letters = _table_letters(root, url, today) or _block_letters(root, url, today)
    if letters:
        return letters[:MAX_LETTERS]
    body = root.find("body")
    own = _labelled(_text(body if body is not None else root), today)
    return [own.letter(title, url)] if own is not None and own.complete else []


def _ancestors(el: etree._Element | None) -> Iterator[etree._Element]:
    """`el` and the elements above it, up to MAX_BLOCK_DEPTH of them, below <body>."""
    for _ in range(MAX_BLOCK_DEPTH):  # hostile nesting must not cost a walk to the root per label
        if el is None or el.tag == "body":
            return
        yield el
        el = el.getparent()


def _text(el: etree._Element) -> str:
    """The element's text without scripts and styles, whitespace folded."""
    return " ".join(" ".join(el.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")).split())


_KEYS = (("asked", _ASKED), ("replied", _REPLIED), ("body", _REPLY_BODY), ("status", _STATUS), ("title", _TITLE))


def _labelled(text: str, today: date) -> _Fields | None:
    """The labelled fields of a message's text (each runs to the next label); None without a 留言时间."""
    fields: dict[str, str] = {}
    matches = list(_LABEL.finditer(text))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        key = next(key for key, pattern in _KEYS if re.fullmatch(pattern, match[1]))
        fields.setdefault(key, text[match.end():end].strip())
    if "asked" not in fields:
        return None
    asked, replied = (find_dates(fields.get(key, "")[:40], today) for key in ("asked", "replied"))
    return _Fields(asked[0] if asked else None, replied[0] if replied else None, fields.get("status", "")[:20],
                   fields.get("body", ""), fields.get("title", "")[:200])


def _table_letters(root: etree._Element, url: str, today: date) -> list[Letter]:
    """Rows of the first table whose header row names an asked-date column and a status or reply column."""
    for table in root.iter("table"):
        rows = [row for row in table.iter("tr") if next(row.iterancestors("table"), None) is table]
        columns: dict[str, int] = {}
        letters: list[Letter] = []
        for row in rows:
            cells = [" ".join("".join(cell.itertext()).split()) for cell in row if cell.tag in ("td", "th")]
            if not columns:
                columns = _header(cells)
                continue
            letter = _row_letter(row, cells, columns, url, today)
            if letter is not None:
                letters.append(letter)
        if letters:
            return letters
    return []


def _header(cells: list[str]) -> dict[str, int]:
    """Column positions by role when `cells` is a letter table's header row, else {}."""
    found = {key: next((n for n, cell in enumerate(cells) if len(cell) <= 8 and pattern.search(cell)), -1)
             for key, pattern in _HEADER.items()}
    if found["asked"] < 0 or (found["status"] < 0 and found["replied"] < 0):
        return {}
    return {key: n for key, n in found.items() if n >= 0}


def _row_letter(row: etree._Element, cells: list[str], columns: dict[str, int], url: str,
                today: date) -> Letter | None:
    def cell(key: str) -> str:
        return cells[columns[key]] if key in columns and columns[key] < len(cells) else ""

    asked = find_dates(cell("asked"), today)
    if not asked:
        return None
    replied = find_dates(cell("replied"), today)
    anchor = next((a for a in row.iter("a") if a.get("href")), None)
    target = absolute_url(anchor.get("href"), url) if anchor is not None else None
    title = (anchor.get("title") or "".join(anchor.itertext())) if anchor is not None else cell("title")
    return _Fields(asked[0], replied[0] if replied else None, cell("status"), title=cell("title")).letter(title, target or url)


def _block_letters(root: etree._Element, url: str, today: date) -> list[Letter]:
    """List blocks each labelling its own 留言时间: from each label up to the outermost element that holds
    no other one. One such block is the page's own message, not a list."""
    labels = root.xpath(f"//body//text()[re:test(., '{_ASKED}\\s*[:：]')]",
                        namespaces={"re": "http://exslt.org/regular-expressions"})
    # Labels under each element, counted once per label and ancestor level: linear in the labels.
    chains = [list(_ancestors(node.getparent())) for node in labels]
    held: Counter[etree._Element] = Counter(el for chain in chains for el in chain)
    blocks: dict[etree._Element, None] = {}
    for chain in chains:
        alone = [el for el in chain if held[el] == 1]
        if alone:
            blocks.setdefault(alone[-1], None)
        if len(blocks) >= MAX_LETTERS:
            break
    letters = []
    for el in blocks:
        fields = _labelled(_text(el), today)
        if fields is None or not fields.complete:
            continue
        anchor = next((a for a in el.iter("a") if a.get("href") and "".join(a.itertext()).strip()), None)
        target = absolute_url(anchor.get("href"), url) if anchor is not None else None
        title = (anchor.get("title") or "".join(anchor.itertext())) if anchor is not None else ""
        letters.append(fields.letter(title, target or url))
    return letters if len(letters) > 1 else []
