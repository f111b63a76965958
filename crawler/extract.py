"""Build the `Page` model from one fetched HTML document: text, links, dates, metadata, lists.

Pure: the spider decodes the body (crawler.encoding) and calls `read_page` for what the crawl
needs; `complete_page` adds what only the checks read, in the crawl process when crawling needs it
too, else in the parent (`complete_read_page`); `extract_page` does both at once (tests, tools).
Nothing here touches the network. Government templates are regular enough that labels (当前位置, 来源,
发布时间) and CMS markers (TRS CurrChnlCls, Hanweb comments) find what the detector needs.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from itertools import islice
from typing import Callable
from urllib.parse import urlsplit

from lxml import etree

from crawler.columns import column_of
from crawler.dates import find_article_date, find_dates, parse_date
from crawler.letters import ASKED_LABEL, letters_of
from crawler.marks import site_marks
from crawler.lists import (datastore_proxy_urls, datastore_records, html_list_items, page_urls, pager_of,
                           script_list_items, shows_empty_list)
from core.model import Link, ListItem, Page
from core.urls import absolute_url, document_base, first_list_page


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

# Link-bearing elements and the attribute that holds the target, walked in document order. Not an
# XPath union (`//a[@href] | //img[@src] …`): libxml2 merges the node sets of a union with a duplicate
# check per node, quadratic in the links (a 200,000-link page took minutes).
_LINK_ATTRS = {
    "a": "href", "area": "href", "img": "src", "iframe": "src", "frame": "src", "script": "src",
    "link": "href", "embed": "src", "object": "data",
}
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
    r"|您当前位置|您當前的位置|您的当前位置|您的位置|所在位置)\s*[:：]?"
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
    r"(?:作者|发布时间|发布日期|时间|日期|责任编辑|编辑)\s*[:：]|浏览|阅读|点击|访问|字号|打印|【|\[|\(|（|\d{4}[-/.年]"
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
    page, follow, tree = read_page(url, html, site=site, unit=unit, today=today, is_homepage=is_homepage)
    if tree is not None:
        follow += complete_page(page, tree, today)
    return page, list(dict.fromkeys(follow))


@dataclass
class Tree:
    """A parsed page: its root, the URL its links resolve against, and whether it was too deep."""

    root: etree._Element
    base: str
    too_deep: bool


def read_page(
    url: str, html: str, *, site: str, unit: str = "", today: date, is_homepage: bool = False, text: bool = True
) -> tuple[Page, list[str], Tree | None]:
    """What the crawl needs of a page: its main heading and, when `text`, its visible text (a
    soft-404 verdict reads them), its links and the extra URLs to crawl, and its pager (read with
    them); and its tree, for `complete_page` (None: no elements). Without `text`, `read_text` reads
    it later."""
    page = Page(url=url, site=site, unit=unit, kind="html", html=html, is_homepage=is_homepage)
    root, too_deep = _parse(html)
    if root is None:
        return page, [], None
    tree = Tree(root, _base_url(root, url), too_deep)
    if text:
        read_text(page, tree)
    page.heading = _folded(root.find(".//h1"))
    page.links = _links(root, tree.base)
    follow = page_urls(html, url) + [item.url for item in _scripted(html, tree, today)]
    pager = pager_of(html, url)  # here, not in `complete_page`: it reads the anchors `page_urls` just read
    page.pager, page.list_pages, page.list_page = pager.family, pager.pages, pager.number
    return page, follow, tree


def read_text(page: Page, tree: Tree) -> None:
    """The page's visible text, from the tree `read_page` made of its HTML."""
    page.text = flat_text(page.html) if tree.too_deep else document_text(tree.root)


