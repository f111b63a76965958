"""Plain-text output for the terminal: counts per site and kind, and one line per finding.

Crawled text may carry control characters (an ESC sequence can rewrite a reviewer's terminal),
so everything shown here passes through `printable`.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import datetime
from typing import Any, Sequence

from core.events import ErrorEvent, TruncatedEvent
from core.model import KINDS, SEVERITY_LABELS, TICKET_STATUS_LABELS, Finding, JobRun, Ticket
from core.urls import MAX_URL_LENGTH

from .env import local_time

__all__ = ["printable", "per_site_and_kind", "finding_line", "scan_notes", "coverage_notes", "scan_line", "ticket_line", "job_line",
           "local_time"]

STATUS_LABELS = {"running": "进行中", "finished": "已完成", "interrupted": "已中断", "failed": "失败",
                 "abandoned": "已放弃"}
SCAN_KIND_LABELS = {"full": "完整扫描", "incremental": "增量扫描", "repost": "转载检查"}
_STOP_REASONS = {"SIGINT": "收到 Ctrl+C（SIGINT）", "SIGTERM": "收到停止信号（SIGTERM）"}
_LIMIT_NOTES = {
    "max_pages": "已达到页面上限 crawl.max_pages，另有 {n} 个页面未抓取",
    "max_depth": "已达到链接深度上限 crawl.max_depth，另有 {n} 个页面未抓取",
    "max_query_variants": "同一路径的查询参数变体超过 crawl.max_query_variants，{n} 个页面未抓取（多为日历、检索等无限页面）",
    "url_length": f"{{n}} 个链接的网址超过 {MAX_URL_LENGTH} 个字符，未请求也未检查（网址及所在页面见扫描日志）",
}


def printable(text: str) -> str:
    """`text` with control characters (C0, C1, ESC, bidi overrides) shown as spaces."""
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text)


def per_site_and_kind(findings: Sequence[Finding]) -> list[str]:
    counts = Counter((f.site or "（未知站点）", f.kind) for f in findings)
    lines = []
    for site in sorted({site for site, _ in counts}):
        parts = [f"{KINDS[kind].label} {n}" for (s, kind), n in sorted(counts.items()) if s == site]
        lines.append(f"  {printable(site)}：{'，'.join(parts)}")
    return lines


def finding_line(f: Finding) -> str:
    extra = f"（{f.context}）" if f.kind in ("dead_link", "site_unreachable") and f.context else ""
    suggestion = f" → {f.suggestion}" if f.suggestion and f.kind == "erroneous_expression" else ""
    head = printable(f"[{SEVERITY_LABELS[f.severity]}] {KINDS[f.kind].label}：{f.evidence}{extra}{suggestion}")
    return f"{head}\n      位置：{printable(f.url)}"


def scan_notes(status: str, stop_reason: str, pages: int, limits: dict[str, int], restarts: int = 0,
               quarantined: Sequence[dict[str, str]] = ()) -> list[str]:
    """What a reader must know about a scan's coverage before trusting “no problem found”."""
    notes = []
    if status == "interrupted":
        reason = _STOP_REASONS.get(stop_reason, stop_reason)
        notes.append(f"扫描已中断（{reason}）：只检查了 {pages} 个页面，未检查到的页面和链接不代表没有问题。")
    for bound, count in sorted(limits.items()):
        if count and bound in _LIMIT_NOTES:
            notes.append(_LIMIT_NOTES[bound].format(n=count) + "。")
    if restarts:
        notes.append(f"爬取进程异常退出，已从磁盘上的队列重启 {restarts} 次，已抓取的页面未丢失，详见扫描日志。")
    for q in quarantined:
        notes.append(printable(f"页面无法检查：{q['url']}（{q['reason']}）。"))
    return notes


def coverage_notes(errors: Sequence[ErrorEvent], failed: int, truncated: Sequence[TruncatedEvent],
                   truncated_count: int) -> list[str]:
    """Each page or attachment the scan could not check, or checked only in part, by its URL
    (`errors` and `truncated` are samples of `failed` and `truncated_count`; the log has them all)."""
    notes = [f"未能检查：{e.url}：{e.message}" for e in errors]
    if failed > len(errors):
        notes.append(f"另有 {failed - len(errors)} 项未能检查，详见扫描日志。")
    notes += [f"只检查了一部分：{t.url}：{t.message}" for t in truncated]
    if truncated_count > len(truncated):
        notes.append(f"另有 {truncated_count - len(truncated)} 个页面只检查了一部分，详见扫描日志。")
    return [printable(note) for note in notes]


def scan_line(scan: Any, tz: str) -> str:
    """One scan for `govwatch scans`: number, status, times, counts and any error."""
    ended = local_time(scan.finished_at, tz)[-5:] if scan.finished_at else "…"
    kind = f"（{SCAN_KIND_LABELS.get(scan.kind, scan.kind)}）" if scan.kind != "full" else ""
    line = (f"第 {scan.id} 次{kind}  {STATUS_LABELS.get(scan.status, scan.status)}  "
            f"{local_time(scan.started_at, tz)} → {ended}  页面 {scan.pages}  链接 {scan.links_checked}  "
            f"问题 {scan.findings}")
    if scan.restarts:
        line += f"  爬取进程重启 {scan.restarts} 次"
    if scan.quarantined:
        line += f"  无法检查的页面 {len(scan.quarantined)} 个"
    return printable(line + (f"  {scan.error}" if scan.error else ""))


def ticket_line(ticket: Ticket, tz: str) -> str:
    """One ticket for `govwatch tickets`: number, status, kind, unit, deadline and what is wrong."""
    status = TICKET_STATUS_LABELS.get(ticket.status, ticket.status)
    return printable(f"#{ticket.id} [{status}] {KINDS[ticket.kind].label}（{SEVERITY_LABELS[ticket.severity]}）"
                     f" {ticket.unit or ticket.site}  期限 {local_time(ticket.deadline, tz)}  {ticket.evidence}")


def job_line(name: str, next_run: datetime | None, last: JobRun | None, tz: str) -> str:
    """One daemon job for `govwatch status`: its next run and how its last run went."""
    planned = f"下次 {local_time(next_run, tz)}" if next_run else "已暂停"
    if last is None:
        done = "尚未运行"
    elif last.ok is None:
        done = f"正在运行（{local_time(last.started_at, tz)} 开始）"
    else:
        done = f"最近 {local_time(last.started_at, tz)} " + ("成功" if last.ok else f"失败：{last.error}")
    return f"{name}：{planned}；{done}"
