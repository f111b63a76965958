"""Every URL of a generated estate rendered on demand: TRS-style HTML pages, images, attachments.

Pages carry what real TRS portals carry (the 发展指引 meta tags, navigation, breadcrumb with
CurrChnlCls, a `TRS_Editor` body, `createPageHTML` pagers written by script, template assets on
every page), so a crawler parses and checks as much per page as it would on a real site.
"""

from __future__ import annotations

import io
import re
import zipfile
from html import escape

from . import corpus
from .layout import ITEMS_PER_PAGE, Article, Column, Layout, id_number

SITE_NAME = "某某县人民政府"
HTML = "text/html; charset=utf-8"
CURRENT = ' class="CurrChnlCls"'  # how TRS marks the channel links of a breadcrumb
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "css": "text/css",
                 "js": "application/javascript", "pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
# One placeholder picture (a 1x1 GIF) behind every image URL: crawlers check images, not pixels.
PIXEL = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
         b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
ASSETS = {"/images/logo.png": PIXEL, "/images/banner.jpg": PIXEL, "/images/jiucuo.gif": PIXEL,
          "/css/style.css": b"body{font:14px/1.8 sans-serif}.list li span{float:right}\n",
          "/js/common.js": b"function createPageHTML(n,c,p,e){/* pager, written by script */}\n"}

_LIST = re.compile(r"/(\w+)/(\w+)/(?:index(?:_(\d+))?\.html)?")
_CHANNEL = re.compile(r"/(\w+)/(?:index\.html)?")
_ARTICLE = re.compile(r"(/\w+/\w+/)(\d{6})/t(\d{8})_(\d+)\.html")
_FILE = re.compile(r"(/\w+/\w+/)(\d{6})/(?:W0|P0)(\d{8})(\d+)\.(jpg|pdf|docx)")

Response = tuple[int, str, bytes]  # status, content type, body


def respond(layout: Layout, path: str) -> Response:
    """What the estate answers for `path` (no query): 200 with a body, or a 404 page."""
    if path in ("/", "/index.html"):
        return 200, HTML, homepage(layout).encode()
    if path in ASSETS:
        return 200, CONTENT_TYPES[path.rsplit(".", 1)[1]], ASSETS[path]
    if path == "/wzdt/index.html":
        return 200, HTML, sitemap(layout).encode()
    if m := _CHANNEL.fullmatch(path):
        if m[1] in layout.channels:
            return 200, HTML, channel_page(layout, m[1], layout.channels[m[1]]).encode()
    elif m := _LIST.fullmatch(path):
        column, page = layout.by_path.get(f"/{m[1]}/{m[2]}/"), int(m[3] or 0)
        if column and page < column.list_pages and m[3] != "0":
            return 200, HTML, list_page(layout, column, page).encode()
    elif m := _ARTICLE.fullmatch(path):
        article = _article(layout, m[1], m[2], m[3], m[4])
        if article:
            return 200, HTML, article_page(layout, article).encode()
    elif m := _FILE.fullmatch(path):
        article = _article(layout, m[1], m[2], m[3], m[4])
        if article and path in (article.image, article.attachment):
            return 200, CONTENT_TYPES[m[5]], attachment(article, m[5])
    return 404, HTML, NOT_FOUND


def _article(layout: Layout, column_path: str, month: str, day: str, docid: str) -> Article | None:
    column = layout.by_path.get(column_path)
    article = column and layout.article_by_docid(column, int(docid))
    if article and f"{article.published:%Y%m}" == month and f"{article.published:%Y%m%d}" == day:
        return article
    return None


NOT_FOUND = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>404 页面不存在</title>'
             '</head><body><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除。</p><p><a href="/">返回首页</a>'
             "</p></body></html>\n").encode()


# -- pages ------------------------------------------------------------------------------------------

