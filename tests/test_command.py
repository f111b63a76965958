"""govwatch.command: the console script starts a crawling command's crawl process before the command
line's imports, and ends it when the command never crawls."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from crawler import launch
from govwatch import command


@pytest.mark.parametrize("args, crawls", [
    (["scan"], True), (["-v", "check", "http://127.0.0.1/"], True), (["scan", "--incremental"], True),
    (["scans"], False), (["--version"], False), ([], False), (["review", "list"], False),
    (["users", "add", "scan"], False),  # the word is an argument, not the command
])
def test_only_a_command_that_crawls_starts_a_crawl_process_early(args: list[str], crawls: bool) -> None:
    assert command.crawls(args) is crawls


def test_a_scan_that_fails_before_it_crawls_ends_the_process_started_for_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[subprocess.Popen[bytes]] = []
    real_launch = launch.launch

    def recorded(log):  # type: ignore[no-untyped-def]
        launched = real_launch(log)
        started.append(launched.child)
        return launched

    monkeypatch.setattr(launch, "launch", recorded)
    monkeypatch.setattr("sys.argv", ["govwatch", "scan", "--config", str(tmp_path / "missing.toml")])
    with pytest.raises(SystemExit) as ended:
        command.run()
    assert ended.value.code == 2
    assert len(started) == 1, "the scan started no crawl process before its imports"
    assert started[0].poll() is not None, "the crawl process outlived the command"
    assert launch._spare is None
