"""互动回应: messages of consultation columns (留言, 信箱, 咨询, 投诉, 建议, 找错) left unanswered or answered late.

The national indicators veto a site (互动回应差) whose consultation channels hold a valid message
unanswered for more than 3 months within a year (`interaction.max_unanswered_days`), and expect a
reply within 5 working days (`interaction.reply_working_days`), counted with the official holiday
and make-up workday calendar. A message marked 不予受理 or 重复来信 has its answer. Messages are judged
where they stand: on their own page, or on a list row that links to no page of its own (a linked
row is judged by the page it links, so no message is counted twice).
"""

from __future__ import annotations

from typing import Iterable

from core.model import Finding, Letter, Page

from ..base import Context, page_finding
from ..workdays import working_days

UNANSWERED = "unanswered_message"
LATE = "late_reply"
WITHIN_DAYS = 365  # only messages of the last year count (1 年内)


class InteractionCheck:
    name = "interaction"
    kinds = (UNANSWERED, LATE)

    def check(self, page: Page, ctx: Context) -> Iterable[Finding]:
        for letter in page.letters:
            if letter.url != page.url or letter.asked is None:
                continue
            age = (ctx.today - letter.asked).days
            if not 0 <= age <= WITHIN_DAYS:
                continue
            if not letter.answered and age > ctx.interaction.max_unanswered_days:
                yield _finding(page, UNANSWERED, letter,
                               f"留言于 {letter.asked.isoformat()} 提交，{age} 天未回复"
                               f"（超过 {ctx.interaction.max_unanswered_days} 天）",
                               "尽快答复该留言；1 年内有超过 3 个月未回应的有效留言，检查时“互动回应差”单项否决",
                               age_days=age)
                continue
            end = letter.replied if letter.answered else ctx.today
            if end is None:
                continue  # answered, but no date says when
            days, official = working_days(letter.asked, end)
            if days <= ctx.interaction.reply_working_days:
                continue
            calendar = "" if official else "（部分年份的节假日安排未知，按周一至周五计）"
            done = f"于 {end.isoformat()} 答复" if letter.answered else "至今未答复"
            yield _finding(page, LATE, letter,
                           f"留言于 {letter.asked.isoformat()} 提交，{done}，用时 {days} 个工作日"
                           f"（应在 {ctx.interaction.reply_working_days} 个工作日内）{calendar}",
                           f"在 {ctx.interaction.reply_working_days} 个工作日内答复留言；确需延期的应告知留言人",
                           working_days=days, calendar="official" if official else "weekdays")


def _finding(page: Page, kind: str, letter: Letter, context: str, suggestion: str, **details: object) -> Finding:
    return page_finding(page, kind, letter.title or page.title, context=context, suggestion=suggestion,
                        asked=letter.asked.isoformat() if letter.asked else None,
                        replied=letter.replied.isoformat() if letter.replied else None,
                        status=letter.status, **details)


CHECK = InteractionCheck()