def complete_page(page: Page, tree: Tree, today: date) -> list[str]:
    """What only the checks read, added to a page `read_page` made from the same HTML: metadata,
    title, dates, source, lists, letters, citations. Returns more URLs to crawl (the data
    proxy of an empty Hanweb list; only for a page that `names_data_proxy`)."""
    root, base, html = tree.root, tree.base, page.html
    page.meta = _meta(root)
    page.breadcrumb = _breadcrumb(root)
    page.column = next(
        (item for item in reversed(page.breadcrumb) if item not in _CRUMB_NOT_COLUMN),
        page.meta.get("ColumnName", ""),
    )
    page.published = _published(page.meta, page.text, today)
    names = (page.site, page.meta.get("SiteName", ""), page.meta.get("ColumnName", ""), *page.breadcrumb)
    page.title = _title(root, page.meta, names, article=page.published is not None and not page.is_homepage)
    page.dates = find_dates(page.text, today)
    page.source = _source(html, page.text) or page.meta.get("ContentSource", "")
    page.sitemap = "网站地图" in (page.column, page.meta.get("ColumnName", ""), page.title.split("_")[0].strip())
    if page.sitemap:
        page.sections = _sitemap_sections(root, base)
    items: dict[str, ListItem] = {}
    for item in _scripted(html, tree, today) + html_list_items(root, base, today):
        items.setdefault(item.url, item)
    page.list_items = list(items.values())
    if page.published and _is_interpretation(page):
        page.cited, page.cited_links = _citations(page)
    if ASKED_LABEL.search(page.text):  # a consultation column's list or a letter's page
        page.letters = letters_of(root, base, page.heading or page.title, today)
    if not page.list_items and page.published is None and not page.is_homepage:
        page.empty_list = shows_empty_list(root, html,
                                           column_page=bool(page.breadcrumb or page.meta.get("ColumnName")))
        if page.empty_list:  # what an empty Hanweb recordset's proxy answers is the column: a link to check
            return datastore_proxy_urls(html, base)
    return []


def _scripted(html: str, tree: Tree, today: date) -> list[ListItem]:
    """List items that live in scripts or comments: links the crawl follows, items the checks count."""
    return datastore_records(html, tree.base, today=today) + script_list_items(tree.root, tree.base, today)


def judge_page(page: Page) -> None:
    """The page's column and, on a homepage, the site identifiers it shows: once its links are final."""
    page.column_url, page.empty_notice, page.fixed_content = column_of(page)
    if page.is_homepage:  # the footer identifiers the inspection looks for on the homepage
        page.site_marks = site_marks(page)


def complete_read_page(page: Page, read_from: str, today: date) -> None:
    """`complete_page` and `judge_page` in the parent process, for a page the crawl process sent with
    only what `read_page` gives; `read_from` is the URL its body came from (`page.url` may since be
    the URL it was requested by)."""
    root, too_deep = _parse(page.html)
    if root is None:
        return
    url, page.url = page.url, read_from
    tree = Tree(root, _base_url(root, read_from), too_deep)
    if not page.text:  # the crawl did not need it
        read_text(page, tree)
    try:
        complete_page(page, tree, today)
    finally:
        page.url = url
    judge_page(page)
    if not too_deep:  # the whole document: the checks that read the markup again take it (Page.tree)
        page.tree = root


def title_may_hold(tree: Tree, text: str, holds: Callable[[str], bool]) -> bool:
    """Whether the title `complete_page` takes may hold a word `holds` finds (a word: no spaces).

    The title is one of the <title>, the metas, the h1 headings and the lines of the title
    elements; the page's visible `text` holds every word of the title elements a reader sees, so
    they are read one by one only when it holds such a word (else only those no reader sees)."""
    root = tree.root
    fixed = [_folded(root.find(".//title")), *(el.get("content") or "" for el in root.iter("meta")),
             *(_folded(h1) for h1 in root.iter("h1"))]
    if any(holds(line) for line in fixed):
        return True
    scopes = [root] if holds(text) else list(root.iter(*_HIDDEN))
    return any(holds(visible_text(el)) for scope in scopes for el in scope.iter() if _is_title_element(el))


