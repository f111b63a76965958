"""Extract text from attachments (PDF, DOCX, XLSX, DOC, XLS) so privacy checks can read them.

Government sites publish lists of names and ID numbers as attachments far more often than as
HTML, so an attachment is text to check like any page. Input is hostile: every extractor is
bounded by the input size, `max_chars` and `max_pages`, and any library failure surfaces as
`AttachmentError` for the crawler to log, count and move past.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlsplit

if TYPE_CHECKING:
    from docx.blkcntnr import BlockItemContainer
    from docx.document import Document
    from docx.table import _Cell

# The reader libraries are imported where attachments are read (`load_readers`, and by each
# reader): the crawl process only tells attachments apart, and importing them all cost each crawl
# process about half a second at its start.

# Attachments whose text extract_text can read.
ATTACHMENT_EXTENSIONS = frozenset({".pdf", ".doc", ".docx", ".xls", ".xlsx"})
# Attachments too, but unreadable here (WPS/OFD formats, archives, slides): link targets only.
OTHER_ATTACHMENT_EXTENSIONS = frozenset(
    {".wps", ".et", ".dps", ".ofd", ".ppt", ".pptx", ".zip", ".rar", ".7z"}
)

# python-docx and openpyxl inflate zip members in memory; refuse zip bombs up front.
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000  # a workbook of many sheets holds a few hundred
_ZIP_STEP = 1024 * 1024  # bytes inflated at a time while a zip is measured
# Excel's own row limit; also caps the empty rows openpyxl makes up for a forged row number.
_XLSX_MAX_ROW = 1_048_576

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
# Long enough that compressed bytes will not mimic it by chance, unlike a bare "xl/".
_XLSX_MEMBER = re.compile(rb"xl/(?:workbook|worksheets/|styles|theme/|sharedStrings|_rels/)")

_CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
_EXTENSION_KINDS = {ext: ext[1:] for ext in ATTACHMENT_EXTENSIONS}


class AttachmentError(Exception):
    """An attachment could not be read; the message says which kind and why."""


def attachment_extension(url: str) -> str | None:
    """Lowercase attachment extension of `url`, from its path or else a query value.

    Hanweb serves `/module/download/downfile.jsp?classid=0&filename=<hex>.pdf`, so the
    extension of a download script's path says nothing and the query is consulted.
    """
    parts = urlsplit(url)
    known = ATTACHMENT_EXTENSIONS | OTHER_ATTACHMENT_EXTENSIONS
    candidates = [unquote(parts.path)] + [value for _, value in parse_qsl(parts.query)]
    for candidate in candidates:
        ext = posixpath.splitext(candidate.strip())[1].lower()
        if ext in known:
            return ext
    return None


def attachment_type(url: str, content_type: str | None, head: bytes) -> str | None:
    """Kind of attachment ("pdf", "docx", "xlsx", "doc", "xls") or None if not a readable one.

    Magic bytes in `head` win: sites serve HTML error pages under `.pdf` URLs and Office files
    as application/octet-stream. The Content-Type, then the URL extension, only choose within a
    container family (zip: docx/xlsx, OLE2: doc/xls) when `head` is too short to tell, and
    decide alone when `head` is empty (nothing fetched yet).
    """
    hint = _CONTENT_TYPES.get((content_type or "").split(";")[0].strip().lower())
    if hint is None:
        hint = _EXTENSION_KINDS.get(attachment_extension(url) or "")
    if not head:
        return hint
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_ZIP_MAGIC):
        # Member names appear uncompressed in local headers and the central directory.
        return _pick({"docx": b"word/" in head, "xlsx": bool(_XLSX_MEMBER.search(head))}, hint)
    if head.startswith(_OLE_MAGIC):
        # Directory entries hold stream names in UTF-16LE.
        found = {
            "doc": "WordDocument".encode("utf-16-le") in head,
            "xls": "Workbook".encode("utf-16-le") in head or "Book\0".encode("utf-16-le") in head,
        }
        return _pick(found, hint)
    return None


def _pick(found: dict[str, bool], hint: str | None) -> str | None:
    """The one kind the content shows, else the hint if it is of this container family."""
    kinds = [kind for kind, seen in found.items() if seen]
    if len(kinds) == 1:
        return kinds[0]
    return hint if hint in found else None


def load_readers() -> None:
    """Import every reader library now: a reading process's start, not a read (and its time limit)."""
    import docx.table  # noqa: F401
    import olefile  # noqa: F401
    import openpyxl  # noqa: F401
    import pypdf  # noqa: F401
    import xlrd  # noqa: F401


