"""`govwatch review list|confirm|reject`: suspected typos reviewed by a person from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.config import SiteConfig
from core.model import Finding, Page
from govwatch.cli import main
from storage import Store
from storage.store import ScanStats

SITE = SiteConfig(name="某某县人民政府", url="http://127.0.0.1:9/", unit="县政府办")


def suspect_in_store(tmp_path: Path, evidence: str = "城施") -> Path:
    store = Store(f"sqlite:///{tmp_path / 'gw.db'}")
    scan = store.begin_scan([SITE])
    page = Page(url="http://127.0.0.1:9/a.html", site=SITE.name, unit=SITE.unit, text=f"因{evidence}策")
    found = Finding("suspected_typo", page.url, evidence, site=SITE.name, unit=SITE.unit, context=page.text,
                    suggestion="疑为“城市”之误，请人工核实", details={"rule": "statistical"})
    found.identify({"127.0.0.1:9": SITE.name})
    store.record_pages(scan, [(page, [found])])
    store.finish_scan(scan, "finished", ScanStats(pages=1))
    store.close()
    config = tmp_path / "c.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n', encoding="utf-8")
    return config


@pytest.mark.parametrize("command", [["review"], ["review", "list"], ["review", "confirm"], ["review", "reject"]])
def test_review_commands_have_help_in_chinese(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "用法" in result.output and "Options" not in result.output


def test_list_then_confirm_opens_an_erroneous_expression_ticket(tmp_path: Path) -> None:
    config = suspect_in_store(tmp_path)
    listed = CliRunner().invoke(main, ["review", "list", "--config", str(config), "--json"])
    assert listed.exit_code == 0, listed.output
    [suspect] = json.loads(listed.output)["suspected"]
    assert (suspect["evidence"], suspect["rule"], suspect["unit"]) == ("城施", "statistical", "县政府办")
    confirmed = CliRunner().invoke(main, ["review", "confirm", str(suspect["id"]), "--config", str(config)])
    assert confirmed.exit_code == 0 and "已确认为错别字，生成工单" in confirmed.output
    tickets = json.loads(CliRunner().invoke(main, ["tickets", "list", "--config", str(config), "--json"]).output)
    assert [(t["kind"], t["evidence"]) for t in tickets["tickets"]] == [("erroneous_expression", "城施")]
    assert "没有待审核的疑似错别字" in CliRunner().invoke(main, ["review", "list", "--config", str(config)]).output
    again = CliRunner().invoke(main, ["review", "confirm", str(suspect["id"]), "--config", str(config)])
    assert again.exit_code == 2 and "已审核过" in again.output


def test_reject_needs_a_reason_and_unknown_numbers_exit_2(tmp_path: Path) -> None:
    config = suspect_in_store(tmp_path)
    [suspect] = json.loads(CliRunner().invoke(main, ["review", "list", "--config", str(config), "--json"])
                           .output)["suspected"]
    missing = CliRunner().invoke(main, ["review", "reject", str(suspect["id"]), "--config", str(config)])
    assert missing.exit_code == 2 and "--reason" in missing.output
    unknown = CliRunner().invoke(main, ["review", "reject", "999", "--reason", "x", "--config", str(config)])
    assert unknown.exit_code == 2 and "没有编号为 999 的疑似错别字" in unknown.output
    rejected = CliRunner().invoke(main, ["review", "reject", str(suspect["id"]), "--reason", "固定提法",
                                         "--config", str(config)])
    assert rejected.exit_code == 0 and "以后不再报告“城施”" in rejected.output