def title_heading_text(html: str) -> tuple[str, str, str]:
    """The title, the main heading (first h1) and the visible text: what a soft-404 verdict reads."""
    root, too_deep = _parse(html)
    if root is None:
        return "", "", ""
    meta, text = _meta(root), flat_text(html) if too_deep else document_text(root)
    names = (meta.get("SiteName", ""), meta.get("ColumnName", ""), *_breadcrumb(root))
    article = _published(meta, text, date.max) is not None
    return _title(root, meta, names, article=article), _folded(root.find(".//h1")), text


def _parse(html: str) -> tuple[etree._Element | None, bool]:
    """The document tree, None for a document with no elements (blank is a state, not an error);
    and whether libxml2 stopped building it at its depth limit (2048 with huge_tree), dropping
    everything after the element that went too deep."""
    # lxml refuses str input that carries an XML encoding declaration (XHTML templates do).
    html = _XML_DECLARATION.sub("", html, count=1)
    if not html.strip():
        return None, False
    # etree's own HTML parser, not lxml.html's: its elements are lxml's C classes, where lxml.html
    # picks a class for each element a walk touches by a call into Python (a tenth of completing a
    # page model). Nothing here uses lxml.html's element methods.
    parser = etree.HTMLParser(huge_tree=True)
    try:
        root = etree.fromstring(html, parser)
    except (ValueError, etree.LxmlError) as exc:
        raise ExtractError(f"lxml could not parse the document: {exc}") from exc
    if root is None:  # only comments or stray tags, nothing a reader sees
        return None, False
    return root, any(error.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for error in parser.error_log)


class _FlatText(HTMLParser):
    """Visible text from the tag stream alone, no tree, so no depth limit: spam nested 100,000
    elements deep is read like any other text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0  # open elements whose content no reader sees

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "body":
            self.hidden = 0  # a <head> never closed ends here
        elif tag in _HIDDEN:
            self.hidden += 1
        self.parts.append(_separator(tag))

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        self.parts.append(_separator(tag))

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN and self.hidden:
            self.hidden -= 1
        self.parts.append(_separator(tag))

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(_inline(data))


def flat_text(html: str) -> str:
    """What a reader sees, as `visible_text` gives it, for a document too deep for a tree."""
    reader = _FlatText()
    reader.feed(html)
    reader.close()
    return _folded_lines("".join(reader.parts))


def _document_text_stylesheet() -> etree.XSLT:
    hidden, block, cell = ("|".join(sorted(tags)) for tags in (_HIDDEN, _BLOCK, _CELL))
    return etree.XSLT(etree.XML(f"""\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template match="/"><xsl:apply-templates select="*[1]"/></xsl:template>
  <xsl:template match="{hidden}|comment()|processing-instruction()"/>
  <xsl:template match="{block}"><xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text></xsl:template>
  <xsl:template match="{cell}"><xsl:text> </xsl:text><xsl:apply-templates/><xsl:text> </xsl:text></xsl:template>
  <xsl:template match="text()"><xsl:value-of select="translate(., '&#13;&#10;', '  ')"/></xsl:template>
</xsl:stylesheet>"""))


_DOCUMENT_TEXT = _document_text_stylesheet()


def document_text(root: etree._Element) -> str:
    """`visible_text` of a whole document, walked by libxslt: half the time of the walk in Python
    over lxml's element proxies, on every page the checks read. (On a small element the
    stylesheet's setup costs more than the walk: `visible_text` there.)"""
    return _folded_lines(str(_DOCUMENT_TEXT(root)))


def visible_text(root: etree._Element) -> str:
    """What a reader sees: no scripts, styles or comments; one line per block, spaces folded."""
    parts: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:  # iterative: broken pages nest deeper than Python's recursion limit
        el, closing = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        if closing:
            parts.append(_separator(tag))
        elif tag and tag not in _HIDDEN:
            parts += [_separator(tag), _inline(el.text)]
            stack.append((el, True))
            stack.extend((child, False) for child in reversed(el))
            continue
        if el is not root:
            parts.append(_inline(el.tail))
    return _folded_lines("".join(parts))


