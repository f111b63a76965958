"""Crawl events cross the pipe as one line each and come back as they were sent."""

from __future__ import annotations

from datetime import date, datetime, timezone

from core.events import DoneEvent, ErrorEvent, LinkEvent, ListEvent, PageEvent, decode, encode
from core.model import Link, LinkStatus, ListItem, Page


def _page() -> Page:
    return Page(url="http://127.0.0.1/a.html", site="某某县人民政府", unit="办公室", title="通知\u2028公告",
                text="第一行\n第二行\r\n第三行\x00", html="<p>第一行</p>\n<p>第二行</p>",
                fetched_at=datetime(2026, 12, 6, 5, 30, 1, 250, tzinfo=timezone.utc),
                links=[Link("http://127.0.0.1/b.html", "a", "乙")], dates=[date(2026, 12, 1)],
                published=date(2026, 12, 1), meta={"SiteName": "某某县"}, breadcrumb=["首页", "通知公告"],
                list_items=[ListItem("标题", "http://127.0.0.1/c.html", date(2026, 11, 30)), ListItem("无日期", "x")])


def test_every_event_is_one_line_and_comes_back_equal() -> None:
    sent = [PageEvent(_page(), 7), LinkEvent(LinkStatus("http://127.0.0.1/d", False, 404, "页面不存在")),
            ErrorEvent("http://127.0.0.1/e", "页面解析失败：\n原因"), DoneEvent("finished", {"max_pages": 3}),
            ListEvent("上级", "http://127.0.0.1/l", [ListItem("文件", "http://127.0.0.1/f", None)])]
    for event in sent:
        line = encode(event)
        assert b"\n" not in line and b"\r" not in line
        assert decode(line) == event
        assert decode(line.decode("utf-8")) == event  # as the parent reads it, from a text stream
