"""A database written before migrations existed upgrades on open, without losing anything.

The SQLite schema below is exactly what govwatch wrote before Alembic (`storage/models.py` at that
time, created with `create_all`); on PostgreSQL the first revision stands in for it.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from core.model import Finding
from storage import Store, StoreError, migrate
from storage.store import ScanStats

LEGACY_SQLITE_SCHEMA = """
CREATE TABLE sites (id INTEGER NOT NULL, name VARCHAR(200) NOT NULL, url VARCHAR(2000) NOT NULL,
    unit VARCHAR(200) NOT NULL, parent VARCHAR(200) NOT NULL, PRIMARY KEY (id), UNIQUE (name));
CREATE TABLE scans (id INTEGER NOT NULL, started_at DATETIME NOT NULL, finished_at DATETIME,
    status VARCHAR(20) NOT NULL, pages INTEGER NOT NULL, pages_failed INTEGER NOT NULL,
    links_checked INTEGER NOT NULL, findings INTEGER NOT NULL, error TEXT NOT NULL, PRIMARY KEY (id));
CREATE TABLE pages (id INTEGER NOT NULL, url VARCHAR(2000) NOT NULL, site_id INTEGER NOT NULL,
    kind VARCHAR(20) NOT NULL, status INTEGER NOT NULL, title TEXT NOT NULL, "column" VARCHAR(500) NOT NULL,
    published DATE, content_hash VARCHAR(64) NOT NULL, list_items INTEGER NOT NULL, newest_item DATE,
    is_homepage BOOLEAN NOT NULL, is_sitemap BOOLEAN NOT NULL, first_seen DATETIME NOT NULL,
    last_seen DATETIME NOT NULL, last_scan_id INTEGER NOT NULL, PRIMARY KEY (id), UNIQUE (url),
    FOREIGN KEY(site_id) REFERENCES sites (id), FOREIGN KEY(last_scan_id) REFERENCES scans (id));
CREATE TABLE findings (id INTEGER NOT NULL, fingerprint VARCHAR(32) NOT NULL, kind VARCHAR(40) NOT NULL,
    url VARCHAR(2000) NOT NULL, evidence TEXT NOT NULL, site_id INTEGER, unit VARCHAR(200) NOT NULL,
    "column" VARCHAR(500) NOT NULL, severity VARCHAR(20) NOT NULL, suggestion TEXT NOT NULL,
    context TEXT NOT NULL, details JSON NOT NULL, first_seen DATETIME NOT NULL, last_seen DATETIME NOT NULL,
    last_scan_id INTEGER NOT NULL, PRIMARY KEY (id), UNIQUE (fingerprint),
    FOREIGN KEY(site_id) REFERENCES sites (id), FOREIGN KEY(last_scan_id) REFERENCES scans (id));
CREATE INDEX ix_findings_last_scan_id ON findings (last_scan_id);
CREATE INDEX ix_findings_kind ON findings (kind);
"""

SITE = "某某县人民政府"
ROOT = "http://127.0.0.1:8001"
ROWS = [
    f"INSERT INTO sites VALUES (1, '{SITE}', '{ROOT}/', '县政府办', '')",
    "INSERT INTO scans VALUES (1, '2026-11-01 08:00:00.000000', '2026-11-01 08:10:00.000000', 'finished',"
    " 3, 0, 10, 3, '')",
    "INSERT INTO scans VALUES (2, '2026-11-02 08:00:00.000000', '2026-11-02 08:10:00.000000', 'finished',"
    " 3, 0, 10, 2, '')",
    f"INSERT INTO pages VALUES (1, '{ROOT}/a.html', 1, 'html', 200, '通知', '通知公告', NULL, 'h', 0, NULL,"
    " false, false, '2026-11-01 08:01:00.000000', '2026-11-02 08:01:00.000000', 2)",
    # The old identity split one dead link in two when its first referrer changed (a.html → b.html).
    f"INSERT INTO findings VALUES (1, 'old1', 'dead_link', '{ROOT}/a.html', '{ROOT}/gone.html', 1, '县政府办',"
    " '', 'low', '', 'HTTP 404', '{}', '2026-11-01 08:02:00.000000', '2026-11-01 08:02:00.000000', 1)",
    f"INSERT INTO findings VALUES (2, 'old2', 'dead_link', '{ROOT}/b.html', '{ROOT}/gone.html', 1, '县政府办',"
    " '', 'low', '', 'HTTP 404', '{}', '2026-11-02 08:02:00.000000', '2026-11-02 08:02:00.000000', 2)",
    f"INSERT INTO findings VALUES (3, 'old3', 'erroneous_expression', '{ROOT}/a.html', '中华人民共合国', 1,"
    " '县政府办', '通知公告', 'high', '应为“中华人民共和国”', '…', '{\"count\": 1}',"
    " '2026-11-01 08:01:00.000000', '2026-11-02 08:01:00.000000', 2)",
]


def fill(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        for row in ROWS:
            conn.execute(text(row))
        if engine.dialect.name == "postgresql":  # rows with explicit ids leave the sequences behind
            for table in ("sites", "scans", "pages", "findings"):
                conn.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
    engine.dispose()


def assert_upgraded_without_loss(url: str) -> None:
    store = Store(url)
    try:
        assert migrate.current(store.engine) == migrate.head()
        tables = set(inspect(store.engine).get_table_names())
        assert {"page_links", "link_targets", "list_items", "site_checks", "scan_lock", "store_info"} <= tables
        assert [(s.id, s.status, s.pages) for s in store.scans()] == [(2, "finished", 3), (1, "finished", 3)]
        findings = {f.kind: f for f in store.findings()}
        assert len(store.findings()) == 2  # the split dead link is one problem again
        dead = findings["dead_link"]
        assert dead.url == f"{ROOT}/b.html" and dead.first_seen.day == 1 and dead.last_seen.day == 2
        expected = Finding(kind="dead_link", url=dead.url, evidence=dead.evidence, site=SITE)
        assert dead.fingerprint == expected.identify({"127.0.0.1:8001": SITE})
        word = findings["erroneous_expression"]
        assert word.details == {"count": 1} and word.suggestion == "应为“中华人民共和国”"
        # And the upgraded database works: the next scan runs and keeps the old problem's history.
        scan = store.begin_scan([])
        moved = Finding(kind="dead_link", url=f"{ROOT}/c.html", evidence=f"{ROOT}/gone.html", site=SITE)
        moved.identify({"127.0.0.1:8001": SITE})
        [again] = store.record_findings(scan, [moved])
        store.finish_scan(scan, "finished", ScanStats())
        assert again.first_seen == dead.first_seen
    finally:
        store.close()


def test_a_legacy_sqlite_database_upgrades_without_loss(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'legacy.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        for statement in LEGACY_SQLITE_SCHEMA.split(";"):
            if statement.strip():
                conn.exec_driver_sql(statement)
    engine.dispose()
    fill(url)
    assert_upgraded_without_loss(url)


@pytest.mark.postgres
def test_a_first_revision_postgresql_database_upgrades_without_loss(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        command.upgrade(migrate._alembic(conn), migrate.FIRST_REVISION)
    engine.dispose()
    fill(postgres_url)
    assert_upgraded_without_loss(postgres_url)


def test_opening_twice_is_a_no_op(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    Store(url).close()
    store = Store(url)
    assert migrate.current(store.engine) == migrate.head()
    store.close()


def test_the_newest_revision_by_file_name_is_alembics_head() -> None:
    """Opening a store trusts the versions' file names to tell the newest revision without Alembic."""
    assert migrate.newest_revision() == migrate.head()


