"""Helpers for the console's tests: a console over a copy of a scanned database, users of each role,
and signing in through the login form as a browser would (CSRF token included)."""

from __future__ import annotations

import re
import shutil
import tomllib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from flask import Flask
from flask.testing import FlaskClient

from core.config import load
from core.model import Ticket
from govwatch.web import create_app
from storage import Store
from storage.tickets import Recheck
from storage.users import UserBook

PASSWORD = "correct-horse-battery"
SECRET = "a-test-secret-key-0123456789"


@dataclass
class Console:
    app: Flask
    store: Store
    config_path: Path

    def client(self) -> FlaskClient:
        return self.app.test_client()


def copy_config(config_path: Path, work: Path, extra: str = "") -> Path:
    """The scanned estate's config and database copied into `work`, so a test may change tickets freely."""
    work.mkdir(parents=True, exist_ok=True)
    text = config_path.read_text(encoding="utf-8")
    url = tomllib.loads(text)["database"]["url"]
    source = Path(url.removeprefix("sqlite:///"))
    shutil.copyfile(source, work / "govwatch.db")
    text = text.replace(url, f"sqlite:///{work / 'govwatch.db'}")
    path = work / "govwatch.toml"
    path.write_text(f'{text}\n[web]\nsecret_key = "{SECRET}"\n{extra}', encoding="utf-8")
    return path


def open_console(config_path: Path, users: dict[str, tuple[str, str]],
                 recheck: Callable[[Ticket], Recheck] | None = None) -> Console:
    """A console over the config's database with `users` (name → (role, unit)) added."""
    config = load(config_path)
    store = Store(config.database.url)
    book = UserBook(store)
    for name, (role, unit) in users.items():
        book.add(name, role, unit, PASSWORD, datetime.now(timezone.utc))
    return Console(create_app(config, store, recheck=recheck, testing=True), store, config_path)


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def sign_in(client: FlaskClient, name: str, password: str = PASSWORD, next_: str = "") -> Any:
    token = csrf_token(client.get("/login").text)
    return client.post("/login", data={"username": name, "password": password, "csrf_token": token, "next": next_})


def post(client: FlaskClient, path: str, **data: str) -> Any:
    """A POST from a signed-in page: the token comes from a page of the console, as a browser's would."""
    token = csrf_token(client.get("/tickets").text)
    return client.post(path, data={"csrf_token": token, **data})
