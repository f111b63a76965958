"""Turn fetched HTML bytes into text without mojibake.

Chinese government sites mix UTF-8 and the GB family, and their declarations are often wrong:
a "gb2312" meta over GBK-only characters (镕, 喆), a "utf-8" header over GBK bytes, or Tomcat's
default ISO-8859-1 header over either. Every GB label is decoded as GB18030 (a superset of GB2312
and GBK), and a declaration the bytes contradict is dropped in favour of sniffing.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# WHATWG labels of the GB family plus Python's own names for them; all decode as GB18030.
_GB_LABELS = {
    "gb2312", "gb_2312", "gb_2312-80", "gb-2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936",
    "gb18030", "gb-18030", "csgb2312", "csiso58gb231280", "iso-ir-58", "chinese", "euc-cn", "x-euc-cn",
}
# Single-byte Western labels are never meant on these sites (Tomcat's default header says
# ISO-8859-1 over GBK or UTF-8 bytes); treat them as no declaration.
_WESTERN = {"ascii", "iso8859-1", "cp1252"}

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


def decode_html(body: bytes, header_charset: str | None) -> tuple[str, str]:
    """Decode `body`; return (text, name of the encoding used). Never raises.

    Order: BOM, HTTP header charset, `<meta>`/XML declaration in the first 4 KB, UTF-8, GB18030,
    each strictly, except that mostly-valid UTF-8 (a CMS that cut a summary mid-character) counts
    as UTF-8; last resort the first declared encoding (else GB18030) with replacement characters.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(name, "replace"), name
    meta = _normalize(_sniff_declared(body[:4096]))
    if meta and meta.startswith(("utf-16", "utf-32")):
        meta = "utf-8"  # bytes that spell out a <meta> in ASCII are not UTF-16 (WHATWG rule)
    declared = [name for name in (_normalize(header_charset), meta) if name]
    for name in [*declared, "utf-8", "gb18030"]:
        try:
            return body.decode(name), name
        except UnicodeDecodeError:
            if name == "utf-8" and _mostly_utf8(body):
                return body.decode(name, "replace"), name
    name = declared[0] if declared else "gb18030"
    return body.decode(name, "replace"), name


def _sniff_declared(head: bytes) -> str | None:
    # Browsers ignore an XML declaration in HTML; it only counts for XML replies (dataproxy.jsp).
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii") if match else None


def _normalize(label: str | None) -> str | None:
    """Map a charset label to a Python codec name, or None when it is absent, unknown or useless."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _GB_LABELS:
        return "gb18030"
    try:
        name = codecs.lookup(label).name
        "a".encode(name)  # rejects codecs that are not text encodings (base64, rot13 …)
    except LookupError:
        return None
    if name in {"gb2312", "gbk"}:
        return "gb18030"
    return None if name in _WESTERN else name


def _mostly_utf8(body: bytes) -> bool:
    """True when UTF-8 decoding yields far more non-ASCII characters than errors.

    GBK bytes read as UTF-8 are nearly all errors; a UTF-8 page with one truncated character is
    not, and must not be re-read as GB18030 mojibake.
    """
    text = body.decode("utf-8", "replace")
    errors = text.count("\ufffd") - body.count("\ufffd".encode())
    good = len(_NON_ASCII.findall(text))
    return good >= 10 * errors
