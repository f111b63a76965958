"""The identifiers a government site must show (网站标识), read from a page's text and links.

The indicators deduct 0.5 point for each of these missing from the page footer, and 1 point when
the homepage has no 我为政府网站找错 entry; `govwatch assess` counts what is missing.
"""

from __future__ import annotations

import re

from core.model import Page

# Identifier → how a page shows it (text), or the host its badge links to.
_TEXT_MARKS = {
    "网站标识码": re.compile(r"网站标识码\s*[:：]?\s*[0-9A-Za-z]{10}"),
    "ICP 备案号": re.compile(r"ICP\s*备\s*\d{6,}\s*号", re.I),
    "公安备案号": re.compile(r"公网安备\s*\d{10,}\s*号?"),
    "主办单位": re.compile(r"主办单位|主\s*办\s*[:：]"),
    "联系方式": re.compile(r"联系电话|联系方式|联系我们|电\s*话\s*[:：]\s*[\d（(]|邮\s*箱\s*[:：]|E-?mail", re.I),
}
_BADGE_HOSTS = {"党政机关标识": ("conac.cn",), "我为政府网站找错": ("zfwzgl.www.gov.cn", "pucha.kaipuyun.cn")}
_ERROR_ENTRY_TEXT = re.compile(r"我为政府网站找错|政府网站找错")
SITE_MARKS = (*_TEXT_MARKS, "党政机关标识", "我为政府网站找错")


def site_marks(page: Page) -> list[str]:
    """The identifiers this page shows, in the order of SITE_MARKS."""
    found = {name for name, pattern in _TEXT_MARKS.items() if pattern.search(page.text)}
    for name, hosts in _BADGE_HOSTS.items():
        if any(host in link.url for link in page.links for host in hosts):
            found.add(name)
    if _ERROR_ENTRY_TEXT.search(page.text) or any(_ERROR_ENTRY_TEXT.search(link.text) for link in page.links):
        found.add("我为政府网站找错")
    return [name for name in SITE_MARKS if name in found]