def _inline(text: str | None) -> str:
    """Source text as a reader sees it: a line break in the markup is a space; lines come from blocks."""
    return (text or "").replace("\r", " ").replace("\n", " ")


def _folded_lines(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _separator(tag: str) -> str:
    return "\n" if tag in _BLOCK else " " if tag in _CELL else ""


def _base_url(root: etree._Element, url: str) -> str:
    return document_base(url, next((b.get("href") for b in root.iter("base") if b.get("href")), None))


def _meta(root: etree._Element) -> dict[str, str]:
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


def _title(root: etree._Element, meta: dict[str, str], names: tuple[str, ...], *, article: bool) -> str:
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
    names = (el.get("id") or "", *(el.get("class") or "").split())
    # str.replace, not re.sub: this runs for every element a title may hide in, on every page
    return any(name.lower().replace("-", "").replace("_", "") in _TITLE_ELEMENT_NAMES for name in names)


def _linked(el: etree._Element) -> bool:
    """Whether `el` is, or holds, or sits in a link."""
    return bool(el.xpath("boolean(ancestor-or-self::a[@href] | .//a[@href])"))


def _folded(el: etree._Element | None) -> str:
    # itertext, not text_content(): the latter is an XPath call that lets go of the GIL and then
    # waits for it behind the reactor thread, many times a page.
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _links(root: etree._Element, base: str) -> list[Link]:
    """Every link target of the page once, in document order, with its text: the words of its first
    <a> that has any, else that <a>'s title. Read here, where each anchor is resolved anyway: read
    apart in the scan's process (the bound of a scan on 2 cores), every anchor was resolved twice."""
    links: dict[str, Link] = {}
    for el in root.iter(*_LINK_ATTRS):
        tag, target = el.tag, el.get(_LINK_ATTRS[el.tag])
        if target is None or tag == "link" and not _LINK_RELS & set((el.get("rel") or "").lower().split()):
            continue
        url = absolute_url(target, base)
        if url is None:
            continue
        link = links.get(url)
        if link is None:
            link = links[url] = Link(url, tag, "")
        if tag == "a" and not link.text:
            link.text = _folded(el) or el.get("title", "")
    return list(links.values())


def _breadcrumb(root: etree._Element) -> list[str]:
    """Items after a 当前位置-style label; else the TRS CurrChnlCls channel links."""
    tried: set[etree._Element] = set()  # each element read once: many labels under one block stay linear
    for node in root.xpath("//body//text()[contains(., '位置')]"):
        el = node.getparent()
        if node.is_tail:
            el = el.getparent()
        for _ in range(3):  # the label may sit alone in a <span> inside the breadcrumb block
            if el is None or el in tried:
                break
            tried.add(el)
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
    return [text for a in channels if (text := _folded(a))] or _unlabelled_crumbs(root)


_HOME_CRUMB = re.compile(r"(?:网站首页|首页)\s*(?:>>|->|>|›|»|＞|→)")
_HOME_LINKS = "//body//a[normalize-space(.)='首页' or normalize-space(.)='网站首页']"


def _unlabelled_crumbs(root: etree._Element) -> list[str]:
    """A breadcrumb without a 当前位置 label: the block around a 首页 link that reads
    首页 > 栏目 > 栏目 (万载: 网站首页>政务公开>万载要闻). A menu (首页 | 政务公开 …) has no such arrows."""
    for home in root.xpath(_HOME_LINKS):
        block = home.getparent()
        text = " ".join(visible_text(block).split()) if block is not None else ""
        if _HOME_CRUMB.match(text) and len(items := _crumb_items(text)) >= 2:
            return items
    return []


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


_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "dt", "strong", "b", "th"}
_HEADING_NAME = re.compile(r"tit|^bt$|^hd$|head|^name$|^lm", re.I)
_SECTION_MAX = 20  # characters of a section heading at most: longer text is no heading
_SECTION_SIBLINGS = 50  # preceding siblings searched for a heading, per level


