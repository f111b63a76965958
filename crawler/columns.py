"""Which crawled pages are a column (栏目): a list page (and which show a blank-column placeholder), or
a fixed-content page (概况, 政府信息公开指南, 机关简介 …) that must be revised every year.

A list column is judged by its list: the first page of its pagination is its identity (all its pages
report the same `column_url`). An article with a "related articles" list is not a column: pages
with a publication date of their own are articles.
"""

from __future__ import annotations

import re

from core.model import Page
from core.urls import first_list_page

MIN_LIST_ITEMS = 3  # fewer dated links are a sidebar, not a list
_EMPTY_NOTICE = re.compile(
    r"暂无(?:相关)?(?:信息|数据|内容|记录|文章|公告|文件)|(?:栏目|页面|网站)?正在建设中|(?:栏目)?建设中，敬请期待|"
    r"信息正在(?:更新|整理)中|没有(?:找到)?(?:相关)?(?:信息|记录|数据)")


# Fixed content: by the page's own column name (its breadcrumb) or title.
_FIXED = re.compile(r"概况|概览|(?:政府)?信息公开指南|机关简介|机构简介|单位简介|机构职能|工作职能|领导简介")


def column_of(page: Page) -> tuple[str, str, bool]:
    """(column_url, empty_notice, fixed) of a page: ("", "", False) when it is not a column."""
    if page.kind != "html" or page.is_homepage or page.sitemap:
        return "", "", False
    if len(page.list_items) < MIN_LIST_ITEMS and _FIXED.search(f"{page.column} {page.title}"):
        return page.url, "", True
    if page.published:
        return "", "", False
    notice = "" if page.list_items else _notice(page.text)
    # A list with a pager is a list however few its items (a last page); an empty one is a blank column.
    if len(page.list_items) >= MIN_LIST_ITEMS or notice or page.empty_list or (page.pager and page.list_items):
        return first_list_page(page.url), notice, False
    return "", "", False


def _notice(text: str) -> str:
    match = _EMPTY_NOTICE.search(text)
    return match.group(0) if match else ""
