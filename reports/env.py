"""The one Jinja environment: autoescaping on for every template, with govwatch's filters.

Plain-text templates (`*.txt`, mail bodies) are the one exception: HTML escaping would garble them,
so their untrusted values go through the `plain` filter instead, which drops control characters.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from core.model import KINDS, SEVERITY_LABELS


def highlight(context: str, term: str) -> Markup:
    """The context, escaped, with every occurrence of `term` wrapped in <mark>."""
    safe = escape(context)
    if not term:
        return safe
    return Markup(safe.replace(escape(term), Markup("<mark>") + escape(term) + Markup("</mark>")))


def plain(value: object) -> str:
    """For `*.txt` templates: `value` with control characters shown as spaces (see summary.printable)."""
    from .summary import printable  # imported here: summary imports this module

    return printable(str(value))


def highlight_text(context: str, term: str) -> str:
    """The plain-text `highlight`: the context with every occurrence of `term` in 【】."""
    context, term = plain(context), plain(term)
    return context.replace(term, f"【{term}】") if term else context


def web_url(value: str) -> bool:
    """Whether `value` may become a link: http(s) only, never `javascript:` or `data:` from a crawled page."""
    return value.lower().startswith(("http://", "https://"))


def local_time(value: datetime | None, tz: str = "Asia/Shanghai") -> str:
    return value.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M") if value else ""


ENV = Environment(
    loader=PackageLoader("reports", "templates"),
    autoescape=select_autoescape(disabled_extensions=("txt",), default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters.update(
    highlight=highlight,
    local_time=local_time,
    kind_label=lambda kind: KINDS[kind].label,
    severity_label=lambda severity: SEVERITY_LABELS.get(severity, severity),
    plain=plain,
    highlight_text=highlight_text,
)
ENV.tests.update(web_url=web_url)
