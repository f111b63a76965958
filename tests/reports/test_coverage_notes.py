"""What a scan could not check, or checked only in part, is named by URL in its notes."""

from __future__ import annotations

from core import events
from core.events import ErrorEvent, TruncatedEvent
from reports.summary import coverage_notes


def test_each_unchecked_and_cut_page_is_named_with_its_reason() -> None:
    notes = coverage_notes([ErrorEvent("http://a/bomb.docx", "附件无法读取：docx: unzips to more than 268435456 bytes")],
                           1, [TruncatedEvent("http://a/gzip.html", "页面超过 crawl.max_response_size")], 1)
    assert notes == ["未能检查：http://a/bomb.docx：附件无法读取：docx: unzips to more than 268435456 bytes",
                     "只检查了一部分：http://a/gzip.html：页面超过 crawl.max_response_size"]


def test_what_the_sample_left_out_is_counted() -> None:
    notes = coverage_notes([ErrorEvent("http://a/1.pdf", "坏")], 3, [TruncatedEvent("http://a/2.html", "长")], 12)
    assert "另有 2 项未能检查，详见扫描日志。" in notes
    assert "另有 11 个页面只检查了一部分，详见扫描日志。" in notes


def test_crawled_text_in_a_note_cannot_drive_a_terminal() -> None:
    [note] = coverage_notes([ErrorEvent("http://a/\x1b[2J", "x")], 1, [], 0)
    assert "\x1b" not in note


def test_a_cut_page_crosses_the_pipe_intact() -> None:
    event = TruncatedEvent("http://a/链接.html", "页面有 200000 个不同的链接")
    assert events.decode(events.encode(event)) == event
