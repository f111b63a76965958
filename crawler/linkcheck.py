"""How a link target's outcome is judged: dead reasons in Chinese, and soft-404 pages.

Dead: HTTP ≥ 400, refused or reset connections, DNS or TLS failures, timeouts, redirect loops, and
soft 404s (a 200 page whose title or short body says the page does not exist).
"""

from __future__ import annotations

import re

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet import error as net
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from core.model import LinkStatus

# Links that are not fetched and never dead.
UNCHECKED_SCHEMES = ("mailto:", "tel:", "javascript:", "sms:", "data:", "about:")

_SOFT_404_TITLE = re.compile(r"404|页面不存在|页面未找到|找不到|不存在|已删除|not\s*found|错误页", re.I)
_SOFT_404_BODY = re.compile(
    r"页面不存在|页面未找到|找不到(?:该|您要的|你要的|相关)?页面|您(?:所)?访问的页面不存在|"
    r"信息不存在|文章不存在|该信息已(?:被)?删除|页面已删除|404\s*not\s*found|page\s+not\s+found", re.I)
_SHORT_BODY = 600  # characters: longer pages are real content that may merely mention these words


def soft_404(title: str, text: str) -> str:
    """The phrase that marks a 200 page as “not found”, or ""."""
    match = _SOFT_404_TITLE.search(title)
    if not match and len(text) <= _SHORT_BODY:
        match = _SOFT_404_BODY.search(text)
    return match.group(0) if match else ""


def from_status(url: str, status: int, title: str = "", text: str = "") -> LinkStatus:
    if status >= 400:
        return LinkStatus(url, False, status, f"HTTP {status}")
    phrase = soft_404(title, text) if status < 300 else ""
    if phrase:
        return LinkStatus(url, False, status, f"疑似软404：页面提示“{phrase}”")
    return LinkStatus(url, True, status)


def from_failure(url: str, failure: Failure, timeout: float) -> LinkStatus:
    return LinkStatus(url, False, None, describe(failure, timeout))


def describe(failure: Failure, timeout: float) -> str:
    exc = failure.value
    if isinstance(exc, IgnoreRequest) and "redirect" in str(exc).lower():
        return "重定向循环或重定向次数过多"
    if isinstance(exc, (CannotResolveHostError, net.DNSLookupError)):
        return "域名解析失败"
    if isinstance(exc, (DownloadConnectionRefusedError, net.ConnectionRefusedError)):
        return "连接被拒绝"
    if isinstance(exc, (DownloadTimeoutError, net.TimeoutError, net.TCPTimedOutError)):
        return f"访问超时（超过 {timeout:g} 秒）"
    if _is_tls(exc):
        return "TLS/SSL 握手失败"
    if isinstance(exc, (DownloadFailedError, ResponseDataLossError, ResponseNeverReceived,
                        ResponseFailed, net.ConnectionLost, net.ConnectionDone, net.ConnectError)):
        return "连接被重置或中断"
    return f"无法访问：{type(exc).__name__}"


def _is_tls(exc: BaseException) -> bool:
    reasons = getattr(exc, "reasons", None) or []
    texts = [repr(exc)] + [repr(getattr(r, "value", r)) for r in reasons]
    return any("SSL" in t or "ssl" in t or "TLS" in t for t in texts)
