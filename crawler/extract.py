"""Build the `Page` model from one fetched HTML document: text, links, dates, metadata, lists.

Pure: the spider decodes the body (crawler.encoding) and calls `extract_page`; nothing here
touches the network. Government templates are regular enough that labels (当前位置, 来源,
发布时间) and CMS markers (TRS CurrChnlCls, Hanweb comments) find what the detector needs.
"""

from __future__ import annotations

import html as htmllib
import re
from datetime import date

import lxml.html
from lxml import etree

from crawler.dates import find_article_date, find_dates, parse_date
from crawler.lists import datastore_records, html_list_items, page_urls, script_list_items
from core.model import Link, ListItem, Page
from core.urls import absolute_url, document_base


class ExtractError(Exception):
    """lxml gave up on the document altogether; the spider logs and counts it."""


_HIDDEN = {"head", "script", "style", "noscript", "template", "title"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "tfoot",
    "thead", "tr", "ul",
}
_CELL = {"td", "th"}

# Link-bearing elements and the attribute that holds the target, in one document-order query.
_LINK_ATTRS = {
    "a": "href", "area": "href", "img": "src", "iframe": "src", "frame": "src", "script": "src",
    "link": "href", "embed": "src", "object": "data",
}
_LINK_XPATH = " | ".join(f"//{tag}[@{attr}]" for tag, attr in _LINK_ATTRS.items())
_LINK_RELS = {"stylesheet", "icon"}

# The 政府网站发展指引 meta names, keyed by lower case so `sitename` reads as SiteName.
_META_NAMES = {
    name.lower(): name
    for name in (
        "SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnDescription", "ColumnKeywords",
        "ColumnType", "ArticleTitle", "PubDate", "ContentSource", "Keywords", "Description",
        "Author", "Url",
    )
}

# Not glued to a preceding word, so prose such as 项目所在位置 is not a breadcrumb.
_CRUMB_LABEL = re.compile(
    r"(?<![\u4e00-\u9fff])(?:当前位置|當前位置|您现在所在的位置|您现在所在位置|您现在的位置|您当前的位置"
    r"|您当前位置|您當前的位置|您的位置|所在位置)\s*[:：]?"
)
_CRUMB_SEP = re.compile(r"\s*(?:>>|->|>|›|»|＞|→)\s*")
_CRUMB_NOT_COLUMN = {"正文", "详情", "详细内容", "正文内容", "内容"}
_CRUMB_MAX_ITEM = 40  # a longer "item" is page text that followed the breadcrumb

