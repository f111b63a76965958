"""The crawl plan crosses to the crawl process as JSON: an incremental plan arrives whole."""

from __future__ import annotations

from core.config import Config, SiteConfig
from crawler.plan import CrawlPlan, Incremental, Reread


def test_an_incremental_plan_round_trips_through_json() -> None:
    config = Config(sites=[SiteConfig(name="某某县人民政府", url="http://127.0.0.1:1/")])
    known = Incremental([Reread("http://127.0.0.1:1/", '"abc"', "Mon, 23 Nov 2026 08:00:00 GMT", "f" * 40)],
                        known=["http://127.0.0.1:1/a.html"], fresh=["http://127.0.0.1:1/logo.png"],
                        dead=["http://127.0.0.1:1/gone.html"])
    plan = CrawlPlan.for_incremental(config, known)
    again = CrawlPlan.from_json(plan.to_json())
    assert again.incremental == known and again.following
    assert CrawlPlan.from_json(CrawlPlan.for_scan(config).to_json()).incremental is None
