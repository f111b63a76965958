"""Build real attachment files in memory, so tests need no committed binaries.

DOCX and XLSX come from python-docx and openpyxl. PDF, DOC and XLS have no maintained writer,
so minimal files are written by hand: a one-page PDF with a CID font and ToUnicode CMap (how
real Chinese PDFs carry text), and OLE2 compound files holding a Word 97 piece table or a
BIFF8 workbook.
"""

from __future__ import annotations

import io
import struct

import docx
import openpyxl


def make_docx(
    paragraphs: list[str], table: list[list[str]] | None = None, *, header: str | None = None
) -> bytes:
    """A DOCX with `paragraphs`, then `table` (rows of cells), and an optional page header."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=max(len(row) for row in table))
        for cells, row in zip(grid.rows, table):
            for cell, text in zip(cells.cells, row):
                cell.text = text
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_xlsx(rows: list[list[object]], *more_sheets: list[list[object]]) -> bytes:
    """An XLSX with one sheet per rows argument."""
    book = openpyxl.Workbook()
    for index, sheet_rows in enumerate((rows, *more_sheets)):
        sheet = book.active if index == 0 else book.create_sheet(f"Sheet{index + 1}")
        for row in sheet_rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF showing `lines` (BMP characters, Chinese included) in a Type0 font.

    Text is shown as 2-byte CIDs (Identity-H) equal to the code points, and the ToUnicode CMap
    maps them back, which is what text extraction relies on; the font is not embedded.
    """
    chars = sorted({ch for line in lines for ch in line})
    if any(ord(ch) > 0xFFFF for ch in chars):
        raise ValueError("make_pdf supports BMP characters only")
    shown = "".join(f"<{line.encode('utf-16-be').hex()}> Tj T*\n" for line in lines)
    content = f"BT /F1 12 Tf 16 TL 72 780 Td\n{shown}ET\n".encode("ascii")
    bfchar = "".join(
        f"{len(block)} beginbfchar\n"
        + "".join(f"<{ord(ch):04X}> <{ord(ch):04X}>\n" for ch in block)
        + "endbfchar\n"
        for block in (chars[i : i + 100] for i in range(0, len(chars), 100))
    )
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{bfchar}endcmap CMapName currentdict /CMap defineresource pop end end\n"
    ).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H"
        b" /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        _pdf_stream(content),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
        b" /FontDescriptor 8 0 R /DW 1000 /CIDToGIDMap /Identity >>",
        _pdf_stream(cmap),
        b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -141 1000 859]"
        b" /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 683 /StemV 80 >>",
    ]
    return pdf_file(objects)


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF of `objects` (numbered from 1, the first the catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref,
    )
    return bytes(out)


def _pdf_stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def make_doc(paragraphs: list[str], *, encrypted: bool = False) -> bytes:
    """A Word 97 DOC whose text is `paragraphs`, one piece each.

    A paragraph that fits cp1252 is stored 8-bit ("compressed"), any other as UTF-16LE, so both
    piece encodings are exercised. `encrypted` only sets the FIB flag, which is all a reader
    checks before refusing.
    """
    text_start = 1024
    word = bytearray(text_start)
    cps, fcs = [0], []
    for paragraph in paragraphs:
        text = paragraph + "\r"
        try:
            encoded = text.encode("cp1252")
            fcs.append((len(word) * 2) | 0x40000000)
        except UnicodeEncodeError:
            encoded = text.encode("utf-16-le")
            fcs.append(len(word))
        word += encoded
        cps.append(cps[-1] + len(text))
    plc = struct.pack(f"<{len(cps)}I", *cps) + b"".join(struct.pack("<HIH", 0, fc, 0) for fc in fcs)
    clx = b"\x01\x02\x00\xaa\xbb" + b"\x02" + struct.pack("<I", len(plc)) + plc  # one Prc first
    flags = 0x0200 | (0x0100 if encrypted else 0)  # table in 1Table
    struct.pack_into("<HHHHHH", word, 0, 0xA5EC, 0x00C1, 0, 0x0804, 0, flags)
    # FibBase (32 bytes), csw=14 FibRgW, cslw=22 FibRgLw (ccpText 4th), cbRgFcLcb=93 pairs.
    struct.pack_into("<H", word, 32, 14)
    struct.pack_into("<H", word, 62, 22)
    struct.pack_into("<I", word, 64 + 12, cps[-1])
    struct.pack_into("<H", word, 152, 93)
    struct.pack_into("<II", word, 154 + 8 * 33, 0, len(clx))
    return _make_cfb({"1Table": clx, "WordDocument": bytes(word)})


