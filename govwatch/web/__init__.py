"""The web console (网站控制台): reading duty and the units read and work their tickets in a browser.

An application room beside the CLI: `create_app` builds a Flask app over one store, with a blueprint
per area — auth, tickets (and their JSON), the review of suspected typos, the estate (dashboard, scans,
sites) and admin (audit log, users). It calls the same ticket service (storage.tickets), review service
(storage.reviews), check path (govwatch.rechecks) and export (reports.tickets_export) as the CLI, and
renders through the project's one autoescaped Jinja environment (reports.env.ENV): Flask's own
environment is that one. `govwatch web` serves it with
waitress.
"""

from __future__ import annotations

from typing import Callable

from datetime import datetime
from typing import Any

from flask import Flask, get_flashed_messages, url_for
from jinja2 import Environment

from core.config import Config
from core.model import TICKET_STATUS_LABELS, TICKET_STEP_LABELS, Ticket
from reports.env import ENV, local_time
from storage import Store
from storage.reviews import ReviewBook
from storage.tickets import Recheck, TicketBook
from storage.users import UserBook

from ..rechecks import rechecker
from . import admin, auth, estate, guard, review, tickets
from .proxies import TrustedProxies
from .secret import secret_key
from .state import Console


class ConsoleFlask(Flask):
    def create_jinja_environment(self) -> Environment:
        """The project's one environment (autoescaping, govwatch's filters), not a second one of Flask's."""
        return ENV


def create_app(config: Config, store: Store, *, recheck: Callable[[Ticket], Recheck] | None = None,
               testing: bool = False) -> Flask:
    """The console over `store`. `recheck` defaults to re-checking as `govwatch check` does."""
    app = ConsoleFlask(__name__, static_folder="static", template_folder=None)
    https = config.web.base_url.startswith("https://")
    app.config.update(
        SECRET_KEY=secret_key(config),
        TESTING=testing,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=https,
        SESSION_COOKIE_NAME="govwatch_session",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=https,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session: a page left open still submits
        WTF_CSRF_SSL_STRICT=https,
        MAX_CONTENT_LENGTH=64 * 1024,  # forms carry a reason or a note, nothing more
        PREFERRED_URL_SCHEME="https" if https else "http",
    )
    app.extensions["govwatch"] = Console(config, store, TicketBook(store), UserBook(store),
                                         recheck or rechecker(config), ReviewBook(store))
    guard.install(app)
    app.wsgi_app = TrustedProxies(app.wsgi_app, config.web.trusted_proxies)  # type: ignore[method-assign]

    @app.context_processor
    def helpers() -> dict[str, Any]:
        """What Flask's own environment would offer, given per render so the shared one stays as it is."""
        return {"url_for": url_for, "get_flashed_messages": get_flashed_messages, "statuses": TICKET_STATUS_LABELS,
                "steps": TICKET_STEP_LABELS,
                "step_time": lambda at: local_time(datetime.fromisoformat(at), config.timezone)}

    for blueprint in (auth.blueprint, estate.blueprint, tickets.blueprint, review.blueprint, admin.blueprint):
        app.register_blueprint(blueprint)
    return app
