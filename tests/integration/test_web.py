"""The web console over the scanned fixture estate (several units): each role sees exactly its tickets,
pages and API agree with `tickets list --json`, people's actions follow the ticket rules and are audited,
and the security rules hold when tried."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import quote

import pytest

from storage.users import UserBook

from .conftest import Scan, govwatch
from .web_support import PASSWORD, Console, copy_config, csrf_token, open_console, post, sign_in

PORTAL_UNIT, EDU_UNIT = "某某县人民政府办公室", "某某县教育局"
USERS = {"admin": ("admin", ""), "duty": ("duty", ""), "portal": ("unit", PORTAL_UNIT), "edu": ("unit", EDU_UNIT)}
ROUTES = ["/", "/tickets", "/scans", "/sites", "/api/tickets", "/audit", "/users", "/tickets/export?format=csv",
          "/tickets/1"]


@pytest.fixture
def console(scans: list[Scan], config_path: Path, tmp_path: Path) -> Iterator[Console]:
    made = open_console(copy_config(config_path, tmp_path / "web"), USERS)
    yield made
    made.store.close()


def cli_tickets(config_path: Path, *args: str) -> list[dict[str, Any]]:
    run = govwatch("tickets", "list", "--config", str(config_path), "--json", *args)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)["tickets"]


def session_cookie(answer: Any) -> str:
    return next(c for c in answer.headers.getlist("Set-Cookie") if c.startswith("govwatch_session="))


def listed_ids(client: Any, query: str = "") -> list[int]:
    """Every ticket number the list pages show, page after page."""
    ids, page = [], 1
    while True:
        html = client.get(f"/tickets?page={page}{'&' + query if query else ''}").text
        ids += [int(n) for n in re.findall(r'<td class="num"><a href="/tickets/(\d+)">', html)]
        if "下一页" not in html:
            return ids
        page += 1


def test_each_role_sees_exactly_its_tickets(console: Console) -> None:
    everything = cli_tickets(console.config_path)
    units = {t["unit"] for t in everything}
    assert {PORTAL_UNIT, EDU_UNIT} <= units and len(everything) > 5
    for name, (role, unit) in USERS.items():
        client = console.client()
        assert sign_in(client, name).status_code == 302
        want = everything if role != "unit" else cli_tickets(console.config_path, "--unit", unit)
        assert want and all(role != "unit" or t["unit"] == unit for t in want)
        api = client.get("/api/tickets").get_json()["tickets"]
        assert api == want, f"{name}: the API is not `tickets list --json`"
        assert sorted(listed_ids(client)) == sorted(t["id"] for t in want), f"{name}: the list pages differ"
        others = [t for t in everything if t not in want]
        for other in others[:3]:
            assert client.get(f"/tickets/{other['id']}").status_code == 404
            assert post(client, f"/tickets/{other['id']}/comment", comment="看看").status_code == 404
        if role == "unit":
            assert others, "a unit user must not see every ticket"
            assert client.get(f"/api/tickets?unit={others[0]['unit']}").get_json() == {"tickets": []}


def test_filters_and_export_agree_with_the_cli(console: Console) -> None:
    client = console.client()
    sign_in(client, "duty")
    want = cli_tickets(console.config_path, "--unit", EDU_UNIT, "--status", "open")
    query = f"unit={EDU_UNIT}&status=open"
    assert client.get(f"/api/tickets?{query}").get_json()["tickets"] == want
    assert sorted(listed_ids(client, query)) == sorted(t["id"] for t in want)
    exported = client.get(f"/tickets/export?format=csv&{query}")
    assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert rows[0][0] == "编号" and sorted(int(r[0]) for r in rows[1:]) == sorted(t["id"] for t in want)
    xlsx = client.get(f"/tickets/export?format=xlsx&{query}")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    kind = want[0]["kind"]
    by_kind = client.get(f"/api/tickets?kind={kind}").get_json()["tickets"]
    assert by_kind and {t["kind"] for t in by_kind} == {kind}
    words = want[0]["evidence"][:4]
    searched = client.get("/api/tickets", query_string={"q": words}).get_json()["tickets"]
    assert any(t["id"] == want[0]["id"] for t in searched)
    assert client.get("/tickets?status=nonsense").status_code == 400


def test_without_a_session_everything_but_healthz_and_login_goes_to_login(console: Console) -> None:
    client = console.client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/login").status_code == 200
    for route in ROUTES:
        answer = client.get(route)
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/login?next="), route


def test_dismiss_request_comment_follow_the_roles_and_are_audited(console: Console) -> None:
    everything = cli_tickets(console.config_path)
    edu = next(t for t in everything if t["unit"] == EDU_UNIT and t["status"] == "open")
    unit, duty, admin = console.client(), console.client(), console.client()
    sign_in(unit, "edu")
    sign_in(duty, "duty")
    sign_in(admin, "admin")

    # A unit only requests 误报: the status stays, the request waits for the duty.
    assert post(unit, f"/tickets/{edu['id']}/dismiss", reason="").status_code == 303  # refused: no reason
    assert post(unit, f"/tickets/{edu['id']}/dismiss", reason="引用的是原文标题").status_code == 303
    after = unit.get("/api/tickets").get_json()["tickets"]
    mine = next(t for t in after if t["id"] == edu["id"])
    assert mine["status"] == "open" and mine["history"][-1]["status"] == "dismiss_requested"
    assert mine["history"][-1]["by"] == "edu" and mine["history"][-1]["note"] == "引用的是原文标题"
    assert f'href="/tickets/{edu["id"]}"' in duty.get("/").text.split("待处理的误报申请")[1].split("今日新发现")[0]
    assert "申请误报" in unit.get(f"/tickets/{edu['id']}").text

    # The duty dismisses it for good; the CLI sees the same ticket the same way.
    assert post(duty, f"/tickets/{edu['id']}/comment", comment="已联系教育局核实").status_code == 303
    assert post(duty, f"/tickets/{edu['id']}/dismiss", reason="原文引用，非错误").status_code == 303
    shown = next(t for t in cli_tickets(console.config_path) if t["id"] == edu["id"])
    assert shown["status"] == "dismissed"
    assert [(h["status"], h["by"]) for h in shown["history"][-3:]] == [
        ("dismiss_requested", "edu"), ("comment", "duty"), ("dismissed", "duty")]
    assert "待处理的误报申请" not in duty.get("/").text

    # A request the duty rejects stays a ticket to fix.
    other = next(t for t in everything if t["unit"] == EDU_UNIT and t["status"] == "open" and t["id"] != edu["id"])
    post(unit, f"/tickets/{other['id']}/dismiss", reason="不是问题")
    assert post(unit, f"/tickets/{other['id']}/reject", reason="自己驳回").status_code == 303  # not the unit's to do
    post(duty, f"/tickets/{other['id']}/reject", reason="确属错误，请整改")
    rejected = next(t for t in cli_tickets(console.config_path) if t["id"] == other["id"])
    assert rejected["status"] == "open" and [h["status"] for h in rejected["history"][-2:]] == [
        "dismiss_requested", "request_rejected"]

    entries, _ = UserBook(console.store).audit_log()
    done = {(e.user, e.action, e.ok) for e in entries}
    assert {("edu", "申请误报", True), ("edu", "申请误报", False), ("duty", "误报", True), ("duty", "备注", True),
            ("edu", "驳回误报申请", False), ("duty", "驳回误报申请", True), ("duty", "登录", True)} <= done
    assert all(e.address == "127.0.0.1" for e in entries)
    audit = admin.get("/audit")
    assert audit.status_code == 200 and "原文引用，非错误" in audit.text
    assert duty.get("/audit").status_code == 403 and unit.get("/users").status_code == 403


def test_csrf_missing_or_wrong_is_refused_and_changes_nothing(console: Console) -> None:
    ticket = cli_tickets(console.config_path)[0]
    client = console.client()
    sign_in(client, "duty")
    assert client.post(f"/tickets/{ticket['id']}/dismiss", data={"reason": "x"}).status_code == 400
    forged = {"reason": "x", "csrf_token": "forged"}
    assert client.post(f"/tickets/{ticket['id']}/dismiss", data=forged).status_code == 400
    stranger = console.client()
    token_of_another_session = csrf_token(stranger.get("/login").text)
    assert client.post(f"/tickets/{ticket['id']}/comment",
                       data={"comment": "x", "csrf_token": token_of_another_session}).status_code == 400
    assert client.post("/logout").status_code == 400
    assert client.post("/login", data={"username": "duty", "password": PASSWORD}).status_code == 400
    assert next(t for t in cli_tickets(console.config_path) if t["id"] == ticket["id"]) == ticket
    entries, _ = UserBook(console.store).audit_log()
    assert sum(not e.ok and "CSRF" in e.detail for e in entries) == 5


def test_five_failures_lock_the_name_even_for_the_right_password(console: Console) -> None:
    client = console.client()
    for _ in range(5):
        assert sign_in(client, "duty", "wrong-password").status_code == 401
    refused = sign_in(client, "duty", PASSWORD)
    assert refused.status_code == 401 and "锁定" in refused.text
    assert client.get("/api/tickets").status_code == 302
    book = UserBook(console.store)
    assert book.sign_in("duty", PASSWORD, datetime.now(timezone.utc) + timedelta(minutes=14)).user is None
    assert book.sign_in("duty", PASSWORD, datetime.now(timezone.utc) + timedelta(minutes=16)).user is not None
    assert sign_in(console.client(), "nobody", PASSWORD).status_code == 401
    entries, _ = UserBook(console.store).audit_log()
    assert not any(PASSWORD in e.detail or "wrong-password" in e.detail for e in entries)


@pytest.mark.parametrize("target,landing", [
    ("/tickets?status=open", "/tickets?status=open"),
    ("//evil.example/steal", "/"), ("https://evil.example/", "/"), ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"), ("", "/"),
])
def test_next_goes_only_to_a_local_path(console: Console, target: str, landing: str) -> None:
    answer = sign_in(console.client(), "admin", next_=target)
    assert answer.status_code == 302 and answer.headers["Location"] == landing


def test_cookie_and_headers(console: Console, scans: list[Scan], config_path: Path, tmp_path: Path) -> None:
    client = console.client()
    cookie = session_cookie(sign_in(client, "admin"))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    for route in ROUTES[:-1]:
        answer = client.get(route)
        assert answer.status_code == 200, route
        policy = answer.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
        assert answer.headers["X-Frame-Options"] == "DENY"
        if answer.mimetype == "text/html":
            assert "<script" not in answer.text and not re.search(r"\son[a-z]+\s*=", answer.text), route
            assert ' style="' not in answer.text, route
    https = open_console(copy_config(config_path, tmp_path / "https", extra='base_url = "https://gw.example.gov.cn"\n'),
                         {"admin": ("admin", "")})
    try:
        assert "Secure" in session_cookie(sign_in(https.client(), "admin"))
    finally:
        https.store.close()


def test_dashboard_shows_units_scans_assessments_and_the_trend(console: Console) -> None:
    client = console.client()
    sign_in(client, "duty")
    page = client.get("/").text
    assert PORTAL_UNIT in page and EDU_UNIT in page and "近 30 天工单趋势" in page
    assert "<svg" in page and "<polyline" in page and "今日新发现" in page
    assert "某某县人民政府" in page and ("合格" in page or "不合格" in page)
    unit = console.client()
    sign_in(unit, "edu")
    mine = unit.get("/").text
    assert f"/tickets?unit={quote(EDU_UNIT)}" in mine and f"/tickets?unit={quote(PORTAL_UNIT)}" not in mine
    assert "某某县教育局" in unit.get("/sites").text and "某某县人民政府</a>" not in unit.get("/sites").text
