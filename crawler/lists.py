"""Column lists and their other pages, read from HTML text without running any JavaScript.

Hanweb/大汉 pages ship their list as XML records inside a `<script type="text/xml">`; TRS pages
write their pager with `createPageHTML(...)`; other templates keep the page count in a script
variable, or the items in an HTML comment or a JSON array a script renders. None of it shows up
as ordinary links, so the crawler would miss every article and every page after the first
without this module.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from datetime import date
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Iterator
from urllib.parse import urldefrag, urljoin

import lxml.html
from lxml import etree
from lxml.etree import ParserError

from crawler.dates import find_dates, parse_date
from core.model import ListItem
from core.text import element_text
from core.urls import absolute_url

MAX_PAGES = 500

_RECORD = re.compile(
    r"<record\b[^>]*>\s*(?:<!\[CDATA\[(?P<cdata>.*?)\]\]>|(?P<escaped>.*?))\s*</record>",
    re.S | re.I,
)
_TOTAL = re.compile(r"<total(record|page)>\s*(\d+)\s*</total\1>", re.I)
# jpage's own configuration, where the datastore itself carries no total: jpage({ totalRecord: 120, … })
_JPAGE_TOTAL = re.compile(r"total([Rr]ecord|[Pp]age)\s*:\s*['\"]?(\d+)")  # a literal head: a fast search
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.S | re.I)
_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)

# TRS pager: createPageHTML(countPage, currentPage, "index", "html"), 0-based: index, index_1 … index_{N-1}.
# Its newer form names the element it writes into first and the record count last,
# createPageHTML('page_div', 5, 1, 'fg', 'shtml', 89), and is 1-based: fg, fg_2 … fg_5 (its script writes
# `_sPageName + "_" + k` for page k > 1 and `_sPageName + "_" + _nPageCount` for the last page).
_CREATE_PAGE = re.compile(
    r"""createPageHTML\(\s*(?P<target>['"][^'"]*['"]\s*,\s*)?"""  # the target element id: the 1-based form
    r"""(?P<count>\w+)\s*,\s*(?P<current>\w+)\s*,\s*['"](?P<name>[\w.-]+)['"]\s*,\s*['"](?P<ext>\w+)['"]"""
)
# Pager anchors are short; the bound keeps unclosed <a> tags from costing a rescan of the page each.
_ANCHOR = re.compile(r"<a\b([^>]*)>(.{0,300}?)</a\s*>", re.S | re.I)
_PAGER_WORDS = re.compile(r"下一页|下页|尾页|末页|最后一页")
# Paged file names: TRS index_N, list_N, default_N, node_{id}_N, Chengdu's column-index-N, and the
# index_{component}_N of component CMSs (丰城 n3/n13/index_958_N.html). Other name_N shapes are mostly
# document ids (t20200101_951033.html, a 下一页 to the next article) and must not be "expanded"; they
# are pages only as the list's own name numbered (fg.shtml → fg_2.shtml, news-list-x.html → news-list-x-2.html).
_PAGE_FILE = re.compile(r"/(?:(?:index|list|default|node_\d+|index_\d+)_|column-index-)(\d+)\.s?html?$", re.I)
_PAGE_PARAM = re.compile(r"[?&](?:page|pageno|pageindex|pagenum|currpage|curpage|cur_page|pn)=(\d+)", re.I)
# An href that can resolve to a numbered page: a digit of its own (every shape here numbers the file
# name or the query), or nothing but a query or blanks, which keep the path of the page it is on.
_MAY_NUMBER_PAGE = re.compile(r"\d|^\s*(?:\?|$)")
# A file name numbered with - or _ (page numbers stay below 10,000; document ids do not), and a list
# page's own name with or without its number.
_NUMBERED_NAME = re.compile(r"/([^/?#]+?)[-_](\d{1,4})\.s?html?$", re.I)
_OWN_NAME = re.compile(r"/([^/?#]+?)(?:[-_]\d{1,4})?\.s?html?$", re.I)

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_SCRIPT_SRC = re.compile(r"\bsrc\s*=", re.I)
# Script pagers: the page count and the current page as declared (`var totalPage = 12;`,
# `pageCount: 12`, `"page_count": "12"`); comparisons such as `pageCount == 1` do not match.
_PAGE_COUNT = re.compile(
    r"""(?<![\w$?&])['"]?(?:total_?pages?|total_?page_?(?:num|count)|page_?count|count_?page|page_?total)['"]?"""
    r"""\s*[:=]\s*['"]?(\d+)(?![\w.])""",
    re.I,
)
_CURRENT_PAGE = re.compile(
    r"""(?<![\w$?&])['"]?(?:curr?(?:ent)?_?page|page_?(?:index|no)|now_?page)['"]?"""
    r"""\s*[:=]\s*['"]?(\d+)(?![\w.])""",
    re.I,
)
# A string literal, a variable, and optionally another literal: '<a href="index_' + i + '.shtml">'.
_CONCAT = re.compile(
    r"""(?:'(?P<a1>[^'\n]*)'|"(?P<q1>[^"\n]*)")\s*\+\s*\(?\s*[A-Za-z_$][\w$]*\s*\)?"""
    r"""(?=(?:\s*\+\s*(?:'(?P<a2>[^'\n]*)'|"(?P<q2>[^"\n]*)"))?)"""  # looked at, not consumed
)
_URL_STOP = re.compile(r"""[\s"'<>()]""")


def datastore_records(html: str, base_url: str, *, today: date) -> list[ListItem]:
    """The items of every Hanweb `<datastore>` list on the page, in order.

    `today` resolves year-less dates.
    """
    items = []
    for match in _RECORD.finditer(html):
        fragment = match["cdata"] if match["cdata"] is not None else htmllib.unescape(match["escaped"])
        try:
            container = lxml.html.fragment_fromstring(fragment, create_parent="div")
        except (ParserError, ValueError):
            continue
        item = _item(container, base_url, today)
        if item is not None:
            items.append(item)
    return items


def datastore_total(html: str) -> tuple[int | None, int | None]:
    """(`<totalrecord>`, `<totalpage>`) of a Hanweb datastore or dataproxy reply, else the
    `totalRecord` and `totalPage` of the jpage call that renders it; None if absent."""
    found = {kind.lower(): int(value) for kind, value in _TOTAL.findall(html)}
    if "record" not in found:
        found = {kind.lower(): int(value) for kind, value in _JPAGE_TOTAL.findall(_inline_scripts(html))} | found
    return found.get("record"), found.get("page")


def datastore_records_total(html: str) -> int | None:
    """How many records the column holds, as the datastore or its jpage call says: the record count,
    else the page count times the records a page shows (`perPage`, 15 by default)."""
    records, pages = datastore_total(html)
    if records is None and pages is not None:
        records = pages * datastore_per_page(html)
    return records


def datastore_per_page(html: str) -> int:
    """The records a page of the column shows: jpage's `perPage` (or a proxy URL's `perpage`), else
    Hanweb's default of 15."""
    return int(m[1]) if (m := _PER_PAGE.search(html)) else 15


def datastore_nextgroup(html: str, base_url: str) -> str | None:
    """The dataproxy.jsp URL a Hanweb datastore names for its next records, if any."""
    match = _NEXTGROUP.search(html)
    href = match and _href(match[1])
    return absolute_url(href, base_url) if href else None


def names_data_proxy(html: str) -> bool:
    """Whether a Hanweb datastore names a data proxy: the only pages `datastore_proxy_urls` reads from."""
    return bool(_NEXTGROUP.search(html))


def _href(tag_source: str) -> str | None:
    """The unescaped href value in raw tag source (quoted either way or bare)."""
    match = _HREF.search(tag_source)
    return htmllib.unescape(next(g for g in match.groups() if g is not None)) if match else None


@dataclass(frozen=True)
class Pager:
    """What a list page's pager says: its family (how the pages are numbered), how many pages the
    column has, and which of them this page is (1: the first, the column's identity)."""

    family: str = ""
    pages: int = 0
    number: int = 1


_DATASTORE = re.compile(r"<datastore\b", re.I)
_PER_PAGE = re.compile(r"per[Pp]age\s*[=:]\s*['\"]?(\d+)")  # jpage's perPage, the proxy's perpage


def pager_of(html: str, url: str) -> Pager:
    """The pager of the list page at `url`, as its markup and scripts declare it (no page is fetched)."""
    url = urldefrag(url).url
    if _DATASTORE.search(html):
        records, pages = datastore_total(html)
        if pages is None and records is not None:
            pages = -(-records // max(datastore_per_page(html), 1))
        return Pager("datastore", pages or (1 if records is not None else 0))
    trs = _CREATE_PAGE.search(html)
    if trs and (count := _trs_count(html, trs["count"])):
        number = _page_number(url, urljoin(url, f"{trs['name']}_\x00.{trs['ext']}"))
        if trs["target"]:  # 1-based: name_k is page k, and the call states the current page
            current = int(trs["current"]) if trs["current"].isdigit() else 1
            return Pager("createPageHTML", count, number if number is not None else min(max(current, 1), count))
        current = _CURRENT_PAGE.search(_inline_scripts(html))
        return Pager("createPageHTML", count, number + 1 if number is not None else
                     (int(current[1]) + 1 if current and int(current[1]) < count else 1))
    scripts = _inline_scripts(html)
    count = _PAGE_COUNT.search(scripts)
    links = _pager_links(html, url)
    rendered = _anchor_numbers(links)
    template = _script_template(scripts, url) or next(iter(rendered), None)
    if count is not None and int(count[1]) >= 1 and template is not None:
        numbered = _page_number(url, template)
        current = _CURRENT_PAGE.search(scripts)
        number = 1 if numbered is None or _numbered_first_page(numbered, current and int(current[1]), template) \
            else numbered + (1 if re.search(r"/index_\x00\.", template) else 0)
        return Pager(_family(template), int(count[1]), number)
    said = {template for template, _, says_pager in links if says_pager}
    for template, numbers in rendered.items():
        if urljoin(template, ".") != urljoin(url, "."):
            continue
        if template not in said and not _fixed_span(template.replace("\x00", "2")):
            continue  # the list's own name numbered counts where a link says 下一页/尾页 (news-1234.html may be a document)
        numbered = _page_number(url, template)
        zero_based = bool(re.search(r"/index_\x00\.", template)) and min(numbers) == 1
        pages = max(numbers | {numbered or 0}) + (1 if zero_based else 0)
        number = 1 if numbered is None else numbered + (1 if zero_based else 0)
        return Pager(_family(template), pages, number)
    return Pager()


def _trs_count(html: str, count_arg: str) -> int:
    if not count_arg.isdigit():
        declared = re.search(rf"\b{re.escape(count_arg)}\s*=\s*(\d+)", html)
        if not declared:
            return 0
        count_arg = declared[1]
    return int(count_arg)


def _family(template: str) -> str:
    """A pager family's name from its URL shape: index_N, column-index-N, _N.html, ?page=N, pageNo= …"""
    param = _PAGE_PARAM.search(template.replace("\x00", "0"))
    if param:
        name = param[0][1:].split("=")[0]
        return "pageNo=" if name.lower() == "pageno" else f"?{name}=N"
    if "column-index-\x00" in template:
        return "column-index-N"
    if re.search(r"/index_\x00\.", template):
        return "index_N"
    return "-N.html" if "-\x00." in template else "_N.html"


def page_urls(html: str, url: str) -> list[str]:
    """Other pages of the list at `url`: the TRS createPageHTML set, else script-counted pages and
    pager-anchor ranges."""
    url = urldefrag(url).url
    pages = _trs_pages(html, url) or _script_pages(html, url) + _anchor_pages(html, url)
    return [page for page in dict.fromkeys(pages) if page != url and not _is_index_of(page, url)]


def _is_index_of(page: str, directory: str) -> bool:
    """True when `page` is the index file a directory URL such as /xxgk/tzgg/ serves."""
    if not directory.endswith("/"):
        return False
    return re.fullmatch(r"index\.s?html?", page.removeprefix(directory)) is not None


def _trs_pages(html: str, url: str) -> list[str]:
    match = _CREATE_PAGE.search(html)
    if not match:
        return []
    name, ext, first = match["name"], match["ext"], 2 if match["target"] else 1
    count = min(_trs_count(html, match["count"]), MAX_PAGES)
    if count < 1:
        return []
    numbered = urljoin(url, f"{name}_\x00.{ext}")  # resolved once: the number changes no part of the resolving
    return [urljoin(url, f"{name}.{ext}")] + [numbered.replace("\x00", str(i)) for i in range(first, first + count - 1)]


def _script_pages(html: str, url: str) -> list[str]:
    """The pages a script pager numbers: `var totalPage = 12` and a URL shape, on the list's first page.

    The shape is the one a script builds (`"index_" + i + ".shtml"`, `"?pageNo=" + n`), else the
    one of a rendered pager link in the page's own directory. Numbering conventions differ (TRS: index, index_1 …; others:
    index, index_2 …), so the first page must say where it stands: its current-page variable
    (0 or 1), else its lowest rendered page number (1 or 2) is the second page's number. Without
    that, only query pagers count, as 1-based (`?pageNo=1` is the first page): a file guessed
    one off would be a dead link. Inner pages add nothing their first page has not.
    """
    scripts = _inline_scripts(html)
    count = _PAGE_COUNT.search(scripts)
    if count is None or int(count[1]) < 2:
        return []
    rendered = _anchor_numbers(_pager_links(html, url))
    here = urljoin(url, ".")  # a rendered link elsewhere is another list's pager
    template = _script_template(scripts, url) or next((t for t in rendered if urljoin(t, ".") == here), None)
    if template is None:
        return []
    current = _CURRENT_PAGE.search(scripts)
    lowest = min(rendered.get(template, {0}))
    numbered = _page_number(url, template)
    if numbered is not None:  # the first page may itself be numbered (column-index-1.shtml, ?page=1)
        if not _numbered_first_page(numbered, current and int(current[1]), template):
            return []
        second = numbered + 1
    elif current is not None and int(current[1]) in (0, 1):
        second = int(current[1]) + 1
    elif lowest in (1, 2):
        second = lowest
    elif "?" in template:
        second = 2
    else:
        return []
    last = second + min(int(count[1]), MAX_PAGES) - 2
    return [template.replace("\x00", str(n)) for n in range(second, last + 1)]


def _numbered_first_page(number: int, current: int | None, template: str) -> bool:
    """Whether a page numbered `number` in `template`'s shape is its list's first page.

    Page 1 is the first page of a 1-based pager (column-index-1, ?page=1) when the script's current
    page agrees or says nothing; TRS's index_1 is the second page of a 0-based one, so a bare
    index_1 is never taken for a first page. Page 0 is first wherever it appears.
    """
    if number == 0:
        return current in (None, 0)
    if number != 1:
        return False
    if current is not None:
        return current == 1
    return not re.search(r"/index_\x00\.", template)


@lru_cache(maxsize=2)  # the page that `page_urls` and `pager_of` both read, in turn
def _inline_scripts(html: str) -> str:
    """The page's own script text; src= scripts are shared libraries, not this list's pager."""
    return "\n".join(body for attrs, body in _SCRIPT.findall(html) if not _SCRIPT_SRC.search(attrs))


def _script_template(scripts: str, url: str) -> str | None:
    """The first page-shaped URL a script concatenates around a variable, with \\x00 for the number."""
    for match in _CONCAT.finditer(scripts):
        before = _URL_STOP.split(match["q1"] if match["q1"] is not None else match["a1"])[-1]
        after = _URL_STOP.split(match["q2"] or match["a2"] or "")[0]
        template = urljoin(url, f"{before}\x00{after}")
        second = template.replace("\x00", "2")
        span = _fixed_span(second)
        if span and second[: span[0]] + "\x00" + second[span[1]:] == template:
            return template
    return None


def _fixed_span(target: str) -> tuple[int, int] | None:
    """Where the page number sits in a URL of a known paged shape (index_N, ?page=N …)."""
    shape = _PAGE_FILE.search(target, _last_slash(target)) or _PAGE_PARAM.search(target)
    return shape.span(1) if shape else None


def _page_span(target: str, list_url: str) -> tuple[int, int] | None:
    """Where the page number sits in `target` as a page of the list at `list_url`: a known paged shape,
    or the list's own file name numbered in its own directory (fg.shtml → fg_2.shtml)."""
    span = _fixed_span(target)
    if span:
        return span
    numbered = _NUMBERED_NAME.search(target, _last_slash(target))
    own = numbered and _OWN_NAME.search(list_url, _last_slash(list_url))
    if numbered and own and numbered[1] == own[1] and urljoin(target, ".") == urljoin(list_url, "."):
        return numbered.span(2)
    return None


def _last_slash(url: str) -> int:
    """Where a file-name pattern (/name_2.html: no / after its first character) can match at the
    earliest; searching from there spares re trying every earlier position."""
    return max(url.rfind("/"), 0)


def _page_number(url: str, template: str) -> int | None:
    """The page number `url` carries in the shape of `template`, or None when it has another shape."""
    span = _page_span(url, url)
    if span is None or url[: span[0]] + "\x00" + url[span[1]:] != template:
        return None
    return int(url[span[0] : span[1]])


@lru_cache(maxsize=2)  # resolving every anchor is most of a page's pager: once for `page_urls` and `pager_of`
def _pager_links(html: str, url: str) -> tuple[tuple[str, int, bool], ...]:
    """Each rendered link of a page shape: its template (\\x00 for the number), its number, and
    whether it says 下一页/尾页/末页 (in its text, title or an img alt)."""
    return tuple(_each_pager_link(html, url))


def _each_pager_link(html: str, url: str) -> Iterator[tuple[str, int, bool]]:
    for attrs, inner in _ANCHOR.findall(html):
        href = _href(attrs)
        if href and not _MAY_NUMBER_PAGE.search(href):
            continue  # no number of its own, and it keeps none of the page's: resolving it costs more than this
        target = href and absolute_url(href, url)
        span = target and _page_span(target, url)
        if span:
            template = target[: span[0]] + "\x00" + target[span[1]:]
            yield template, int(target[span[0] : span[1]]), bool(_PAGER_WORDS.search(htmllib.unescape(attrs + inner)))


def _anchor_numbers(links: Iterable[tuple[str, int, bool]]) -> dict[str, set[int]]:
    """The page numbers rendered links (`_pager_links`) show, per page shape, in order of first appearance."""
    numbers: dict[str, set[int]] = {}
    for template, number, _ in links:
        numbers.setdefault(template, set()).add(number)
    return numbers


def _anchor_pages(html: str, url: str) -> list[str]:
    """Fill the range between the lowest and highest page number among the pager anchors.

    Only shapes where at least one anchor says 下一页/尾页/末页 count, and the range starts at the
    lowest number seen (node_{id} lists start at _2, TRS at _1), so no page is invented.
    """
    numbers: dict[str, set[int]] = {}
    pager: dict[str, None] = {}  # insertion-ordered, so output order is stable
    for template, number, says_pager in _pager_links(html, url):
        numbers.setdefault(template, set()).add(number)
        if says_pager:
            pager[template] = None
    pages = []
    for template in pager:
        low, high = min(numbers[template]), max(numbers[template])
        pages += [template.replace("\x00", str(n)) for n in range(low, min(high, low + MAX_PAGES - 1) + 1)]
    return pages


def html_list_items(root_or_html: etree._Element | str, base_url: str, today: date) -> list[ListItem]:
    """Dated entries of ordinary list markup: an `<li>`, a `<tr>` or a row `<div>` (one of at least three
    sibling divs that each hold one link and no other block, as 万载's `<div><a>…</a><p>2017-10-13</p></div>`)
    with one content link and a date."""
    root = root_or_html
    if isinstance(root_or_html, str):
        try:
            root = lxml.html.document_fromstring(root_or_html)
        except (ParserError, ValueError):
            return []
    items: dict[str, ListItem] = {}
    rows = _row_divs(root)
    for container in root.iter("li", "tr", "div"):
        if container.tag == "div" and container not in rows:
            continue
        item = _item(container, base_url, today, dated=True)
        if item is not None:
            items.setdefault(item.url, item)
    return list(items.values())


MIN_ROWS = 3  # sibling divs that make a list of rows, not a layout (an article's header, body and footer)
MAX_ROW_EXTRA = 10  # characters a row may show besides its link and date (a 置顶 mark, a count)
_DATE_CHARS = re.compile(r"[\d\s\-/.:年月日\[\]【】()（）]")


def _row_divs(root: etree._Element) -> set[etree._Element]:
    """Divs that are list rows: each holds one link and, besides it, little more than a date, and no
    block of its own, with at least MIN_ROWS such siblings. A paragraph of prose with a 更多 link
    (an article body written in divs) is no row."""
    by_parent: dict[etree._Element, list[etree._Element]] = {}
    for div in root.iter("div"):
        parent = div.getparent()
        if parent is None or next(div.iterdescendants("div", "li", "tr", "ul", "ol", "table"), None) is not None:
            continue
        anchors = [anchor for anchor in div.iter("a") if anchor.get("href")]
        if len(anchors) == 1 and len(_DATE_CHARS.sub("", _text_except(div, anchors[0], ""))) <= MAX_ROW_EXTRA:
            by_parent.setdefault(parent, []).append(div)
    return {div for divs in by_parent.values() if len(divs) >= MIN_ROWS for div in divs}


# Every date crawler.dates reads has a digit, or 年 (二〇二六年十一月二十日).
_MAY_HOLD_DATE = re.compile(r"\d|年")


def _item(container: etree._Element, base_url: str, today: date, *, dated: bool = False) -> ListItem | None:
    """The entry `container` holds if it has exactly one content link; dated when it shows a date
    (`dated`: only then, and its title is not read otherwise: most `<li>` of a page are menus).

    The date comes from the text around the link (a title may mention another date), else from a
    date-only element inside the link.
    """
    if dated and not _MAY_HOLD_DATE.search(element_text(container)):
        return None  # most <li> of a page are menus: no date, so no need to resolve their links
    anchors: dict[str, etree._Element] = {}
    for anchor in container.iter("a"):
        url = absolute_url(anchor.get("href", ""), base_url)
        if url and (anchor.get("title") or element_text(anchor)).strip():
            anchors.setdefault(url, anchor)
            if len(anchors) > 1:
                return None
    if not anchors:
        return None
    (url, anchor), = anchors.items()
    dated_child = next(
        (
            el
            for el in anchor.iterdescendants()
            if isinstance(el.tag, str) and parse_date(element_text(el), today)
        ),
        None,
    )
    dates = find_dates(_text_except(container, anchor, " "), today)
    if not dates and dated_child is not None:
        dates = [parse_date(element_text(dated_child), today)]
    if dated and not dates:
        return None
    title = anchor.get("title") or _text_except(anchor, dated_child, "")
    return ListItem(" ".join(title.split()), url, dates[0] if dates else None)


def _text_except(el: etree._Element, skip: etree._Element | None, sep: str) -> str:
    """Text of `el` without the subtree `skip`, its pieces joined by `sep`.

    A space keeps dates in neighbouring elements apart; titles join with nothing, as Chinese
    text highlighted with <b> or <font> must not gain spaces.
    """
    parts: list[str] = []
    stack = [(el, False)]
    while stack:  # iterative: broken pages nest deeper than Python's recursion limit
        node, closing = stack.pop()
        visible = isinstance(node.tag, str) and node.tag not in ("script", "style")
        if not closing and visible and node is not skip:
            parts.append(node.text or "")
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node))
            continue
        if node is not el:
            parts.append(node.tail or "")
    return sep.join(parts)


