"""The console's review of suspected typos (/review): the duty and admins confirm or reject them through
the same review service as `govwatch review`; units may not; every POST is audited, CSRF-checked, and
crawled text stays text."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterator

import pytest
from sqlalchemy import select

from core.config import SiteConfig
from core.model import Finding, Page
from storage import Store
from storage import models as db
from storage.reviews import ReviewBook
from storage.store import ScanStats
from storage.users import UserBook

from .web_support import SECRET, Console, open_console, post, sign_in

SITE = SiteConfig(name="某某县人民政府", url="http://127.0.0.1:9/", unit="县政府办")
HOSTILE = '<script>window.pwned=1</script><img src=x onerror="alert(1)">'
USERS = {"admin": ("admin", ""), "duty": ("duty", ""), "unit": ("unit", SITE.unit)}
SUSPECTS = {"城施": f"{HOSTILE}因城施策，推进工作。", "布署": "抓紧布署下一阶段工作。", "<b>抓紧</b>": f"要<b>抓紧</b>{HOSTILE}"}


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    """A store holding three suspected typos of one site (one with a hostile text), and its console."""
    store = Store(f"sqlite:///{tmp_path / 'gw.db'}")
    scan = store.begin_scan([SITE])
    pages = []
    for n, (evidence, context) in enumerate(SUSPECTS.items()):
        page = Page(url=f"http://127.0.0.1:9/{n}.html", site=SITE.name, unit=SITE.unit, text=context)
        found = Finding("suspected_typo", page.url, evidence, site=SITE.name, unit=SITE.unit, context=context,
                        suggestion=f"疑为{HOSTILE}之误，请人工核实", details={"rule": "statistical"})
        found.identify({"127.0.0.1:9": SITE.name})
        pages.append((page, [found]))
    store.record_pages(scan, pages)
    store.finish_scan(scan, "finished", ScanStats(pages=len(pages)))
    store.close()
    config = tmp_path / "c.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n[web]\nsecret_key = "{SECRET}"\n'
                      f'[tickets]\ndeadline_hours = 24\nkind_deadline_hours = {{ erroneous_expression = 48 }}\n'
                      f'[[sites]]\nname = "{SITE.name}"\nurl = "{SITE.url}"\nunit = "{SITE.unit}"\n',
                      encoding="utf-8")
    made = open_console(config, USERS)
    yield made
    made.store.close()


def signed_in(console: Console, name: str) -> Any:
    client = console.client()
    assert sign_in(client, name).status_code == 302
    return client


def suspect_id(console: Console, evidence: str) -> int:
    return next(s.id for s in ReviewBook(console.store).pending() if s.evidence == evidence)


def decisions(console: Console) -> list[tuple[str, str, str, str]]:
    with console.store.reading() as session:
        return [(r.evidence, r.decision, r.reason, r.by) for r in session.scalars(select(db.Review))]


def test_the_duty_and_admins_see_the_pending_suspects_and_units_may_not(console: Console) -> None:
    for name in ("duty", "admin"):
        client = signed_in(console, name)
        page = client.get("/review")
        assert page.status_code == 200
        assert "疑似错别字审核（3）" in page.text and "<mark>城施</mark>" in page.text
        assert "statistical" in page.text and SITE.name in page.text and SITE.unit in page.text
        assert 'href="http://127.0.0.1:9/1.html"' in page.text and "疑为" in page.text
        assert page.text.count('name="reason"') == 3 and page.text.count("确认为错别字，生成工单") == 3
        assert 'href="/review"' in client.get("/tickets").text  # the menu, with the count
        assert "疑似错别字审核（3）" in client.get("/tickets").text
        dashboard = client.get("/").text
        assert "待审核 <strong>3</strong> 处" in dashboard

    unit = signed_in(console, "unit")
    assert unit.get("/review").status_code == 403
    assert 'href="/review"' not in unit.get("/").text and "疑似错别字" not in unit.get("/").text
    target = suspect_id(console, "布署")
    assert post(unit, f"/review/{target}/confirm").status_code == 403
    assert post(unit, f"/review/{target}/reject", reason="不是错字").status_code == 403
    assert len(ReviewBook(console.store).pending()) == 3 and decisions(console) == []
    assert unit.get("/api/tickets").get_json() == {"tickets": []}
    entries, _ = UserBook(console.store).audit_log()
    assert {(e.user, e.action, e.ok) for e in entries if e.user == "unit" and e.action != "登录"} == {
        ("unit", "review.confirm", False), ("unit", "review.reject", False)}


def test_confirm_opens_an_erroneous_expression_ticket_with_the_kinds_deadline(console: Console) -> None:
    duty, unit = signed_in(console, "duty"), signed_in(console, "unit")
    target = suspect_id(console, "城施")
    answer = post(duty, f"/review/{target}/confirm")
    assert answer.status_code == 303
    [ticket] = duty.get("/api/tickets").get_json()["tickets"]
    assert answer.headers["Location"] == f"/tickets/{ticket['id']}"
    assert (ticket["kind"], ticket["evidence"], ticket["status"], ticket["unit"]) == (
        "erroneous_expression", "城施", "open", SITE.unit)
    opened = datetime.fromisoformat(ticket["deadline"]) - datetime.fromisoformat(ticket["created_at"])
    assert opened == timedelta(hours=48)  # tickets.kind_deadline_hours, not the 24 of deadline_hours
    shown = duty.get(answer.headers["Location"]).text
    assert f"已确认为错别字，生成工单 #{ticket['id']}" in shown and "<mark>城施</mark>" in shown
    assert f'href="/tickets/{ticket["id"]}"' in duty.get("/tickets").text
    assert unit.get("/api/tickets").get_json()["tickets"] == [ticket]  # the unit sees it as any ticket
    assert decisions(console) == [("城施", "confirmed", "", "duty")]
    assert "疑似错别字审核（2）" in duty.get("/review").text and "#%d：" % target not in duty.get("/review").text

    again = post(duty, f"/review/{target}/confirm")  # decided already: said, nothing changes
    assert again.status_code == 303 and again.headers["Location"] == "/review"
    assert "已审核过" in duty.get("/review").text
    assert len(duty.get("/api/tickets").get_json()["tickets"]) == 1
    assert post(duty, "/review/9999/confirm").status_code == 404

    entries, _ = UserBook(console.store).audit_log()
    done = [(e.user, e.action, e.target, e.ok) for e in entries if e.action == "确认错别字"]
    assert sorted(done, key=str) == sorted([
        ("duty", "确认错别字", f"疑似错别字 {target}", True), ("duty", "确认错别字", f"疑似错别字 {target}", False),
        ("duty", "确认错别字", "疑似错别字 9999", False)], key=str)
    assert any(f"工单 {ticket['id']}" in e.detail for e in entries if e.action == "确认错别字" and e.ok)


def test_reject_needs_a_reason_then_silences_the_text_and_keeps_the_reason(console: Console) -> None:
    admin = signed_in(console, "admin")
    target = suspect_id(console, "布署")
    refused = post(admin, f"/review/{target}/reject", reason="  ")
    assert refused.status_code == 303 and "说明为何不是错别字" in admin.get("/review").text
    assert len(ReviewBook(console.store).pending()) == 3 and decisions(console) == []

    answer = post(admin, f"/review/{target}/reject", reason="方言用字，不是错字")
    assert answer.status_code == 303 and answer.headers["Location"] == "/review"
    page = admin.get("/review").text
    assert "已驳回：以后不再报告“布署”" in page and "疑似错别字审核（2）" in page and "<mark>布署</mark>" not in page
    assert decisions(console) == [("布署", "rejected", "方言用字，不是错字", "admin")]
    assert admin.get("/api/tickets").get_json() == {"tickets": []}
    assert post(admin, f"/review/{target}/reject", reason="再驳回").status_code == 404  # its findings are gone

    entries, _ = UserBook(console.store).audit_log()
    rejected = [e for e in entries if e.action == "驳回疑似错别字"]
    assert [(e.user, e.ok) for e in rejected] == [("admin", False), ("admin", True), ("admin", False)]
    assert "方言用字，不是错字" in rejected[1].detail and "方言用字" in admin.get("/audit").text


def test_csrf_missing_or_wrong_is_refused_and_changes_nothing(console: Console) -> None:
    duty = signed_in(console, "duty")
    target = suspect_id(console, "城施")
    assert duty.post(f"/review/{target}/confirm").status_code == 400
    assert duty.post(f"/review/{target}/confirm", data={"csrf_token": "forged"}).status_code == 400
    assert duty.post(f"/review/{target}/reject", data={"reason": "x"}).status_code == 400
    assert len(ReviewBook(console.store).pending()) == 3 and decisions(console) == []
    assert duty.get("/api/tickets").get_json() == {"tickets": []}
    entries, _ = UserBook(console.store).audit_log()
    assert sum(not e.ok and "CSRF" in e.detail for e in entries) == 3


def test_crawled_text_stays_text(console: Console) -> None:
    duty = signed_in(console, "duty")
    page = duty.get("/review").text
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page
    assert "<mark>&lt;b&gt;抓紧&lt;/b&gt;</mark>" in page
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    answer = post(duty, f"/review/{suspect_id(console, '<b>抓紧</b>')}/confirm")
    shown = duty.get(answer.headers["Location"]).text
    assert "&lt;b&gt;抓紧&lt;/b&gt;" in shown and "<b>" not in shown and "<script" not in shown
