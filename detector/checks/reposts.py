"""上级文件转载超时: an item of a superior site's list (`[[superior]]`) that our repost column does not
carry within `within_hours` of its publication (西藏 rules: superior documents within 24 hours).

Lists give dates, not times: an item dated D is overdue once D plus `within_hours` has fully passed
(a 24-hour item of 11-20 from 11-22 on), so a document published late in the evening is never
called overdue early. A repost matches by its normalised title: punctuation, quotation marks,
brackets and a leading 转载/转发 are ignored, and one title may contain the other (a repost adds
“国务院办公厅关于…” or drops a trailing date).
"""

from __future__ import annotations

import math
import re
from datetime import timedelta
from typing import Iterable

from core.model import Finding
from core.urls import first_list_page, netloc

from ..base import Context, EstateView

_NOISE = re.compile(r"[\s\u3000“”‘’\"'《》〈〉「」『』【】\[\]（）()：:，,。.、；;!！?？·—\-_]|^(?:转载|转发|转)")


def normalise_title(title: str) -> str:
    return _NOISE.sub("", title)


class RepostCheck:
    name = "reposts"
    kinds = ("repost_overdue",)

    def check(self, estate: EstateView, ctx: Context) -> Iterable[Finding]:
        for superior in ctx.superior:
            column = first_list_page(superior.repost_column)
            ours = [normalise_title(t) for t in estate.column_titles(column)]
            grace = timedelta(days=math.ceil(superior.within_hours / 24))
            site = ctx.site_netlocs.get(netloc(superior.repost_column), "")
            for item in estate.superior_items(superior.name):
                if item.date is None or ctx.today <= item.date + grace:
                    continue
                title = normalise_title(item.title)
                if not title or any(title in mine or (mine and mine in title) for mine in ours):
                    continue
                yield Finding(
                    kind="repost_overdue", url=superior.repost_column, evidence=item.url, site=site,
                    unit=ctx.site_units.get(site, ""), context=(
                        f"“{superior.name}”于 {item.date.isoformat()} 发布《{item.title}》，"
                        f"超过 {superior.within_hours} 小时仍未在本站转载栏目发布"),
                    suggestion=f"在转载栏目及时转载该文件，并注明来源“{superior.name}”与原文链接",
                    details={"superior": superior.name, "title": item.title, "published": item.date.isoformat(),
                             "within_hours": superior.within_hours})


CHECK = RepostCheck()
