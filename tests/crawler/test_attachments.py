import io
import time
import zipfile

import pytest
from pypdf import PdfWriter

from crawler import attachments
from crawler.attachments import (
    ATTACHMENT_EXTENSIONS,
    OTHER_ATTACHMENT_EXTENSIONS,
    AttachmentError,
    attachment_extension,
    attachment_type,
    extract_text,
)
from tests.support.hostile import GIB, broken_pdf, recursive_pdf, zip_bomb
from tests.support.make_attachments import make_doc, make_docx, make_pdf, make_xls, make_xlsx

ID = "110105194912310021"
HANWEB = "http://www.example.gov.cn/module/download/downfile.jsp?classid=0&filename=0123456789abcdef0123456789abcdef.{ext}"
HEAD = 2048  # what the crawler sniffs before deciding


def roundtrip(data: bytes, url: str = "http://www.example.gov.cn/a", **limits: int) -> str:
    kind = attachment_type(url, "application/octet-stream", data[:HEAD])
    assert kind is not None
    return extract_text(data, kind, **limits)


def encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(make_pdf([f"身份证号 {ID}"])))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_docx_paragraphs_tables_and_header():
    data = make_docx(
        ["关于低保对象的公示", "如有异议请来电"],
        [["姓名", "身份证号"], ["张三", ID]],
        header="某某县民政局",
    )
    assert attachment_type("http://x/a.docx", None, data[:HEAD]) == "docx"
    text = roundtrip(data)
    assert "关于低保对象的公示\n如有异议请来电\n" in text
    assert f"张三\t{ID}\n" in text
    assert "某某县民政局" in text


def test_xlsx_every_sheet_and_integer_numbers():
    data = make_xlsx([["姓名", "身份证号"], ["张三", ID], ["李四", 13800138000.0]], [["第二页", 7]])
    assert attachment_type("http://x/a.xlsx", None, data[:HEAD]) == "xlsx"
    assert roundtrip(data) == f"姓名\t身份证号\n张三\t{ID}\n李四\t13800138000\n第二页\t7\n"
    assert "第二页" not in roundtrip(data, max_pages=1)


def test_pdf_with_chinese_text():
    data = make_pdf(["Notice 2022", f"身份证号 {ID}", "第三行"])
    assert attachment_type("http://x/a.pdf", None, data[:HEAD]) == "pdf"
    text = roundtrip(data)
    assert "Notice 2022" in text
    assert f"身份证号 {ID}" in text
    assert "第三行" in text


def test_doc_unicode_and_8bit_pieces_tables_and_fields():
    data = make_doc(["关于低保对象的公示", f"ID {ID}", "姓名\x07张三\x07\x07", "第\x13 PAGE \x141\x15页"])
    assert attachment_type("http://x/a.doc", None, data[:HEAD]) == "doc"
    text = roundtrip(data)
    assert "关于低保对象的公示\n" in text
    assert f"ID {ID}\n" in text
    assert "姓名\t张三\t" in text
    assert "第1页" in text


def test_xls():
    data = make_xls([["姓名", "身份证号"], ["张三", ID], ["编号", 42.0]])
    assert attachment_type("http://x/a.xls", None, data[:HEAD]) == "xls"
    assert roundtrip(data) == f"姓名\t身份证号\n张三\t{ID}\n编号\t42\n"


@pytest.mark.parametrize(
    ("url", "content_type", "expected"),
    [
        (HANWEB.format(ext="pdf"), "application/octet-stream", "pdf"),
        (HANWEB.format(ext="docx"), None, "docx"),
        ("http://www.example.gov.cn/zwgk/./202203/P020220314332312298605.pdf", None, "pdf"),
        ("http://www.example.gov.cn/P020220314332312298605.XLS", "", "xls"),
        ("http://x/download?id=3", "application/msword", "doc"),
        ("http://x/download?id=3", "application/vnd.ms-excel; charset=GBK", "xls"),
        ("http://x/download?id=3", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        ("http://x/a.zip", "application/zip", None),
        ("http://x/index.html", "text/html", None),
    ],
)
def test_type_from_url_and_content_type_before_download(url, content_type, expected):
    assert attachment_type(url, content_type, b"") == expected


def test_magic_bytes_beat_url_and_content_type():
    pdf = make_pdf(["x"])
    assert attachment_type("http://x/a.doc", "application/msword", pdf[:HEAD]) == "pdf"
    assert attachment_type("http://x/a.xls", None, make_doc(["x"])) == "doc"
    assert attachment_type("http://x/a.doc", None, make_xls([["x"]])) == "xls"
    # An error page served under an attachment URL is not an attachment.
    html = "<html><body>文件不存在</body></html>".encode()
    assert attachment_type(HANWEB.format(ext="pdf"), "application/pdf", html) is None


def test_container_family_falls_back_to_hints_when_head_is_short():
    docx_head = make_docx(["x"])[:64]
    assert attachment_type("http://x/a.docx", None, docx_head) == "docx"
    assert attachment_type("http://x/a.pdf", None, docx_head) is None  # a zip is never a PDF
    assert attachment_type("http://x/a.zip", None, docx_head) is None


def test_attachment_extension():
    assert attachment_extension(HANWEB.format(ext="PDF")) == ".pdf"
    assert attachment_extension("http://x/%E9%99%84%E4%BB%B6.ofd") == ".ofd"
    assert attachment_extension("http://x/list.html?page=2") is None
    assert ATTACHMENT_EXTENSIONS.isdisjoint(OTHER_ATTACHMENT_EXTENSIONS)
    assert {".zip", ".rar", ".ofd", ".wps"} <= OTHER_ATTACHMENT_EXTENSIONS


@pytest.mark.parametrize(
    "data",
    [
        make_docx([f"第{i}段 {ID}" for i in range(200)]),
        make_xlsx([[f"第{i}行", ID] for i in range(200)]),
        make_pdf([f"line {i} {ID}" for i in range(40)]),
        make_doc([f"第{i}段 {ID}" for i in range(100)]),
    ],
    ids=["docx", "xlsx", "pdf", "doc"],
)
def test_truncates_at_max_chars(data):
    full = roundtrip(data)
    assert len(full) > 100
    assert roundtrip(data, max_chars=100) == full[:100]


def test_max_pages_bounds_pdf_pages():
    writer = PdfWriter()
    for page in range(3):
        writer.append(io.BytesIO(make_pdf([f"page {page}"])))
    out = io.BytesIO()
    writer.write(out)
    text = roundtrip(out.getvalue(), max_pages=2)
    assert "page 1" in text and "page 2" not in text


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (make_pdf(["x"])[:200], "pdf"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 50, "pdf"),
        (make_docx(["x"])[:3000], "docx"),
        (b"PK\x03\x04" + b"\x00" * 100, "docx"),
        (make_xlsx([["x"]])[:1000], "xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "doc"),
        (make_doc(["x"])[:1500], "doc"),
        (make_xls([["x"]]), "doc"),  # an OLE2 file without a WordDocument stream
        (make_doc(["x"]), "xls"),
        (b"not a spreadsheet", "xls"),
    ],
)
def test_corrupt_files_raise_attachment_error(data, kind):
    with pytest.raises(AttachmentError):
        extract_text(data, kind)


