"""Personal data published in full: resident ID numbers, personal mobile numbers, bank card numbers.

Inspectors fail pages (and above all attachment lists) that show them unmasked; the 2018 政务公开
要点 require de-identification before publishing. Correctly masked forms (110105********1234,
138****1234) are compliant and never match, because the patterns need every digit.
Findings never carry a full number: evidence, context and details are all masked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from core.model import Finding, Page
from core.text import CharMap

from ..base import Context, excerpt, page_finding

KIND = "privacy_leak"

# Full-width digits come with text pasted from office documents; a 1:1 mapping keeps offsets valid.
_HALF_WIDTH = CharMap("０１２３４５６７８９Ｘｘ", "0123456789Xx")

# Each pattern opens with a lookahead for its first character: re then skips to a digit instead of
# trying the lookbehind at every character of the page (several times faster on page text).
_ID18 = re.compile(r"(?=\d)(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?=\d)(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
# Optional +86, then 3-4-4 with one consistent separator (none, space or hyphen).
_MOBILE = re.compile(
    r"(?=[\d+])(?<![0-9A-Za-z+])(?:\+?86[ -]?)?(1[3-9]\d([ -]?)\d{4}\2\d{4})(?![0-9A-Za-z])(?!-\d)")
# 16-19 digits in one run, or written in groups of four (then no further group may follow).
_CARD = re.compile(
    r"(?=\d)(?<![0-9A-Za-z])(\d{16,19}(?![0-9A-Za-z])"
    r"|\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?(?![0-9A-Za-z])(?![ -]\d))")
_LONG_RUN = re.compile(r"\d{11,}[Xx]?")
# 索引号 shape: a long number glued to "/2019-…" (or preceded by "…2019-") is a document code.
_JOINT_AFTER = re.compile(r"[/-]\d")
_JOINT_BEFORE = re.compile(r"\d[/-]")

_ID_LABEL = re.compile(r"身份证(?:号码?|编号)?|证件(?:号码?|编号)|公民身份号码|身份号码")
_CARD_LABEL = re.compile(r"银行卡号?|卡号|[账帐][号户]|开户行|开户银行|储蓄卡|借记卡|信用卡")
_PHONE_LABEL = re.compile(r"电话|手机|联系方式|联系人|Tel|TEL")
_CODE_LABEL = re.compile(
    r"索引号|编号|信用代码|代码|订单号|流水号|文号|注册号|登记号|许可证号|批号|序列号|条码|邮编|单号")
# Words that make a lone mobile number someone's personal record rather than an office contact;
# a correctly masked ID (110105********1234, 35*************123) marks a person's record too.
_PERSON_WORDS = re.compile(
    r"姓名|身份证|证件号|公民身份号码|家庭住址|住址|户主|户籍|出生日期|出生年月|性别|民族"
    r"|\d{2,6}\*{6,13}[\dXx]{3,4}")
# Corporate accounts (保证金账户, 户名：某某局) are published on purpose in procurement notices.
_ORG_ACCOUNT = re.compile(
    r"对公|保证金|基本[账帐]?户|收款单位|(?:户名|[账帐]户名称)[:：]\s*\S{0,20}?"
    r"(?:局|委|办|公司|中心|院|所|厅|政府|银行|学校|医院|合作社|委员会|财政)")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_MASKS = {"id18": (6, 4), "id15": (6, 3), "mobile": (3, 4), "bank_card": (4, 4)}
_SUGGESTIONS = {
    "id_card": "删除或脱敏公民身份号码，仅保留前6位和后4位（如110105********1234）",
    "mobile": "对个人手机号码脱敏（如138****1234），或改为公布单位办公电话",
    "bank_card": "删除银行卡号，确需公开时仅保留前4位和后4位",
}

_LABEL_WINDOW = 20     # characters before a number searched for the label that names it
_CARD_WINDOW = 300     # card wording may sit in a table header some rows above
_PERSON_WINDOW = 40    # a mobile's own line, this far either side
_MOBILE_LIST = 3       # this many distinct mobiles on one page is a list of people


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    pii: str       # id_card, mobile, bank_card
    mask: str      # key of _MASKS
    evidence: str  # the masked number


class PrivacyCheck:
    """Full ID, mobile and bank card numbers in page text or extracted attachment text."""

    name = "privacy"
    kinds = (KIND,)

    def check(self, page: Page, ctx: Context) -> Iterable[Finding]:
        text = _HALF_WIDTH(page.text)
        ids = _id_hits(text, ctx.today)
        cards = _card_hits(text, ids)
        hits = ids + cards + _mobile_hits(text, ids + cards)
        if not hits:
            return
        masked = _masked_text(text, hits)
        seen: set[str] = set()
        for hit in sorted(hits, key=lambda h: h.start):
            if hit.evidence in seen:
                continue
            seen.add(hit.evidence)
            yield page_finding(page, KIND, hit.evidence,
                               context=excerpt(masked, hit.start, hit.end),
                               suggestion=_SUGGESTIONS[hit.pii], pii=hit.pii)


def _id_hits(text: str, today: date) -> list[_Hit]:
    hits = []
    for m in _ID18.finditer(text):
        number = m.group().upper()
        if (_region_ok(number) and _birth_ok(number[6:14], today)
                and _check_char(number) == number[17]
                and not _is_code(text, m.start(), m.end(), _ID_LABEL)):
            hits.append(_hit(m.start(), m.end(), "id_card", "id18", number))
    for m in _ID15.finditer(text):
        # Legacy IDs look like any 15-digit code (old business registration numbers): demand ID wording.
        number = m.group()
        before = text[max(0, m.start() - _LABEL_WINDOW):m.start()]
        if (_region_ok(number) and _birth_ok("19" + number[6:12], today) and _ID_LABEL.search(before)
                and not _is_code(text, m.start(), m.end(), _ID_LABEL)):
            hits.append(_hit(m.start(), m.end(), "id_card", "id15", number))
    return hits


def _card_hits(text: str, taken: list[_Hit]) -> list[_Hit]:
    hits = []
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if not 16 <= len(digits) <= 19 or not _luhn_ok(digits) or _overlaps(m.start(), m.end(), taken):
            continue
        before = text[max(0, m.start() - _CARD_WINDOW):m.start()]
        if _CARD_LABEL.search(before) and not _ORG_ACCOUNT.search(before[-80:]) \
                and not _is_code(text, m.start(), m.end(), _CARD_LABEL):
            hits.append(_hit(m.start(), m.end(), "bank_card", "bank_card", digits))
    return hits


def _mobile_hits(text: str, records: list[_Hit]) -> list[_Hit]:
    """Mobiles in a list of people, or next to someone's name, ID, card or address.

    A lone contact number in a notice is the office's published contact, not a leak.
    """
    found = [(m.start(1), m.end(1), re.sub(r"\D", "", m.group(1))) for m in _MOBILE.finditer(text)
             if not _is_code(text, m.start(1), m.end(1), _PHONE_LABEL)]
    listed = len({number for _, _, number in found}) >= _MOBILE_LIST
    hits = []
    for start, end, number in found:
        if listed or _personal_context(text, start, end, records):
            hits.append(_hit(start, end, "mobile", "mobile", number))
    return hits


def _personal_context(text: str, start: int, end: int, records: list[_Hit]) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    lo, hi = max(line_start, start - _PERSON_WINDOW), min(line_end, end + _PERSON_WINDOW)
    return bool(_PERSON_WORDS.search(text, lo, hi)) or _overlaps(lo, hi, records)


def _is_code(text: str, start: int, end: int, own_label: re.Pattern[str]) -> bool:
    """A document, project or order code: glued to an index-number tail, or nearest to a code label."""
    if _JOINT_AFTER.match(text, end) or _JOINT_BEFORE.fullmatch(text, max(0, start - 2), start):
        return True
    before = text[max(0, start - _LABEL_WINDOW):start]
    code = _nearest_label(before, _CODE_LABEL)
    if code is None:
        return False
    own = _nearest_label(before, own_label)
    return own is None or own < code


def _nearest_label(before: str, label: re.Pattern[str]) -> int | None:
    """End offset of the last label in `before`, so competing labels can be compared by nearness."""
    ends = [m.end() for m in label.finditer(before)]
    return ends[-1] if ends else None


def _overlaps(start: int, end: int, hits: list[_Hit]) -> bool:
    return any(h.start < end and start < h.end for h in hits)


def _region_ok(number: str) -> bool:
    # First digit of the GB/T 2260 region: 1-6 mainland, 8 HK/Macau/Taiwan and 9 foreigners' permits.
    return number[0] in "12345689"


def _birth_ok(yyyymmdd: str, today: date) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= today


def _check_char(number: str) -> str:
    """GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(number, _ID_WEIGHTS)) % 11]


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _hit(start: int, end: int, pii: str, mask: str, number: str) -> _Hit:
    return _Hit(start, end, pii, mask, _mask(number, *_MASKS[mask]))


def _mask(s: str, head: int, tail: int) -> str:
    """Star every digit except the first `head` and last `tail`; separators keep their place."""
    positions = [i for i, c in enumerate(s) if c.isdigit() or c in "Xx"]
    hidden = set(positions[head:len(positions) - tail])
    return "".join("*" if i in hidden else c for i, c in enumerate(s))


def _masked_text(text: str, hits: list[_Hit]) -> str:
    """`text` with every long number starred in place (same length), for context excerpts."""
    chars = list(text)

    def star(start: int, end: int, head: int, tail: int) -> None:
        chars[start:end] = _mask("".join(chars[start:end]), head, tail)

    for hit in hits:
        star(hit.start, hit.end, *_MASKS[hit.mask])
    for pattern, mask in ((_MOBILE, _MASKS["mobile"]), (_CARD, _MASKS["bank_card"])):
        for m in pattern.finditer("".join(chars)):
            star(m.start(1), m.end(1), *mask)
    for m in _LONG_RUN.finditer("".join(chars)):
        star(m.start(), m.end(), *(_MASKS["mobile"] if len(m.group()) < 15 else _MASKS["id18"]))
    return "".join(chars)


CHECK = PrivacyCheck()
