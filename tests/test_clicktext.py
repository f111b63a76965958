"""Click's own words in Chinese: help, usage errors and bad values, and a table that fits installed click."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from govwatch import clicktext

ENGLISH = ("Usage:", "Options:", "Commands:", "Error:", "Missing option", "Show this message",
           "Show the version", "No such command", "No such option", "Try '", "Invalid value", "is not a valid",
           "does not exist", "Did you mean", "required", "default:", ", version")

# Messages click raises only at a programmer, or uses as metavars (`file` → FILE): not translated.
UNTRANSLATED = {
    "Value must be an iterable.",
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
    "Did you mean to pass '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Name '{name}' defined twice",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Invalid start character for option ({option})",
    "Unknown color {colour!r}",
    "Unknown standard stream '{name}'",
    "Choice({choices})",
    "Windows error: {error}",
    "file", "directory", "path",
}


@pytest.fixture
def tool(monkeypatch: pytest.MonkeyPatch) -> click.Group:
    """A tiny CLI built after `install()`, as govwatch's is; click is restored afterwards."""
    for name in clicktext.MODULES:
        module = importlib.import_module(f"click.{name}")
        monkeypatch.setattr(module, "_", module._)
        if hasattr(module, "ngettext"):
            monkeypatch.setattr(module, "ngettext", module.ngettext)
    clicktext.install()

    @click.group(context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option("1.2.3", prog_name="tool")
    def main() -> None:
        """巡检工具。"""

    @main.command()
    @click.option("--config", required=True, type=click.Path(dir_okay=False, exists=True), help="配置文件。")
    @click.option("--count", type=int, default=3, show_default=True, help="次数。")
    def scan(config: str, count: int) -> None:
        """扫描。"""

    return main


def invoke(tool: click.Group, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(tool, list(args))
    for phrase in ENGLISH:
        assert phrase not in result.output, f"English left: {phrase!r} in\n{result.output}"
    return result.exit_code, result.output


def test_help_is_chinese(tool: click.Group) -> None:
    code, output = invoke(tool, "--help")
    assert code == 0
    assert "用法: main [OPTIONS] COMMAND [ARGS]..." in output and "命令:" in output
    assert "显示此帮助信息并退出。" in output and "显示版本号并退出。" in output
    code, output = invoke(tool, "scan", "-h")
    assert code == 0
    assert "选项:" in output and "配置文件。  [必填]" in output and "[默认：3]" in output


def test_version_is_chinese(tool: click.Group) -> None:
    assert invoke(tool, "--version") == (0, "tool，版本 1.2.3\n")


@pytest.mark.parametrize("args, message", [
    (["scan"], "错误：缺少选项 '--config'"),
    (["sacn"], "错误：没有命令 'sacn'。 您是否要用 'scan'？"),
    (["scan", "--config", "/", "--nope"], "错误：没有选项 '--nope'。"),
    (["scan", "--config", "File"], "错误：'--config' 的值无效：文件 'File' 不存在。"),
    (["scan", "--config", "/"], "错误：'--config' 的值无效：'/' 是目录，不是文件。"),
])
def test_usage_errors_are_chinese(tool: click.Group, args: list[str], message: str) -> None:
    code, output = invoke(tool, *args)
    assert code == 2 and message in output
    assert f"运行 'main {'scan ' if args[0] == 'scan' else ''}--help' 查看帮助。" in output


def test_a_bad_value_is_chinese(tool: click.Group, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.touch()
    code, output = invoke(tool, "scan", "--config", str(config), "--count", "x")
    assert code == 2 and "错误：'--count' 的值无效：'x' 不是有效的整数。" in output


def _click_messages() -> tuple[set[str], set[str]]:
    """(every msgid click passes to `_`/`ngettext`, every string literal in click)."""
    messages, literals = set(), set()
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
                messages.update(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
    return messages, literals


def test_the_table_fits_the_installed_click() -> None:
    messages, literals = _click_messages()
    assert set(clicktext.TEXTS) - literals == set(), "click no longer has these messages: update the table"
    assert messages - set(clicktext.TEXTS) - UNTRANSLATED == set(), "click has new messages: translate them"
