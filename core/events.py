"""What a crawl process tells its parent, one JSON line per event.

The crawl runs in its own process (Scrapy's reactor cannot be restarted); these are the only
messages that cross the pipe, so both sides agree on them here. orjson writes and reads them: a
page event carries its HTML and text, and the standard library's encoder took four times as long,
a few per cent of the crawl process's time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Union

import orjson

from .model import LinkStatus, ListItem, Page, SiteStatus


@dataclass
class PageEvent:
    """A page (or attachment) fetched and parsed; `pending` is the crawl's queue length.

    `read_from`: set when the crawl process read only what crawling needs of the page, and left the
    rest of the model (what only the checks read) to the process that reads its events; the URL
    the page's body came from (crawler.extract.complete_read_page).
    """

    page: Page
    pending: int = 0
    read_from: str = ""


@dataclass
class UnchangedEvent:
    """A known page an incremental scan re-read unchanged (304, or the same body): not checked again.

    `etag` and `last_modified` are the validators the server sent this time (empty if none).
    """

    url: str
    etag: str = ""
    last_modified: str = ""


@dataclass
class LinkEvent:
    """One link target's outcome: every target gets exactly one per crawl."""

    status: LinkStatus


@dataclass
class SiteEvent:
    """Whether a configured site's homepage could be fetched."""

    status: SiteStatus


@dataclass
class ErrorEvent:
    """Something that could not be checked (a page that failed to parse, an unreadable attachment)."""

    url: str
    message: str


@dataclass
class TruncatedEvent:
    """A page checked only in part: cut at a size limit (on the wire or once decompressed), or
    more links than a page may bring; `message` says which bound and what was left out."""

    url: str
    message: str


@dataclass
class ListEvent:
    """A superior site's list page (`[[superior]]`) and its items; `reason` says why when it failed."""

    name: str
    url: str
    items: list[ListItem] = field(default_factory=list)
    reason: str = ""


@dataclass
class DoneEvent:
    """The crawl ended. `reason` is Scrapy's close reason (finished, shutdown …); `limits` counts
    the pages not crawled because of a bound, e.g. {"max_pages": 120, "max_depth": 3}."""

    reason: str
    limits: dict[str, int] = field(default_factory=dict)


@dataclass
class AckEvent:
    """A request of a distributed scan was handled: every event it caused came before this one.

    The parent acknowledges it in Redis once those events are stored, so a worker killed before
    that leaves the request to be crawled again (`crawler.distributed.ReliableQueue`)."""

    token: str


Event = Union[PageEvent, UnchangedEvent, LinkEvent, SiteEvent, ErrorEvent, TruncatedEvent, ListEvent, DoneEvent,
              AckEvent]


def encode(event: Event) -> bytes:
    """One line of JSON in UTF-8, without its newline."""
    if isinstance(event, PageEvent):
        data: dict[str, Any] = {"event": "page", "page": event.page.to_json(), "pending": event.pending,
                                "read_from": event.read_from}
    elif isinstance(event, UnchangedEvent):
        data = {"event": "unchanged", **vars(event)}
    elif isinstance(event, LinkEvent):
        data = {"event": "link", **vars(event.status)}
    elif isinstance(event, SiteEvent):
        data = {"event": "site", **vars(event.status)}
    elif isinstance(event, ErrorEvent):
        data = {"event": "error", "url": event.url, "message": event.message}
    elif isinstance(event, TruncatedEvent):
        data = {"event": "truncated", "url": event.url, "message": event.message}
    elif isinstance(event, ListEvent):
        data = {"event": "list", "name": event.name, "url": event.url, "reason": event.reason,
                "items": [{"title": i.title, "url": i.url, "date": i.date.isoformat() if i.date else None}
                          for i in event.items]}
    elif isinstance(event, AckEvent):
        data = {"event": "ack", "token": event.token}
    else:
        data = {"event": "done", "reason": event.reason, "limits": event.limits}
    return orjson.dumps(data)


def decode(line: str | bytes) -> Event:
    data = orjson.loads(line)
    kind = data.pop("event")
    if kind == "page":
        return PageEvent(Page.from_json(data["page"]), data.get("pending", 0), data.get("read_from", ""))
    if kind == "unchanged":
        return UnchangedEvent(**data)
    if kind == "link":
        return LinkEvent(LinkStatus(**data))
    if kind == "site":
        return SiteEvent(SiteStatus(**data))
    if kind == "error":
        return ErrorEvent(data["url"], data["message"])
    if kind == "truncated":
        return TruncatedEvent(data["url"], data["message"])
    if kind == "list":
        items = [ListItem(i["title"], i["url"], date.fromisoformat(i["date"]) if i["date"] else None)
                 for i in data["items"]]
        return ListEvent(data["name"], data["url"], items, data["reason"])
    if kind == "ack":
        return AckEvent(data["token"])
    if kind == "done":
        return DoneEvent(data["reason"], data.get("limits", {}))
    raise ValueError(f"unknown crawl event: {kind}")
