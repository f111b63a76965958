"""The review of suspected typos (疑似错别字审核): the reading duty and admins confirm or reject them.

Units do not review (issue 23's roles: the duty "confirms or rejects suspected typos"): a suspected typo
is nobody's task until a person confirms it, and then its unit sees the erroneous_expression ticket like
any other. So every route here is 403 for a unit user. The rules (what confirming opens, with which
deadline; what rejecting silences) are the review service's, storage/reviews.py, the one the
`govwatch review` commands call; these views read forms, call it and say what happened.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_login import current_user

from storage.reviews import CONFIRMED, ReviewError, ReviewNotFound
from storage.times import utcnow

from .guard import note
from .state import actor, console, render

blueprint = Blueprint("review", __name__)


def may_review() -> bool:
    return current_user.is_authenticated and actor().sees_every_unit


@blueprint.before_request
def reviewers_only() -> None:
    """A unit user's POST is refused here, and audited as refused by the guard like any other."""
    if not may_review():
        abort(403)


@blueprint.app_context_processor
def pending_count() -> dict[str, Any]:
    """`review_pending()` for the menu and the dashboard: counted only where a reviewer's page asks."""
    return {"review_pending": lambda: console().reviews.count() if may_review() else 0,
            "may_review": may_review}


@blueprint.get("/review")
def index() -> str:
    return render("review.html", suspects=console().reviews.pending())


@blueprint.post("/review/<int:finding_id>/confirm")
def confirm(finding_id: int) -> Response:
    """确认为错别字: an erroneous_expression ticket opens with the kind's deadline; its page is shown."""
    reviews, config = console().reviews, console().config
    try:
        ticket = reviews.confirm(finding_id, actor().name, utcnow(), config.tickets.deadline(CONFIRMED))
    except ReviewError as exc:
        return _refused("确认错别字", finding_id, exc)
    note("确认错别字", f"疑似错别字 {finding_id}", f"“{ticket.evidence}” → 工单 {ticket.id}")
    flash(f"已确认为错别字，生成工单 #{ticket.id}。", "ok")
    return redirect(url_for("tickets.show", ticket_id=ticket.id), code=303)


@blueprint.post("/review/<int:finding_id>/reject")
def reject(finding_id: int) -> Response:
    """不是错别字: the text is never reported again; the reason is kept with the decision."""
    reason = request.form.get("reason", "")
    try:
        text = console().reviews.reject(finding_id, reason, actor().name, utcnow())
    except ReviewError as exc:
        return _refused("驳回疑似错别字", finding_id, exc)
    note("驳回疑似错别字", f"疑似错别字 {finding_id}", f"“{text}”：{' '.join(reason.split())[:500]}")
    flash(f"已驳回：以后不再报告“{text}”。", "ok")
    return redirect(url_for("review.index"), code=303)


def _refused(action: str, finding_id: int, error: ReviewError) -> Response:
    """Unknown number → 404; already decided or no reason → back to the list with the service's words.
    (Rejecting removes the text's suspected findings, so a second reject of a number is a 404; a second
    confirm finds it decided.)"""
    note(action, f"疑似错别字 {finding_id}", str(error), ok=False)
    if isinstance(error, ReviewNotFound):
        abort(404)
    flash(str(error), "error")
    return redirect(url_for("review.index"), code=303)
