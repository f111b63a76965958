"""Classification and internal-use markings in published text: the document should never be online.

A marking (秘密★1年, 密级：机密, 内部资料 注意保存) means someone uploaded a classified or internal
document; that is 泄露国家秘密, a veto item. Rules texts *talk about* secrets all the time (保密审查,
严禁涉密信息上网, 泄露国家秘密, 商业秘密, 秘密投票), so only the marking shapes match, and a
marking quoted or given as an example (标注"秘密★1年"、如：机密★10年) counts as a mention.

「此件不公开」 is the 公文 附注 for a document whose 公开属性 is 不予公开. It is not a state-secret
classification, but finding it on a public site means a non-public document was published, so it is
reported as a marking with severity "high" (not veto) for a human to review.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from core.model import Finding, Page

from ..base import Context, excerpt, page_finding

KIND = "secret_marking"

_LEVEL = r"(?:绝密|机密|秘密)"
_SP = r"[ \t\u3000]*"  # a marking sits on one line: spaces, never a line break
# 保密期限 after the star: 10年, 6个月, 十年, 长期. OCR and symbol fonts turn ★ into * or ＊,
# which is only trusted when a period follows.
_PERIOD = rf"(?:[\d一二三四五六七八九十]+{_SP}(?:年|个月)|长期)"
_MARKINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("classification", re.compile(
        rf"密{_SP}级{_SP}[:：]{_SP}(?:{_LEVEL}|国家秘密|工作秘密|内部)(?:{_SP}[★☆]{_SP}{_PERIOD}?)?")),
    ("classification", re.compile(rf"{_LEVEL}{_SP}(?:[★☆]{_SP}{_PERIOD}?|[*＊]{_SP}{_PERIOD})")),
    ("classification", re.compile(rf"[★☆]{_SP}{_LEVEL}")),
    # A level alone on its own line is how extracted attachment text shows the corner marking.
    ("classification", re.compile(
        rf"^{_SP}[（(【\[]?{_SP}(?:{_LEVEL}|国家秘密|工作秘密){_SP}[）)】\]]?{_SP}$", re.M)),
    ("internal", re.compile(
        r"(?:内部资料|内部文件|内部材料|内部刊物)[\s，,、;；]*"
        r"(?:注意保存|注意保管|妥善保管|请勿外传|严禁外传|不得外传|不得翻印)")),
    ("non_disclosure", re.compile(r"此件不予?公开")),
)

# A marking inside quotes, or right after "如/例如/标注/标明", is being described, not applied.
_QUOTE_OPEN = "“\"'‘「『《"
_EXAMPLE_CUE = re.compile(r"(?:如|例如|比如|标注|标明|标识为|标记为|写作|格式为)[:：]?\s*$")

_SUGGESTIONS = {
    "classification": "立即撤下该信息并开展保密审查，涉密文件严禁在互联网发布",
    "internal": "内部资料不得公开发布，请撤下并核查发布审核流程",
    "non_disclosure": "该文件标注“此件不公开”，请撤下并按公开属性重新审核后再决定是否发布",
}


class SecretMarkingCheck:
    """Markings that show a classified, internal or non-public document was published."""

    name = "secret_marking"
    kinds = (KIND,)

    def check(self, page: Page, ctx: Context) -> Iterable[Finding]:
        seen: set[str] = set()
        for start, end, marking in _markings(page.text):
            evidence = page.text[start:end].strip()
            if evidence in seen:
                continue
            seen.add(evidence)
            yield page_finding(page, KIND, evidence, context=excerpt(page.text, start, end),
                               suggestion=_SUGGESTIONS[marking],
                               severity="high" if marking == "non_disclosure" else "",
                               marking=marking)


def _markings(text: str) -> Iterator[tuple[int, int, str]]:
    """Marking spans in text order; a span inside a longer one (秘密★ in 密级：秘密★1年) is dropped."""
    spans = sorted(
        ((m.start(), m.end(), marking) for marking, pattern in _MARKINGS for m in pattern.finditer(text)
         if not _is_mention(text, m.start())),
        key=lambda s: (s[0], -s[1]))
    last_end = -1
    for start, end, marking in spans:
        if end <= last_end:
            continue
        last_end = end
        yield start, end, marking


def _is_mention(text: str, start: int) -> bool:
    before = text[max(0, start - 8, text.rfind("\n", 0, start) + 1):start].rstrip()
    return before.endswith(tuple(_QUOTE_OPEN)) or bool(_EXAMPLE_CUE.search(before))


CHECK = SecretMarkingCheck()
