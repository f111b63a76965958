"""The scan service on a generated site: a crashing check fails alone, counted per check."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.estate import serve_generated_estate
from core.config import load
from core.model import Page
from detector import Context, registry
from govwatch.service import run_scan
from storage import Store


class ExplodingCheck:
    name = "exploding"
    kinds = ("sensitive_word",)

    def check(self, page: Page, ctx: Context) -> list:
        if "通知" in page.title:
            raise RuntimeError("a check bug")
        return []


def test_a_crashing_check_is_counted_and_the_scan_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "PAGE_CHECKS", [*registry.PAGE_CHECKS, ExplodingCheck()])
    monkeypatch.setattr("detector.PAGE_CHECKS", registry.PAGE_CHECKS)
    with serve_generated_estate(pages=60) as url:
        config_path = tmp_path / "c.toml"
        config_path.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n'
                               f'[report]\ndir = "{tmp_path}"\n[crawl]\nattachments = false\n'
                               f'[[sites]]\nname = "站"\nurl = "{url}"\n', encoding="utf-8")
        outcome = run_scan(load(config_path))
    assert outcome.status == "finished"
    crashes = outcome.stats.check_errors["exploding"]
    assert 0 < crashes < outcome.stats.pages
    store = Store(f"sqlite:///{tmp_path / 'gw.db'}")
    try:
        kinds = {f.kind for f in store.findings(scan_id=outcome.scan_id)}
        with store.engine.connect() as conn:
            stored = conn.exec_driver_sql("SELECT check_errors FROM scans").scalar_one()
    finally:
        store.close()
    assert "erroneous_expression" in kinds  # the other checks kept running
    assert f'"exploding": {crashes}' in stored
