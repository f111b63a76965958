"""Shared fixtures: real services where reachable (skipped with a reason otherwise, failed in CI)."""

from __future__ import annotations

import os
import uuid
from typing import Iterator

import pytest

PG_ADMIN_URL = os.environ.get("GOVWATCH_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def require_service(name: str, reason: str) -> None:
    """Skip with a visible reason, or fail when CI demands every service (GOVWATCH_REQUIRE_SERVICES=1)."""
    if os.environ.get("GOVWATCH_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{name} is required here (GOVWATCH_REQUIRE_SERVICES=1) but {reason}")
    pytest.skip(f"{name} not reachable: {reason}")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    try:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            name = f"govwatch_test_{uuid.uuid4().hex[:12]}"
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any failure to reach or use the server means "not available"
        require_service("PostgreSQL", f"{PG_ADMIN_URL}: {exc.__class__.__name__}: {exc}".splitlines()[0])
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


REDIS_URL = os.environ.get("GOVWATCH_TEST_REDIS", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_url() -> str:
    """A reachable Redis. Tests share it with others: each keeps to keys of its own and deletes them."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # any failure to reach or use the server means "not available"
        require_service("Redis", f"{REDIS_URL}: {exc.__class__.__name__}: {exc}".splitlines()[0])
    return REDIS_URL
