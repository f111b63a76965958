"""A reproducible corpus of government-style text, and a synthetic user word list."""

from __future__ import annotations

import random

SENTENCES = [
    "为深入贯彻落实党中央、国务院决策部署，进一步加强政府网站建设和管理，现将有关事项通知如下。",
    "县人民政府办公室召开全县政务公开工作推进会，传达学习上级会议精神，部署下一阶段重点工作。",
    "各乡镇（街道）、县级各部门要高度重视，明确分管领导和具体责任人，确保各项任务按时完成。",
    "截至目前，全县共完成高标准农田建设12.5万亩，惠及农户3.2万户，带动村集体增收860万元。",
    "县教育局组织开展校园安全专项检查，对全县48所中小学、幼儿园进行全覆盖排查。",
    "根据《中华人民共和国政府信息公开条例》规定，现将我县2025年度政府信息公开工作年度报告予以公布。",
    "联系电话：0831-1234567，邮政编码：644000，办公地址：县行政中心3号楼。",
    "索引号：11511521MB1234567X/2026-00110，发布机构：县人民政府办公室，发文字号：某府办发〔2026〕12号。",
    "县人民检察院、县人民法院联合开展“送法进乡村”活动，发放宣传资料2000余份。",
    "推进“一带一路”倡议与地方发展深度融合，积极参与对外开放合作。",
    "加强残疾人就业帮扶，全年新增残疾人就业岗位150个。",
    "做好新型冠状病毒感染“乙类乙管”相关工作，保障群众就医用药需求。",
    "县应急管理局开展防汛应急演练，提升应对突发事件的能力和水平。",
    "我们搭建平台独立运营，服务企业发展，优化营商环境。",
    "全面落实河长制、林长制，持续改善生态环境质量。",
    "县市场监管局开展食品安全“守底线、查隐患、保安全”专项行动。",
]


def text(size_bytes: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size_bytes:
        sentence = rng.choice(SENTENCES)
        parts.append(sentence)
        total += len(sentence.encode("utf-8"))
    return "".join(parts)


def user_terms(n: int, seed: int = 11) -> list[str]:
    """`n` distinct random CJK terms of 2–6 characters: a large user list's shape, not its words."""
    rng = random.Random(seed)
    terms: set[str] = set()
    while len(terms) < n:
        terms.add("".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(2, 6))))
    return sorted(terms)
