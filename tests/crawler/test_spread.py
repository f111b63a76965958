"""How a full scan's sites are spread over crawl processes, and how many processes it takes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from core.config import CrawlConfig
from crawler.plan import CrawlPlan, Incremental, PlanSite
from crawler.spread import processes_for, spread

SITES = [PlanSite(name, f"http://127.0.0.{i + 1}/") for i, name in enumerate("甲乙丙丁戊")]


def test_a_big_site_crawls_alone_and_small_ones_together() -> None:
    weights = {"甲": 9000, "乙": 500, "丙": 400, "丁": 300, "戊": 200}
    assert spread(SITES, weights, 2) == [(["甲"], 9000.0), (["乙", "丙", "丁", "戊"], 1400.0)]


def test_sites_the_last_scan_did_not_see_weigh_as_much_as_the_average() -> None:
    groups = spread(SITES, {"甲": 100, "乙": 300}, 2)  # 丙, 丁 and 戊 count as 200 each
    assert groups == [(["乙", "戊"], 500.0), (["丙", "丁", "甲"], 500.0)]


def test_without_any_counts_the_sites_are_shared_out_evenly() -> None:
    assert sorted(len(names) for names, _ in spread(SITES, {}, 3)) == [1, 2, 2]


def test_no_more_processes_than_sites_and_one_for_a_partial_crawl() -> None:
    plan = CrawlPlan(SITES[:2], date(2026, 1, 1), CrawlConfig(processes=8))
    assert processes_for(plan) == 2
    assert processes_for(replace(plan, crawl=replace(plan.crawl, processes=1))) == 1
    assert processes_for(replace(plan, incremental=Incremental())) == 1
    assert processes_for(replace(plan, only_urls=["http://127.0.0.1/a"])) == 1
