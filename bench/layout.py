"""The shape of a generated TRS-style county portal: its columns, articles and planted problems.

Pure arithmetic from (pages, today, fresh), so the server process and the measuring process agree
on every URL without sharing state, and 50,000 pages need neither disk nor memory. An article is
known by its column and its index in the column (0 = newest); its docid, date, title and planted
problems follow from those. `fresh` articles per column are published on top of the `pages` estate
later the same day (what an incremental scan must find): they push the others down the pagination,
and every other URL stays as it was.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property

ITEMS_PER_PAGE = 20
FIRST_DOCID = 1000
MINUTE = timedelta(minutes=1)
FRESH_DOCID = 1_000_000  # fresh articles: FRESH_DOCID + 1000 × column number + k (k = 0 is the oldest)

# (channel, channel name, column, column name, weight): weights share the pages among columns and
# set how often each publishes. No column gets over 20 %, so even 50,000 pages stay within the
# 500 list pages a crawler follows from one createPageHTML pager.
COLUMNS = (
    ("xwzx", "新闻中心", "zwyw", "政务要闻", 18),
    ("zwgk", "政务公开", "tzgg", "通知公告", 12),
    ("xwzx", "新闻中心", "bmdt", "部门动态", 16),
    ("xwzx", "新闻中心", "xzdt", "乡镇动态", 14),
    ("zwgk", "政务公开", "zcwj", "政策文件", 8),
    ("hdjl", "互动交流", "zxft", "在线访谈", 2),
    ("zwgk", "政务公开", "zcjd", "政策解读", 6),
    ("xwzx", "新闻中心", "tpxw", "图片新闻", 6),
    ("zwgk", "政务公开", "rsxx", "人事信息", 5),
    ("zwgk", "政务公开", "czyjs", "财政预决算", 4),
    ("zwgk", "政务公开", "jyta", "建议提案办理", 4),
    ("zwgk", "政务公开", "ghjh", "规划计划", 3),
    ("hdjl", "互动交流", "myzj", "民意征集", 2),
)

UNITS = ("县人民政府办公室", "县发展和改革局", "县教育局", "县卫生健康局", "县住房和城乡建设局",
         "县农业农村局", "县应急管理局", "县市场监督管理局", "县人力资源和社会保障局", "县生态环境局")
TOPICS = ("冬季安全生产", "农村人居环境整治", "政务公开重点", "高标准农田建设", "城乡居民医疗保险参保",
          "校园安全专项检查", "防汛抗旱", "优化营商环境", "食品安全专项行动", "就业创业补贴申领",
          "森林防灭火", "乡村振兴衔接资金", "燃气安全排查整治", "义务教育招生入学")
TITLE_FORMS = ("关于做好{year}年{topic}工作的通知", "{unit}召开{topic}工作推进会", "{unit}部署{topic}工作",
               "关于{topic}有关情况的公示", "我县{topic}工作取得阶段性成效", "关于印发《{topic}实施方案》的通知",
               "《{topic}实施方案》政策解读", "{unit}开展{topic}督导检查")


# Planted problems, by docid: every so many articles carries one (see Article).
ERROR_EVERY, ERROR_AT = 50, 1            # 中华人民共合国: an erroneous expression
MASKED_ID_EVERY, MASKED_ID_AT = 20, 2    # 110105********1238: correctly masked, must not be reported
FULL_ID_EVERY, FULL_ID_AT = 100, 3       # a valid 18-digit ID number: a privacy leak
DEAD_LINK_EVERY, DEAD_LINK_AT = 40, 5    # a link to an article that does not exist: 404
IMAGE_EVERY = 3                          # an image of its own
PDF_EVERY, PDF_AT = 45, 0                # a PDF attachment
DOCX_EVERY, DOCX_AT = 90, 30             # a DOCX attachment holding a full ID number (a leak)


@dataclass(frozen=True)
class Column:
    channel: str
    channel_name: str
    slug: str
    name: str
    weight: int
    articles: int  # fresh ones included
    first_docid: int  # docid of the oldest article; the newest (fresh ones apart) has the highest
    number: int = 0  # its place in the layout
    fresh: int = 0  # articles published on top of the estate, newest first

    @property
    def path(self) -> str:
        return f"/{self.channel}/{self.slug}/"

    @property
    def list_pages(self) -> int:
        return max(1, math.ceil(self.articles / ITEMS_PER_PAGE))

    @property
    def gap(self) -> timedelta:
        """Time between two articles: the busier the column, the more often it publishes."""
        return timedelta(minutes=6000 // self.weight)

    def list_url(self, page: int) -> str:
        return f"{self.path}index_{page}.html" if page else f"{self.path}index.html"


@dataclass(frozen=True)
class Article:
    column: Column
    index: int  # 0 = newest
    docid: int
    published: datetime

    @property
    def month_dir(self) -> str:
        return f"{self.column.path}{self.published:%Y%m}/"

    @property
    def url(self) -> str:
        return f"{self.month_dir}t{self.published:%Y%m%d}_{self.docid}.html"

    @property
    def title(self) -> str:
        rng = random.Random(self.docid)
        form = rng.choice(TITLE_FORMS)
        return form.format(year=self.published.year, topic=rng.choice(TOPICS), unit=rng.choice(UNITS))

    @property
    def unit(self) -> str:
        return UNITS[self.docid % len(UNITS)]

    def _file(self, prefix: str, ext: str) -> str:
        return f"{self.month_dir}{prefix}{self.published:%Y%m%d}{self.docid}.{ext}"

    @property
    def image(self) -> str | None:
        return self._file("W0", "jpg") if self.docid % IMAGE_EVERY == 0 else None

    @property
    def attachment(self) -> str | None:
        if self.docid % PDF_EVERY == PDF_AT:
            return self._file("P0", "pdf")
        if self.docid % DOCX_EVERY == DOCX_AT:
            return self._file("P0", "docx")
        return None

    @property
    def dead_link(self) -> str | None:
        """A link to an article of another year with this docid: no such page."""
        if self.docid % DEAD_LINK_EVERY != DEAD_LINK_AT:
            return None
        return f"{self.column.path}202301/t20230105_{self.docid}.html"

    @property
    def has_error(self) -> bool:
        return self.docid % ERROR_EVERY == ERROR_AT

    @property
    def has_masked_id(self) -> bool:
        return self.docid % MASKED_ID_EVERY == MASKED_ID_AT

    @property
    def full_id(self) -> str | None:
        return id_number(self.docid) if self.docid % FULL_ID_EVERY == FULL_ID_AT else None


class Layout:
    """The estate of `pages` HTML pages: homepage, site map, channel pages, list pages, articles.

    `pages` is exact: a crawl that follows every page link and pager gets `pages` pages with
    status 200 (attachments, images and dead links come on top).
    """

    def __init__(self, pages: int, today: date | None = None, fresh: int = 0) -> None:
        self.pages, self.fresh = pages, fresh
        self.today = today or date.today()
        self.newest = datetime.combine(self.today, time(17, 30))
        self.columns = _columns(pages)
        self.channels = {c.channel: c.channel_name for c in self.columns}
        assert self.page_count == pages, (self.page_count, pages)
        if fresh:
            assert fresh < 1000
            self.columns = tuple(replace(c, articles=c.articles + fresh, fresh=fresh) for c in self.columns)

    @property
    def fixed_pages(self) -> int:
        """Homepage, site map and one page per channel."""
        return 2 + len(self.channels)

    @property
    def page_count(self) -> int:
        return self.fixed_pages + sum(c.articles + c.list_pages for c in self.columns)

    @cached_property
    def by_path(self) -> dict[str, Column]:
        return {c.path: c for c in self.columns}

    def article(self, column: Column, index: int) -> Article:
        if index < column.fresh:  # published later the same day, a minute apart
            k = column.fresh - 1 - index
            return Article(column, index, FRESH_DOCID + 1000 * column.number + k, self.newest + (k + 1) * MINUTE)
        old = index - column.fresh
        return Article(column, index, column.first_docid + column.articles - column.fresh - 1 - old,
                       self.newest - old * column.gap)

    def article_by_docid(self, column: Column, docid: int) -> Article | None:
        if docid >= FRESH_DOCID:
            index = column.fresh - 1 - (docid - FRESH_DOCID - 1000 * column.number)
            return self.article(column, index) if 0 <= index < column.fresh else None
        index = column.first_docid + column.articles - 1 - docid
        return self.article(column, index) if column.fresh <= index < column.articles else None

    def articles(self) -> list[Article]:
        return [self.article(c, i) for c in self.columns for i in range(c.articles)]

    def fresh_articles(self) -> list[Article]:
        return [self.article(c, i) for c in self.columns for i in range(c.fresh)]

    def planted(self, articles: list[Article] | None = None) -> Counter[str]:
        """What a full scan should report (of `articles`: all by default), by finding kind, and the
        traps it must not report."""
        counts: Counter[str] = Counter()
        for a in self.articles() if articles is None else articles:
            counts["erroneous_expression"] += a.has_error
            counts["privacy_leak"] += (a.full_id is not None) + (a.attachment or "").endswith(".docx")
            counts["dead_link"] += a.dead_link is not None
            counts["masked_id (no finding)"] += a.has_masked_id
            counts["images"] += a.image is not None
            counts["attachments"] += a.attachment is not None
        return counts


def _columns(pages: int) -> tuple[Column, ...]:
    """Columns sharing `pages` minus the fixed pages, each given a page count a column can have."""
    for n in range(len(COLUMNS), 0, -1):
        chosen = COLUMNS[:n]
        fixed = 2 + len({c[0] for c in chosen})
        if pages - fixed >= 2 * n:
            break
    else:
        raise ValueError(f"a generated estate needs at least 7 pages, not {pages}")
    budget = pages - fixed
    total_weight = sum(c[4] for c in chosen)
    shares = [2 + (budget - 2 * n) * c[4] // total_weight for c in chosen]
    shares[0] += budget - sum(shares)
    carry = 0
    for i, share in enumerate(shares):  # a column cannot hold 21k+1 pages: pass one page on
        shares[i] = share + carry
        carry = 0 if _possible(shares[i]) else 1
        shares[i] -= carry
    if carry:
        i = next(i for i, s in enumerate(shares) if _possible(s + 1))
        shares[i] += 1
    columns, docid = [], FIRST_DOCID
    for number, ((channel, channel_name, slug, name, weight), share) in enumerate(zip(chosen, shares)):
        articles = share - math.ceil(share / (ITEMS_PER_PAGE + 1))
        columns.append(Column(channel, channel_name, slug, name, weight, articles, docid, number))
        docid += articles
    return tuple(columns)


def _possible(column_pages: int) -> bool:
    """Whether some article count a gives a + ceil(a / 20) list pages = `column_pages`, a >= 1."""
    return column_pages >= 2 and not (column_pages > ITEMS_PER_PAGE + 1
                                      and column_pages % (ITEMS_PER_PAGE + 1) == 1)


def id_number(seed: int) -> str:
    """A valid 18-digit resident ID number (GB 11643 check character), different per seed."""
    birth = date(1950, 1, 1) + timedelta(days=seed * 37 % 20000)
    body = f"110105{birth:%Y%m%d}{seed % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
