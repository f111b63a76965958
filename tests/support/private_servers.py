"""PostgreSQL and Redis servers the tests own: their own data folder, a free port on 127.0.0.1, stopped
and started again by a test to play an outage. The machine's own servers are never touched. One of
each serves the whole session (initdb takes seconds); each test gets it running and empty.

PostgreSQL refuses to run as root, so as root its files belong to, and its programs run as, the
`postgres` system user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from tests.conftest import require_service

START_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


class PrivatePostgres:
    """initdb into a fresh folder, then `pg_ctl start/stop` on a port of its own (trust auth)."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="govwatch-pg-"))  # not under pytest's root-only tmp
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.data = self.folder / "data"
        self.databases: list[str] = []
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8",
                  "--locale", "C")

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=START_TIMEOUT, cwd=self.folder)

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "server.log"), "-w",
                  "-t", str(START_TIMEOUT), "start")

    def stop(self) -> None:
        """A fast shutdown: clients are cut off, and new connections are refused until `start`."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", str(START_TIMEOUT), "stop")

    def running(self) -> bool:
        command = [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "status"]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, timeout=START_TIMEOUT, cwd=self.folder).returncode == 0

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """The URL of a new database named after `name`, never the name of an earlier test's: the store
        upgrades the schema once per database URL and process."""
        from sqlalchemy import create_engine, text

        name = f"{name}_{uuid.uuid4().hex[:8]}"
        admin = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            admin.dispose()
        self.databases.append(name)
        return self.url(name)

    def reset(self) -> None:
        """Running again, without the databases the last test made."""
        from sqlalchemy import create_engine, text

        if not self.running():
            self.start()
        admin = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                for name in self.databases:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            admin.dispose()
        self.databases.clear()

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:  # not running
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def _session_postgres() -> Iterator[PrivatePostgres]:
    bin_dir = _postgres_bin()
    if bin_dir is None or not (bin_dir / "pg_ctl").exists():
        require_service("a private PostgreSQL", "no initdb/pg_ctl under /usr/lib/postgresql/*/bin")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        require_service("a private PostgreSQL", "running as root without runuser to drop to the postgres user")
    server = PrivatePostgres(bin_dir)  # type: ignore[arg-type]
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def private_postgres(_session_postgres: PrivatePostgres) -> Iterator[PrivatePostgres]:
    """A running PostgreSQL of the tests' own, which this test may stop and start; running and
    without this test's databases afterwards."""
    _session_postgres.reset()
    yield _session_postgres
    _session_postgres.reset()


class PrivateRedis:
    """`redis-server` on a port of its own, its append-only file fsynced on every write, so a kill -9
    loses nothing a client was told is done (as `appendfsync always` does in production)."""

    def __init__(self, program: str) -> None:
        self.program = program
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="govwatch-redis-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.program, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=1).ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the private redis-server did not start") from None
                time.sleep(0.1)

    def kill(self) -> None:
        """kill -9, as a crash or the OOM killer would end it."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def reset(self) -> None:
        """Running again, and empty."""
        import redis

        if self.process is None or self.process.poll() is not None:
            self.start()
        redis.Redis(port=self.port).flushall()

    def remove(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def _session_redis() -> Iterator[PrivateRedis]:
    program = shutil.which("redis-server")
    if program is None:
        require_service("a private Redis", "no redis-server on PATH")
    server = PrivateRedis(program)  # type: ignore[arg-type]
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def private_redis(_session_redis: PrivateRedis) -> Iterator[PrivateRedis]:
    """A running, empty Redis of the tests' own, which this test may kill and start again."""
    _session_redis.reset()
    yield _session_redis
    _session_redis.reset()
