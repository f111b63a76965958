"""Tickets for Excel: the offices live in spreadsheets, so `tickets export` writes CSV or XLSX.

CSV carries a UTF-8 BOM so that Excel opens the Chinese text right; XLSX gets a header row, sensible
column widths and a frozen header. Times are shown in the configured time zone.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Sequence

from openpyxl import Workbook

from core.model import KINDS, SEVERITY_LABELS, TICKET_STATUS_LABELS, Ticket

from .env import local_time

HEADERS = ("编号", "状态", "问题类型", "级别", "站点", "责任单位", "页面标题", "位置", "问题内容",
           "发现时间", "整改期限", "整改时间")
WIDTHS = (8, 10, 14, 8, 20, 20, 36, 50, 40, 18, 18, 18)


def rows(tickets: Sequence[Ticket], tz: str) -> list[list[str]]:
    return [[str(t.id), TICKET_STATUS_LABELS.get(t.status, t.status), KINDS[t.kind].label,
             SEVERITY_LABELS.get(t.severity, t.severity), t.site, t.unit, t.title, t.url, t.evidence,
             local_time(t.created_at, tz), local_time(t.deadline, tz), local_time(t.fixed_at, tz)]
            for t in tickets]


def write_csv(path: Path, tickets: Sequence[Ticket], tz: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        writer.writerows(rows(tickets, tz))
    tmp.replace(path)


def write_xlsx(path: Path, tickets: Sequence[Ticket], tz: str) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "整改工单"
    sheet.append(HEADERS)
    for row in rows(tickets, tz):
        sheet.append([_cell(value) for value in row])
    for i, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    sheet.freeze_panes = "A2"
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    tmp.replace(path)


def _cell(value: str) -> str:
    """Crawled text must not become a formula in the office's spreadsheet (=HYPERLINK(…) and friends)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