def extract_text(
    data: bytes, kind: str, *, max_chars: int = 2_000_000, max_pages: int = 500,
    max_seconds: float = 30.0,
) -> str:
    """Text of an attachment of `kind`, at most `max_chars` long.

    `max_pages` bounds PDF pages and spreadsheet sheets; reading stops after the chunk (page,
    row, paragraph) during which `max_seconds` ran out, keeping what was read. Raises
    AttachmentError for an unsupported kind, a damaged or encrypted file, or any failure inside
    a reader library.
    """
    deadline = time.monotonic() + max_seconds
    extractor = _EXTRACTORS.get(kind)
    if extractor is None:
        raise AttachmentError(f"unsupported attachment type: {kind!r}")
    parts: list[str] = []
    left = max_chars
    try:
        for chunk in extractor(data, max_pages):
            parts.append(chunk[:left])
            left -= len(parts[-1])
            if left <= 0 or time.monotonic() > deadline:
                break
    except (AttachmentError, MemoryError):  # a reader out of memory is ended by its caller
        raise
    except Exception as exc:  # hostile input makes reader libraries fail in any way
        raise AttachmentError(f"{kind}: cannot read: {type(exc).__name__}: {exc}") from exc
    return "".join(parts)


def _pdf_text(data: bytes, max_pages: int) -> Iterator[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        # Only an empty user password (permissions-only protection, common on these sites)
        # can be opened; anything else needs a password we do not have.
        raise AttachmentError("pdf: encrypted with a user password")
    for number, page in enumerate(reader.pages):
        if number >= max_pages:
            break
        yield page.extract_text() + "\n"


def _check_zip(data: bytes, kind: str) -> None:
    """Refuse a zip bomb before a library inflates it: too many members, or more bytes than
    MAX_UNZIPPED_BYTES by the sizes it declares or, inflated in steps and counted, by what it holds."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise AttachmentError(f"{kind}: {len(members)} zip members, more than {MAX_ZIP_MEMBERS}")
        if sum(info.file_size for info in members) > MAX_UNZIPPED_BYTES:
            raise AttachmentError(f"{kind}: unzips to more than {MAX_UNZIPPED_BYTES} bytes")
        left = MAX_UNZIPPED_BYTES
        for info in members:
            with archive.open(info) as member:
                while step := member.read(_ZIP_STEP):
                    left -= len(step)
                    if left < 0:
                        raise AttachmentError(f"{kind}: unzips to more than {MAX_UNZIPPED_BYTES} bytes")


def _docx_text(data: bytes, max_pages: int) -> Iterator[str]:
    import docx

    _check_zip(data, "docx")
    document = docx.Document(io.BytesIO(data))
    yield from _docx_blocks(document)
    for section in document.sections:
        for part in (
            section.header, section.first_page_header, section.even_page_header,
            section.footer, section.first_page_footer, section.even_page_footer,
        ):
            # A linked header shows the previous section's, already read.
            if not part.is_linked_to_previous:
                yield from _docx_blocks(part)


def _docx_blocks(container: Document | BlockItemContainer) -> Iterator[str]:
    """Paragraphs and table rows in document order, one line each; cells joined by tabs."""
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                yield "\t".join(_docx_cell_text(cell) for cell in _unique(row.cells)) + "\n"
        else:
            yield block.text + "\n"


def _unique(cells: Iterable[_Cell]) -> list[_Cell]:
    # Merged cells repeat across the grid positions they span; keep the first of each.
    seen: set[int] = set()
    result: list[_Cell] = []
    for cell in cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            result.append(cell)
    return result


def _docx_cell_text(cell: _Cell) -> str:
    return " ".join(line.strip() for line in _docx_blocks(cell) if line.strip())


def _xlsx_text(data: bytes, max_pages: int) -> Iterator[str]:
    import openpyxl

    _check_zip(data, "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets[:max_pages]:
            # Stored dimensions can be forged to pad every row to 16384 columns.
            sheet.reset_dimensions()
            for row in sheet.iter_rows(max_row=_XLSX_MAX_ROW, values_only=True):
                yield from _row_line(row)
    finally:
        book.close()


def _xls_text(data: bytes, max_pages: int) -> Iterator[str]:
    import xlrd

    book = xlrd.open_workbook(
        file_contents=data, on_demand=True, logfile=io.StringIO(),
        # Files written by some Chinese OA systems trip xlrd's strict checks yet read fine.
        ignore_workbook_corruption=True,
    )
    try:
        for index in range(min(book.nsheets, max_pages)):
            sheet = book.sheet_by_index(index)
            for number in range(sheet.nrows):
                yield from _row_line(sheet.row_values(number))
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _row_line(values: Iterable[object]) -> Iterator[str]:
    cells = [_cell_text(value) for value in values]
    if any(cells):
        yield "\t".join(cells).rstrip("\t") + "\n"


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    # Spreadsheet numbers are floats; 110105.0 must read as the digits a check looks for.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Word 97+ binary format ([MS-DOC]): the text lives in the WordDocument stream as pieces listed
# by the piece table (CLX) in the 0Table/1Table stream, each either UTF-16LE or cp1252.
_WORD_IDENT = 0xA5EC
_WORD97_MIN_NFIB = 106  # below: Word 6/95, a different FIB layout
_FIB_ENCRYPTED = 0x0100
_FIB_WHICH_TABLE = 0x0200
_FCLCB_CLX = 33  # index of fcClx/lcbClx in FibRgFcLcb97
_PIECE_COMPRESSED = 0x40000000
# Word's marks: paragraph and line ends become newlines, table cell ends tabs; other controls
# (pictures, footnote references, field marks left over) are dropped.
_WORD_CONTROLS = {code: None for code in range(32) if chr(code) not in "\t\n"} | {
    ord("\r"): "\n", 0x0B: "\n", 0x0C: "\n", 0x07: "\t", 0x1E: "-",
}
_FIELD_MARKS = re.compile("([\x13\x14\x15])")


def _doc_text(data: bytes, max_pages: int) -> Iterator[str]:
    import olefile

    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        if not ole.exists("WordDocument"):
            raise AttachmentError("doc: no WordDocument stream")
        word = ole.openstream("WordDocument").read()
        ident, nfib = struct.unpack_from("<HH", word, 0)
        (flags,) = struct.unpack_from("<H", word, 0x0A)
        if ident != _WORD_IDENT or nfib < _WORD97_MIN_NFIB:
            raise AttachmentError("doc: not a Word 97+ document (Word 6/95 is unsupported)")
        if flags & _FIB_ENCRYPTED:
            raise AttachmentError("doc: encrypted")
        table_name = "1Table" if flags & _FIB_WHICH_TABLE else "0Table"
        if not ole.exists(table_name):
            raise AttachmentError(f"doc: no {table_name} stream")
        table = ole.openstream(table_name).read()
    fc_clx, lcb_clx = struct.unpack_from("<II", word, _fib_fclcb_offset(word) + 8 * _FCLCB_CLX)
    pieces = []
    total = 0
    for cp_start, cp_end, fc in _doc_pieces(table[fc_clx : fc_clx + lcb_clx]):
        count = cp_end - cp_start
        if count <= 0:
            continue
        if fc & _PIECE_COMPRESSED:
            start = (fc & ~_PIECE_COMPRESSED) // 2
            piece = word[start : start + count].decode("cp1252", "replace")
        else:
            piece = word[fc : fc + 2 * count].decode("utf-16-le", "replace")
        pieces.append(piece)
        total += len(piece)
        # A forged table can list one big piece many times; real text never outgrows its stream.
        if total > len(word):
            break
    yield _strip_fields("".join(pieces)).translate(_WORD_CONTROLS)


def _fib_fclcb_offset(word: bytes) -> int:
    """Offset of FibRgFcLcb, after the variable-length FibRgW and FibRgLw arrays."""
    offset = 32
    (csw,) = struct.unpack_from("<H", word, offset)
    offset += 2 + 2 * csw
    (cslw,) = struct.unpack_from("<H", word, offset)
    offset += 2 + 4 * cslw
    (cb_fclcb,) = struct.unpack_from("<H", word, offset)
    if cb_fclcb <= _FCLCB_CLX:
        raise AttachmentError("doc: FIB too short for a piece table")
    return offset + 2


def _doc_pieces(clx: bytes) -> Iterator[tuple[int, int, int]]:
    """(first CP, end CP, fc) of each piece in a CLX."""
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:  # Prc: formatting, skipped; pos only grows
        (size,) = struct.unpack_from("<H", clx, pos + 1)
        pos += 3 + size
    if pos >= len(clx) or clx[pos] != 0x02:
        raise AttachmentError("doc: no piece table")
    (lcb,) = struct.unpack_from("<I", clx, pos + 1)
    plc = clx[pos + 5 : pos + 5 + lcb]
    count = (len(plc) - 4) // 12
    cps = struct.unpack_from(f"<{count + 1}I", plc)
    for index in range(count):
        (fc,) = struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * index + 2)
        yield cps[index], cps[index + 1], fc


def _strip_fields(text: str) -> str:
    """Drop field instructions (between marks 0x13 and 0x14), keeping field results."""
    out: list[str] = []
    stack: list[bool] = []  # per open field: still in its instruction part?
    hidden = 0
    for token in _FIELD_MARKS.split(text):
        if token == "\x13":
            stack.append(True)
            hidden += 1
        elif token == "\x14":
            if stack and stack[-1]:
                stack[-1] = False
                hidden -= 1
        elif token == "\x15":
            if stack and stack.pop():
                hidden -= 1
        elif not hidden:
            out.append(token)
    return "".join(out)


_EXTRACTORS: dict[str, Callable[[bytes, int], Iterator[str]]] = {
    "pdf": _pdf_text,
    "docx": _docx_text,
    "xlsx": _xlsx_text,
    "xls": _xls_text,
    "doc": _doc_text,
}
