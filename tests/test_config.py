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
    (GOOD.replace('url = "https://www.example.gov.cn/"', 'url = "http://127.0.0.1:99999/"'),
     r"sites\[0\]\.url（第 7 行）：端口号无效（应为 1–65535）：'http://127\.0\.0\.1:99999/'"),
    (GOOD.replace('url = "https://www.example.gov.cn/"', 'url = "http://127.0.0.1:0/"'),
     r"sites\[0\]\.url（第 7 行）：端口号无效（应为 1–65535）"),
    (GOOD.replace('url = "https://www.example.gov.cn/"', 'url = "https://www.example.gov.cn/xw zx/"'),
     r"sites\[0\]\.url（第 7 行）：网址中不能有空格"),
    (GOOD.replace('url = "https://jyj.example.gov.cn/"', 'url = "https://[::1/"'),
     r"sites\[1\]\.url（第 11 行）：网址格式无效"),
    ("timezone = \"Mars/Base\"\n" + GOOD, r"timezone（第 1 行）：未知的时区"),
    (GOOD.replace("timeout = 15", "timeout = 0"), r"crawl\.timeout（第 4 行）：应大于 0"),
    (GOOD.replace("timeout = 15", "timeout = 15\nmax_memory_mb = 100"), r"crawl\.max_memory_mb（第 5 行）：应不小于 256"),
    (GOOD.replace("timeout = 15", "timeout = 15\nmax_restarts = -1"), r"crawl\.max_restarts（第 5 行）：不能为负数"),
    (GOOD.replace("timeout = 15", "timeout = 15\nprocesses = -2"), r"crawl\.processes（第 5 行）：不能为负数"),
    (GOOD + '[web]\ntrusted_proxies = ["127.0.0.1", "nginx"]\n',
     r"web\.trusted_proxies（第 \d+ 行）：应为反向代理的 IP 地址或网段.*'nginx'"),
    ("[crawl\n", r"TOML 语法错误"),
])
def test_invalid_config_names_the_key_and_line(bad: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        loads(bad)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="无法读取配置文件"):
        load(tmp_path / "nope.toml")


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "govwatch.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))  # Windows Notepad's "UTF-8 with BOM"
    assert load(path).sites[0].name == "某某区人民政府"


@pytest.mark.parametrize("encoding, line, guess", [("gbk", 6, "GBK"), ("utf-16", 1, "UTF-16")])
def test_other_encodings_are_refused_naming_file_and_line(tmp_path: Path, encoding: str, line: int,
                                                         guess: str) -> None:
    path = tmp_path / "govwatch.toml"
    path.write_bytes(GOOD.encode(encoding))
    with pytest.raises(ConfigError) as raised:
        load(path)
    assert str(raised.value).startswith(f"{path}（第 {line} 行）：配置文件不是 UTF-8 编码（可能是 {guess}）")
    assert "请用 UTF-8 编码重新保存" in str(raised.value)


def test_per_kind_ticket_deadlines_name_known_kinds() -> None:
    from core.config import loads

    assert loads("[tickets.kind_deadline_hours]\ndead_link = 72\n").tickets.kind_deadline_hours == {"dead_link": 72}
    with pytest.raises(ConfigError, match=r"tickets.kind_deadline_hours.dead_links（第 2 行）：未知的问题类型"):
        loads("[tickets.kind_deadline_hours]\ndead_links = 72\n")


def test_distributed_scans_need_a_redis_url_and_a_shared_database() -> None:
    pg = '[database]\nurl = "postgresql+psycopg://govwatch@db.example/govwatch"\n'
    assert loads(pg + '[crawl]\nredis_url = "redis://10.0.0.5:6379/0"\n').crawl.redis_url == "redis://10.0.0.5:6379/0"
    with pytest.raises(ConfigError, match=r"crawl\.redis_url（第 4 行）：应为 Redis 地址"):
        loads(pg + '[crawl]\nredis_url = "10.0.0.5:6379"\n')
    with pytest.raises(ConfigError, match=r"crawl\.redis_url（第 2 行）：分布式扫描要求各机器共享同一个数据库，SQLite"):
        loads('[crawl]\nredis_url = "redis://10.0.0.5:6379/0"\n')