def test_a_database_at_the_newest_revision_opens_without_alembic(tmp_path: Path) -> None:
    """Every command opens the store: one already upgraded costs a query, not Alembic's import and
    its scripts; one a revision behind is still upgraded by Alembic (the test above at 0011)."""
    url = f"sqlite:///{tmp_path / 'gw.db'}"
    Store(url).close()
    code = ("import sys; from storage import Store; Store(sys.argv[1]).close(); "
            "print('alembic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "False"


AT_0011 = [
    f"INSERT INTO sites (id, name, url, unit, parent) VALUES (1, '{SITE}', '{ROOT}/', '县政府办', '')",
    "INSERT INTO scans (id, started_at, finished_at, status, pages, pages_failed, links_checked, findings, error,"
    " limits, check_errors, holder, kind) VALUES (1, '2026-11-01 08:00:00', '2026-11-01 08:10:00', 'finished',"
    " 1, 0, 1, 2, '', '{}', '{}', '', 'full')",
    "INSERT INTO pages (id, url, site_id, kind, status, title, \"column\", content_hash, list_items, is_homepage,"
    " is_sitemap, first_seen, last_seen, last_scan_id, column_url, empty_notice, fixed_content, facts) VALUES"
    f" (1, '{ROOT}/a.html', 1, 'html', 200, '通知', '通知公告', 'h', 0, 0, 0, '2026-11-01 08:01:00',"
    " '2026-11-01 08:01:00', 1, '', '', 0, '{}')",
    "INSERT INTO findings (id, fingerprint, kind, url, evidence, site_id, unit, \"column\", severity, suggestion,"
    f" context, details, first_seen, last_seen, last_scan_id) VALUES (1, 'w1', 'erroneous_expression', '{ROOT}/a.html',"
    " '中华人民共合国', 1, '县政府办', '通知公告', 'high', '', '…', '{}', '2026-11-01 08:01:00',"
    " '2026-11-01 08:01:00', 1)",
    "INSERT INTO findings (id, fingerprint, kind, url, evidence, site_id, unit, \"column\", severity, suggestion,"
    f" context, details, first_seen, last_seen, last_scan_id) VALUES (2, 'd1', 'dead_link', '{ROOT}/a.html',"
    f" '{ROOT}/gone.html', 1, '县政府办', '', 'low', '', 'HTTP 404', '{{}}', '2026-11-01 08:01:00',"
    " '2026-11-01 08:01:00', 1)",
]


def test_a_database_at_0011_gets_page_validators_and_keeps_its_pages(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'at-0011.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(migrate._alembic(conn), "0011")
        for row in AT_0011:
            conn.execute(text(row))
    engine.dispose()
    store = Store(url)
    try:
        assert migrate.current(store.engine) == migrate.head()
        columns = {c["name"] for c in inspect(store.engine).get_columns("pages")}
        assert {"etag", "last_modified", "body_hash"} <= columns
        known = store.known_estate(2, timedelta(hours=24))
        # A page read before validators existed is known, and re-read unconditionally when it is a list page.
        assert known.known == [f"{ROOT}/a.html"] and known.reread == []
        scan = store.begin_scan([])
        assert store.keep_page(scan, f"{ROOT}/a.html", '"v1"', "")
        store.finish_scan(scan, "finished", ScanStats())
        # The page's problems found by its last check come along to this scan; the stale dead link does not.
        assert {f.kind for f in store.findings(scan_id=scan)} == {"erroneous_expression"}
        assert store.known_estate(2, timedelta(hours=24)).known == [f"{ROOT}/a.html"]
    finally:
        store.close()


def test_a_database_from_a_newer_govwatch_is_refused_in_chinese(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gw.db'}"
    Store(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    migrate._upgraded.clear()  # a new process would look again
    with pytest.raises(StoreError, match="更新版本的 govwatch.*9999"):
        Store(url)