def script_list_items(root: etree._Element, base_url: str, today: date) -> list[ListItem]:
    """Dated entries a script renders from data the page carries outside the DOM.

    Two shapes: list markup inside an HTML comment in an otherwise linkless container that a
    script names (by id or class), and an inline JSON array of records (`var listData = [...]`,
    `pageData`, `infoList`, `data: [...]`) with a title, a URL and a date. Other comments are
    disabled markup nobody sees, and undated records are menus or chart data: both are left out.
    """
    scripts = [el.text or "" for el in root.iter("script") if not el.get("src")]
    return _comment_items(root, "\n".join(scripts), base_url, today) + [
        item for script in scripts for item in _json_items(script, base_url, today)
    ]


def _comment_items(root: etree._Element, scripts: str, base_url: str, today: date) -> list[ListItem]:
    items = []
    for comment in root.iter(etree.Comment):
        container, markup = comment.getparent(), comment.text or ""
        if container is None or "<a" not in markup.lower() or next(container.iter("a"), None) is not None:
            continue
        if not any(_named_in(el, scripts) for el in [container, *container.iterancestors()][:3]):
            continue
        try:
            fragment = lxml.html.fragment_fromstring(markup, create_parent="div")
        except (ParserError, ValueError):
            continue
        items += html_list_items(fragment, base_url, today)
    return items


