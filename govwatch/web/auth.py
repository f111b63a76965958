"""Signing in and out, and the health check a load balancer or systemd watchdog asks."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from storage.times import utcnow

from .guard import note, safe_next
from .state import SignedIn, console, render

blueprint = Blueprint("auth", __name__)


@blueprint.get("/healthz")
def healthz() -> Response:
    """200 while the console runs and its database answers; no sign-in needed, nothing revealed."""
    console().store.scans(1)
    return Response("ok\n", mimetype="text/plain")


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(target or url_for("estate.dashboard"))
        return render("login.html", next=target or "", error="")
    name = request.form.get("username", "").strip()
    outcome = console().users.sign_in(name, request.form.get("password", ""), utcnow())
    if outcome.user is None:
        note("登录", name, outcome.reason, ok=False, user=name)
        return render("login.html", next=target or "", error=outcome.reason, username=name), 401
    session.clear()  # a fresh session for the signed-in person
    login_user(SignedIn(outcome.user))
    note("登录", name, "登录成功", user=name)
    return redirect(target or url_for("estate.dashboard"))


@blueprint.post("/logout")
def logout() -> Response:
    name = current_user.get_id()
    logout_user()
    session.clear()
    note("退出登录", name or "", user=name or "")
    return redirect(url_for("auth.login"))
