"""Configuration: defaults, validation naming key and line, and the README documenting every key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.config import REQUIRED, ConfigError, documented_keys, load, loads

GOOD = """\
[database]
url = "sqlite:///x.db"
[crawl]
timeout = 15
[[sites]]
name = "某某区人民政府"
url = "https://www.example.gov.cn/"
unit = "区政府办公室"
[[sites]]
name = "某某区教育局"
url = "https://jyj.example.gov.cn/"
parent = "某某区人民政府"
[[superior]]
name = "中国政府网 最新政策"
url = "https://www.gov.cn/zhengce/zuixin/"
repost_column = "https://www.example.gov.cn/zxzx/gwyxx/"
within_hours = 24
"""


def test_every_key_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    table = set(re.findall(r"^\| `([a-z_\[\].]+)` \|", section, re.M))
    assert set(documented_keys()) - table == set(), "keys missing from the README's table"
    assert table - set(documented_keys()) == set(), "README documents keys the code does not have"


def test_readme_defaults_match_the_code() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    shown = dict(re.findall(r"^\| `([a-z_\[\].]+)` \| ([^|]+) \|", section, re.M))
    for key, (default, _) in documented_keys().items():
        if isinstance(default, str) and len(default) > 40:
            continue  # abbreviated in the table
        expected = ("required" if default is REQUIRED else "true" if default is True else "false" if default is False
                    else str(int(default)) if isinstance(default, float) and default.is_integer()
                    else f'"{default}"' if isinstance(default, str) else str(default))
        assert shown[key].strip().strip("`") == expected, key


def test_issue_shape_loads_with_defaults() -> None:
    config = loads(GOOD)
    assert config.crawl.timeout == 15.0 and config.crawl.concurrency == 16
    assert config.sites[1].parent == "某某区人民政府" and config.sites[1].unit == ""
    assert config.superior[0].within_hours == 24
    assert config.timezone == "Asia/Shanghai"


@pytest.mark.parametrize("bad, message", [
    (GOOD.replace("timeout = 15", 'timeout = "15"'), r"crawl\.timeout（第 4 行）：应为数字"),
    (GOOD.replace('parent = "某某区人民政府"', 'parnt = "x"'), r"sites\[1\]\.parnt（第 12 行）：未知的配置项"),
    (GOOD.replace('url = "https://jyj.example.gov.cn/"\n', ""), r"sites\[1\]\.url（第 9 行）：缺少必填项"),
    (GOOD + "[crawler]\nx = 1\n", r"crawler（第 18 行）：未知的配置项"),
    (GOOD.replace("[crawl]", "[crawl]\nretries = true"), r"crawl\.retries（第 4 行）：应为整数"),
    (GOOD.replace('parent = "某某区人民政府"', 'parent = "不存在"'), r"sites\[1\]\.parent（第 12 行）"),
    (GOOD.replace('url = "https://www.example.gov.cn/"', 'url = "www.example.gov.cn"'), r"sites\[0\]\.url（第 7 行）"),
    ("timezone = \"Mars/Base\"\n" + GOOD, r"timezone（第 1 行）：未知的时区"),
    (GOOD.replace("timeout = 15", "timeout = 0"), r"crawl\.timeout（第 4 行）：应大于 0"),
    ("[crawl\n", r"TOML 语法错误"),
])
def test_invalid_config_names_the_key_and_line(bad: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        loads(bad)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="无法读取配置文件"):
        load(tmp_path / "nope.toml")