def _named_in(el: etree._Element, scripts: str) -> bool:
    """Whether a script selects `el` by its id or a class: "#list", '.news-list', "list" (getElementById)."""
    names = [el.get("id") or "", *(el.get("class") or "").split()]
    return any(name and re.search(rf"""[#.'"]{re.escape(name)}(?![\w-])""", scripts) for name in names)


# Names of inline arrays of list records; the name may be quoted as a JSON key.
_DATA_ARRAY = re.compile(
    r"""(?<![\w$])(['"]?)(?:data|list|rows|records|items|articles|docs|news|result|results"""
    r"""|(?:list|page|info|news|doc|article|data|item|record)_?(?:data|list|json|s))\1\s*[:=]\s*\[""",
    re.I,
)
# Record keys, lower case without _ or -, best first.
_TITLE_KEYS = ("title", "doctitle", "infotitle", "articletitle", "name")
_URL_KEYS = ("url", "docurl", "docpuburl", "puburl", "linkurl", "link", "href", "infourl")
_DATE_KEYS = ("date", "pubdate", "publishdate", "publishtime", "pubtime", "docreltime", "reltime",
              "releasedate", "time", "createtime", "createdate")
_JS_PAIR = re.compile(r"""(['"]?)([A-Za-z_$][\w$-]*)\1\s*:\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|(\d+))""")
_TAG = re.compile(r"<[^>]*>")