_HANWEB_SOURCE = re.compile(r"<!--<\$\[信息来源\]>begin-->(.*?)<!--<\$\[信息来源\]>end-->", re.S)
# A bare 来源 must not end a longer word (资金来源); a colon or a table-cell gap follows the label.
_SOURCE_FIELD = re.compile(
    r"(?:(?:信息|文章|稿件|内容)来源|(?<![\u4e00-\u9fff])来源)(?: ?[:：] ?| )(?P<value>\S+)"
)
# Where a source value glued to the next header field ends. Labels need their colon: 上海发布
# and 北京发布 are sources, not a 发布时间 field.
_SOURCE_END = re.compile(
    r"(?:作者|发布时间|发布日期|时间|日期|责任编辑|编辑)\s*[:：]|浏览|阅读|点击|字号|打印|【|\[|\(|（|\d{4}[-/.年]"
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

# What a <title> holds when it says nothing of the page, besides the site's and the column's names:
# portal words and the titles detail templates ship with.
_GENERIC_TITLE_WORDS = (
    "门户网站", "官方网站", "网站首页", "首页", "网站", "详细信息", "信息详情", "文章详情", "详情页", "详情",
    "内容页", "正文", "无标题文档", "无标题", "untitled", "document",
)
_TITLE_GLUE = re.compile(r"[\s_\-–—|｜·•:：>»(（)）【】\[\]]+")
# Class or id names (lower case, no - or _) of the element TRS and Hanweb detail templates show the
# article title in: <div class="title">, <td class="title">, <div class="article-title">, <p class="bt">.
_TITLE_ELEMENT_NAMES = {
    "title", "tit", "bt", "articletitle", "arttitle", "contenttitle", "contitle", "detailtitle",
    "newstitle", "maintitle", "xltitle", "zwtitle", "wztitle", "infotitle", "doctitle",
}


def extract_page(
    url: str, html: str, *, site: str, unit: str = "", today: date, is_homepage: bool = False
) -> tuple[Page, list[str]]:
    """The page model of `html` fetched from `url`, and extra URLs to crawl.

    The extra URLs are list pages (TRS and other script pagers, pager anchors) and list items that
    live in scripts or comments (Hanweb datastore, commented-out lists, JSON arrays), which are not
    ordinary links. Raises ExtractError only when lxml fails.
    """
    page = Page(url=url, site=site, unit=unit, kind="html", html=html, is_homepage=is_homepage)
    root = _parse(html)
    if root is None:
        return page, []
    base = _base_url(root, url)
    page.meta = _meta(root)
    page.text = visible_text(root)
    page.breadcrumb = _breadcrumb(root)
    page.column = next(
        (item for item in reversed(page.breadcrumb) if item not in _CRUMB_NOT_COLUMN),
        page.meta.get("ColumnName", ""),
    )
    page.published = _published(page.meta, page.text, today)
    names = (site, page.meta.get("SiteName", ""), page.meta.get("ColumnName", ""), *page.breadcrumb)
    page.title = _title(root, page.meta, names, article=page.published is not None and not is_homepage)
    page.heading = _folded(root.find(".//h1"))
    page.links = _links(root, base)
    page.dates = find_dates(page.text, today)
    page.source = _source(html, page.text) or page.meta.get("ContentSource", "")
    page.sitemap = "网站地图" in (page.column, page.meta.get("ColumnName", ""), page.title.split("_")[0].strip())
    scripted = datastore_records(html, base, today=today) + script_list_items(root, base, today)
    items: dict[str, ListItem] = {}
    for item in scripted + html_list_items(root, base, today):
        items.setdefault(item.url, item)
    page.list_items = list(items.values())
    follow = page_urls(html, url) + [item.url for item in scripted]
    return page, list(dict.fromkeys(follow))


def title_heading_text(html: str) -> tuple[str, str, str]:
    """The title, the main heading (first h1) and the visible text: what a soft-404 verdict reads."""
    root = _parse(html)
    if root is None:
        return "", "", ""
    meta, text = _meta(root), visible_text(root)
    names = (meta.get("SiteName", ""), meta.get("ColumnName", ""), *_breadcrumb(root))
    article = _published(meta, text, date.max) is not None
    return _title(root, meta, names, article=article), _folded(root.find(".//h1")), text


def _parse(html: str) -> lxml.html.HtmlElement | None:
    """The document tree; None for a document with no elements (blank is a state, not an error)."""
    # lxml refuses str input that carries an XML encoding declaration (XHTML templates do).
    html = _XML_DECLARATION.sub("", html, count=1)
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    except etree.ParserError:
        return None  # "Document is empty": only comments or stray tags, nothing a reader sees
    except (ValueError, etree.LxmlError) as exc:
        raise ExtractError(f"lxml could not parse the document: {exc}") from exc


def visible_text(root: lxml.html.HtmlElement) -> str:
    """What a reader sees: no scripts, styles or comments; one line per block, spaces folded."""
    parts: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:  # iterative: broken pages nest deeper than Python's recursion limit
        el, closing = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        if closing:
            parts.append(_separator(tag))
        elif tag and tag not in _HIDDEN:
            parts += [_separator(tag), el.text or ""]
            stack.append((el, True))
            stack.extend((child, False) for child in reversed(el))
            continue
        if el is not root:
            parts.append(el.tail or "")
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _separator(tag: str) -> str:
    return "\n" if tag in _BLOCK else " " if tag in _CELL else ""


def _base_url(root: lxml.html.HtmlElement, url: str) -> str:
    return document_base(url, next((b.get("href") for b in root.iter("base") if b.get("href")), None))


def _meta(root: lxml.html.HtmlElement) -> dict[str, str]:
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        name, content = (el.get("name") or "").strip(), el.get("content")
        if name and content is not None:
            meta.setdefault(_META_NAMES.get(name.lower(), name), content.strip())
    return meta


def _published(meta: dict[str, str], text: str, today: date) -> date | None:
    """The date the article header shows, else the PubDate meta.

    The header is what readers and inspectors see. Metas other than PubDate (Maketime,
    HtmlGenerateTime, generated, lastmodified) hold when the CMS last regenerated the page and
    are never a publication date; PubDate may be one too on some CMSs, so it only fills in.
    """
    return find_article_date(text, today) or parse_date(meta.get("PubDate", ""), today)


def _title(root: lxml.html.HtmlElement, meta: dict[str, str], names: tuple[str, ...], *, article: bool) -> str:
    """The page's `<title>`, unless it names only the site or its columns (`names`) or is a
    template title (某某县人民政府, 通知公告_某某县人民政府, 详细信息): then the article's own
    title, from the ArticleTitle meta or, on an article (a dated page), the main heading (h1) or
    the one title element of the detail template. On a homepage or a column page a heading is the
    site's short name or a box's, and the generic title is the right one. A candidate that is
    generic too, or a link (a logo, a box heading leading to a column), is never the title.
    """
    title = _folded(root.find(".//title"))
    if title and not _is_generic(title, names):
        return title
    candidates = [meta.get("ArticleTitle", "")]
    if article:
        candidates += [_folded(h1) for h1 in root.iter("h1") if not _linked(h1)]
        # One line each: a title block that also holds the 发布时间 line is not a title.
        lines = {tuple(visible_text(el).splitlines())
                 for el in root.iter() if _is_title_element(el) and not _linked(el)}
        specific = [line for line, *more in filter(None, lines) if not more and not _is_generic(line, names)]
        candidates += specific if len(specific) == 1 else []
    return next((text for text in candidates if text and not _is_generic(text, names)), "") or (
        title or meta.get("ArticleTitle", "") or _folded(root.find(".//h1")))


def _is_generic(title: str, names: tuple[str, ...]) -> bool:
    """Whether `title` is part of a name (青山镇人民政府 of 某某县青山镇人民政府), or nothing is left
    of it once the site's and columns' names and template words go."""
    names = tuple(name.lower() for name in names if name)
    folded = _TITLE_GLUE.sub("", title.lower())
    if any(folded in _TITLE_GLUE.sub("", name) for name in names):
        return True
    rest = title.lower()
    for word in sorted({*names, *_GENERIC_TITLE_WORDS}, key=len, reverse=True):
        rest = rest.replace(word, " ")  # longest first: 网站首页 goes whole, not as 网站 + 首页
    return not _TITLE_GLUE.sub("", rest)


def _is_title_element(el: etree._Element) -> bool:
    if not isinstance(el.tag, str):
        return False
    names = [el.get("id") or "", *(el.get("class") or "").split()]
    return any(re.sub(r"[-_]", "", name.lower()) in _TITLE_ELEMENT_NAMES for name in names)


def _linked(el: lxml.html.HtmlElement) -> bool:
    """Whether `el` is, or holds, or sits in a link."""
    return bool(el.xpath("boolean(ancestor-or-self::a[@href] | .//a[@href])"))


def _folded(el: lxml.html.HtmlElement | None) -> str:
    # itertext, not text_content(): the latter is an XPath call that lets go of the GIL and then
    # waits for it behind the reactor thread, many times a page.
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _links(root: lxml.html.HtmlElement, base: str) -> list[Link]:
    links: dict[str, Link] = {}
    for el in root.xpath(_LINK_XPATH):
        tag = el.tag
        if tag == "link" and not _LINK_RELS & set((el.get("rel") or "").lower().split()):
            continue
        url = absolute_url(el.get(_LINK_ATTRS[tag]), base)
        if url is None:
            continue
        text = (_folded(el) or el.get("title", "")) if tag == "a" else ""
        link = links.setdefault(url, Link(url, tag, text))
        if not link.text and text:
            link.text = text
    return list(links.values())


def _breadcrumb(root: lxml.html.HtmlElement) -> list[str]:
    """Items after a 当前位置-style label; else the TRS CurrChnlCls channel links."""
    for node in root.xpath("//body//text()[contains(., '位置')]"):
        el = node.getparent()
        if node.is_tail:
            el = el.getparent()
        for _ in range(3):  # the label may sit alone in a <span> inside the breadcrumb block
            if el is None:
                break
            text = " ".join(visible_text(el).split())
            label = _CRUMB_LABEL.search(text)
            if label is None:
                break
            rest = text[label.end():].strip()
            if rest:
                items = _crumb_items(rest)
                if items:
                    return items
                break
            el = el.getparent()
    channels = root.xpath("//a[contains(concat(' ', normalize-space(@class), ' '), ' CurrChnlCls ')]")
    return [text for a in channels if (text := _folded(a))]


def _crumb_items(rest: str) -> list[str]:
    items = []
    for item in _CRUMB_SEP.split(rest.strip()):
        if len(item) > _CRUMB_MAX_ITEM:
            break
        if item:
            items.append(item)
    return items


def _source(html: str, text: str) -> str:
    """The 来源 an article states: Hanweb's marked field first, then the header text."""
    for match in _HANWEB_SOURCE.finditer(html):
        value = " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", match[1])).split())
        value = re.sub(r"^(?:信息|文章)?来源\s*[:：]?\s*", "", value)
        if value:
            return value
    for match in _SOURCE_FIELD.finditer(text):
        value = match["value"]
        end = _SOURCE_END.search(value)
        value = (value[: end.start()] if end else value).strip("|｜,，;；:：")
        if value:
            return value
    return ""
