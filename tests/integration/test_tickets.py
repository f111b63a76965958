"""The ticket lifecycle over real scans of a site that changes between them: opened, fixed only where
the scan really re-checked, kept where a page failed to load, dismissed for good, overdue, reopened;
and the ticket commands, the export opened as the offices open it."""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import openpyxl
import pytest

from storage import Store
from storage.tickets import TicketBook
from tests.support.loopback import Loopback, QuietHandler

ERROR = "中华人民共合国"


def article(title: str, text: str) -> bytes:
    return (f'<html><head><meta charset="utf-8"><title>{title}</title></head><body><h1>{title}</h1>'
            f"<p>{text}</p></body></html>").encode("utf-8")


class Site:
    """A site whose pages the test rewrites between scans; a path mapped to an int answers that status."""

    def __init__(self) -> None:
        self.routes: dict[str, bytes | int] = {}
        routes = self.routes

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                body = routes.get(self.path, 404)
                status, body = (body, b"") if isinstance(body, int) else (200, body)
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_HEAD = do_GET

        self.loopback = Loopback(Handler)
        self.url = self.loopback.url


@pytest.fixture
def site() -> Iterator[Site]:
    site = Site()
    site.routes.update({
        "/": article("首页", '<a href="/a.html">甲</a> <a href="/b.html">乙</a> <a href="/c.html">丙</a>'),
        "/a.html": article("关于甲的通知", f"依据{ERROR}宪法。"),
        "/b.html": article("关于乙的通知", "根据中华人名共和国有关规定。"),
        "/c.html": article("丙<script>alert(1)</script>", "本县举办中华人民共合国成立纪念活动。"),
    })
    yield site
    site.loopback.close()


