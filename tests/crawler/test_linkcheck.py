"""How link outcomes are judged: statuses, soft 404s and failure reasons."""

from __future__ import annotations

import pytest
from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError, DownloadTimeoutError, IgnoreRequest
from twisted.python.failure import Failure

from crawler import linkcheck


@pytest.mark.parametrize("title, text, phrase", [
    ("404 Not Found", "", "404"),
    ("页面不存在", "", "页面不存在"),
    ("某某县人民政府", "对不起，您访问的页面不存在，请返回首页。", "您访问的页面不存在"),
])
def test_soft_404_pages(title: str, text: str, phrase: str) -> None:
    assert linkcheck.soft_404(title, text) == phrase
    assert not linkcheck.from_status("http://x/", 200, title, text).ok


def test_long_page_mentioning_not_found_is_alive() -> None:
    text = "关于网站页面不存在问题的整改情况说明。" + "正文内容。" * 200
    assert linkcheck.from_status("http://x/", 200, "整改情况通报", text).ok


@pytest.mark.parametrize("status, ok", [(200, True), (301, True), (404, False), (500, False), (403, False)])
def test_status_codes(status: int, ok: bool) -> None:
    assert linkcheck.from_status("http://x/", status).ok is ok


@pytest.mark.parametrize("exc, reason", [
    (CannotResolveHostError("x"), "域名解析失败"),
    (DownloadConnectionRefusedError("x"), "连接被拒绝"),
    (DownloadTimeoutError("Getting x took longer than 2 seconds."), "访问超时（超过 2 秒）"),
    (IgnoreRequest("max redirections reached"), "重定向循环或重定向次数过多"),
])
def test_failure_reasons(exc: Exception, reason: str) -> None:
    assert linkcheck.describe(Failure(exc), 2) == reason