def _json_items(script: str, base_url: str, today: date) -> list[ListItem]:
    items = []
    for match in _DATA_ARRAY.finditer(script):
        array = _balanced(script, match.end() - 1)
        for record in _records(array) if array else []:
            fields = {re.sub(r"[_-]", "", str(key)).lower(): value for key, value in record.items()}
            title, href, when = (next((str(fields[k]) for k in keys if fields.get(k)), "")
                                 for keys in (_TITLE_KEYS, _URL_KEYS, _DATE_KEYS))
            url = absolute_url(href, base_url)
            day = parse_date(when, today)
            title = " ".join(htmllib.unescape(_TAG.sub("", title)).split())
            if url and day and title:
                items.append(ListItem(title, url, day))
    return items


def _balanced(text: str, start: int) -> str | None:
    """The bracketed array that opens at text[start], strings skipped; None when it never closes."""
    depth, quote, escaped = 0, "", False
    for i in range(start, len(text)):
        ch = text[i]
        if quote:
            escaped, quote = (not escaped and ch == "\\"), ("" if ch == quote and not escaped else quote)
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return text[start : i + 1]
    return None


def _records(array: str) -> list[dict[str, Any]]:
    """The objects of a JSON array; for a JavaScript literal (single quotes, bare keys), the
    string and number fields of its flat objects."""
    try:
        parsed = json.loads(array)
    except ValueError:
        return [
            {m[2]: _js_string(m[3], m[4]) if m[5] is None else m[5] for m in _JS_PAIR.finditer(obj)}
            for obj in re.findall(r"\{[^{}]*\}", array)
        ]
    return [record for record in parsed if isinstance(record, dict)] if isinstance(parsed, list) else []


