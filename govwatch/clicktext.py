"""Click's own words (usage, help headings, errors) in Chinese, like every other message of the CLI.

Click passes each message it shows through gettext's `_()` / `ngettext()`, which every click module
imports under those names; `install()` rebinds them to the table below. Rebinding only click's
names leaves gettext untouched for everyone else, and no catalog file needs building or shipping.

Call `install()` before the `@click` decorators run: `version_option` reads its texts when applied.
Metavars (`[OPTIONS]`, `FILE`, `TEXT`) stay ASCII: click aligns help columns by character count, and
a Chinese metavar (two columns wide) would push its help text out of line.
"""

from __future__ import annotations

import importlib
from typing import Any

# The click modules whose `_()` carries messages users see (utils.py and _winconsole.py hold only
# programmer errors and Windows console ones).
MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "shell_completion", "termui",
           "types", "_termui_impl")


class _Words(str):
    """A translation whose `{key}` placeholder click fills with an English word of its own (a type's
    name) after translating: that word is translated when the message is formatted."""

    key: str

    def __new__(cls, text: str, key: str) -> _Words:
        self = super().__new__(cls, text)
        self.key = key
        return self

    def format(self, *args: Any, **kwargs: Any) -> str:
        if isinstance(kwargs.get(self.key), str):
            kwargs[self.key] = WORDS.get(kwargs[self.key], kwargs[self.key])
        return str.format(self, *args, **kwargs)


# English words click formats into its messages: number type names, Path's (title-cased) names,
# parameter kinds.
WORDS = {"integer": "整数", "integer range": "整数", "float": "数字", "float range": "数字",
         "File": "文件", "Directory": "目录", "Path": "路径",
         "option": "选项", "argument": "参数", "parameter": "参数"}

# Every message click shows to a user. Chinese has no plural: both forms of an ngettext pair are keys.
# Messages click raises only at a programmer (bad decorator arguments) are left in English.
TEXTS: dict[str, str] = {
    # help pages
    "Usage:": "用法:",  # ASCII colon like click's own headings ("选项:"), which it writes itself
    "Options": "选项",
    "Positional arguments": "参数",
    "Commands": "命令",
    "Show this message and exit.": "显示此帮助信息并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "deprecated": "已弃用",
    "Confirm the action without prompting.": "不经询问，直接确认。",
    "Do you want to continue?": "是否继续？",
    # usage errors
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Did you mean {possibility}?": "您是否要用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（您是否要用其中之一：{possibilities}？）",
    "Missing option": "缺少选项",
    "Missing argument": "缺少参数",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Invalid value: {message}": "值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，实际只有 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，实际有 {len} 个。",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "弃用警告：命令 {name!r} 已弃用。{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        _Words("弃用警告：{param_type} {name!r} 已弃用。{extra_message}", "param_type"),
    "Aborted!": "已中止。",
    "unknown error": "未知错误",
    # bad values
    "{value!r} is not a valid {number_type}.": _Words("{value!r} 不是有效的{number_type}。", "number_type"),
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的布尔值，可用的值：{states}",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "Choose from:\n\t{choices}": "可选值：\n\t{choices}",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合以下任一格式：{formats}。",
    "{len_type} values are required, but {len_value} was given.": "需要 {len_type} 个值，实际只有 {len_value} 个。",
    "{len_type} values are required, but {len_value} were given.": "需要 {len_type} 个值，实际有 {len_value} 个。",
    "{name} {filename!r} does not exist.": _Words("{name} {filename!r} 不存在。", "name"),
    "{name} {filename!r} is a file.": _Words("{filename!r} 是文件，不是{name}。", "name"),
    "{name} {filename!r} is a directory.": _Words("{filename!r} 是目录，不是{name}。", "name"),
    "{name} {filename!r} is not readable.": _Words("{name} {filename!r} 不可读。", "name"),
    "{name} {filename!r} is not writable.": _Words("{name} {filename!r} 不可写。", "name"),
    "{name} {filename!r} is not executable.": _Words("{name} {filename!r} 不可执行。", "name"),
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    # prompts, progress bars, shell completion
    "Repeat for confirmation": "请再次输入以确认",
    "Error: The two entered values do not match.": "错误：两次输入的值不一致。",
    "Error: invalid input": "错误：输入无效",
    "Press any key to continue...": "按任意键继续……",
    "d": "天",
    "{editor}: Editing failed": "{editor}：编辑失败",
    "{editor}: Editing failed: {e}": "{editor}：编辑失败：{e}",
    "Shell completion is not supported for Bash versions older than 4.4.": "Bash 4.4 以下的版本不支持命令补全。",
    "Couldn't detect Bash version, shell completion is not supported.": "无法识别 Bash 版本，不支持命令补全。",
}


def install() -> None:
    """Make click speak Chinese from now on (idempotent)."""
    for name in MODULES:
        module = importlib.import_module(f"click.{name}")
        module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


def gettext(message: str) -> str:
    return TEXTS.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)
