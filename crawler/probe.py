"""Homepage probes: one plain request per site, as the inspection's availability monitor makes them.

A probe fails when the homepage does not answer below HTTP 400 within the time limit (15 s in the
inspection). It is a single `requests` call, not a crawl: the daemon runs it every 15 minutes.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Iterable

import requests

from core.model import ProbeResult

READ_BYTES = 64 * 1024  # enough to know the page is being served; the rest is not needed


def probe(site: str, url: str, *, timeout: float, user_agent: str) -> ProbeResult:
    started = time.monotonic()
    try:
        with requests.get(url, timeout=timeout, stream=True, headers={"User-Agent": user_agent}) as response:
            for _ in response.iter_content(READ_BYTES):
                break
            seconds = time.monotonic() - started
            if seconds > timeout:
                return ProbeResult(site, url, False, seconds, response.status_code, f"响应超过 {timeout:g} 秒")
            ok = response.status_code < 400
            return ProbeResult(site, url, ok, seconds, response.status_code,
                               "" if ok else f"HTTP {response.status_code}")
    except requests.RequestException as exc:
        return ProbeResult(site, url, False, time.monotonic() - started, None, _reason(exc, timeout))


def probe_all(sites: Iterable[tuple[str, str]], *, timeout: float, user_agent: str) -> list[ProbeResult]:
    """Every (name, url) probed at once, so one slow site does not delay the others' verdicts."""
    sites = list(sites)
    with ThreadPoolExecutor(max_workers=min(16, max(1, len(sites)))) as pool:
        return list(pool.map(lambda s: probe(s[0], s[1], timeout=timeout, user_agent=user_agent), sites))


def _reason(exc: requests.RequestException, timeout: float) -> str:
    if isinstance(exc, requests.Timeout):
        return f"访问超时（超过 {timeout:g} 秒）"
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS/SSL 握手失败"
    if isinstance(exc, requests.ConnectionError):
        text = str(exc)
        if "NameResolution" in text or "Name or service not known" in text:
            return "域名解析失败"
        if "refused" in text.lower():
            return "连接被拒绝"
        return "连接被重置或中断"
    if isinstance(exc, requests.TooManyRedirects):
        return "重定向循环或重定向次数过多"
    return f"无法访问：{type(exc).__name__}"