def _page(layout: Layout, title: str, meta: dict[str, str], crumbs: list[tuple[str, str]], body: str) -> str:
    metas = "".join(f'<meta name="{k}" content="{escape(v)}">\n' for k, v in meta.items())
    nav = "".join(f'<li><a href="/{ch}/index.html">{name}</a><ul>'
                  + "".join(f'<li><a href="{c.list_url(0)}">{c.name}</a></li>'
                            for c in layout.columns if c.channel == ch) + "</ul></li>"
                  for ch, name in layout.channels.items())
    crumb = " &gt; ".join(f'<a href="{url}"{CURRENT if i else ""}>{name}</a>'
                          for i, (url, name) in enumerate(crumbs))
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{escape(title)}</title>
<meta name="SiteName" content="{SITE_NAME}">
<meta name="SiteDomain" content="127.0.0.1">
<meta name="SiteIDCode" content="5115210001">
{metas}<link rel="stylesheet" href="/css/style.css">
<script src="/js/common.js"></script>
</head><body>
<div class="top"><a href="/"><img src="/images/logo.png" alt="{SITE_NAME}"></a>
<img src="/images/banner.jpg" alt="" class="banner"></div>
<ul class="nav"><li><a href="/">首页</a></li>{nav}</ul>
{f'<div class="crumb">当前位置：{crumb}</div>' if crumbs else ""}
{body}
<div class="footer"><a href="/wzdt/index.html">网站地图</a> | 主办：{SITE_NAME}办公室 承办：县大数据中心
<p>网站标识码：5115210001 蜀ICP备05012345号 <img src="/images/jiucuo.gif" alt="我为政府网站找错"></p></div>
</body></html>
"""


def _items(layout: Layout, column: Column, start: int, count: int, date_format: str) -> str:
    end = min(start + count, column.articles)
    rows = []
    for i in range(start, end):
        a = layout.article(column, i)
        rows.append(f'<li><a href="{a.url}" title="{a.title}" target="_blank">{a.title}</a>'
                    f"<span>{a.published.strftime(date_format)}</span></li>")
    return "\n".join(rows)


def homepage(layout: Layout) -> str:
    blocks = "\n".join(f'<div class="block"><h2><a href="{c.list_url(0)}">{c.name}</a>'
                       f'<a href="{c.list_url(0)}" class="more">更多&gt;&gt;</a></h2>'
                       f'<ul class="list">{_items(layout, c, 0, 6, "%m-%d")}</ul></div>'
                       for c in layout.columns)
    meta = {"ColumnName": "首页", "ColumnType": "首页", "Keywords": SITE_NAME}
    return _page(layout, SITE_NAME, meta, [], f'<div class="main">{blocks}</div>')


def sitemap(layout: Layout) -> str:
    body = "".join(f'<h2><a href="/{ch}/index.html">{name}</a></h2><ul>'
                   + "".join(f'<li><a href="{c.list_url(0)}">{c.name}</a></li>'
                             for c in layout.columns if c.channel == ch) + "</ul>"
                   for ch, name in layout.channels.items())
    meta = {"ColumnName": "网站地图", "ColumnType": "网站地图"}
    return _page(layout, f"网站地图_{SITE_NAME}", meta, [("/", "首页"), ("/wzdt/index.html", "网站地图")],
                 f'<div class="sitemap">{body}</div>')


def channel_page(layout: Layout, channel: str, name: str) -> str:
    blocks = "\n".join(f'<div class="block"><h2><a href="{c.list_url(0)}">{c.name}</a></h2>'
                       f'<ul class="list">{_items(layout, c, 0, 8, "%Y-%m-%d")}</ul></div>'
                       for c in layout.columns if c.channel == channel)
    meta = {"ColumnName": name, "ColumnType": name}
    return _page(layout, f"{name}_{SITE_NAME}", meta, [("/", "首页"), (f"/{channel}/index.html", name)],
                 f'<div class="main">{blocks}</div>')


def list_page(layout: Layout, column: Column, page: int) -> str:
    items = _items(layout, column, page * ITEMS_PER_PAGE, ITEMS_PER_PAGE, "%Y-%m-%d")
    # The TRS pager: written by script at view time, so the static page has no pager links.
    pager = (f"<script>var currentPage = {page};//所在页从0开始\nvar countPage = {column.list_pages}//共多少页\n"
             'createPageHTML(countPage, currentPage, "index", "html");</script>')
    meta = {"ColumnName": column.name, "ColumnType": column.name,
            "ColumnDescription": f"{SITE_NAME}{column.name}", "ColumnKeywords": column.name}
    crumbs = [("/", "首页"), (f"/{column.channel}/index.html", column.channel_name),
              (column.list_url(0), column.name)]
    return _page(layout, f"{column.name}_{SITE_NAME}", meta, crumbs,
                 f'<div class="main"><ul class="list">\n{items}\n</ul><div class="pager">{pager}</div></div>')


def article_page(layout: Layout, article: Article) -> str:
    column = article.column
    when = f"{article.published:%Y-%m-%d %H:%M}"
    meta = {"ColumnName": column.name, "ColumnType": column.name, "ArticleTitle": article.title,
            "PubDate": when, "ContentSource": article.unit, "Keywords": column.name,
            "Author": article.unit, "Description": article.title, "Url": article.url}
    crumbs = [("/", "首页"), (f"/{column.channel}/index.html", column.channel_name),
              (column.list_url(0), column.name)]
    body = (f'<div class="article"><h1>{article.title}</h1>\n'
            f'<div class="info">发布时间：{when} 来源：{article.unit} 浏览次数：{article.docid % 900 + 37}</div>\n'
            f'<div class="TRS_Editor">\n{article_body(article)}</div>\n'
            '<div class="share"><a href="javascript:window.print()">【打印本页】</a>'
            '<a href="javascript:window.close()">【关闭窗口】</a></div></div>')
    return _page(layout, f"{article.title}_{column.name}_{SITE_NAME}", meta, crumbs, body)


def article_body(article: Article) -> str:
    """1–3 kB of government prose in paragraphs, with the article's planted problems in it."""
    size = 1000 + article.docid * 7919 % 2000
    sentences = re.findall(r"[^。]+。", corpus.text(size, seed=article.docid))
    paragraphs = ["".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
    if article.has_error:
        paragraphs.insert(1, "根据《中华人民共合国政府信息公开条例》，现将有关情况公开如下。")
    if article.has_masked_id:
        paragraphs.append("公示对象：张某，身份证号：110105********1238，如有异议请于公示期内反映。")
    if article.full_id:
        paragraphs.append(f"申请人：李某某，公民身份号码：{article.full_id}，住址：某某镇。")
    parts = [f"<p>{p}</p>" for p in paragraphs]
    if article.image:
        parts.insert(1, f'<p style="text-align:center"><img src="{_relative(article, article.image)}" '
                        f'alt="{article.title}"></p>')
    if article.attachment:
        parts.append(f'<p>附件：<a href="{_relative(article, article.attachment)}">{article.title}.'
                     f'{article.attachment.rsplit(".", 1)[1]}</a></p>')
    if article.dead_link:
        parts.append(f'<p>相关链接：<a href="{article.dead_link}">往期相关通知</a></p>')
    return "\n".join(parts) + "\n"


def _relative(article: Article, url: str) -> str:
    """TRS writes an article's own files relative to it: ./W020261120….jpg."""
    return "./" + url.removeprefix(article.month_dir)


# -- files ------------------------------------------------------------------------------------------

def attachment(article: Article, ext: str) -> bytes:
    if ext == "jpg":
        return PIXEL
    if ext == "pdf":
        return pdf(f"Work report {article.published:%Y-%m-%d}, document {article.docid}")
    lines = [article.title, "根据《中华人民共和国政府信息公开条例》，现将名单公示如下。",
             f"王某某，公民身份号码：{id_number(article.docid + 7)}，某某镇某某村。"]
    return docx(lines)


def pdf(text: str) -> bytes:
    """A one-page PDF showing `text` (ASCII) in Helvetica, with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def docx(paragraphs: list[str]) -> bytes:
    """The smallest DOCX Word and python-docx open: content types, one relationship, the body."""
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument"/></Relationships>',
        "word/document.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()
