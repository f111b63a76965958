"""A Hanweb column whose page states no total anywhere is still crawled whole: its data proxy is
asked for the next group, and each reply tells what follows (the total it states, or a full group).

Two sites on loopback, each a column page with a datastore of 3 records and a nextgroup, no
<totalrecord>, <totalpage> or jpage call: one's proxy states the total in its replies, as Hanweb's
does; the other's states none, so groups are asked for until a short one. The last article of each
carries an erroneous expression: found only if the crawl reached it through the chained groups.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.loopback import Loopback, QuietHandler

RECORDS = 10  # the column's articles; the page shows 3, the proxy serves them in groups of 3
SHOWN = 3
TODAY = "2026-11-23"


def _html(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body>{body}</body></html>").encode("utf-8")


def _record(n: int) -> str:
    return (f"<record><![CDATA[<li><a href='/art/2026/11/{n}/art_9_{n}.html' title='通知{n}'>通知{n}</a>"
            f"<span>2026-11-{n:02d}</span></li>]]></record>")


def _column() -> bytes:
    datastore = ('<div id="4363"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/'
                 'jpage/dataproxy.jsp?page=1&appid=1&columnid=9&unitid=4363"></a>]]></nextgroup><recordset>'
                 + "".join(_record(n) for n in range(1, SHOWN + 1)) + "</recordset></datastore></script></div>")
    return _html("通知公告", '<div class="crumb">当前位置：<a href="/">首页</a> &gt; 通知公告</div>' + datastore)


def _article(n: int) -> bytes:
    text = "根据《中华人民共合国政府信息公开条例》办理。" if n == RECORDS else "按照有关规定办理。"
    return _html(f"通知{n}", f'<h1>通知{n}</h1><div class="info">发布日期：2026-11-{n:02d}</div><p>{text}</p>')


def _serve(states_total: bool) -> Loopback:
    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 - the base class's name
            url = urlsplit(self.path)
            body, kind = b"", "text/html; charset=utf-8"
            if url.path == "/":
                body = _html("某某县人民政府", '<a href="/col/col9/index.html">通知公告</a>')
            elif url.path == "/col/col9/index.html":
                body = _column()
            elif url.path == "/module/web/jpage/dataproxy.jsp":
                query = parse_qs(url.query)
                start, end = int(query["startrecord"][0]), int(query["endrecord"][0])
                total = f"<totalrecord>{RECORDS}</totalrecord>" if states_total else ""
                records = "".join(_record(n) for n in range(start, min(end, RECORDS) + 1))
                body, kind = f"<datastore>{total}<recordset>{records}</recordset></datastore>".encode(), "text/xml"
            elif url.path.startswith("/art/"):
                body = _article(int(url.path.rsplit("_", 1)[1].split(".")[0]))
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Loopback(Handler)


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    servers = {"某某县人民政府": _serve(states_total=True), "某某县教育局": _serve(states_total=False)}
    work = tmp_path_factory.mktemp("hanweb")
    sites = "".join(f'[[sites]]\nname = "{name}"\nurl = "{site.url}"\n' for name, site in servers.items())
    config = work / "c.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{work / "gw.db"}"\n[report]\ndir = "{work}"\n'
                      f"[crawl]\ntimeout = 5\nretries = 0\n{sites}", encoding="utf-8")
    out = work / "f.json"
    try:
        run = subprocess.run([sys.executable, "-m", "govwatch", "scan", "--config", str(config), "--json", str(out)],
                             capture_output=True, text=True, timeout=300,
                             env={**os.environ, "PYTHONIOENCODING": "utf-8", "GOVWATCH_TODAY": TODAY})
    finally:
        for site in servers.values():
            site.close()
    assert run.returncode == 0, run.stdout + run.stderr
    return json.loads(Path(out).read_text(encoding="utf-8"))["findings"]


@pytest.mark.parametrize("site", ["某某县人民政府", "某某县教育局"])
def test_the_last_article_is_reached_through_the_chained_groups(findings: list[dict], site: str) -> None:
    found = [f for f in findings if f["site"] == site and f["kind"] == "erroneous_expression"]
    assert [f["url"].rsplit("/", 1)[1] for f in found] == [f"art_9_{RECORDS}.html"]
    assert not [f for f in findings if f["site"] == site and f["kind"] == "dead_link"]
