"""For admins only: the audit log (who did what, when, from where) and the list of users."""

from __future__ import annotations

from flask import Blueprint, abort, request

from storage.users import ROLES

from .state import actor, console, render

blueprint = Blueprint("admin", __name__)
PAGE_SIZE = 100


@blueprint.before_request
def admins_only() -> None:
    if actor().role != "admin":
        abort(403)


@blueprint.get("/audit")
def audit() -> str:
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        abort(400)
    entries, total = console().users.audit_log(PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return render("audit.html", entries=entries, page=page, pages=max(1, -(-total // PAGE_SIZE)), total=total)


@blueprint.get("/users")
def users() -> str:
    return render("users.html", users=console().users.list(), roles=ROLES)
