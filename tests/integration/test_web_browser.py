"""The console on a small estate of two units with a hostile page title: "已整改" re-checks the page now,
crawled text stays text, the pages work in a real headless Chromium at 375 and 1280 px, and
`govwatch web` really serves (waitress on a loopback port)."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest
from waitress import create_server

from core.config import SiteConfig
from core.model import Finding, Page
from core.urls import netloc
from storage import Store
from storage.reviews import ReviewBook
from storage.store import ScanStats

from .test_tickets import ERROR, Site, article, govwatch
from .web_support import PASSWORD, SECRET, Console, open_console, post, sign_in

HOSTILE = '丙<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
PHONE, DESKTOP = 375, 1280
USERS = {"duty": ("duty", ""), "jia": ("unit", "甲单位"), "yi": ("unit", "乙单位")}


JIA = {"/": article("甲首页", '<a href="/a.html">甲</a> <a href="/c.html">丙</a>'),
       "/a.html": article("关于甲的通知", f"依据{ERROR}宪法。"),
       "/c.html": article(HOSTILE, f"本县举办{ERROR}成立纪念活动。")}
YI = {"/": article("乙首页", '<a href="/b.html">乙</a>'),
      "/b.html": article("关于乙的通知", f"根据{ERROR}有关规定。")}


def write_config(folder: Path, jia: Site, yi: Site) -> Path:
    config = folder / "c.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{folder / "gw.db"}"\n[report]\ndir = "{folder}"\n'
                      f'[crawl]\ntimeout = 5\nretries = 0\n[web]\nsecret_key = "{SECRET}"\n'
                      f'[[sites]]\nname = "甲站"\nurl = "{jia.url}"\nunit = "甲单位"\n'
                      f'[[sites]]\nname = "乙站"\nurl = "{yi.url}"\nunit = "乙单位"\n', encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, Site, Path]]:
    """Two sites of two units, scanned once with the real CLI: the database every test starts from."""
    jia, yi = Site(), Site()
    jia.routes.update(JIA)
    yi.routes.update(YI)
    config = write_config(tmp_path_factory.mktemp("scanned"), jia, yi)
    run = govwatch(config, "scan")
    assert run.returncode == 0, run.stderr
    yield jia, yi, config
    jia.loopback.close()
    yi.loopback.close()


@pytest.fixture
def estate(scanned: tuple[Site, Site, Path], tmp_path: Path) -> tuple[Site, Site, Path]:
    """The scanned estate as the scan left it, for this test alone: a copy of its database, the sites'
    pages as they were (a test may change them and the tickets)."""
    jia, yi, template = scanned
    for site, pages in ((jia, JIA), (yi, YI)):
        site.routes.clear()
        site.routes.update(pages)
    source, copy = sqlite3.connect(template.parent / "gw.db"), sqlite3.connect(tmp_path / "gw.db")
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    return jia, yi, write_config(tmp_path, jia, yi)


@pytest.fixture
def console(estate: tuple[Site, Site, Path]) -> Iterator[Console]:
    made = open_console(estate[2], USERS)
    yield made
    made.store.close()


def ticket_of(client: Any, page: str) -> dict[str, Any]:
    return next(t for t in client.get("/api/tickets").get_json()["tickets"] if t["url"].endswith(page))


def test_fixed_rechecks_the_page_now(estate: tuple[Site, Site, Path], console: Console) -> None:
    jia = estate[0]
    client = console.client()
    sign_in(client, "jia")
    ticket = ticket_of(client, "/a.html")
    assert ticket["status"] == "open"

    still = post(client, f"/tickets/{ticket['id']}/fixed", note="已修改")
    assert still.status_code == 303
    after = ticket_of(client, "/a.html")
    assert after["status"] == "open" and after["history"][-1]["status"] == "still_found"
    assert "仍发现该问题" in client.get(f"/tickets/{ticket['id']}").text

    jia.routes["/a.html"] = 500  # cannot look: nothing changes
    post(client, f"/tickets/{ticket['id']}/fixed", note="")
    assert ticket_of(client, "/a.html")["history"] == after["history"]
    assert "未能复查" in client.get(f"/tickets/{ticket['id']}").text

    jia.routes["/a.html"] = article("关于甲的通知", "依据中华人民共和国宪法。")
    post(client, f"/tickets/{ticket['id']}/fixed", note="已改为中华人民共和国")
    fixed = ticket_of(client, "/a.html")
    assert fixed["status"] == "fixed" and fixed["fixed_at"]
    assert fixed["history"][-1]["by"] == "jia" and "已改为中华人民共和国" in fixed["history"][-1]["note"]
    assert govwatch(estate[2], "tickets", "show", str(ticket["id"])).stdout.count("已整改") >= 1


def test_the_cli_marks_fixed_and_comments_through_the_same_service(estate: tuple[Site, Site, Path]) -> None:
    yi, config = estate[1], estate[2]
    listed = json.loads(govwatch(config, "tickets", "list", "--json").stdout)["tickets"]
    ticket = next(t for t in listed if t["url"].endswith("/b.html"))
    still = govwatch(config, "tickets", "fixed", str(ticket["id"]), "--by", "王五")
    assert still.returncode == 1 and "仍发现" in still.stdout
    assert govwatch(config, "tickets", "comment", str(ticket["id"]), "--text", "已通知乙单位", "--by", "王五").returncode == 0
    yi.routes["/b.html"] = article("关于乙的通知", "根据中华人民共和国有关规定。")
    fixed = govwatch(config, "tickets", "fixed", str(ticket["id"]), "--note", "已改正", "--by", "王五")
    assert fixed.returncode == 0, fixed.stderr
    after = next(t for t in json.loads(govwatch(config, "tickets", "list", "--json").stdout)["tickets"]
                 if t["id"] == ticket["id"])
    assert after["status"] == "fixed" and [(h["status"], h["by"]) for h in after["history"]] == [
        ("open", ""), ("still_found", "王五"), ("comment", "王五"), ("fixed", "王五")]


def test_hostile_title_is_escaped(console: Console) -> None:
    client = console.client()
    sign_in(client, "jia")
    ticket = ticket_of(client, "/c.html")
    assert ticket["title"] == HOSTILE
    for page in (f"/tickets/{ticket['id']}", "/tickets", "/"):
        html = client.get(page).text
        assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html, page
        assert "<script>window.pwned" not in html and "<img src=x" not in html, page


# -- a real browser ----------------------------------------------------------------------------


@pytest.fixture
def served(console: Console) -> Iterator[str]:
    """The console served by waitress on a free loopback port, as `govwatch web` serves it."""
    server = create_server(console.app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


def body_text(chrome: Any) -> str:
    """The page's visible text, read in one script call so a page being replaced cannot go stale mid-read."""
    return str(chrome.execute_script("return document.body ? document.body.innerText : ''"))