def govwatch(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govwatch", *args, "--config", str(config)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def tickets(config: Path) -> dict[str, dict]:
    run = govwatch(config, "tickets", "list", "--json")
    assert run.returncode == 0, run.stderr
    return {t["url"].rsplit("/", 1)[1] + ":" + t["evidence"]: t for t in json.loads(run.stdout)["tickets"]}


def test_the_ticket_lifecycle(site: Site, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n[report]\ndir = "{tmp_path}"\n'
                      f"[crawl]\ntimeout = 5\nretries = 0\n"
                      f'[[sites]]\nname = "某某县人民政府"\nurl = "{site.url}"\nunit = "县政府办公室"\n',
                      encoding="utf-8")
    assert govwatch(config, "scan").returncode == 0
    first = tickets(config)
    a, b, c = first[f"a.html:{ERROR}"], first["b.html:中华人名共和国"], first[f"c.html:{ERROR}"]
    assert {a["status"], b["status"], c["status"]} == {"open"}
    assert a["title"] == "关于甲的通知" and a["unit"] == "县政府办公室" and a["site"] == "某某县人民政府"
    created = datetime.fromisoformat(a["created_at"])
    assert datetime.fromisoformat(a["deadline"]) - created == timedelta(hours=24)
    dismissed = govwatch(config, "tickets", "dismiss", str(c["id"]), "--reason", "纪念活动名称引用原文", "--by", "张三")
    assert dismissed.returncode == 0, dismissed.stderr

    # a.html is corrected; b.html fails to load (its ticket must stay as it was).
    site.routes["/a.html"] = article("关于甲的通知", "依据中华人民共和国宪法。")
    site.routes["/b.html"] = 500
    assert govwatch(config, "scan").returncode == 0
    second = tickets(config)
    assert second[f"a.html:{ERROR}"]["status"] == "fixed" and second[f"a.html:{ERROR}"]["fixed_at"]
    assert second["b.html:中华人名共和国"]["status"] == "open"
    assert second[f"c.html:{ERROR}"]["status"] == "dismissed"
    assert [h["status"] for h in second[f"c.html:{ERROR}"]["history"]] == ["open", "dismissed"]
    assert second[f"c.html:{ERROR}"]["history"][1]["by"] == "张三"

    # A day later the open ones are overdue; then the corrected error comes back.
    store = Store(f"sqlite:///{tmp_path / 'gw.db'}")
    try:
        assert TicketBook(store).sweep(datetime.now(timezone.utc) + timedelta(hours=25)) >= 1
    finally:
        store.close()
    assert tickets(config)["b.html:中华人名共和国"]["status"] == "overdue"
    site.routes["/a.html"] = article("关于甲的通知", f"依据{ERROR}宪法。")
    assert govwatch(config, "scan").returncode == 0
    third = tickets(config)
    assert third[f"a.html:{ERROR}"]["status"] == "reopened"
    assert [h["status"] for h in third[f"a.html:{ERROR}"]["history"]] == ["open", "fixed", "reopened"]
    assert len({t["fingerprint"] for t in third.values()}) == len(third)  # one ticket per problem

    shown = govwatch(config, "tickets", "show", str(third[f"a.html:{ERROR}"]["id"]))
    assert shown.returncode == 0 and "再次出现" in shown.stdout and "已整改" in shown.stdout


def test_export_opens_in_excel_form(site: Site, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n[report]\ndir = "{tmp_path}"\n'
                      f'[[sites]]\nname = "某某县人民政府"\nurl = "{site.url}"\nunit = "县政府办公室"\n',
                      encoding="utf-8")
    site.routes["/c.html"] = article("=HYPERLINK(\"http://evil/\")", f"{ERROR}")
    assert govwatch(config, "scan").returncode == 0
    xlsx, csv_path = tmp_path / "t.xlsx", tmp_path / "t.csv"
    assert govwatch(config, "tickets", "export", "--format", "xlsx", "--out", str(xlsx)).returncode == 0
    assert govwatch(config, "tickets", "export", "--format", "csv", "--out", str(csv_path)).returncode == 0
    sheet = openpyxl.load_workbook(xlsx).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["编号", "状态", "问题类型", "级别"]
    assert sorted(row[2] for row in rows[1:]) == ["错误表述"] * 3 + ["首页不更新"]  # an undated homepage
    assert all(row[1] == "待整改" and row[5] == "县政府办公室" for row in rows[1:])
    assert all(not str(row[6]).startswith("=") for row in rows[1:])  # a crawled title is never a formula
    with open(csv_path, encoding="utf-8-sig") as f:
        assert [row[0] for row in csv.reader(f)] == [str(r[0]) for r in rows]


class Mailbox:
    """An SMTP handler that keeps what it receives."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        self.envelopes.append(envelope)
        return "250 OK"


def test_the_digest_goes_out_after_a_scan_escaped_and_per_unit(site: Site, tmp_path: Path) -> None:
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    box = Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        config = tmp_path / "c.toml"
        config.write_text(
            f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n[report]\ndir = "{tmp_path}"\n'
            f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nsender = "读网值班 <duty@example.gov.cn>"\n'
            f'[digest]\nrecipients = ["office@example.gov.cn"]\ndir = "{tmp_path / "digests"}"\n'
            f'[digest.unit_recipients]\n"县政府办公室" = ["unit@example.gov.cn"]\n'
            f'[[sites]]\nname = "某某县人民政府"\nurl = "{site.url}"\nunit = "县政府办公室"\n', encoding="utf-8")
        site.routes["/b.html"] = article("乙<script>alert(1)</script>", "根据中华人名共和国有关规定。")
        assert govwatch(config, "scan").returncode == 0
        sent = govwatch(config, "digest", "--send")
        assert sent.returncode == 0, sent.stderr
        assert "【读网值班日报】" in sent.stdout and "某某县人民政府网站：新发现 4 条" in sent.stdout
        assert sorted(tuple(e.rcpt_tos) for e in box.envelopes) == [("office@example.gov.cn",),
                                                                     ("unit@example.gov.cn",)]
        mail = message_from_bytes(box.envelopes[0].content, policy=policy.default)
        html = mail.get_body(("html",)).get_content()
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "中华人民共合国" in mail.get_body(("plain",)).get_content()
        again = govwatch(config, "digest", "--send")  # what was sent is not new again
        assert again.returncode == 0 and "新发现 0 条" in again.stdout
        assert sorted(p.name for p in (tmp_path / "digests").iterdir())[0].startswith("digest-")
    finally:
        controller.stop()
