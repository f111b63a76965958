"""`govwatch demo --keep-serving` (make demo-web) keeps the console up: the printed demo login signs in
through the login form and sees the demo's tickets."""

from __future__ import annotations

import http.cookiejar
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from .web_support import csrf_token


def test_demo_keeps_the_console_up_with_a_printed_login(tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "govwatch", "demo", "--keep-serving", "--dir", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        seen, deadline = "", time.monotonic() + 300
        while "演示站点继续运行中" not in seen:
            assert process.poll() is None and time.monotonic() < deadline, seen
            try:
                seen += lines.get(timeout=1)
            except queue.Empty:
                pass
        url = re.search(r"网站控制台已启动：(http://127\.0\.0\.1:\d+/)", seen).group(1)
        password = re.search(r"用户名 demo  密码 (\S+)", seen).group(1)
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        token = csrf_token(browser.open(url + "login", timeout=10).read().decode("utf-8"))
        form = urllib.parse.urlencode({"username": "demo", "password": password, "csrf_token": token, "next": "/api/tickets"})
        with browser.open(url + "login", data=form.encode(), timeout=10) as answer:
            body = answer.read().decode("utf-8")
        assert answer.url == url + "api/tickets" and '"kind"' in body and '"tickets"' in body
    finally:
        process.terminate()
        process.wait(timeout=30)
