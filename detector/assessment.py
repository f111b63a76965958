"""The inspection self-assessment (自评估): each site against the veto items and the deductions of the
national 《政府网站与政务新媒体检查指标》 that can be measured automatically.

A veto fails the site on its own (不合格); otherwise the score is 100 less the deductions. 互动回应差 is
estimated from the consultation columns' messages (`unanswered_message`); items that need people
(服务不实用, 模拟咨询 …) are not estimated: the verdict says 合格 only as far as the machine can see.
A site that was down for the whole scan has no pages: it gets its veto (站点无法访问) and nothing is
deducted, as nothing could be measured. Pure: findings, availability and page facts in, an
assessment out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from core.model import ARTICLE_META, COLUMN_META, SITE_META, Availability, Finding, SiteFacts

VETO_RATE = 0.05  # share of failed probes over a week that fails a site
IDENTIFIERS = ("党政机关标识", "网站标识码", "ICP 备案号", "公安备案号", "主办单位", "联系方式")
SERIOUS = {"sensitive_word": "发布或链接反动、暴力、色情等内容", "secret_marking": "泄露国家秘密",
           "hidden_link": "页面被挂马（暗链）", "erroneous_expression": "严重表述错误"}


@dataclass
class Veto:
    item: str
    evidence: str


@dataclass
class Deduction:
    item: str
    points: float
    count: int
    evidence: str


@dataclass
class SiteAssessment:
    """One site's verdict. Field names are the assess JSON contract: add, never rename."""

    site: str
    url: str
    vetoes: list[Veto] = field(default_factory=list)
    deductions: list[Deduction] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return "不合格" if self.vetoes else "合格"

    @property
    def score(self) -> float:
        return round(100 - sum(d.points for d in self.deductions), 1)

    def to_json(self) -> dict[str, Any]:
        return {"site": self.site, "url": self.url, "verdict": self.verdict, "score": self.score,
                "vetoes": [vars(v) for v in self.vetoes], "deductions": [vars(d) for d in self.deductions]}


def assess(site: str, facts: SiteFacts, findings: Sequence[Finding], availability: Availability | None,
           min_probes: int) -> SiteAssessment:
    result = SiteAssessment(site, facts.url)
    of = {kind: [f for f in findings if f.kind == kind] for kind in {f.kind for f in findings}}
    _vetoes(result, of, availability, min_probes)
    if facts.seen:
        _deductions(result, of, facts)
    return result


def _vetoes(result: SiteAssessment, of: dict[str, list[Finding]], availability: Availability | None,
            min_probes: int) -> None:
    if of.get("site_unreachable"):
        result.vetoes.append(Veto("站点无法访问", of["site_unreachable"][0].context))
    elif availability and availability.probes >= min_probes and availability.rate >= VETO_RATE:
        result.vetoes.append(Veto("站点无法访问", f"首页探测 {availability.probes} 次，失败 "
                                              f"{availability.failures} 次（{availability.rate:.1%}），达到 5%"))
    if of.get("stale_homepage"):
        result.vetoes.append(Veto("首页不更新", of["stale_homepage"][0].context))
    stale = of.get("stale_column", [])
    key = [f for f in stale if f.details.get("category") == "news"
           or (f.details.get("category") == "notice" and f.details.get("level") == 1)]
    blank = of.get("blank_column", [])
    for count, limit, what in ((len(key), 5, "动态要闻类及一级通知公告、政策文件类栏目未更新"),
                               (len(stale), 10, "应更新而未更新的栏目"), (len(blank), 5, "空白栏目")):
        if count >= limit:
            result.vetoes.append(Veto("栏目不更新", f"{what} {count} 个（达到 {limit} 个即否决）"))
    unanswered = of.get("unanswered_message", [])
    if unanswered:
        oldest = max(unanswered, key=lambda f: f.details.get("age_days", 0))
        result.vetoes.append(Veto("互动回应差", f"1 年内有 {len(unanswered)} 条有效留言超过 3 个月未回应，"
                                             f"如“{oldest.evidence}”（{oldest.context}）"))
    serious = [f for kind in SERIOUS for f in of.get(kind, [])
               if kind != "erroneous_expression" or f.severity in ("veto", "high")]
    if serious:
        kinds = "、".join(dict.fromkeys(SERIOUS[f.kind] for f in serious))
        result.vetoes.append(Veto("严重问题", f"{kinds}：共 {len(serious)} 处，如“{serious[0].evidence}”"))


def _deductions(result: SiteAssessment, of: dict[str, list[Finding]], facts: SiteFacts) -> None:
    stale = of.get("stale_column", [])
    if any(f.details.get("category") == "news" for f in stale):
        result.deductions.append(Deduction("动态要闻 2 周内未更新", 5, 1, _names(stale, "news")))
    if any(f.details.get("category") == "notice" and f.details.get("level") == 1 for f in stale):
        result.deductions.append(Deduction("政策文件类一级栏目 6 个月未更新", 5, 1, _names(stale, "notice")))
    blank = of.get("blank_column", [])
    if blank or stale:
        points = min(4.0, 2 * len(blank) + len(stale))
        result.deductions.append(Deduction("空白栏目、应更新而未更新的栏目", points, len(blank) + len(stale),
                                           f"空白栏目 {len(blank)} 个，未更新栏目 {len(stale)} 个"))
    if any(f.details.get("category") == "interaction" for f in stale):
        result.deductions.append(Deduction("留言公开 2 个月内未更新", 3, 1, _names(stale, "interaction")))
    dead = of.get("dead_link", [])
    if dead:
        home = sum(1 for f in dead if f.details.get("on_homepage"))
        points = round(min(1.0, 0.2 * home + 0.1 * (len(dead) - home)), 1)
        result.deductions.append(Deduction("可用性（链接）", points, len(dead),
                                           f"首页不可用链接 {home} 处，其他页面 {len(dead) - home} 处"))
    missing = [name for name in IDENTIFIERS if name not in facts.homepage_marks]
    if missing:
        result.deductions.append(Deduction("网站标识", min(3.0, 0.5 * len(missing)), len(missing),
                                           "首页底部缺少：" + "、".join(missing)))
    if "我为政府网站找错" not in facts.homepage_marks:
        result.deductions.append(Deduction("“我为政府网站找错”入口", 1, 1, "首页没有“我为政府网站找错”入口"))
    lacking = [url for url, meta in facts.content_meta if not set(SITE_META + ARTICLE_META) <= set(meta)]
    lacking += [url for url, meta in facts.column_meta if not set(SITE_META + COLUMN_META) <= set(meta)]
    if lacking:
        result.deductions.append(Deduction("页面标签", round(0.1 * len(lacking), 1), len(lacking),
                                           f"抽查页面缺少政府网站发展指引要求的 meta 标签，如 {lacking[0]}"))


def _names(stale: list[Finding], category: str) -> str:
    names = [f.column for f in stale if f.details.get("category") == category]
    return "、".join(names[:5]) + ("等" if len(names) > 5 else "")
