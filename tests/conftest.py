"""Shared fixtures: real services where reachable (skipped with a reason otherwise, failed in CI)."""

from __future__ import annotations

import os
import shutil
import uuid
from typing import Any, Iterator

import pytest

# The private PostgreSQL and Redis of the outage tests: one of each per session.
pytest_plugins = ["tests.support.private_servers"]

PG_ADMIN_URL = os.environ.get("GOVWATCH_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The word matcher is kept in the user's cache folder (govwatch.matchers): the suite's, and the
    commands it runs, in one of its own."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


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


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for every browser test (starting one costs seconds); each test sets the
    viewport and cookies it needs. Its console log is kept, for tests that check for page errors."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        require_service("Chromium", "`chromium` or `chromedriver` is not on PATH "
                                    "(Debian: apt-get install chromium chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        require_service("Chromium", "selenium is not installed (pip install -e '.[test]')")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Both paths given: Selenium Manager never goes looking on the network for a browser or a driver.
    chrome = webdriver.Chrome(service=Service(driver), options=options)
    try:
        yield chrome
    finally:
        chrome.quit()


@pytest.fixture(scope="session")
def shipped_matcher() -> Any:
    """The word matcher of the shipped word lists, built once: a build takes seconds, and tests only
    read it (`find`)."""
    import wordlists
    from detector.words import WordMatcher

    return WordMatcher(wordlists.load()).prepare()
