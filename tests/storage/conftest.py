"""The store every storage test runs against: real SQLite, and real PostgreSQL where reachable."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from storage import Store


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path / 'gw.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    opened = Store(url)
    yield opened
    opened.close()