def make_xls(rows: list[list[object]]) -> bytes:
    """A BIFF8 XLS with one sheet of text (LABEL) and number (NUMBER) cells."""
    def record(kind: int, body: bytes) -> bytes:
        return struct.pack("<HH", kind, len(body)) + body

    def bof(dt: int) -> bytes:
        return record(0x0809, struct.pack("<HHHHII", 0x0600, dt, 0x0DBB, 0x07CC, 0, 6))

    cells = b""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, (int, float)):
                cells += record(0x0203, struct.pack("<HHHd", r, c, 0, value))
            else:
                text = str(value).encode("utf-16-le")
                cells += record(0x0204, struct.pack("<HHHHB", r, c, 0, len(text) // 2, 1) + text)
    sheet = bof(0x0010) + cells + record(0x000A, b"")
    name = "Sheet1".encode("utf-16-le")
    boundsheet_size = 4 + 8 + len(name)  # record header + fixed fields + name
    sheet_at = 20 + boundsheet_size + 4  # after BOF, BOUNDSHEET and EOF
    globals_ = (
        bof(0x0005)
        + record(0x0085, struct.pack("<IHBB", sheet_at, 0, len(name) // 2, 1) + name)
        + record(0x000A, b"")
    )
    return _make_cfb({"Workbook": globals_ + sheet})


_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def _make_cfb(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (v3, 512-byte sectors) holding `streams` at the root.

    Sector 0 is the only FAT sector, sector 1 the directory; each stream is padded to 4096
    bytes so it lives in regular sectors, never the mini stream.
    """
    names = sorted(streams, key=lambda name: (len(name), name.upper()))  # CFB's name order
    if len(names) > 3:
        raise ValueError("at most 3 streams fit the one directory sector")
    fat = [_FAT, _END]
    starts, sizes = [], []
    body = b""
    for name in names:
        data = streams[name].ljust(4096, b"\0")
        data = data.ljust(-(-len(data) // 512) * 512, b"\0")
        starts.append(len(fat))
        sizes.append(len(data))
        fat += [len(fat) + i + 1 for i in range(len(data) // 512 - 1)] + [_END]
        body += data
    if len(fat) > 128:
        raise ValueError("streams too large for a one-sector FAT")
    fat += [_FREE] * (128 - len(fat))
    # Root's child is the first stream; the others hang off right siblings in name order.
    entries = [_cfb_entry("Root Entry", 5, child=1 if names else _FREE, start=_END, size=0)]
    for index, name in enumerate(names):
        right = index + 2 if index + 1 < len(names) else _FREE
        entries.append(_cfb_entry(name, 2, right=right, start=starts[index], size=sizes[index]))
    directory = b"".join(entries).ljust(512, b"\0")
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6,
        0, 1, 1, 0, 4096, _END, 0, _END, 0,
    ) + struct.pack("<109I", 0, *[_FREE] * 108)
    return header + struct.pack("<128I", *fat) + directory + body


def _cfb_entry(
    name: str, kind: int, *, child: int = _FREE, right: int = _FREE, start: int, size: int
) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        encoded, len(encoded), kind, 1, _FREE, right, child, b"\0" * 16, 0, 0, 0, start, size,
    )
