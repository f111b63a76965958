"""The command line's contract: help on every command, Chinese messages, exit codes."""

from __future__ import annotations

import gc
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from govwatch.cli import main, run


@pytest.mark.parametrize("command", [[], ["scan"], ["worker"], ["check"], ["scans"], ["db", "upgrade"], ["demo"], ["web"],
                                     ["users"], ["users", "add"], ["users", "list"], ["users", "disable"],
                                     ["tickets", "fixed"], ["tickets", "comment"]])
def test_every_command_has_help_in_chinese(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "用法" in result.output and "Usage" not in result.output and "Options" not in result.output


def test_broken_config_exits_2_naming_the_key(tmp_path: Path) -> None:
    config = tmp_path / "govwatch.toml"
    config.write_text('[crawl]\nconcurrency = "many"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", "--config", str(config)])
    assert result.exit_code == 2
    assert "crawl.concurrency（第 2 行）" in result.output


def test_config_without_sites_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "govwatch.toml"
    config.write_text("[crawl]\ntimeout = 5\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", "--config", str(config)])
    assert result.exit_code == 2 and "没有 [[sites]]" in result.output


@pytest.mark.parametrize("url", ["www.example.gov.cn", "ftp://127.0.0.1/", "http://"])
def test_check_rejects_a_bad_url(url: str) -> None:
    result = CliRunner().invoke(main, ["check", url])
    assert result.exit_code == 2 and "无效的网址" in result.output


def test_check_of_an_unreachable_page_exits_2(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = tmp_path / "c.toml"
    config.write_text("[crawl]\ntimeout = 2\nretries = 0\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", f"http://127.0.0.1:{port}/", "--config", str(config)])
    assert result.exit_code == 2
    assert "无法打开页面" in result.output and "连接被拒绝" in result.output


@pytest.mark.parametrize("command", [["scan"], ["check", "http://127.0.0.1:9/"]], ids=["scan", "check"])
def test_missing_user_word_list_exits_2_naming_it(tmp_path: Path, command: list[str]) -> None:
    """Both refuse it before a crawl starts (each builds its matcher while its crawl runs)."""
    config = tmp_path / "c.toml"
    config.write_text('[wordlists]\nextra = ["mine.tsv"]\n[[sites]]\nname = "站"\nurl = "http://127.0.0.1:9/"\n',
                      encoding="utf-8")
    result = CliRunner().invoke(main, [*command, "--config", str(config)])
    assert result.exit_code == 2 and "无法读取词库" in result.output and "mine.tsv" in result.output


def sqlite_config(tmp_path: Path, extra: str = "") -> Path:
    config = tmp_path / "c.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n{extra}', encoding="utf-8")
    return config


def test_scans_lists_recent_scans_as_json(tmp_path: Path) -> None:
    from core.config import SiteConfig
    from storage import Store
    from storage.store import ScanStats

    config = sqlite_config(tmp_path)
    store = Store(f"sqlite:///{tmp_path / 'gw.db'}")
    first = store.begin_scan([SiteConfig(name="站", url="http://127.0.0.1:9/")])
    store.finish_scan(first, "interrupted", ScanStats(pages=7, links_checked=30, findings=2))
    store.close()
    result = CliRunner().invoke(main, ["scans", "--config", str(config), "--json"])
    assert result.exit_code == 0, result.output
    [scan] = json.loads(result.output)["scans"]
    assert {"id", "status", "started_at", "finished_at", "pages", "links_checked", "findings", "error"} <= set(scan)
    assert (scan["id"], scan["status"], scan["pages"], scan["links_checked"], scan["findings"], scan["kind"]) == \
        (first, "interrupted", 7, 30, 2, "full")
    text = CliRunner().invoke(main, ["scans", "--config", str(config)])
    assert text.exit_code == 0 and "已中断" in text.output and "完整扫描" not in text.output
    store = Store(f"sqlite:///{tmp_path / 'gw.db'}")
    second = store.begin_scan([SiteConfig(name="站", url="http://127.0.0.1:9/")], "incremental")
    store.finish_scan(second, "finished", ScanStats(pages=3))
    store.close()
    newest, _ = json.loads(CliRunner().invoke(main, ["scans", "--config", str(config), "--json"]).output)["scans"]
    assert newest["kind"] == "incremental"
    assert f"第 {second} 次（增量扫描）" in CliRunner().invoke(main, ["scans", "--config", str(config)]).output


def test_db_upgrade_brings_a_new_database_to_head(tmp_path: Path) -> None:
    from storage import migrate

    result = CliRunner().invoke(main, ["db", "upgrade", "--config", str(sqlite_config(tmp_path))])
    assert result.exit_code == 0 and migrate.head() in result.output


@pytest.mark.parametrize("url, problem", [("http://127.0.0.1:99999/", "端口号无效"),
                                          ("http://127.0.0.1:8080/a b.html", "空格"),
                                          ("http://127.0.0.1:8080/s?q=" + "a" * 2100, "超过 2083 个字符")])
def test_check_rejects_a_malformed_url_without_a_traceback(url: str, problem: str) -> None:
    result = CliRunner().invoke(main, ["check", url])
    assert result.exit_code == 2 and problem in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_scan_json_to_a_missing_folder_fails_before_crawling(tmp_path: Path) -> None:
    config = sqlite_config(tmp_path, '[[sites]]\nname = "站"\nurl = "http://127.0.0.1:9/"\n')
    result = CliRunner().invoke(main, ["scan", "--config", str(config), "--json", "/no/such/dir/x.json"])
    assert result.exit_code == 2 and "/no/such/dir" in result.output and "不存在" in result.output
    assert not (tmp_path / "gw.db").exists()  # nothing was started, nothing half-written


def test_database_errors_are_chinese_without_sqlalchemy_links(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[database]\nurl = "postgresql+psycopg://nobody@127.0.0.1:1/none"\n'
                      '[[sites]]\nname = "站"\nurl = "http://127.0.0.1:9/"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", "--config", str(config)])
    assert result.exit_code == 2 and "无法打开数据库" in result.output
    assert "sqlalche.me" not in result.output and "Background on this error" not in result.output


def test_commands_that_only_use_the_store_start_without_the_crawler_and_the_detector() -> None:
    """Scrapy and the word matcher's modules cost a second of CPU at every start: only the commands
    that scan or check load them (in a fresh interpreter: this one has loaded them already)."""
    code = ("import sys; from govwatch.cli import main; "
            "print(sorted(m for m in ('scrapy', 'crawler', 'detector', 'govwatch.service') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.strip() == "[]", run.stdout + run.stderr


@pytest.mark.parametrize("argv, code", [(["--version"], 0), (["scan", "--config", "/no/such/config.toml"], 2)])
def test_the_command_exits_with_its_code_and_skips_the_last_collection(monkeypatch: pytest.MonkeyPatch,
                                                                        argv: list[str], code: int) -> None:
    """The console script's entry (`run`) freezes the garbage collector once the command is done, so
    the interpreter's exit does not walk every object left (0.3–0.4 s after a scan)."""
    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr(gc, "set_threshold", lambda *threshold: None)  # this test process's collector stays
    monkeypatch.setattr(sys, "argv", ["govwatch", *argv])
    with pytest.raises(SystemExit) as exited:
        run()
    assert (exited.value.code or 0, frozen) == (code, [True])


def test_python_m_govwatch_runs_beside_folders_named_like_its_packages(tmp_path: Path) -> None:
    """`python -m` puts the working directory first on the import path: a user's own reports/ or core/
    folder must not shadow govwatch's packages."""
    for folder in ("reports", "core", "storage"):
        (tmp_path / folder).mkdir()
    done = subprocess.run([sys.executable, "-m", "govwatch", "--version"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "govwatch" in done.stdout
