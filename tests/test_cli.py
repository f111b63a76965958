"""The command line's contract: help on every command, Chinese messages, exit codes."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from govwatch.cli import main


@pytest.mark.parametrize("command", [[], ["scan"], ["check"], ["demo"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output and any("\u4e00" <= ch <= "\u9fff" for ch in result.output)


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


def test_missing_user_word_list_exits_2_naming_it(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[wordlists]\nextra = ["mine.tsv"]\n[[sites]]\nname = "站"\nurl = "http://127.0.0.1:9/"\n',
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", "--config", str(config)])
    assert result.exit_code == 2 and "无法读取词库" in result.output and "mine.tsv" in result.output
