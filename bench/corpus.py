"""A reproducible corpus of government-style text, and a synthetic user word list."""

from __future__ import annotations

import random

# Templates, filled with a different place, department and figures each time: real pages repeat
# their boilerplate, not their sentences, so a matcher's caches must not meet the same text twice.
SENTENCES = [
    "为深入贯彻落实党中央、国务院决策部署，进一步加强{place}政府网站建设和管理，现将有关事项通知如下。",
    "{dept}召开全县政务公开工作推进会，传达学习上级会议精神，部署{year}年下一阶段重点工作。",
    "{place}、县级各部门要高度重视，明确分管领导和具体责任人，确保{n}项任务按时完成。",
    "截至{month}月底，{place}共完成高标准农田建设{m}万亩，惠及农户{n}户，带动村集体增收{n}万元。",
    "{dept}组织开展校园安全专项检查，对{place}{n}所中小学、幼儿园进行全覆盖排查。",
    "根据《中华人民共和国政府信息公开条例》规定，现将{place}{year}年度政府信息公开工作年度报告予以公布。",
    "联系电话：0831-{phone}，邮政编码：644{n3}，办公地址：{place}行政中心{n}号楼。",
    "索引号：11511521MB1234567X/{year}-00{n3}，发布机构：{dept}，发文字号：某府办发〔{year}〕{n}号。",
    "{dept}联合开展“送法进乡村”活动，在{place}发放宣传资料{n}余份。",
    "推进“一带一路”倡议与{place}发展深度融合，积极参与对外开放合作。",
    "加强残疾人就业帮扶，{place}全年新增残疾人就业岗位{n}个。",
    "做好新型冠状病毒感染“乙类乙管”相关工作，{dept}保障群众就医用药需求。",
    "{dept}在{place}开展防汛应急演练，提升应对突发事件的能力和水平。",
    "{place}搭建平台独立运营，服务{n}家企业发展，优化营商环境。",
    "{place}全面落实河长制、林长制，{year}年持续改善生态环境质量。",
    "{dept}开展食品安全“守底线、查隐患、保安全”专项行动，检查经营主体{n}家。",
]
PLACES = [f"{a}{b}" for a in "青山 河西 东坝 龙泉 石桥 白鹤 新民 安乐 金沙 太平 柳江 桂花".split()
          for b in ("镇", "乡", "街道", "社区")]
DEPARTMENTS = [f"县{name}" for name in
               "人民政府办公室 教育局 应急管理局 市场监管局 农业农村局 人民检察院 人民法院 卫生健康局 "
               "民政局 自然资源局 交通运输局 财政局".split()]


def text(size_bytes: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size_bytes:
        sentence = rng.choice(SENTENCES).format(
            place=rng.choice(PLACES), dept=rng.choice(DEPARTMENTS), year=rng.randint(2018, 2026),
            month=rng.randint(1, 12), n=rng.randint(2, 9999), m=round(rng.uniform(0.5, 40), 1),
            n3=rng.randint(100, 999), phone=rng.randint(1000000, 9999999))
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
