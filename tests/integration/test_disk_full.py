"""A disk that fills up during a scan: a real `govwatch scan` whose database and reports live on a
small tmpfs of the test's own (mounted as root), nearly filled before the scan. The kernel answers
ENOSPC as a full disk would; the scan ends `failed` with a clear message and no traceback, and once
space is freed the database is whole and used as before."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from bench.estate import GeneratedEstate
from storage import Store
from tests.conftest import require_service

ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}
DISK_BYTES = 8 * 1024 * 1024
FREE_BYTES = 256 * 1024  # left free when the scan starts: a few dozen pages fill it


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A tmpfs of DISK_BYTES mounted for this test, unmounted afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="govwatch-disk-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        folder.rmdir()
        require_service("a small disk (tmpfs)", f"cannot mount one: {mounted.stderr.strip() or 'not root'}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        shutil.rmtree(folder, ignore_errors=True)


def fill(disk: Path, leave: int) -> Path:
    """A file taking all the disk's free space but `leave` bytes."""
    stat = os.statvfs(disk)
    filler = disk / "filler"
    with open(filler, "wb") as out:
        out.truncate(0)
        remaining = stat.f_bavail * stat.f_frsize - leave
        chunk = b"\0" * (1 << 20)
        while remaining > 0:
            remaining -= out.write(chunk[:remaining])
    return filler


def govwatch(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govwatch", *args], capture_output=True, text=True, env=ENV,
                          timeout=600)


def test_a_full_disk_fails_the_scan_clearly_and_the_database_stays_usable(small_disk: Path,
                                                                        tmp_path: Path) -> None:
    database = f"sqlite:///{small_disk / 'gw.db'}"
    with GeneratedEstate(400) as estate:
        config = tmp_path / "govwatch.toml"
        config.write_text(f'[database]\nurl = "{database}"\n[report]\ndir = "{small_disk / "reports"}"\n'
                          "[crawl]\ntimeout = 5\nretries = 0\nattachments = false\n"
                          f'[[sites]]\nname = "某某县人民政府"\nurl = "{estate.url}"\nunit = "县政府办公室"\n',
                          encoding="utf-8")
        Store(database).close()  # the schema in place, as after `govwatch db upgrade`
        filler = fill(small_disk, FREE_BYTES)
        full = govwatch("scan", "--config", str(config))
        assert full.returncode == 2, full.stdout + full.stderr
        assert "磁盘空间不足" in full.stderr and "Traceback" not in full.stdout + full.stderr, full.stderr

        filler.unlink()  # space is back
        with sqlite3.connect(small_disk / "gw.db") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        store = Store(database)
        try:
            [scan] = store.scans()
            assert scan.status == "failed" and scan.error.startswith("扫描中止，数据库写入失败：磁盘空间不足"), scan
        finally:
            store.close()
        again = govwatch("scan", "--config", str(config))
    assert again.returncode in (0, 1), again.stdout + again.stderr  # 1: problems found
    store = Store(database)
    try:
        statuses = [s.status for s in store.scans()]
        [(pages, distinct)] = sqlite3.connect(small_disk / "gw.db").execute(
            "SELECT count(*), count(DISTINCT url) FROM pages").fetchall()
    finally:
        store.close()
    assert statuses[0] == "finished" and pages == distinct >= 400
