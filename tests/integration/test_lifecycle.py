"""A scan's lifecycle with real processes and real signals, on a generated site of a few hundred pages.

SIGINT and SIGTERM stop a scan honestly (`interrupted`, exit 130/143, no crawl process left);
kill -9 of the scan never leaves its crawl process behind, and the next scan marks it `abandoned`;
two scans on one database: the second refuses at once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import psutil
import pytest

from bench.estate import serve_generated_estate
from tests.integration.test_supervision import query
from tests.support.crawls import frontier_folder as frontier_folder_of

PAGES = 300


@pytest.fixture(scope="module")
def slow_site() -> Iterator[str]:
    """A few hundred pages answered slowly enough that a scan is still running when signalled."""
    with serve_generated_estate(pages=PAGES, delay=0.15) as url:
        yield url


@pytest.fixture
def config(tmp_path: Path, slow_site: str) -> Path:
    return write_config(tmp_path, slow_site)


def write_config(tmp_path: Path, site: str) -> Path:
    path = tmp_path / "govwatch.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n'
                    f'[report]\ndir = "{tmp_path / "reports"}"\n'
                    "[crawl]\ntimeout = 5\nretries = 0\nattachments = false\n"
                    f'[[sites]]\nname = "某某县人民政府"\nurl = "{site}"\nunit = "县政府办公室"\n',
                    encoding="utf-8")
    return path


def start_scan(config: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "govwatch", "scan", "--config", str(config)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def wait_for_pages(config: Path, scan: subprocess.Popen[str], pages: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = query(config, "SELECT count(*) FROM pages")
        if rows and rows[0][0] >= pages:
            return
        assert scan.poll() is None, scan.communicate()
        time.sleep(0.1)
    pytest.fail(f"the scan did not store {pages} pages in {timeout} s")


def crawl_processes(scan: subprocess.Popen[str]) -> list[psutil.Process]:
    children = psutil.Process(scan.pid).children(recursive=True)
    assert any("crawler.worker" in " ".join(p.cmdline()) for p in children), "no crawl process found"
    return children


def frontier_folder(processes: list[psutil.Process]) -> str:
    """The temporary folder the crawl keeps its pending requests in."""
    [crawl] = [p for p in processes if "crawler.worker" in " ".join(p.cmdline())]
    folder = frontier_folder_of(crawl)
    assert folder.is_dir()
    return str(folder)


def gone(processes: list[psutil.Process], timeout: float = 15) -> bool:
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    return not alive


def statuses(config: Path) -> list[str]:
    return [row[0] for row in query(config, "SELECT status FROM scans ORDER BY id")]


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_interrupts_the_scan_honestly(config: Path, sig: signal.Signals, code: int) -> None:
    scan = start_scan(config)
    wait_for_pages(config, scan, 20)
    children = crawl_processes(scan)
    frontier = frontier_folder(children)
    scan.send_signal(sig)
    out, err = scan.communicate(timeout=60)
    assert scan.returncode == code, out + err
    assert "扫描已中断" in out and "未检查到的页面和链接不代表没有问题" in out
    assert statuses(config) == ["interrupted"]
    [(pages,)] = query(config, "SELECT pages FROM scans")
    assert 20 <= pages < PAGES  # what was checked is kept, and it is not the whole site
    assert gone(children)
    assert not Path(frontier).exists(), "the crawl's frontier folder was left behind"
    [report] = (config.parent / "reports").glob("scan-1-*.html")
    assert "扫描已中断" in report.read_text(encoding="utf-8")


def test_kill_9_leaves_no_crawl_and_the_next_scan_marks_it_abandoned(config: Path) -> None:
    scan = start_scan(config)
    wait_for_pages(config, scan, 20)
    children = crawl_processes(scan)
    frontier = frontier_folder(children)
    scan.kill()
    scan.communicate()
    assert gone(children), "the crawl process outlived its parent"
    assert not Path(frontier).exists(), "the crawl's frontier folder was left behind"
    assert statuses(config) == ["running"]

    again = subprocess.run([sys.executable, "-m", "govwatch", "scan", "--config", str(config)],
                           capture_output=True, text=True, timeout=300,
                           env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert again.returncode == 0, again.stdout + again.stderr
    assert statuses(config) == ["abandoned", "finished"]


def test_a_second_scan_on_the_same_database_refuses_at_once(tmp_path: Path) -> None:
    # Slower than the others' site: the first scan must outlast a second one's start-up on a loaded
    # machine, or it finishes before it is stopped.
    with serve_generated_estate(pages=PAGES, delay=1.0) as site:
        _refused_while_the_first_runs(write_config(tmp_path, site))


def _refused_while_the_first_runs(config: Path) -> None:
    first = start_scan(config)
    try:
        wait_for_pages(config, first, 5)
        started = time.monotonic()
        second = subprocess.run([sys.executable, "-m", "govwatch", "scan", "--config", str(config)],
                                capture_output=True, text=True, timeout=60,
                                env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        assert second.returncode == 2
        assert "第 1 次扫描" in second.stderr and "正在运行" in second.stderr
        assert "Traceback" not in second.stderr
        assert time.monotonic() - started < 20
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=60)
    assert statuses(config) == ["interrupted"]  # the refused scan left no trace
