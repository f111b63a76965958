"""A page larger than every size limit is cut off and checked, never reported as a dead link; `check`
names it, and an attachment it cannot read, where its user sees them; a link too long to request is
named, never dropped in silence."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.support.loopback import Loopback, QuietHandler

BIG = ("<html><head><title>大页面</title></head><body>" + "<p>正文段落，中华人民共合国。</p>" * 150_000
       + "</body></html>").encode("utf-8")  # about 5 MB, announced in Content-Length
LONG = "/search?q=" + "zhengwu" * 320  # over the 2,083 characters a URL may have to be requested
HOME = (f'<html><head><title>首页</title></head><body><a href="/big.html">大页面</a><a href="{LONG}">检索</a>'
        '</body></html>').encode()
NOTICE = ('<html><head><title>通知</title></head><body><p>附件：</p><a href="/broken.pdf">通知全文</a>'
          '</body></html>').encode()
BROKEN_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> garbage \x00\xff stream << /Length 99999999 >>"
BODIES = {"/big.html": (BIG, "text/html; charset=utf-8"), "/notice.html": (NOTICE, "text/html; charset=utf-8"),
          "/broken.pdf": (BROKEN_PDF, "application/pdf")}


class Handler(QuietHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body, content_type = BODIES.get(self.path, (HOME, "text/html; charset=utf-8"))
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler read what it needed and hung up

    do_HEAD = do_GET


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with Loopback(Handler) as served:
        yield served.url


def write_config(site: str, tmp_path: Path) -> Path:
    config = tmp_path / "c.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n[report]\ndir = "{tmp_path}"\n'
                      "[crawl]\nmax_response_size = 100000\nmax_attachment_size = 100000\n"
                      f'[[sites]]\nname = "站"\nurl = "{site}"\n', encoding="utf-8")
    return config


def govwatch(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govwatch", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


@dataclass
class Scan:
    work: Path  # its config, database, report and crawl log
    run: subprocess.CompletedProcess[str]
    document: dict[str, Any]  # its --json


@pytest.fixture(scope="module")
def scan(site: str, tmp_path_factory: pytest.TempPathFactory) -> Scan:
    work = tmp_path_factory.mktemp("scan")
    out = work / "f.json"
    run = govwatch("scan", "--config", str(write_config(site, work)), "--json", str(out))
    assert run.returncode == 0, run.stdout + run.stderr
    return Scan(work, run, json.loads(out.read_text(encoding="utf-8")))


def test_a_page_over_every_limit_is_alive_and_its_start_is_checked(site: str, scan: Scan) -> None:
    findings = scan.document["findings"]
    assert not [f for f in findings if f["kind"] == "dead_link"]
    assert [f["url"] for f in findings if f["kind"] == "erroneous_expression"] == [site + "big.html"]


@pytest.mark.parametrize("path, note", [("big.html", "只检查了一部分"), ("notice.html", "未能检查")])
def test_check_names_a_cut_page_and_an_unreadable_attachment(site: str, tmp_path: Path, path: str,
                                                              note: str) -> None:
    """As the scan's report and JSON name them (`notes`), in the text and in `--json`."""
    config = write_config(site, tmp_path)
    named = {"big.html": site + "big.html", "notice.html": site + "broken.pdf"}[path]
    text = govwatch("check", site + path, "--config", str(config))
    assert text.returncode in (0, 1), text.stdout + text.stderr
    lines = [line.strip() for line in text.stdout.splitlines() if line.strip().startswith(f"{note}：")]
    assert len(lines) == 1 and lines[0].startswith(f"{note}：{named}："), text.stdout
    as_json = govwatch("check", site + path, "--config", str(config), "--json")
    assert as_json.returncode == text.returncode, as_json.stdout + as_json.stderr
    [json_note] = json.loads(as_json.stdout)["notes"]
    assert json_note == lines[0]


def test_a_link_too_long_to_request_is_named_not_dropped(site: str, scan: Scan) -> None:
    """Scrapy would drop it (UrlLengthMiddleware), leaving the link with no outcome and no word."""
    summary = scan.document["scan"]
    assert summary["limits"].get("url_length") == 1, summary
    [note] = [note for note in summary["notes"] if "2083" in note]
    assert note in scan.run.stdout and note in next(scan.work.glob("scan-*.html")).read_text(encoding="utf-8")
    assert (site + LONG.lstrip("/"))[:200] in next(scan.work.glob("scan-*.log")).read_text(encoding="utf-8")
    checked = govwatch("check", site, "--config", str(scan.work / "c.toml"), "--json")
    assert note in json.loads(checked.stdout)["notes"], checked.stdout + checked.stderr


@pytest.mark.parametrize("path, kind, said", [("big.html", "erroneous_expression", "只检查了一部分或未能检查"),
                                             ("broken.pdf", "privacy_leak", "附件无法读取")])
def test_a_fix_is_never_confirmed_where_the_re_check_read_only_part(site: str, tmp_path: Path, path: str,
                                                                   kind: str, said: str) -> None:
    """已整改 claimed on a page cut at the size limit, or on an attachment that cannot be read: the problem
    may lie in the part not read, so the re-check says it cannot tell; on a page read whole it says gone."""
    from core.config import load
    from core.model import Ticket
    from govwatch.rechecks import rechecker

    recheck = rechecker(load(write_config(site, tmp_path)))
    now = datetime.now(timezone.utc)

    def ticket(url: str, kind: str) -> Ticket:
        return Ticket(1, "no-such-fingerprint", kind, "站", "", url, "", "", "high", "open", now, now, None)

    partial = recheck(ticket(site + path, kind))
    assert partial.found is None and said in partial.reason and site + path in partial.reason, partial
    assert recheck(ticket(site + "notice.html", "erroneous_expression")).found is False


def test_check_of_an_attachment_it_cannot_read_says_why(site: str, tmp_path: Path) -> None:
    run = govwatch("check", site + "broken.pdf", "--config", str(write_config(site, tmp_path)))
    assert run.returncode == 2 and f"无法打开页面 {site}broken.pdf：附件无法读取" in run.stdout + run.stderr, \
        run.stdout + run.stderr