def fits(chrome: Any, width: int) -> None:
    scroll_width, inner_width = chrome.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]")
    assert inner_width == width and scroll_width <= inner_width, f"{chrome.current_url} scrolls sideways"
    errors = [e for e in chrome.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_pages_work_in_a_browser(browser: Any, served: str, console: Console, width: int) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    browser.delete_all_cookies()
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": 800, "deviceScaleFactor": 2 if width == PHONE else 1,
                             "mobile": width == PHONE})
    browser.get_log("browser")  # start clean
    browser.get(f"{served}/tickets")
    assert "/login" in browser.current_url
    fits(browser, width)
    browser.find_element(By.NAME, "username").send_keys("duty")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 15).until(lambda b: "/login" not in b.current_url)
    assert browser.current_url == f"{served}/tickets"
    fits(browser, width)
    assert "甲单位" in browser.page_source or "甲站" in browser.page_source

    browser.get(f"{served}/")
    assert "近 30 天工单趋势" in body_text(browser)
    fits(browser, width)

    hostile = next(t for t in console.app.extensions["govwatch"].tickets.list() if t.url.endswith("/c.html"))
    browser.get(f"{served}/tickets/{hostile.id}")
    fits(browser, width)
    assert browser.execute_script("return window.pwned") is None, "the hostile title ran"
    assert browser.execute_script("return document.scripts.length") == 0
    assert HOSTILE in body_text(browser)

    plain = next(t for t in console.app.extensions["govwatch"].tickets.list()
                 if t.url.endswith("/b.html") and t.status != "dismissed")
    browser.get(f"{served}/tickets/{plain.id}")
    browser.find_element(By.NAME, "reason").send_keys(f"{width} 宽度下的测试误报")
    browser.find_element(By.XPATH, "//button[contains(., '标记为误报')]").click()
    # The click submits the form; the answer is the ticket's page again, once the redirect has loaded.
    WebDriverWait(browser, 15).until(lambda b: "已标记为误报" in body_text(b))
    body = body_text(browser)
    assert "已标记为误报" in body and f"{width} 宽度下的测试误报" in body
    fits(browser, width)
    assert console.app.extensions["govwatch"].tickets.get(plain.id).status == "dismissed"
    browser.get(f"{served}/sites")
    fits(browser, width)
    browser.get(f"{served}/scans")
    fits(browser, width)

    suspect = add_suspect(console.store, estate_site=console.app.extensions["govwatch"].config.sites[0])
    browser.get(f"{served}/review")
    fits(browser, width)
    assert f"#{suspect}：“城施”" in body_text(browser)
    assert browser.execute_script("return window.pwned") is None, "the hostile context ran"


def add_suspect(store: Store, estate_site: SiteConfig) -> int:
    """A suspected typo on a page with a hostile text and a long address, as a scan would store it."""
    scan = store.begin_scan([estate_site])
    url = f"{estate_site.url}{'very-long-path-segment-' * 8}.html"
    page = Page(url=url, site=estate_site.name, unit=estate_site.unit, text=f"{HOSTILE}因城施策")
    found = Finding("suspected_typo", url, "城施", site=estate_site.name, unit=estate_site.unit,
                    context=page.text, suggestion="疑为“城市”之误", details={"rule": "statistical"})
    found.identify({netloc(estate_site.url): estate_site.name})
    store.record_pages(scan, [(page, [found])])
    store.finish_scan(scan, "finished", ScanStats(pages=1))
    return next(s.id for s in ReviewBook(store).pending() if s.url == url)


# -- `govwatch web` for real -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_govwatch_web_serves_and_stops_on_sigterm(estate: tuple[Site, Site, Path]) -> None:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "govwatch", "web", "--config", str(estate[2]),
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                    assert answer.status == 200 and answer.read() == b"ok\n"
                    assert answer.headers["Server"] == "govwatch"  # waitress, not Werkzeug's development server
                    break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
                time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert f"http://127.0.0.1:{port}/" in out and "网站控制台已停止" in out
