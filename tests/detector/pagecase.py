"""Cases whose page is built the way a scan builds it: HTML through the crawler's extraction.

The source and validity checks read what extraction fills (`published`, `source`, `meta`,
`list_items`, `sitemap`), so their cases are pages, not bare text. A case gives `body` (the part
between a government site's navigation and footer), `title` and `meta` (a table of meta tags);
`html` instead gives the whole document. `homepage` marks a homepage; `kind = "attachment"` with
`text` gives an attachment's extracted text.
"""

from __future__ import annotations

import html as htmllib
from typing import Any

from casefile import TODAY
from core.model import Page
from crawler.extract import extract_page

SITE = "某某县人民政府"
UNIT = "某某县人民政府办公室"
ARTICLE_URL = "http://127.0.0.1:8001/xwzx/zwyw/202611/t20261120_1001.html"

_SKELETON = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="SiteName" content="某某县人民政府">
<meta name="SiteDomain" content="www.mmx.gov.cn">
<meta name="SiteIDCode" content="5115230001">
{meta}
</head>
<body>
<div class="header"><a href="/"><img src="/images/logo.png" alt="某某县人民政府"></a></div>
<div class="nav"><ul>
  <li><a href="/">首页</a></li><li><a href="/xwzx/">新闻中心</a></li><li><a href="/xxgk/">政务公开</a></li>
  <li><a href="/bmfw/">便民服务</a></li><li><a href="/hdjl/">互动交流</a></li>
</ul></div>
{body}
<div class="footer">
  <p><a href="/wzdt/">网站地图</a> | <a href="mailto:zfb@mmx.gov.cn">联系我们</a></p>
  <p>主办：某某县人民政府办公室　承办：某某县大数据发展中心</p>
  <p>网站标识码：5115230001　蜀ICP备12345678号</p>
</div>
</body>
</html>
"""


def page_of(case: dict[str, Any]) -> Page:
    site, unit = case.get("site", SITE), case.get("unit", UNIT)
    if case.get("kind") == "attachment":
        return Page(url=case.get("url", ARTICLE_URL), site=site, unit=unit, kind="attachment", text=case["text"])
    html = case.get("html") or _SKELETON.format(
        title=htmllib.escape(case.get("title", "")),
        meta="\n".join(f'<meta name="{name}" content="{htmllib.escape(value)}">'
                       for name, value in case.get("meta", {}).items()),
        body=case["body"])
    page, _ = extract_page(case.get("url", ARTICLE_URL), html, site=site, unit=unit, today=TODAY,
                           is_homepage=case.get("homepage", False))
    return page
