"""A page larger than every size limit is cut off and checked, never reported as a dead link."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

BIG = ("<html><head><title>大页面</title></head><body>" + "<p>正文段落，中华人民共合国。</p>" * 150_000
       + "</body></html>").encode("utf-8")  # about 5 MB, announced in Content-Length
HOME = '<html><head><title>首页</title></head><body><a href="/big.html">大页面</a></body></html>'.encode()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body = BIG if self.path == "/big.html" else HOME
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler read what it needed and hung up

    do_HEAD = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_page_over_every_limit_is_alive_and_its_start_is_checked(site: str, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n[report]\ndir = "{tmp_path}"\n'
                      "[crawl]\nmax_response_size = 100000\nmax_attachment_size = 100000\n"
                      f'[[sites]]\nname = "站"\nurl = "{site}"\n', encoding="utf-8")
    out = tmp_path / "f.json"
    run = subprocess.run([sys.executable, "-m", "govwatch", "scan", "--config", str(config), "--json", str(out)],
                         capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert run.returncode == 0, run.stdout + run.stderr
    findings = json.loads(out.read_text(encoding="utf-8"))["findings"]
    assert not [f for f in findings if f["kind"] == "dead_link"]
    assert [f["url"] for f in findings if f["kind"] == "erroneous_expression"] == [site + "big.html"]
