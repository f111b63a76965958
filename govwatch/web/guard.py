"""The console's security rules, each in one place: sign-in required, CSRF on every POST, headers that
keep crawled text from running or the console from being framed, and an audit entry for every POST.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask, Response, g, redirect, request, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from storage.times import utcnow

from .state import SignedIn, console, render

# No inline script anywhere (the console needs none); styles from our own sheet; SVG charts inline.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
PUBLIC = frozenset({"auth.login", "auth.healthz", "static"})
SECRET_FIELDS = frozenset({"password", "csrf_token"})
_csrf = CSRFProtect()


@dataclass
class AuditNote:
    """What a POST did, set by its view; a POST whose view set none is audited from its route and status."""

    action: str
    target: str = ""
    detail: str = ""
    ok: bool = True
    user: str = ""  # for sign-in: the name tried (the form's, not a session's)


def note(action: str, target: str = "", detail: str = "", ok: bool = True, user: str = "") -> None:
    g.audit = AuditNote(action, target, detail, ok, user)


def install(app: Flask) -> None:
    _csrf.init_app(app)
    logins = LoginManager(app)
    logins.session_protection = "strong"

    @logins.user_loader
    def load(name: str) -> SignedIn | None:
        record = console().users.active(name)
        return SignedIn(record) if record else None

    @app.before_request
    def require_sign_in() -> Response | None:
        if request.endpoint in PUBLIC or current_user.is_authenticated:
            return None
        target = request.full_path if request.query_string else request.path
        return redirect(url_for("auth.login", next=target))

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        if request.method == "POST":
            _audit(response.status_code)
        return response

    @app.errorhandler(CSRFError)
    def csrf_refused(error: CSRFError) -> tuple[str, int]:
        note(f"{request.endpoint or request.path}", _target(), f"CSRF 校验失败：{error.description}", ok=False)
        return render("error.html", title="请求无效",
                      message="表单已失效或来源不明（CSRF 校验失败），未做任何更改。请返回上一页刷新后重试。"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
        messages = {404: ("未找到", "没有这个页面或工单，或您无权查看。"),
                    403: ("无权操作", "您的角色不能执行此操作。"),
                    405: ("方法不允许", "该地址不接受这种请求。"),
                    413: ("内容过长", "提交的内容过长。"),
                    400: ("请求无效", "请求不完整或格式不对，未做任何更改。")}
        if error.code not in messages:
            return error
        title, message = messages[error.code]
        return render("error.html", title=title, message=message), error.code


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this console, else None: never another host (open redirect)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ch in target for ch in "\\\r\n\t") or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _target() -> str:
    return ",".join(f"{k}={v}" for k, v in (request.view_args or {}).items())


def _audit(status: int) -> None:
    """Every POST, allowed or not: who, what, when, from where. Passwords and tokens are never kept."""
    entry: AuditNote = g.get("audit") or AuditNote(request.endpoint or request.path, _target(), ok=status < 400)
    user = current_user.get_id() if current_user.is_authenticated else ""
    detail = entry.detail
    if not detail:
        fields = {k: v for k, v in request.form.items() if k not in SECRET_FIELDS}
        detail = "；".join(f"{k}={' '.join(v.split())[:200]}" for k, v in fields.items())
    console().users.audit(utcnow(), entry.user or user or "（未登录）", entry.action, entry.target, detail,
                          request.remote_addr or "", entry.ok and status < 400)
