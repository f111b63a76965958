"""The estate at a glance: the dashboard, the scans and the sites, each limited to what the person's
role may see (a unit: its own tickets and sites)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time

from flask import Blueprint

from core.model import KINDS
from reports.summary import SCAN_KIND_LABELS, STATUS_LABELS
from storage.times import utcnow

from ..service import assessments
from . import trend
from .state import actor, console, render

blueprint = Blueprint("estate", __name__)
RECENT_SCANS = 5


@blueprint.get("/")
def dashboard() -> str:
    config, who = console().config, actor()
    tickets = console().tickets.list(actor=who)
    start = datetime.combine(datetime.now(config.tz).date(), time(), config.tz)
    per_unit: dict[str, Counter[str]] = {}
    for t in tickets:
        if t.status in ("open", "reopened", "overdue"):
            per_unit.setdefault(t.unit or "（未指定责任单位）", Counter())[t.status] += 1
    new_today = [t for t in tickets if t.created_at >= start and t.status != "dismissed"]
    return render("dashboard.html", per_unit=sorted(per_unit.items()), new_today=new_today,
                  scans=console().store.scans(RECENT_SCANS), scan_status=STATUS_LABELS, scan_kinds=SCAN_KIND_LABELS,
                  assessed=_assessments(), chart=trend.chart(trend.days(tickets, datetime.now(config.tz).date(),
                                                                         config.tz)),
                  requests=console().tickets.pending_requests(who) if who.sees_every_unit else [],
                  kinds=KINDS, now=utcnow())


@blueprint.get("/scans")
def scans() -> str:
    return render("scans.html", scans=console().store.scans(50), scan_status=STATUS_LABELS,
                  scan_kinds=SCAN_KIND_LABELS)


@blueprint.get("/sites")
def sites() -> str:
    config = console().config
    availability = {a.site: a for a in console().store.availability(config.probe.window_days)}
    assessed = {a.site: a for a in _assessments()}
    return render("sites.html", sites=_my_sites(), availability=availability, assessed=assessed,
                  window=config.probe.window_days)


def _my_sites() -> list:
    who = actor()
    return [s for s in console().config.sites if who.sees_every_unit or s.unit == who.unit]


def _assessments() -> list:
    """Each visible site's self-assessment from the newest finished scan, as `govwatch assess` gives it."""
    store = console().store
    scan_id = store.latest_scan_id()
    if scan_id is None:
        return []
    mine = {s.name for s in _my_sites()}
    return [a for a in assessments(store, scan_id, console().config) if a.site in mine]
