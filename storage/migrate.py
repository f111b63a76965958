"""Bring a database to the current schema with Alembic, on every start of govwatch.

A database made before migrations existed (no `alembic_version` table, but govwatch's tables) is
the first revision: it is stamped as such, then upgraded like any other.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.exc import OperationalError, ProgrammingError

MIGRATIONS = Path(__file__).parent / "migrations"
FIRST_REVISION = "0001"


class SchemaTooNew(RuntimeError):
    """The database is at a revision this govwatch does not know: a newer govwatch wrote it."""


def _alembic(connection: Connection) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head() or ""


def _known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def current(engine: Engine) -> str:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() or ""


_upgraded: set[str] = set()
_lock = threading.Lock()  # Alembic's `op` and `context` are module globals: one migration at a time


def upgrade(engine: Engine) -> None:
    """Upgrade to head, once per database and process (the daemon's jobs each open the store)."""
    key = engine.url.render_as_string(hide_password=False)
    with _lock:
        if key not in _upgraded or engine.url.database in (None, "", ":memory:"):
            _upgrade(engine)
            _upgraded.add(key)


def _upgrade(engine: Engine) -> None:
    """Two processes starting at once on a new database: the loser retries."""
    sqlite = engine.dialect.name == "sqlite"
    for attempt in range(3):
        try:
            with engine.connect() as conn:
                if sqlite:
                    # A table rebuilt by a batch migration would break foreign keys mid-way; the
                    # pragma only takes effect outside a transaction, so before anything else.
                    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                    conn.commit()
                with conn.begin():
                    if engine.dialect.name == "postgresql":
                        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(5402017)")  # one migrator at a time
                    tables = inspect(conn).get_table_names()
                    config = _alembic(conn)
                    if "alembic_version" not in tables and "findings" in tables:
                        command.stamp(config, FIRST_REVISION)
                    revision = MigrationContext.configure(conn).get_current_revision()
                    if revision and revision not in _known_revisions():
                        raise SchemaTooNew(revision)
                    command.upgrade(config, "head")
                if sqlite:
                    conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                    conn.commit()
            return
        except (OperationalError, ProgrammingError):
            if attempt == 2:
                raise
            time.sleep(0.5 + attempt)