def test_unsupported_kind():
    with pytest.raises(AttachmentError, match="unsupported"):
        extract_text(b"PK\x03\x04", "ofd")


def test_pdf_with_user_password_raises():
    with pytest.raises(AttachmentError, match="encrypted"):
        roundtrip(encrypted_pdf("secret"))


def test_pdf_with_owner_password_only_is_read():
    assert f"身份证号 {ID}" in roundtrip(encrypted_pdf(""))


def test_encrypted_doc_raises():
    with pytest.raises(AttachmentError, match="encrypted"):
        roundtrip(make_doc(["x"], encrypted=True))


def test_zip_bomb_refused(monkeypatch):
    monkeypatch.setattr(attachments, "MAX_UNZIPPED_BYTES", 1000)
    with pytest.raises(AttachmentError, match="unzips"):
        roundtrip(make_docx(["x"]))


@pytest.mark.parametrize("valid, member", [(lambda: make_docx(["x"]), "word/document.xml"),
                                           (lambda: make_xlsx([["x"]]), "xl/worksheets/sheet1.xml")])
def test_a_gigabyte_zip_bomb_is_refused_before_it_is_inflated(valid, member) -> None:
    bomb = zip_bomb(valid(), member, GIB)
    started = time.monotonic()
    with pytest.raises(AttachmentError, match="unzips"):
        roundtrip(bomb)
    assert time.monotonic() - started < 10  # refused by the sizes it declares: nothing inflated


def with_declared_size(data: bytes, member: str, size: int) -> bytes:
    """`data` with `member`'s uncompressed size forged in its local and central headers."""
    out = bytearray(data)
    name = member.encode()
    for signature, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = out.find(signature)
        while out[at + name_at: at + name_at + len(name)] != name:
            at = out.find(signature, at + 4)
        out[at + offset: at + offset + 4] = size.to_bytes(4, "little")
    return bytes(out)


def test_a_zip_that_holds_more_than_it_declares_is_refused() -> None:
    bomb = zip_bomb(make_docx(["x"]), "word/document.xml", 8 << 20)
    forged = with_declared_size(bomb, "word/document.xml", 1000)
    with pytest.raises(AttachmentError):
        roundtrip(forged)


def test_a_zip_with_too_many_members_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(make_docx(["x"]))) as source, zipfile.ZipFile(out, "w") as crowded:
        for info in source.infolist():
            crowded.writestr(info, source.read(info))
        for n in range(attachments.MAX_ZIP_MEMBERS):
            crowded.writestr(f"word/media/{n}.bin", b"")
    with pytest.raises(AttachmentError, match="zip members"):
        roundtrip(out.getvalue())


@pytest.mark.parametrize("data", [broken_pdf(), recursive_pdf()], ids=["broken", "recursive"])
def test_a_broken_or_recursive_pdf_is_unreadable_not_a_hang(data: bytes) -> None:
    started = time.monotonic()
    with pytest.raises(AttachmentError, match="pdf: cannot read"):
        extract_text(data, "pdf", max_seconds=5)
    assert time.monotonic() - started < 10


def test_reading_stops_when_time_runs_out() -> None:
    rows = [[f"第{n}行", "内容"] for n in range(200)]
    data = make_xlsx(rows)
    text = extract_text(data, "xlsx", max_seconds=0)
    assert text and "第199行" not in text
    assert "第199行" in extract_text(data, "xlsx")


def test_the_crawl_process_loads_no_reader_library_until_it_reads() -> None:
    import subprocess
    import sys

    code = ("import sys, crawler.worker; from crawler.attachments import load_readers; "
            "libraries = ('docx', 'olefile', 'openpyxl', 'pypdf', 'xlrd'); "
            "assert not [m for m in libraries if m in sys.modules]; "
            "load_readers(); assert all(m in sys.modules for m in libraries)")
    subprocess.run([sys.executable, "-c", code], check=True)