def _js_string(double: str | None, single: str | None) -> str:
    """A JavaScript string literal's value (either quote), escapes such as \\u4e0a and \\/ decoded."""
    raw = double if double is not None else (single or "").replace("\\'", "'").replace('"', '\\"')
    try:
        return str(json.loads(f'"{raw}"'))
    except ValueError:
        return raw


PROXY_GROUP_LIMIT = 100  # data-proxy requests per column at most (4,500 records at Hanweb's 45)
_GROUP_QUERY = re.compile(r"[?&]startrecord=(\d+)&endrecord=(\d+)&perpage=(\d+)$")  # as `_group` writes it


def datastore_proxy_urls(html: str, base_url: str) -> list[str]:
    """The jpage data-proxy requests that fetch the records a Hanweb page does not carry itself
    (`datastore_proxy_groups`)."""
    return datastore_proxy_groups(html, base_url)[0]


def datastore_proxy_groups(html: str, base_url: str) -> tuple[list[str], bool]:
    """The jpage data-proxy requests that fetch the records a Hanweb page does not carry itself, and
    whether each reply must tell what follows it (`proxy_groups_after`).

    The page holds the first group of records; jpage asks `dataproxy.jsp` for the rest in groups
    of the same size with `startrecord`/`endrecord` (1-based, inclusive), up to the column's total
    (`datastore_records_total`). A datastore whose recordset is empty asks it for the first group:
    what the proxy answers is the whole column. A page that states no total anywhere asks for the next
    group only, and its replies, which state it, tell what follows.
    """
    proxy = datastore_nextgroup(html, base_url)  # first: most pages name none, and cost no more
    if not proxy:
        return [], False
    total = datastore_records_total(html)
    per_page = datastore_per_page(html)
    shown = len(_RECORD.findall(html))
    if not shown and total != 0:  # an empty recordset: jpage asks the proxy for the first group
        return [_group(proxy, 1, per_page, per_page)], total is None
    if total is None:
        return [_group(proxy, shown + 1, 2 * shown, per_page)], True
    if not total or total <= shown:
        return [], False
    return [_group(proxy, start, min(start + shown - 1, total), per_page)
            for start in range(shown + 1, total + 1, shown)][:PROXY_GROUP_LIMIT], False


