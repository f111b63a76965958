"""The one Jinja environment: autoescaping on for every template, with govwatch's filters."""

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


def local_time(value: datetime | None, tz: str = "Asia/Shanghai") -> str:
    return value.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M") if value else ""


ENV = Environment(
    loader=PackageLoader("reports", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters.update(
    highlight=highlight,
    local_time=local_time,
    kind_label=lambda kind: KINDS[kind].label,
    severity_label=lambda severity: SEVERITY_LABELS.get(severity, severity),
)
