"""decode_html: the declarations government sites send are often wrong; the text must not be."""

from __future__ import annotations

import codecs

import pytest

from crawler.encoding import decode_html

# 镕 and 喆 are GBK-only: a strict GB2312 decoder turns them into mojibake or errors.
NAMES = "国务院总理朱镕基、张喆同志出席会议。"


def page(meta: str, body: str = NAMES) -> str:
    return f"<html><head>{meta}<title>通知</title></head><body><p>{body}</p></body></html>"


def test_gb2312_meta_over_gbk_only_characters_decodes_as_gb18030() -> None:
    raw = page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("gb2312")  # the trap this guards against
    text, encoding = decode_html(raw, None)
    assert encoding == "gb18030"
    assert NAMES in text


@pytest.mark.parametrize("label", ["gb2312", "GBK", "x-gbk", "gb_2312-80", "cp936", "GB18030", '"gb2312"'])
def test_every_gb_label_in_the_header_decodes_as_gb18030(label: str) -> None:
    text, encoding = decode_html(page("").encode("gbk"), label)
    assert (encoding, NAMES in text) == ("gb18030", True)


def test_html5_meta_charset() -> None:
    text, encoding = decode_html(page("<meta charset='GBK'>").encode("gbk"), None)
    assert encoding == "gb18030" and NAMES in text


def test_utf8_header_over_gbk_bytes_falls_back_to_gb18030() -> None:
    text, encoding = decode_html(page('<meta charset="utf-8">').encode("gbk"), "utf-8")
    assert encoding == "gb18030" and NAMES in text


def test_header_wins_over_a_meta_that_the_bytes_also_satisfy() -> None:
    raw = page('<meta charset="gb2312">').encode("utf-8")
    assert decode_html(raw, "UTF-8") == (raw.decode("utf-8"), "utf-8")


def test_meta_is_used_when_the_header_is_wrong() -> None:
    raw = page('<meta charset="gbk">').encode("gbk")
    text, encoding = decode_html(raw, "utf-8")
    assert encoding == "gb18030" and NAMES in text


def test_latin1_header_is_ignored() -> None:
    # Tomcat's default header; a Chinese government page is never Latin-1.
    text, encoding = decode_html(page("").encode("utf-8"), "ISO-8859-1")
    assert encoding == "utf-8" and NAMES in text


def test_undeclared_utf8_and_gbk_are_sniffed() -> None:
    assert decode_html(page("").encode("utf-8"), None)[1] == "utf-8"
    text, encoding = decode_html(page("").encode("gbk"), None)
    assert encoding == "gb18030" and NAMES in text


def test_bom_beats_every_declaration() -> None:
    raw = codecs.BOM_UTF8 + page('<meta charset="gbk">').encode("utf-8")
    text, encoding = decode_html(raw, "gbk")
    assert encoding == "utf-8" and text.startswith("<html>") and NAMES in text


def test_utf16_bom() -> None:
    raw = codecs.BOM_UTF16_LE + page("").encode("utf-16-le")
    assert decode_html(raw, None) == (page(""), "utf-16-le")


def test_xml_declaration_names_the_encoding() -> None:
    raw = ('<?xml version="1.0" encoding="gb2312"?><datastore>' + NAMES + "</datastore>").encode("gbk")
    text, encoding = decode_html(raw, None)
    assert encoding == "gb18030" and NAMES in text


def test_utf8_page_with_one_truncated_character_stays_utf8() -> None:
    # A CMS cut a summary mid-character: one bad sequence in otherwise Chinese UTF-8.
    raw = page('<meta charset="utf-8">', NAMES * 5).encode("utf-8")
    raw = raw.replace("会议".encode("utf-8"), "会".encode("utf-8") + "议".encode("utf-8")[:2], 1)
    text, encoding = decode_html(raw, "utf-8")
    assert encoding == "utf-8"
    assert "\ufffd" in text and "朱镕基" in text


def test_truncated_utf8_that_also_parses_as_gb18030_stays_utf8() -> None:
    text = "系人日系市室朱知关有国办联政民系于国政"
    raw = text.encode("utf-8")
    raw = b"<p>" + raw[:8] + raw[9:] + b"</p>"  # 日 lost its last byte
    raw.decode("gb18030")  # the trap: strictly valid, and mojibake
    decoded, encoding = decode_html(raw, None)
    assert encoding == "utf-8"
    assert decoded == "<p>系人\ufffd系市室朱知关有国办联政民系于国政</p>"


def test_meta_claiming_utf16_means_utf8() -> None:
    text, encoding = decode_html(page('<meta charset="utf-16">').encode("utf-8"), None)
    assert encoding == "utf-8" and NAMES in text


def test_meta_beats_an_xml_declaration_in_html() -> None:
    # "中文" in UTF-8 is also valid GBK, so only the order of the declarations decides.
    raw = ('<?xml version="1.0" encoding="gbk"?>' + page('<meta charset="utf-8">', "中文")).encode("utf-8")
    raw.decode("gb18030")
    text, encoding = decode_html(raw, None)
    assert encoding == "utf-8" and "<p>中文</p>" in text


def test_meta_beyond_the_first_4kb_is_not_read() -> None:
    raw = ("<html><head>" + " " * 5000 + '<meta charset="big5"></head><body>a</body></html>').encode()
    assert decode_html(raw, None)[1] == "utf-8"


@pytest.mark.parametrize("label", ["bogus", "base64", "rot13", ""])
def test_unknown_or_non_text_labels_are_ignored(label: str) -> None:
    text, encoding = decode_html(page("").encode("gbk"), label)
    assert encoding == "gb18030" and NAMES in text


def test_garbage_never_raises() -> None:
    raw = b"<p>\x81\xff\xfe\x80 \xc3</p>"
    text, encoding = decode_html(raw, "gb2312")
    assert encoding == "gb18030" and text.startswith("<p>") and "\ufffd" in text
    assert decode_html(b"", None) == ("", "utf-8")
