"""Tickets: the list with its filters and export, one ticket's page, what people do to it, and its JSON.

Every rule (who sees which ticket, what a dismiss means for a unit, when a ticket is fixed) is the
ticket service's; these views only read forms, call it and say what happened.
"""

from __future__ import annotations

import io
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Callable

from flask import Blueprint, Response, abort, flash, jsonify, redirect, request, send_file, url_for

from core.model import KINDS, TICKET_STATUS_LABELS, Ticket
from storage.tickets import TicketError, TicketNotFound, TicketQuery
from storage.times import utcnow

from .guard import note
from .state import actor, console, render

blueprint = Blueprint("tickets", __name__)
PAGE_SIZE = 50
FILTERS = ("unit", "status", "kind", "site", "q")


def query_from_request() -> TicketQuery:
    values = {name: request.args.get(name, "").strip()[:200] for name in FILTERS}
    if values["status"] not in ("", *TICKET_STATUS_LABELS) or values["kind"] not in ("", *KINDS):
        abort(400)
    return TicketQuery(**values)


@blueprint.get("/tickets")
def index() -> str:
    query = query_from_request()
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        abort(400)
    found, total = console().tickets.page(query, actor(), offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    filters = {k: v for k, v in vars(query).items() if v}
    return render("tickets.html", tickets=found, total=total, page=page, pages=pages, query=query, filters=filters,
                  units=_units(), sites=[s.name for s in console().config.sites], kinds=KINDS, now=utcnow())


@blueprint.get("/tickets/export")
def export() -> Response:
    """The filtered list as the CLI's `tickets export` writes it (reports.tickets_export), CSV or XLSX."""
    fmt = request.args.get("format", "xlsx")
    if fmt not in ("csv", "xlsx"):
        abort(400)
    found = console().tickets.list(query=query_from_request(), actor=actor())
    from reports import tickets_export  # openpyxl: only when exporting

    config = console().config
    name = f"tickets-{config.today().isoformat()}.{fmt}"
    with tempfile.TemporaryDirectory(prefix="govwatch-export-") as folder:
        path = Path(folder) / name
        (tickets_export.write_xlsx if fmt == "xlsx" else tickets_export.write_csv)(path, found, config.timezone)
        data = path.read_bytes()
    mimetype = ("text/csv" if fmt == "csv"
                else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)


@blueprint.get("/api/tickets")
def api() -> Response:
    """`{"tickets": [...]}`: the objects of `tickets list --json`, only those the person may see."""
    found = console().tickets.list(query=query_from_request(), actor=actor())
    response = jsonify({"tickets": [t.to_json() for t in found]})
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    return response


@blueprint.get("/tickets/<int:ticket_id>")
def show(ticket_id: int) -> str:
    ticket = _ticket(ticket_id)
    finding = console().store.findings_by_fingerprint([ticket.fingerprint]).get(ticket.fingerprint)
    return render("ticket.html", ticket=ticket, finding=finding, countdown=countdown(ticket, utcnow()),
                  pending=console().tickets.request_pending(ticket.id),
                  active=ticket.status in ("open", "overdue", "reopened"), user=actor())


@blueprint.post("/tickets/<int:ticket_id>/dismiss")
def dismiss(ticket_id: int) -> Response:
    reason = request.form.get("reason", "")
    who = actor()
    return _act(ticket_id, "误报" if who.sees_every_unit else "申请误报", reason,
                lambda: console().tickets.dismiss(ticket_id, reason, who, utcnow()),
                "已标记为误报。" if who.sees_every_unit else "已提交误报申请，等待读网值班处理。")


@blueprint.post("/tickets/<int:ticket_id>/reject")
def reject(ticket_id: int) -> Response:
    reason = request.form.get("reason", "")
    return _act(ticket_id, "驳回误报申请", reason,
                lambda: console().tickets.reject_request(ticket_id, reason, actor(), utcnow()), "已驳回误报申请。")


@blueprint.post("/tickets/<int:ticket_id>/comment")
def comment(ticket_id: int) -> Response:
    text = request.form.get("comment", "")
    return _act(ticket_id, "备注", text, lambda: console().tickets.comment(ticket_id, text, actor(), utcnow()),
                "备注已保存。")


@blueprint.post("/tickets/<int:ticket_id>/fixed")
def fixed(ticket_id: int) -> Response:
    """已整改: re-checked now, as `govwatch check` would; fixed only when the problem is gone."""
    text = request.form.get("note", "")
    try:
        ticket, outcome = console().tickets.mark_fixed(ticket_id, text, actor(), utcnow(), console().recheck)
    except TicketNotFound:
        note("标记已整改", f"工单 {ticket_id}", "没有该工单或无权查看", ok=False)
        abort(404)
    except TicketError as exc:
        note("标记已整改", f"工单 {ticket_id}", str(exc), ok=False)
        flash(str(exc), "error")
        return redirect(url_for("tickets.show", ticket_id=ticket_id), code=303)
    if outcome.found is None:
        message, ok = f"未能复查，工单状态未变：{outcome.reason}", False
    elif outcome.found:
        message, ok = "复查时仍发现该问题，工单未标记为已整改。请整改后再试。", False
    else:
        message, ok = "复查未再发现该问题，工单已标记为已整改。", True
    note("标记已整改", f"工单 {ticket.id}", f"{message} {text}".strip(), ok=ok)
    flash(message, "ok" if ok else "error")
    return redirect(url_for("tickets.show", ticket_id=ticket_id), code=303)


def countdown(ticket: Ticket, now: datetime) -> str:
    """The deadline as a person reads it: time left, or how late it is."""
    if ticket.status not in ("open", "overdue", "reopened"):
        return ""
    left = int((ticket.deadline - now).total_seconds() // 60)
    hours, minutes = divmod(abs(left), 60)
    span = f"{hours // 24} 天 {hours % 24} 小时" if hours >= 24 else f"{hours} 小时 {minutes} 分"
    return f"剩余 {span}" if left >= 0 else f"已超期 {span}"


def _ticket(ticket_id: int) -> Ticket:
    try:
        return console().tickets.get(ticket_id, actor())
    except TicketNotFound:
        abort(404)


def _units() -> list[str]:
    who = actor()
    return console().tickets.units() if who.sees_every_unit else [who.unit]


def _act(ticket_id: int, action: str, text: str, change: Callable[[], object], done: str) -> Response:
    try:
        change()
    except TicketNotFound:
        note(action, f"工单 {ticket_id}", "没有该工单或无权查看", ok=False)
        abort(404)
    except TicketError as exc:
        note(action, f"工单 {ticket_id}", str(exc), ok=False)
        flash(str(exc), "error")
        return redirect(url_for("tickets.show", ticket_id=ticket_id), code=303)
    note(action, f"工单 {ticket_id}", " ".join(text.split())[:500])
    flash(done, "ok")
    return redirect(url_for("tickets.show", ticket_id=ticket_id), code=303)
