"""Column lists and their other pages, read from HTML text without running any JavaScript.

Hanweb/大汉 pages ship their list as XML records inside a `<script type="text/xml">`; TRS pages
write their pager with `createPageHTML(...)`. Neither shows up as ordinary links, so the crawler
would miss every article and every page after the first without this module.
"""

from __future__ import annotations

import html as htmllib
import re
from datetime import date
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml.etree import ParserError

from crawler.dates import find_dates, parse_date
from core.model import ListItem
from core.urls import absolute_url

MAX_PAGES = 500

_RECORD = re.compile(
    r"<record\b[^>]*>\s*(?:<!\[CDATA\[(?P<cdata>.*?)\]\]>|(?P<escaped>.*?))\s*</record>",
    re.S | re.I,
)
_TOTAL = re.compile(r"<total(record|page)>\s*(\d+)\s*</total\1>", re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.S | re.I)
_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)

# TRS pager: createPageHTML(countPage, currentPage, "index", "html"), sometimes preceded by the
# id of the element it writes into and followed by the record count.
_CREATE_PAGE = re.compile(
    r"""createPageHTML\(\s*(?:['"][^'"]*['"]\s*,\s*)?"""  # optional target element id
    r"""(\w+)\s*,\s*\w+\s*,\s*['"]([\w.-]+)['"]\s*,\s*['"](\w+)['"]"""  # count, current, name, ext
)
# Pager anchors are short; the bound keeps unclosed <a> tags from costing a rescan of the page each.
_ANCHOR = re.compile(r"<a\b([^>]*)>(.{0,300}?)</a\s*>", re.S | re.I)
_PAGER_WORDS = re.compile(r"下一页|下页|尾页|末页|最后一页")
# Paged file names: TRS index_N, list_N, default_N, node_{id}_N. Other name_N shapes are mostly
# document ids (t20200101_951033.html, a 下一页 to the next article) and must not be "expanded".
_PAGE_FILE = re.compile(r"/(?:index|list|default|node_\d+)_(\d+)\.s?html?$", re.I)
_PAGE_PARAM = re.compile(r"[?&](?:page|pageno|pageindex|pagenum|currpage|curpage|cur_page|pn)=(\d+)", re.I)


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
    """(`<totalrecord>`, `<totalpage>`) of a Hanweb datastore or dataproxy reply, None if absent."""
    found = {kind.lower(): int(value) for kind, value in _TOTAL.findall(html)}
    return found.get("record"), found.get("page")


def datastore_nextgroup(html: str, base_url: str) -> str | None:
    """The dataproxy.jsp URL a Hanweb datastore names for its next records, if any."""
    match = _NEXTGROUP.search(html)
    href = match and _href(match[1])
    return absolute_url(href, base_url) if href else None


def _href(tag_source: str) -> str | None:
    """The unescaped href value in raw tag source (quoted either way or bare)."""
    match = _HREF.search(tag_source)
    return htmllib.unescape(next(g for g in match.groups() if g is not None)) if match else None


def page_urls(html: str, url: str) -> list[str]:
    """Other pages of the list at `url`: the TRS createPageHTML set, else pager-anchor ranges."""
    url = urldefrag(url).url
    pages = _trs_pages(html, url) or _anchor_pages(html, url)
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
    count_arg, name, ext = match.groups()
    if not count_arg.isdigit():
        declared = re.search(rf"\b{re.escape(count_arg)}\s*=\s*(\d+)", html)
        if not declared:
            return []
        count_arg = declared[1]
    count = min(int(count_arg), MAX_PAGES)
    return [urljoin(url, f"{name}_{i}.{ext}" if i else f"{name}.{ext}") for i in range(count)]


def _anchor_pages(html: str, url: str) -> list[str]:
    """Fill the range between the lowest and highest page number among the pager anchors.

    Only shapes where at least one anchor says 下一页/尾页/末页 count, and the range starts at the
    lowest number seen (node_{id} lists start at _2, TRS at _1), so no page is invented.
    """
    numbers: dict[str, set[int]] = {}
    pager: dict[str, None] = {}  # insertion-ordered, so output order is stable
    for attrs, inner in _ANCHOR.findall(html):
        href = _href(attrs)
        target = href and absolute_url(href, url)
        if not target:
            continue
        shape = _PAGE_FILE.search(target) or _PAGE_PARAM.search(target)
        if not shape:
            continue
        template = target[: shape.start(1)] + "\x00" + target[shape.end(1):]
        numbers.setdefault(template, set()).add(int(shape[1]))
        if _PAGER_WORDS.search(htmllib.unescape(attrs + inner)):  # text, title or an img alt
            pager[template] = None
    pages = []
    for template in pager:
        low, high = min(numbers[template]), max(numbers[template])
        pages += [template.replace("\x00", str(n)) for n in range(low, min(high, low + MAX_PAGES - 1) + 1)]
    return pages


def html_list_items(root_or_html: lxml.html.HtmlElement | str, base_url: str, today: date) -> list[ListItem]:
    """Dated entries of ordinary list markup: an `<li>` or `<tr>` with one content link and a date."""
    root = root_or_html
    if isinstance(root_or_html, str):
        try:
            root = lxml.html.document_fromstring(root_or_html)
        except (ParserError, ValueError):
            return []
    items: dict[str, ListItem] = {}
    for container in root.iter("li", "tr"):
        item = _item(container, base_url, today)
        if item is not None and item.date is not None:
            items.setdefault(item.url, item)
    return list(items.values())


def _item(container: lxml.html.HtmlElement, base_url: str, today: date) -> ListItem | None:
    """The entry `container` holds if it has exactly one content link; dated when it shows a date.

    The date comes from the text around the link (a title may mention another date), else from a
    date-only element inside the link.
    """
    anchors: dict[str, lxml.html.HtmlElement] = {}
    for anchor in container.iter("a"):
        url = absolute_url(anchor.get("href", ""), base_url)
        if url and (anchor.get("title") or anchor.text_content()).strip():
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
            if isinstance(el.tag, str) and parse_date(el.text_content(), today)
        ),
        None,
    )
    dates = find_dates(_text_except(container, anchor, " "), today)
    if not dates and dated_child is not None:
        dates = [parse_date(dated_child.text_content(), today)]
    title = anchor.get("title") or _text_except(anchor, dated_child, "")
    return ListItem(" ".join(title.split()), url, dates[0] if dates else None)


def _text_except(el: lxml.html.HtmlElement, skip: lxml.html.HtmlElement | None, sep: str) -> str:
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


PROXY_GROUP_LIMIT = 100  # data-proxy requests per column at most (4,500 records at Hanweb's 45)


def datastore_proxy_urls(html: str, base_url: str, per_page: int = 15) -> list[str]:
    """The jpage data-proxy requests that fetch the records a Hanweb page does not carry itself.

    The page holds the first group of records; jpage asks `dataproxy.jsp` for the rest in groups
    of the same size with `startrecord`/`endrecord` (1-based, inclusive).
    """
    total, _ = datastore_total(html)
    proxy = datastore_nextgroup(html, base_url)
    shown = len(_RECORD.findall(html))
    if not total or not proxy or not shown or total <= shown:
        return []
    joiner = "&" if "?" in proxy else "?"
    return [f"{proxy}{joiner}startrecord={start}&endrecord={min(start + shown - 1, total)}&perpage={per_page}"
            for start in range(shown + 1, total + 1, shown)][:PROXY_GROUP_LIMIT]
