"""What govwatch saw on one page, for `govwatch check`: its title, date, source and kind, and for a
list its items, newest date, pager and category with the rule and where the category came from, so
a user can see why a column was judged stale or blank. The `page` object of `check --json` is a
contract: add, never rename.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core.config import ColumnConfig
from core.model import Column, Page

from .checks.sources import is_article
from .column_rules import INTERACTION_DAYS, SOURCE_LABELS, categorize, judge, rule_of

KIND_LABELS = {"home": "首页", "sitemap": "网站地图", "attachment": "附件", "interaction": "互动交流（留言）",
               "interpretation": "政策解读", "fixed": "固定信息栏目", "list": "栏目列表", "article": "文章", "page": "其他页面"}


def page_kind(page: Page) -> str:
    """home, sitemap, attachment, interaction, interpretation, fixed, list, article or page."""
    if page.kind == "attachment":
        return "attachment"
    if page.is_homepage:
        return "home"
    if page.sitemap:
        return "sitemap"
    if page.letters:
        return "interaction"
    if page.fixed_content:
        return "fixed"
    if page.column_url:
        return "list"
    if page.cited or page.cited_links:
        return "interpretation"
    return "article" if is_article(page) else "page"


def describe(page: Page, today: date, column: Column | None = None, pinned: ColumnConfig | None = None,
             interaction_days: int = INTERACTION_DAYS) -> dict[str, Any]:
    """The `page` object: what the page is and, for a list, what its column was judged by."""
    kind = page_kind(page)
    seen: dict[str, Any] = {"url": page.url, "title": page.title,
                            "published": page.published.isoformat() if page.published else None,
                            "source": page.source, "kind": kind}
    if page.letters:
        seen["messages"] = len(page.letters)
    if kind not in ("list", "interaction") or not page.column_url:
        return seen
    dates = [item.date for item in page.list_items if item.date]
    seen.update(items=len(page.list_items), newest=max(dates).isoformat() if dates else None,
                pages=page.list_pages or 1, pager=page.pager, page_number=page.list_page)
    if column is not None:
        category = categorize(column, pinned.category if pinned else "")
        rule = ""
        if column.newest is not None:
            rule = rule_of(judge(column, today, category=category.category, interaction_days=interaction_days,
                                 max_age_days=pinned.max_age_days if pinned and pinned.max_age_days else None))
        seen["category"] = {"category": category.category, "label": category.label, "rule": rule,
                            "from": category.source, "by": category.by}
    return seen


def describe_text(seen: dict[str, Any]) -> list[str]:
    """The same, as Chinese lines for the terminal."""
    lines = [f"页面类型：{KIND_LABELS.get(seen['kind'], seen['kind'])}", f"标题：{seen['title'] or '（无）'}",
             f"发布日期：{seen['published'] or '（未识别）'}", f"来源：{seen['source'] or '（未注明）'}"]
    if "messages" in seen:
        lines.append(f"留言：{seen['messages']} 条")
    if "items" in seen:
        lines.append(f"列表：{seen['items']} 条，最新 {seen['newest'] or '（无日期）'}；分页 {seen['pages']} 页"
                     + (f"（{seen['pager']}，本页为第 {seen['page_number']} 页）" if seen["pager"] else ""))
    category = seen.get("category")
    if category:
        by = f"，据{SOURCE_LABELS[category['from']]}“{category['by']}”" if category["by"] else ""
        lines.append(f"栏目类别：{category['label']}（{category['category']}{by}）"
                     + (f"，{category['rule']}" if category["rule"] else ""))
    return lines
