"""What the views share: the console's services, the signed-in person, and rendering a page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from flask import current_app, render_template
from flask_login import UserMixin, current_user

from core.config import Config
from core.model import Ticket
from storage import Store
from storage.reviews import ReviewBook
from storage.tickets import Recheck, TicketBook
from storage.users import ROLES, Actor, UserBook, UserRecord


@dataclass
class Console:
    """What every view works with: the configuration, the store and the services standing on it."""

    config: Config
    store: Store
    tickets: TicketBook
    users: UserBook
    recheck: Callable[[Ticket], Recheck]
    reviews: ReviewBook


class SignedIn(UserMixin):
    """The Flask-Login user: a console user as the store last knew it."""

    def __init__(self, record: UserRecord) -> None:
        self.record = record

    def get_id(self) -> str:
        return self.record.name

    @property
    def actor(self) -> Actor:
        return self.record.actor()

    @property
    def role_label(self) -> str:
        return ROLES[self.record.role]


def console() -> Console:
    return current_app.extensions["govwatch"]


def actor() -> Actor:
    return current_user.actor


def render(template: str, **context: Any) -> str:
    """A console page from reports/templates/console/, rendered by the one Jinja environment."""
    return render_template(f"console/{template}", tz=console().config.timezone, **context)
