"""Bring a database to the current schema with Alembic, on every start of govwatch.

A database made before migrations existed (no `alembic_version` table, but govwatch's tables) is
the first revision: it is stamped as such, then upgraded like any other. A database already at the
newest revision is told so by one query, without Alembic: importing it and loading the migration
scripts took 0.13 s of every command's start, before a scan's crawl could begin.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.exc import OperationalError, ProgrammingError

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

MIGRATIONS = Path(__file__).parent / "migrations"
FIRST_REVISION = "0001"


def newest_revision() -> str:
    """The newest migration's revision, by the versions' file names (NNNN_what.py, each revising
    the one before: a test holds this to Alembic's own head)."""
    return max(path.name.split("_", 1)[0] for path in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


class SchemaTooNew(RuntimeError):
    """The database is at a revision this govwatch does not know: a newer govwatch wrote it."""


def _alembic(connection: Connection) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head() or ""


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def current(engine: Engine) -> str:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() or ""


_upgraded: set[str] = set()
_lock = threading.Lock()  # Alembic's `op` and `context` are module globals: one migration at a time


def upgrade(engine: Engine) -> None:
    """Upgrade to head, once per database and process (the daemon's jobs each open the store)."""
    key = engine.url.render_as_string(hide_password=False)
    with _lock:
        if key not in _upgraded or engine.url.database in (None, "", ":memory:"):
            if not _at_newest(engine):
                _upgrade(engine)
            _upgraded.add(key)


def _at_newest(engine: Engine) -> bool:
    """Whether the database is at the newest revision already (else Alembic looks at it)."""
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return False
            versions = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    except (OperationalError, ProgrammingError):
        return False
    return versions == [newest_revision()]


def _upgrade(engine: Engine) -> None:
    """Two processes starting at once on a new database: the loser retries."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

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