def _sitemap_sections(root: etree._Element, base: str) -> dict[str, str]:
    """The 网站地图's column links, each with the section heading it is listed under (规划信息 for
    工作进展情况): the nearest heading before it among its own or its ancestors' siblings."""
    sections: dict[str, str] = {}
    for anchor in root.iter("a"):
        url = absolute_url(anchor.get("href"), base)
        if url is None or url in sections:
            continue
        own = _folded(anchor)
        el: etree._Element | None = anchor
        for _ in range(4):
            if el is None:
                break
            siblings = islice(el.itersiblings(preceding=True), _SECTION_SIBLINGS)  # a long <ul> is no heading
            heading = next((text for sibling in siblings
                            if _is_heading(sibling) and (text := _folded(sibling)) and text != own), "")
            if heading:
                if len(heading) <= _SECTION_MAX:
                    sections[url] = heading
                break
            el = el.getparent()
            if el is not None and _is_heading(el):
                break  # the anchor is a heading itself
    return sections


def _is_heading(el: etree._Element) -> bool:
    if not isinstance(el.tag, str):
        return False
    names = [el.get("id") or "", *(el.get("class") or "").split()]
    return el.tag in _HEADING_TAGS or any(_HEADING_NAME.search(name) for name in names if name)


_INTERPRETATION = re.compile(r"解读|答记者问|一图读懂|图解")
# A title that is an interpretation (…政策解读, 图解：…), not news about one (政策解读会召开).
_INTERPRETATION_TITLE = re.compile(r"(?:解读|答记者问|问答)(?:材料)?$|^(?:图解|一图读懂|解读)")
_BOOK_TITLE = re.compile(r"《([^《》]{4,80})》")
_INTERPRETATION_TAIL = re.compile(r"(?:的)?(?:政策)?(?:解读|图解|问答|答记者问)(?:材料|文章)?$|^(?:图解|一图读懂|解读)[:：]?")
_ORIGINAL_LINK = re.compile(r"原文|相关文件|文件全文|政策文件|相关政策|关联文件|文件链接|附件：?《")
MAX_CITED = 20


def _is_interpretation(page: Page) -> bool:
    """A 政策解读 page: in an interpretation column (by its breadcrumb or column name), or titled as one."""
    if any(_INTERPRETATION.search(name) for name in (page.column, *page.breadcrumb)):
        return True
    return bool(_INTERPRETATION_TITLE.search(page.title.split("_")[0].strip()))


def _citations(page: Page) -> tuple[list[str], list[str]]:
    """The documents a 政策解读 page names (the 《…》 of its title and text, else its title without 解读)
    and the links it gives to them (原文, 相关文件 … or a link named like a cited document)."""
    names = _BOOK_TITLE.findall(page.title) or _BOOK_TITLE.findall(page.heading)
    if not names:
        own = page.title.split("_")[0].strip()  # without the site's _栏目_站名 suffix
        bare = _INTERPRETATION_TAIL.sub("", own).removeprefix("关于")
        names = [bare] if len(bare) >= 6 and bare != own else []  # a title that says no 解读 names nothing
    names += [name for name in _BOOK_TITLE.findall(page.text[:3000]) if name not in names]
    folded = {_TITLE_GLUE.sub("", name) for name in names}
    links = [link.url for link in page.links if link.tag == "a" and link.text and (
        (_ORIGINAL_LINK.search(link.text) and not _is_column(link.url))
        or _TITLE_GLUE.sub("", link.text.strip("《》")) in folded)]
    return names[:MAX_CITED], list(dict.fromkeys(links))[:MAX_CITED]


def _is_column(url: str) -> bool:
    """A column's list (`/zcwj/`, `col/col123/index.html`), as the site's navigation links 政策文件 or
    相关政策: no document's 原文."""
    return urlsplit(first_list_page(url)).path.endswith("/")