def proxy_groups_after(reply: str, requested: str) -> list[str]:
    """The data-proxy requests that follow `requested` (one of `datastore_proxy_urls`) for a column
    whose page stated no total: the remaining groups up to the total the reply states, else, after a
    full group, the next one (whose reply is read the same way); none after a short group."""
    asked = _GROUP_QUERY.search(requested)
    if not asked:
        return []
    start, end, per_page = (int(n) for n in asked.groups())
    size = end - start + 1
    done = -(-end // size)  # groups asked for up to this one
    if size < 1 or done >= PROXY_GROUP_LIMIT:
        return []
    proxy = requested[:asked.start()]
    total, pages = datastore_total(reply)
    if total is None and pages is not None:
        total = pages * per_page  # pages of the size asked for
    if total is None:
        return [_group(proxy, end + 1, end + size, per_page)] if len(_RECORD.findall(reply)) >= size else []
    return [_group(proxy, first, min(first + size - 1, total), per_page)
            for first in range(end + 1, total + 1, size)][:PROXY_GROUP_LIMIT - done]


def _group(proxy: str, start: int, end: int, per_page: int) -> str:
    return f"{proxy}{'&' if '?' in proxy else '?'}startrecord={start}&endrecord={end}&perpage={per_page}"


# Containers a template fills with a column's entries: <ul class="list">, <div id="newsList"> …
_LIST_NAME = re.compile(r"(?:^|[-_])list(?:$|[-_\d])|^list|list$|^lb$|^xxgk_?list", re.I)
# Scripts that fetch their list at run time: what they get is unknown, so the list is not blank.
_FETCHES = re.compile(r"\$\.(?:ajax|get|post|getJSON)\b|\bfetch\s*\(|XMLHttpRequest|\baxios\b|\.load\s*\(", re.I)


def shows_empty_list(root: etree._Element, html: str, *, column_page: bool = True) -> bool:
    """Whether the page's list is there and holds nothing: a Hanweb datastore with an empty
    recordset, or — on a page that says it is a column (`column_page`: a breadcrumb or a ColumnName
    meta) — a list container (`<ul class="list">`, `<div id="newsList">`) with no entry and no text,
    while its scripts fetch nothing at run time."""
    if _DATASTORE.search(html):
        return not _RECORD.search(html)
    if not column_page or _FETCHES.search(_inline_scripts(html)):
        return False
    for el in root.iter("ul", "ol", "tbody", "div", "dl"):
        names = [el.get("id") or "", *(el.get("class") or "").split()]
        if not any(_LIST_NAME.search(name) for name in names if name):
            continue
        if next(el.iter("a", "img", "li", "tr"), None) is None and not "".join(el.itertext()).strip():
            return True
    return False
