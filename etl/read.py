"""Read an uploaded allocation file into a :class:`Grid` of cells, safely and within bounds.

The file is identified by its content, never by its extension:

* a zip package is checked from its central directory (sizes, compression ratio) and
  every XML part is checked for a DTD before anything is parsed; then the sheet is read
  (see "One sheet reader" below);
* OLE2 containers (password-protected .xlsx, legacy .xls), HTML tables named .xls,
  Strict Open XML, .xlsb and OpenDocument files are refused with a message that says
  what the file is and how to re-save it;
* anything else that decodes as UTF-8 text is read as CSV (``,`` ``;`` or tab).

Cell-level facts that a plain read loses are kept on the grid: formula cells whose
result was never calculated, merged ranges, hidden rows, an active AutoFilter, hidden
sheets and the workbook's date epoch.

One sheet reader: :func:`_table_of` is the only place where rows of raw cell values become
a :class:`Table` (blank texts made None, empty rows left out, the stop after
:data:`EMPTY_ROWS_STOP` empty rows, the row limit, the cells' kinds), and
:func:`_fill_merged` the only place where merged ranges are filled. The libraries only
supply values: fastexcel's Arrow columns when :mod:`etl.fast_sheet` is sure they give
python-calamine's cells exactly (:func:`_fast_table`, the same empty rows, stop and limit;
:func:`_fast_windows` for a sheet over :data:`WINDOW_BYTES`, a window of rows at a time),
python-calamine the bulk of the others (:func:`_calamine_table`); openpyxl,
streamed, only when the sheet holds formulas, since it alone tells a formula cell from a
value (:func:`_openpyxl_table`, which then puts each formula's cached result in its cell).
Merged ranges, hidden rows, the AutoFilter and whether there are formulas are read from
the sheet's XML by :func:`_scan_sheet_xml`, whichever library reads the values.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice, repeat
from typing import Any

import defusedxml.ElementTree as SafeElementTree  # also makes openpyxl parse with defusedxml
import numpy as np
from defusedxml import DefusedXmlException
from python_calamine import CalamineWorkbook

from domain import memory
from domain.findings import Finding
from domain.i18n import N_, Text
from domain.inert import restore
from domain.refdata import fold

#: Default upload limit, the same figure as ``server.maxUploadSize`` in .streamlit/config.toml.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
#: Zip limits (suggested by the handed case 14, tests/cases): one part, all parts, compression ratio.
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
#: Parts of a zip package at most (a workbook of allocations has a few dozen).
MAX_PARTS = 10_000
#: Rows read at most from one sheet; more is refused rather than silently cut.
MAX_ROWS = 1_048_576
#: Reading stops after this many consecutive empty rows (sheets formatted to row 1 048 576).
EMPTY_ROWS_STOP = 1000
#: Sheet names searched first, folded (TEMPLATE.md).
SHEET_NAMES = ("allocations", "projets", "projects")

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    """Bounds on the work done for one file (bytes, rows)."""

    max_upload_bytes: int = MAX_UPLOAD_BYTES
    max_member_bytes: int = MAX_MEMBER_BYTES
    max_total_bytes: int = MAX_TOTAL_BYTES
    max_ratio: int = MAX_RATIO
    max_rows: int = MAX_ROWS
    max_parts: int = MAX_PARTS


#: The limits applied to uploads.
DEFAULT_LIMITS = Limits()


#: Codes of the exact type of a cell (:attr:`Table.kinds`); 0 for any other type (bool included).
KINDS: dict[type, int] = {type(None): 1, str: 2, int: 3, float: 4, date: 5, datetime: 6}


def kinds_of(column: np.ndarray) -> np.ndarray:
    """The :data:`KINDS` code of each cell of an ``object`` array (``int8`` array)."""
    return np.fromiter(map(KINDS.get, map(type, column), repeat(0)), dtype=np.int8, count=len(column))


@dataclass
class Table:
    """The non-empty rows of a sheet, stored by column.

    Attributes:
        row_numbers: Excel row number of each stored row (``int64`` array, ascending).
        columns: one ``object`` array per sheet column from A, aligned with
            ``row_numbers``: the cells as typed (str, int, float, datetime, date, bool),
            None when blank.
        kinds: for each column, the exact type of each cell as a :data:`KINDS` code
            (``int8`` array), so that parsers select cells without looking at each again.
        blanks_are_none: True when no cell is an empty or whitespace-only text (the
            calamine read makes them None; cached results of formulas may still be one).
    """

    row_numbers: np.ndarray
    columns: list[np.ndarray]
    kinds: list[np.ndarray] = field(default_factory=list)
    blanks_are_none: bool = False

    def __post_init__(self):
        if not self.kinds:
            self.kinds = [kinds_of(column) for column in self.columns]

    @classmethod
    def from_rows(cls, rows: list[tuple[int, tuple[Any, ...]]]) -> Table:
        """The table of ``(excel_row, values)`` rows (shorter rows are padded with None)."""
        width = max((len(values) for _, values in rows), default=0)
        cells = np.full((len(rows), width), None, dtype=object)
        for i, (_, values) in enumerate(rows):
            cells[i, : len(values)] = values
        return cls(np.array([r for r, _ in rows], dtype=np.int64), [cells[:, j].copy() for j in range(width)])

    def __len__(self) -> int:
        return len(self.row_numbers)

    def row(self, position: int) -> tuple[Any, ...]:
        """The values of the row at ``position``, trailing blanks dropped."""
        values = [column[position] for column in self.columns]
        while values and values[-1] is None:
            values.pop()
        return tuple(values)

    def rows(self, stop: int | None = None) -> list[tuple[int, tuple[Any, ...]]]:
        """``(excel_row, values)`` for the first ``stop`` rows (all by default), trailing blanks dropped."""
        count = len(self) if stop is None else min(stop, len(self))
        return [(int(self.row_numbers[i]), self.row(i)) for i in range(count)]


@dataclass
class Grid:
    """The cells of one sheet as typed, with the facts needed to report on them.

    Attributes:
        sheet: worksheet name, or None for a CSV file.
        table: the non-empty rows, by column (:class:`Table`); values are Python
            objects as read (str, int, float, datetime, date, bool), None when blank.
        formulas: ``(excel_row, column_index)`` -> formula text, for formula cells whose
            cached result is missing or cannot be trusted (column_index is 1-based).
        merged: merged ranges in A1 notation, e.g. ``C2:C10``.
        hidden_rows: Excel row numbers hidden in the sheet.
        autofilter: the AutoFilter range and the letters of filtered columns, if any.
        epoch: the workbook's date epoch (1899-12-30 or 1904-01-01).
        hidden_sheets: names of other sheets that are hidden.
        kind: ``xlsx`` or ``csv``.
    """

    sheet: str | None
    table: Table
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    autofilter: tuple[str, list[str]] | None = None
    epoch: datetime = datetime(1899, 12, 30)
    hidden_sheets: list[str] = field(default_factory=list)
    kind: str = "xlsx"

    @property
    def rows(self) -> list[tuple[int, tuple[Any, ...]]]:
        """``(excel_row, values)`` for each non-empty row, in sheet order, trailing blanks dropped."""
        return self.table.rows()


@dataclass
class ReadResult:
    """A grid, or the findings that explain why there is none."""

    grid: Grid | None
    findings: list[Finding]


class FileRefused(Exception):
    """Raised inside this module when a file cannot be read; carries the finding."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


def read_upload(
    data: bytes,
    filename: str = "upload",
    *,
    limits: Limits = DEFAULT_LIMITS,
    header_matcher: Callable[[tuple[Any, ...]], int] | None = None,
    progress: Callable[[int], None] | None = None,
    reader: str = "auto",
) -> ReadResult:
    """Identify an uploaded file by its content and read its allocation sheet.

    Args:
        data: the file's bytes, read once (``UploadedFile.getvalue()``).
        filename: shown in messages; never used to choose the format (a text file named like a
            workbook is refused as such rather than read as CSV).
        limits: size, ratio and row bounds.
        header_matcher: scores a row as a header row (number of template headers it
            holds); used to pick the sheet when none has a template name.
        progress: called with the number of rows read so far, every 10 000 rows.
        reader: where the cell values come from: ``auto`` (fastexcel's Arrow columns when
            :mod:`etl.fast_sheet` is sure to give python-calamine's cells, else python-calamine,
            or openpyxl when the sheet holds formulas), ``fastexcel`` (the same, formulas
            aside), ``calamine`` (python-calamine only) or ``openpyxl`` (tests and benchmarks
            compare them); the table is the same whichever reads.

    Returns:
        A :class:`ReadResult`. Its ``findings`` are file-level problems and notices
        (hidden sheets, formulas, merges, hidden rows, filters); ``grid`` is None when
        the file was refused. Never raises for bad input.
    """
    try:
        if len(data) > limits.max_upload_bytes:
            raise FileRefused(too_large(len(data), limits.max_upload_bytes))
        if not data.strip():
            raise FileRefused(Finding.of("empty-file", N_("The file is empty.")))
        kind = sniff(data)
        if kind == "zip":
            return _read_xlsx(data, limits, header_matcher, progress, reader)
        if kind == "csv":
            if filename.lower().endswith((".xlsx", ".xlsm", ".xls")):  # text under a workbook's name
                raise FileRefused(
                    Finding.of(
                        "not-an-xlsx",
                        N_(
                            "This file is text (a CSV file or a note), not an Excel workbook, although its name "
                            "ends in {extension}. If it is a CSV file, rename it to .csv; otherwise save the "
                            "workbook again from Excel as .xlsx."
                        ),
                        {"extension": "." + filename.rsplit(".", 1)[-1]},
                    )
                )
            return ReadResult(_read_csv(data, filename, limits), [])
        raise FileRefused(_refusal_for(kind))
    except FileRefused as refused:
        return ReadResult(None, [refused.finding])
    except Exception as exc:  # the last guard: a damaged file is a refusal, never a traceback
        return ReadResult(
            None,
            [
                Finding.of(
                    "file-corrupt",
                    N_("The workbook cannot be opened ({error})."),
                    {"error": f"{type(exc).__name__}: {exc}"[:300]},
                )
            ],
        )


def sniff(data: bytes) -> str:
    """Name the format of a file from its first bytes.

    Returns one of ``zip``, ``password-protected``, ``xls``, ``html``, ``xml-2003``,
    ``pdf``, ``csv`` or ``binary``.
    """
    head = data[:4096]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(_CFB_MAGIC):
        return "password-protected" if "EncryptedPackage".encode("utf-16-le") in data else "xls"
    if head.startswith(b"%PDF"):
        return "pdf"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in text[:1024]:
        return "html"
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "xml-2003"
    if b"\x00" in head:
        return "binary"
    return "csv"


def too_large(size: int, limit: int) -> Finding:
    """The refusal of a file of ``size`` bytes over the upload limit (rule ``upload-too-large``)."""
    return Finding.of(
        "upload-too-large",
        N_("The file is {size_mb} MB ({size} bytes); the limit is {limit_mb} MB ({limit} bytes). It was not read."),
        {"size_mb": round(size / 1048576, 1), "size": size, "limit_mb": round(limit / 1048576, 1), "limit": limit},
        extra={"size_bytes": size, "limit_bytes": limit},
    )


_REFUSALS = {
    "password-protected": (
        "password-protected",
        N_("This file is protected by a password (an encrypted Office package), so it cannot be read."),
    ),
    "xls": ("not-an-xlsx", N_("This is an old Excel 97-2003 (.xls) workbook; only .xlsx, .xlsm and .csv are read.")),
    "html": ("not-an-xlsx", N_("This is an HTML page (a web table) saved with an Excel name, not a workbook.")),
    "xml-2003": ("not-an-xlsx", N_("This is an 'XML Spreadsheet 2003' file, not an .xlsx workbook.")),
    "pdf": ("not-an-xlsx", N_("This is a PDF document, not a workbook.")),
    "binary": ("not-an-xlsx", N_("This file is not a workbook or a CSV file.")),
    "xlsb": ("not-an-xlsx", N_("This is an Excel binary workbook (.xlsb); only .xlsx, .xlsm and .csv are read.")),
    "ods": ("not-an-xlsx", N_("This is an OpenDocument spreadsheet (.ods); save it as .xlsx.")),
    "other-zip": ("not-an-xlsx", N_("This is a zip archive, but not an Excel workbook.")),
}


def _refusal_for(kind: str) -> Finding:
    rule, message = _REFUSALS[kind]
    return Finding.of(rule, message, extra={"detected": kind})


# --- xlsx -------------------------------------------------------------------------------


def _check_package(zf: zipfile.ZipFile, data: bytes, limits: Limits) -> dict[str, SheetFacts]:
    """Refuse a package that is unsafe, damaged or not a workbook, before anything parses it.

    The central directory's sizes and ratios are checked first (nothing inflated); then every
    part is inflated once, in bounded chunks, by :func:`_inflate_and_scan`, which refuses
    damaged, encrypted or lying parts and any DTD in any XML part.

    Returns:
        The facts of each worksheet part found on the way (:class:`SheetFacts`, by part name).
    """
    infos = zf.infolist()
    if len(infos) > limits.max_parts:
        raise FileRefused(
            Finding.of(
                "archive-too-large",
                N_(
                    "The file holds {n} parts; a workbook has far fewer (the limit is {limit}). Nothing was "
                    "decompressed."
                ),
                {"n": len(infos), "limit": limits.max_parts},
            )
        )
    seen: set[str] = set()
    for info in infos:
        if info.filename in seen:  # two readers could each take a different one
            raise _damaged(
                info.filename,
                N_(
                    "The zip archive holds the part {part} twice; spreadsheet programs never do this. The file was "
                    "not read."
                ),
            )
        seen.add(info.filename)
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        too_big = info.file_size > limits.max_member_bytes
        too_dense = info.file_size > 1024 * 1024 and ratio > limits.max_ratio
        if too_big or too_dense:
            raise FileRefused(
                Finding.of(
                    "archive-too-large",
                    N_(
                        "The part {part} would decompress to {size_mib} MiB (uncompressed, {ratio} times its "
                        "compressed size); the limits are {limit_mib} MiB per part and a ratio of {max_ratio}. "
                        "Nothing was decompressed."
                    ),
                    {
                        "part": info.filename,
                        "size_mib": round(info.file_size / 1048576),
                        "ratio": round(ratio),
                        "limit_mib": limits.max_member_bytes // 1048576,
                        "max_ratio": limits.max_ratio,
                    },
                    extra={"part": info.filename, "uncompressed_mib": round(info.file_size / 1048576)},
                )
            )
    if total > limits.max_total_bytes:
        raise FileRefused(
            Finding.of(
                "archive-too-large",
                N_(
                    "The workbook would decompress to {size_mib} MiB (uncompressed); the limit is {limit_mib} MiB. "
                    "Nothing was decompressed."
                ),
                {"size_mib": round(total / 1048576), "limit_mib": limits.max_total_bytes // 1048576},
            )
        )
    sheets = _inflate_and_scan(zf, data, limits)
    names = set(zf.namelist())
    if "mimetype" in names and b"opendocument" in zf.read("mimetype"):
        raise FileRefused(_refusal_for("ods"))
    if "[Content_Types].xml" not in names:
        raise FileRefused(_refusal_for("other-zip"))
    content_types = zf.read("[Content_Types].xml")
    if b"sheet.binary.macroEnabled" in content_types:
        raise FileRefused(_refusal_for("xlsb"))
    workbook_types = (b"spreadsheetml.sheet.main", b"spreadsheetml.template.main", b"sheet.macroEnabled.main")
    if not any(t in content_types for t in workbook_types):
        raise FileRefused(_refusal_for("other-zip"))
    workbook_part = next((n for n in names if n.endswith("workbook.xml")), None)
    if workbook_part and b"purl.oclc.org/ooxml/spreadsheetml" in zf.read(workbook_part)[:4096]:
        raise FileRefused(
            Finding.of(
                "strict-ooxml", N_("This workbook is saved as 'Strict Open XML Spreadsheet', which is not read.")
            )
        )
    return sheets


#: Zip compression methods by number (APPNOTE 4.4.5), to name one that is refused.
_ZIP_METHODS = {
    1: "Shrink",
    6: "Implode",
    9: "Deflate64",
    12: "BZIP2",
    14: "LZMA",
    93: "Zstandard",
    95: "XZ",
    98: "PPMd",
    99: "AES",
}
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # signature ... file name length, extra field length (30 bytes)
#: Bytes inflated at a time: the memory of the check does not depend on the part's size.
_INFLATE_CHUNK = 1024 * 1024
_DTD_TEXT = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
#: Byte-order marks and first bytes of an XML document (XML 1.0, appendix F), most specific first.
_XML_STARTS = (
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16"),
    (b"\xff\xfe", "utf-16"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),  # '<?xm' in EBCDIC
)
_DECLARED_ENCODING = re.compile(r"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")


def _damaged(part: str, template: str, params: dict[str, Any] | None = None) -> FileRefused:
    """The refusal of a damaged or unusual zip part (rule ``file-corrupt``), naming the part."""
    return FileRefused(Finding.of("file-corrupt", template, {"part": part, **(params or {})}, extra={"part": part}))


def _inflate(data: bytes, info: zipfile.ZipInfo):
    """The bytes of one zip part, inflated :data:`_INFLATE_CHUNK` at a time (a generator).

    Read from the local header that the central directory points to, with ``zlib`` directly,
    so that every byte actually inflated is counted: a part that holds more than its header
    declares is refused as soon as it passes that size (the declared sizes were checked
    against the limits before), and so are a part cut short, a wrong CRC-32, the zip
    encryption flag and compression methods other than stored and deflate (the only ones
    spreadsheet programs write).

    Raises:
        FileRefused: rule ``file-corrupt``, naming the part and the reason in plain words.
    """
    part = info.filename
    if info.flag_bits & 0x1:
        raise _damaged(
            part,
            N_(
                "The part {part} is encrypted inside the zip archive (not an Excel password); spreadsheet programs "
                "never do this. The file was not read."
            ),
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        method = _ZIP_METHODS.get(info.compress_type, str(info.compress_type))
        raise _damaged(
            part,
            N_(
                "The part {part} is compressed with the {method} method, which spreadsheet programs do not use "
                "(a zip tool made this file). The file was not read."
            ),
            {"method": method},
        )
    start = info.header_offset
    header = data[start : start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise _damaged(
            part, N_("The part {part} is missing or damaged in the zip archive (cut short?). The file was not read.")
        )
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    begin = start + _LOCAL_HEADER.size + name_length + extra_length
    raw = memoryview(data)[begin : begin + info.compress_size]
    if len(raw) < info.compress_size:
        raise _damaged(
            part, N_("The part {part} is missing or damaged in the zip archive (cut short?). The file was not read.")
        )
    declared = info.file_size
    lying = N_(
        "The part {part} holds more data than the {declared} bytes its zip header declares (as in a 'zip bomb'); "
        "decompression was stopped. The file was not read."
    )
    inflated, crc = 0, 0
    if info.compress_type == zipfile.ZIP_STORED:
        if len(raw) != declared:
            raise _damaged(part, lying, {"declared": declared})
        for at in range(0, len(raw), _INFLATE_CHUNK):
            chunk = bytes(raw[at : at + _INFLATE_CHUNK])
            crc = zlib.crc32(chunk, crc)
            yield chunk
        inflated = len(raw)
    else:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        position = 0
        pending = b""
        try:
            while not inflater.eof:
                if not pending:
                    if position >= len(raw):
                        break
                    pending = bytes(raw[position : position + _INFLATE_CHUNK])
                    position += len(pending)
                chunk = inflater.decompress(pending, _INFLATE_CHUNK)
                pending = inflater.unconsumed_tail
                inflated += len(chunk)
                if inflated > declared:
                    raise _damaged(part, lying, {"declared": declared})
                crc = zlib.crc32(chunk, crc)
                if chunk:
                    yield chunk
        except zlib.error as exc:
            raise _damaged(
                part,
                N_("The part {part} cannot be decompressed ({error}): the file is damaged. The file was not read."),
                {"error": str(exc)},
            ) from exc
        if not inflater.eof:
            raise _damaged(
                part,
                N_("The part {part} is missing or damaged in the zip archive (cut short?). The file was not read."),
            )
    if inflated != declared or crc != info.CRC:
        raise _damaged(
            part,
            N_(
                "The part {part} does not match its checksum (CRC-32): the file was damaged, e.g. by an interrupted "
                "download or a faulty disk. The file was not read."
            ),
        )


def _xml_encoding(head: bytes) -> str | None:
    """The encoding of an XML part from its first bytes and declaration (XML 1.0, appendix F), or None.

    None when the part does not start like an XML document in any encoding (an image, a
    binary part). A declared encoding that Python does not know is returned as declared
    (the caller refuses it).
    """
    encoding = next((name for start, name in _XML_STARTS if head.startswith(start)), None)
    if encoding is None:
        if not head.lstrip(b" \t\r\n").startswith(b"<"):
            return None
        encoding = "utf-8"
    text = head[:1024].decode(encoding, errors="replace").lstrip("\ufeff")
    declared = _DECLARED_ENCODING.match(text)
    if declared and encoding in ("utf-8", "cp037"):  # one byte per ASCII letter: the declaration says which
        return declared.group(1)
    return encoding


def _inflate_and_scan(zf: zipfile.ZipFile, data: bytes, limits: Limits) -> dict[str, SheetFacts]:
    """Inflate every part once, in bounded memory, and refuse any DTD in any XML part, in any encoding.

    A DOCTYPE or ENTITY declaration is looked for in the whole part (not only its first
    bytes), in the raw bytes and, when the part is not UTF-8, in the text decoded with the
    encoding that its byte-order mark or XML declaration gives (UTF-16, UTF-32, EBCDIC...).
    A part that does not start like XML (a binary part, or one padded with spaces) is also
    searched for the declaration in ASCII, UTF-16 and UTF-32 bytes. A part whose declared
    encoding cannot be decoded is refused too: it could not be checked.

    The worksheets' bytes (:func:`_is_sheet_part`) are scanned for their facts on the way
    (:class:`_SheetScan`): the sheet is inflated once for both.

    Returns:
        The facts of each worksheet part, by part name.

    Raises:
        FileRefused: ``unsafe-xml-dtd`` for a DTD, ``file-corrupt`` for a damaged or unusual part.
    """
    sheets: dict[str, SheetFacts] = {}
    for info in zf.infolist():
        if info.is_dir():
            continue
        part = info.filename
        scan = _SheetScan() if _is_sheet_part(part) else None
        named_xml = part.endswith((".xml", ".rels", ".vml")) or part == "[Content_Types].xml"
        decoder = None
        encoding = None
        tail, text_tail = b"", ""
        for number, chunk in enumerate(_inflate(data, info)):
            if number == 0:
                encoding = _xml_encoding(chunk[:4096])
                if encoding is None and named_xml:
                    encoding = "utf-8"
                if encoding is not None and _codec_name(encoding) not in ("utf-8", "ascii"):
                    try:
                        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
                    except LookupError as exc:
                        raise _damaged(
                            part,
                            N_(
                                "The part {part} declares an encoding ({encoding}) that cannot be read, so it "
                                "cannot be checked. The file was not read."
                            ),
                            {"encoding": encoding},
                        ) from exc
            buffer = tail + chunk
            if b"!" in buffer and b"<!" in buffer and _DTD.search(buffer):  # memchr first: "!" is rare in XML
                raise _dtd_refusal(part)
            if encoding is None and any(pattern.search(buffer) for pattern in _DTD_WIDE):
                raise _dtd_refusal(part)
            tail = buffer[-256:]
            if decoder is not None:
                text = text_tail + decoder.decode(chunk)
                if _DTD_TEXT.search(text):
                    raise _dtd_refusal(part)
                text_tail = text[-64:]
            if scan is not None:
                scan.feed(chunk)
        if scan is not None:  # the part was inflated whole and its CRC-32 checked
            sheets[part] = scan.facts()
    return sheets


def _wide_dtd_patterns() -> list[re.Pattern[bytes]]:
    """``<!DOCTYPE`` / ``<!ENTITY`` (any case, spaces allowed after ``<!``) in UTF-16 and UTF-32 bytes."""
    patterns = []
    for encoding in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):

        def enc(ch: str, encoding=encoding) -> bytes:
            return re.escape(ch.encode(encoding))

        def word(w: str, enc=enc) -> bytes:
            return b"".join(b"(?:" + enc(c.upper()) + b"|" + enc(c.lower()) + b")" for c in w)

        space = b"(?:" + b"|".join(enc(c) for c in " \t\r\n") + b")*"
        patterns.append(
            re.compile(enc("<") + enc("!") + space + b"(?:" + word("DOCTYPE") + b"|" + word("ENTITY") + b")")
        )
    return patterns


_DTD_WIDE = _wide_dtd_patterns()


def _codec_name(encoding: str) -> str | None:
    """Python's name for an encoding (``UTF-8`` -> ``utf-8``), or None when it is unknown."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def _dtd_refusal(part: str) -> FileRefused:
    return FileRefused(
        Finding.of(
            "unsafe-xml-dtd",
            N_(
                "The part {part} declares a DOCTYPE/ENTITY (an XML entity expansion, as in a 'billion "
                "laughs' attack); spreadsheet programs never write one. The file was not parsed."
            ),
            {"part": part},
            extra={"part": part},
        )
    )


def _full_calc_on_load(zf: zipfile.ZipFile) -> bool:
    """True when the workbook asks to be recalculated on open (cached results are stale)."""
    workbook_part = next((n for n in zf.namelist() if n.endswith("workbook.xml")), None)
    if workbook_part is None:
        return False
    match = re.search(rb"<(?:\w+:)?calcPr\b[^>]*>", zf.read(workbook_part))
    return bool(match and re.search(rb'fullCalcOnLoad="(1|true)"', match.group(0)))


@dataclass
class SheetFacts:
    """What a streaming scan of a sheet part found (see :func:`_scan_sheet_xml`)."""

    merged: list[str]
    hidden_rows: set[int]
    autofilter: tuple[str, list[str]] | None
    has_formulas: bool
    #: Cells typed as text in the XML (``t="s"`` shared, ``t="inlineStr"``): what a fast read must
    #: give as texts, no fewer (fastexcel reads a few texts such as ``n/a`` as empty number cells).
    text_cells: int = 0
    #: Of those, inline texts written empty (``<c t="inlineStr"></c>``, ``<is><t/></is>``): fastexcel
    #: gives them as empty cells, python-calamine as empty texts, a blank cell either way.
    empty_inline_texts: int = 0
    #: Cells typed as booleans in the XML (``t="b"``).
    bool_cells: int = 0
    #: Whether the XML holds cells of another explicit type: error, ISO date or formula text
    #: (``t="e"``, ``t="d"``, ``t="str"``), which only python-calamine reads as they are.
    other_typed_cells: bool = False


#: A cell's type attribute in the sheet's XML, as Excel and the libraries write it (double quotes).
_TYPED, _SHARED_TEXT, _INLINE_TEXT, _NUMBER_TYPE = b' t="', b' t="s"', b' t="inlineStr"', b' t="n"'
_EMPTY_INLINE = (
    b't="inlineStr"></c>',
    b't="inlineStr"/>',
    b"<is><t/></is>",
    b"<is><t></t></is>",
    b'<is><t xml:space="preserve"></t></is>',
)
_BOOL_TYPE = b' t="b"'
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+\d+:[A-Z]+\d+)"')
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_FILTER = re.compile(rb'<(?:\w+:)?autoFilter\b[^>]*\bref="([A-Z]+\d+(?::[A-Z]+\d+)?)"[^>]*?(/?)>')
_FILTER_COLUMN = re.compile(rb'<(?:\w+:)?filterColumn\b[^>]*\bcolId="(\d+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


class _SheetScan:
    """The scan of one sheet part for merged ranges, hidden rows, the AutoFilter and formulas.

    Fed the part's bytes in pieces of any size (:meth:`feed`), as :func:`_inflate_and_scan`
    inflates them, so that the sheet is inflated once for both scans; the bytes are searched
    about :data:`PIECE` bytes at a time (cut before a tag) with :data:`OVERLAP` bytes of the piece
    before, so the facts do not depend on how the bytes were cut. Memory: one piece. It also
    counts the cells the XML types as texts and booleans, which the fast read must match.
    """

    PIECE = 4 * 1024 * 1024
    OVERLAP = 4096

    def __init__(self):
        self.merged: list[str] = []
        self.hidden: set[int] = set()
        self.autofilter: tuple[str, list[str]] | None = None
        self.has_formulas = False
        self.text_cells = 0
        self.empty_inline_texts = 0
        self.bool_cells = 0
        self.other_typed_cells = False
        self.tail = b""
        self.pending: list[bytes] = []
        self.pending_size = 0

    def feed(self, chunk: bytes) -> None:
        """Take the next bytes of the part."""
        self.pending.append(chunk)
        self.pending_size += len(chunk)
        while self.pending_size >= self.PIECE:
            joined = b"".join(self.pending)
            # cut before a tag, so that no cell's type attribute is split between two pieces
            cut = joined.rfind(b"<", 0, self.PIECE)
            cut = cut if cut > 0 else self.PIECE
            self._scan(joined[:cut])
            rest = joined[cut:]
            self.pending, self.pending_size = ([rest] if rest else []), len(rest)

    def facts(self) -> SheetFacts:
        """What the part's bytes held, once they were all fed."""
        from openpyxl.utils.cell import range_boundaries

        if self.pending_size:
            self._scan(b"".join(self.pending))
            self.pending, self.pending_size = [], 0
        self.merged.sort(key=lambda ref: (range_boundaries(ref)[1], range_boundaries(ref)[0]))
        return SheetFacts(
            self.merged,
            self.hidden,
            self.autofilter,
            self.has_formulas,
            self.text_cells,
            self.empty_inline_texts,
            self.bool_cells,
            self.other_typed_cells,
        )

    def _count_cell_types(self, chunk: bytes) -> None:
        """Count the cells typed as text and as booleans in ``chunk``, and note any other explicit type.

        ``chunk`` is cut before a tag (:meth:`feed`), so each attribute is counted in one piece.
        Most sheets type only their shared texts (numbers carry no type): two counts tell all.
        """
        typed, shared = chunk.count(_TYPED), chunk.count(_SHARED_TEXT)
        if typed == shared:
            self.text_cells += shared
            return
        inline, bools = chunk.count(_INLINE_TEXT), chunk.count(_BOOL_TYPE)
        self.text_cells += shared + inline
        self.bool_cells += bools
        if inline:
            self.empty_inline_texts += sum(chunk.count(word) for word in _EMPTY_INLINE)
        if typed > shared + inline + bools + chunk.count(_NUMBER_TYPE):
            self.other_typed_cells = True  # errors, ISO dates, formula texts (t="e", "d", "str")

    def _scan(self, chunk: bytes) -> None:
        # openpyxl is imported where it is needed, so that the app starts without it
        from openpyxl.utils.cell import get_column_letter, range_boundaries

        buffer = self.tail + chunk
        # a match must end inside the new bytes, or it was already seen in the last round
        start_new = len(self.tail)
        self._count_cell_types(chunk)
        # Most sheets have none of these: a substring search (C speed) skips the regexes, and
        # before it a search for one of the word's letters that a sheet's cells rarely hold
        # (memchr: ten times faster than a search for the word, which must find that letter).
        if b"g" in buffer and b"mergeCell" in buffer:
            for m in _MERGE.finditer(buffer):
                if m.end() > start_new and m.group(1).decode() not in self.merged:
                    self.merged.append(m.group(1).decode())
        if b"h" in buffer and b"hidden" in buffer:
            for m in _HIDDEN_ROW.finditer(buffer):
                if m.end() > start_new and (n := _ROW_NUMBER.search(m.group(0))):
                    self.hidden.add(int(n.group(1)))
        if not self.has_formulas and b"f" in buffer and (b"<f" in buffer or b":f" in buffer):
            self.has_formulas = bool(_FORMULA.search(buffer))
        if self.autofilter is None and b"u" in buffer and b"autoFilter" in buffer and (m := _FILTER.search(buffer)):
            ref = m.group(1).decode()
            first_col = range_boundaries(ref)[0]
            body = buffer[m.end() : m.end() + 8192] if not m.group(2) else b""
            body = body.split(b"autoFilter>")[0]
            cols = [get_column_letter(first_col + int(c)) for c in _FILTER_COLUMN.findall(body)]
            self.autofilter = (ref, cols)
        self.tail = buffer[-self.OVERLAP :]


def _is_sheet_part(part: str) -> bool:
    """Whether a part is scanned as a worksheet while it is inflated (:func:`_inflate_and_scan`)."""
    return part.startswith("xl/worksheets/") and part.endswith(".xml")


def _scan_sheet_xml(zf: zipfile.ZipFile, part: str) -> SheetFacts:
    """Stream a sheet part for merged ranges, hidden rows, the AutoFilter and formulas, in bounded memory.

    For a part that :func:`_inflate_and_scan` did not scan already (a sheet stored elsewhere than
    ``xl/worksheets/``).
    """
    scan = _SheetScan()
    with zf.open(part) as stream:
        while chunk := stream.read(_SheetScan.PIECE):
            scan.feed(chunk)
    return scan.facts()


@dataclass(frozen=True)
class SheetEntry:
    """A worksheet as the workbook lists it: name, visibility and package part."""

    name: str
    state: str
    part: str


_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _workbook_sheets(zf: zipfile.ZipFile) -> tuple[list[SheetEntry], datetime]:
    """The worksheets (in order) and the date epoch, read from ``xl/workbook.xml`` and its rels.

    Parsed with defusedxml, after :func:`_check_package` has refused any DTD.
    """
    try:
        workbook = SafeElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = SafeElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, SafeElementTree.ParseError, DefusedXmlException) as exc:
        raise FileRefused(
            Finding.of("file-corrupt", N_("The workbook's sheet list cannot be read ({error})."), {"error": str(exc)})
        ) from exc
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    entries = []
    for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        entries.append(SheetEntry(sheet.get("name", ""), sheet.get("state", "visible"), part))
    properties = workbook.find(f"{_NS_MAIN}workbookPr")
    date1904 = properties is not None and properties.get("date1904") in ("1", "true")
    return entries, datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)


#: A row naming at least this many template columns is a header row (as in :func:`etl.normalize.normalize`).
TEMPLATE_LIKE_SCORE = 3


def _pick_sheet(sheets: list[SheetEntry], book: _Book, header_matcher) -> tuple[SheetEntry, list[SheetEntry]]:
    """Find the allocation sheet by name, else by holding the template's headers.

    Returns the sheet to read and the other sheets that also hold the template's header
    row (at least :data:`TEMPLATE_LIKE_SCORE` columns in one of their first 21 rows), so
    that the choice is reported rather than made silently.
    """
    by_name = {fold(s.name): s for s in sheets}
    named = next((by_name[name] for name in SHEET_NAMES if name in by_name), None)
    scores: dict[str, int] = {}
    if header_matcher is not None:
        for entry in sheets:
            if entry is named:
                continue
            try:
                rows = book.get().get_sheet_by_name(entry.name).iter_rows()
            except Exception:  # noqa: S112 - a chart sheet or a damaged one holds no table
                continue
            best = 0
            for i, row in enumerate(rows):
                best = max(best, header_matcher(tuple(row)))
                if i >= 20:
                    break
            scores[entry.name] = best
    chosen = named
    if chosen is None and scores and max(scores.values()) > 0:
        top = max(scores.values())
        chosen = next(s for s in sheets if scores.get(s.name) == top)
    if chosen is None:
        raise FileRefused(
            Finding.of(
                "sheet-not-found",
                N_(
                    "No sheet is named Allocations, Projets or Projects, and none holds the template's headers. "
                    "Sheets in the file: {sheets}."
                ),
                {"sheets": ", ".join(s.name for s in sheets)},
            )
        )
    others = [s for s in sheets if s is not chosen and scores.get(s.name, 0) >= TEMPLATE_LIKE_SCORE]
    return chosen, others


def _other_template_sheets(chosen: SheetEntry, others: list[SheetEntry]) -> Finding:
    """The warning that other sheets also hold the template's columns and were not read."""
    how = N_("by its name") if fold(chosen.name) in SHEET_NAMES else N_("as the one whose header names most columns")
    return Finding.of(
        "sheet-ambiguous",
        N_(
            "The sheet '{sheet}' was read ({how}); the sheet(s) {others} also hold the template's columns and were "
            "not read."
        ),
        {"sheet": chosen.name, "how": Text(how), "others": ", ".join(f"'{s.name}'" for s in others)},
        sheet=chosen.name,
        extra={"read": chosen.name, "not_read": [s.name for s in others]},
    )


def _too_many_rows(title: str, limits: Limits) -> Finding:
    """The refusal of a sheet longer than ``limits.max_rows`` (never cut silently)."""
    return Finding.of(
        "too-many-rows",
        N_("The sheet '{sheet}' has more than {max_rows} rows; it was not read."),
        {"sheet": title, "max_rows": limits.max_rows},
    )


def _openpyxl_cells(ws, formula_cells: dict[tuple[int, int], str]) -> Iterator[list[Any]]:
    """The values of a sheet's rows streamed by openpyxl, from row 1; formula cells give their formula text.

    Each formula cell is recorded in ``formula_cells``: ``(excel_row, column_index)`` -> formula.
    """
    ws.reset_dimensions()
    for excel_row, cells in enumerate(ws.iter_rows(), start=1):
        values = [getattr(cell, "value", None) for cell in cells]
        for i, cell in enumerate(cells, start=1):
            if isinstance(values[i - 1], str) and getattr(cell, "data_type", None) == "f":
                formula_cells[(excel_row, i)] = values[i - 1]
        yield values


def _openpyxl_table(
    data: bytes, title: str, limits: Limits, progress, recalc_pending: bool
) -> tuple[Table, dict[tuple[int, int], str]]:
    """The sheet read with openpyxl (:func:`_table_of`), formula cells given their cached results.

    openpyxl is used when the sheet holds formulas: it tells a formula cell from a value.
    Returns the table and the formulas whose result is missing or stale
    (``recalc_pending``), see :attr:`Grid.formulas`.
    """
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for damaged packages
        raise FileRefused(
            Finding.of(
                "file-corrupt",
                N_("The workbook cannot be opened ({error})."),
                {"error": f"{type(exc).__name__}: {exc}"},
            )
        ) from exc
    formula_cells: dict[tuple[int, int], str] = {}
    try:
        # blocks of EMPTY_ROWS_STOP rows: a sheet formatted to its last row is not streamed much past the stop
        table = _table_of([_openpyxl_cells(wb[title], formula_cells)], title, limits, progress, block=EMPTY_ROWS_STOP)
    finally:
        wb.close()
    read = set(table.row_numbers[np.isin(table.row_numbers, [r for r, _ in formula_cells])].tolist())
    formula_cells = {cell: text for cell, text in formula_cells.items() if cell[0] in read}
    formulas: dict[tuple[int, int], str] = {}
    if formula_cells:
        cached = _cached_values(data, title, set(formula_cells))
        for (r, c), text in formula_cells.items():
            value = cached.get((r, c))
            if value is None or recalc_pending:
                formulas[(r, c)] = text
            position = int(np.searchsorted(table.row_numbers, r))
            table.columns[c - 1][position] = value
            table.kinds[c - 1][position] = KINDS.get(type(value), 0)
        table.blanks_are_none = False  # a cached result may be an empty text
    return table, formulas


#: Rows converted at a time by :func:`_table_of` (the cells of one block are Python objects at once).
READ_BLOCK = 65_536


def _calamine_table(
    book: CalamineWorkbook,
    title: str,
    limits: Limits,
    progress,
    windows: _Windows | None = None,
    fast: bool = False,
) -> Table:
    """The sheet read by python-calamine (:func:`_table_of`), the bulk read of a sheet without formulas.

    Values and types are those calamine gives. The workbook and the sheet's copy of the
    cells are released as soon as the rows are taken. With ``windows`` (a large sheet, see
    :data:`WINDOW_BYTES`), calamine reads the sheet a window of rows at a time
    (:func:`_window_rows`), so that its copy of the cells is never the whole sheet's; with
    ``fast``, fastexcel reads the windows first (:func:`_fast_windows`), calamine only when it
    cannot be sure of the cells.
    """
    try:
        if windows is not None:
            book.close()  # the file's copy and its shared strings: each window opens its own
            memory.release()
            if fast and (table := _fast_windows(windows, title, limits, progress)) is not None:
                return table
            memory.release()
            first_row, width, rows = _window_rows(windows, title)
            held = [rows]
            del rows
            return _table_of(held, title, limits, progress, first_row=first_row, width=width)
        sheet = book.get_sheet_by_name(title)
        book.close()  # the file's copy and its shared strings (the sheet holds its own cells)
        memory.release()
        first_row, first_col = sheet.start or (0, 0)
        width = sheet.width
        held = [islice(sheet.iter_rows(), first_row, None)]  # calamine's rows start at row 1, blank above the cells
        del sheet  # calamine's copy of the sheet (the largest part of a large read) goes with the rows
        return _table_of(held, title, limits, progress, first_row=first_row, first_col=first_col, width=width)
    except FileRefused:
        raise
    except Exception as exc:  # calamine raises its own error types for damaged parts
        raise FileRefused(
            Finding.of(
                "file-corrupt", N_("The sheet '{sheet}' cannot be read ({error})."), {"sheet": title, "error": str(exc)}
            )
        ) from exc


#: A sheet whose XML (uncompressed) is larger than this is read by calamine in windows of rows of
#: about this size each (:func:`_sheet_windows`): calamine keeps about 60 bytes per cell of the rows
#: it reads (1M rows of 16 columns: 960 MB), on top of the table being built from them.
WINDOW_BYTES = 96 * 2**20

_SHEET_DATA = re.compile(rb"<sheetData\s*>")
_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")
_ROW_OPEN = b"<row "
_ROW_START = re.compile(rb'<row r="(\d+)"')
#: The sheet's XML is inflated this many bytes at a time while cut into windows.
_WINDOW_PIECE = 16 * 2**20


@dataclass
class _Windows:
    """A large sheet to be read a window of rows at a time: the package and the sheet's part."""

    data: bytes
    part: str


def _sheet_windows(windows: _Windows, size: int | None = None, into: str | None = None) -> Iterator[bytes | str]:
    """The package once per window of the sheet's rows: the same parts, the sheet holding only those rows.

    The sheet's XML is streamed from the package and cut before a ``<row `` about every
    ``size`` bytes (:data:`WINDOW_BYTES` by default); each window is the sheet's own start
    (its ``<dimension>`` left out, which would size calamine's copy for the whole sheet)
    with those rows. Merges, hidden rows and
    formulas are not calamine's to read (:func:`_scan_sheet_xml`), so what follows the rows is
    left out. The other parts (shared strings, styles for dates, the workbook's epoch) are
    compressed once into a template that every window copies. With ``into`` (a file's path),
    each window is written there instead (and ``into`` given), never a second copy in memory.

    Raises:
        ValueError: the sheet's XML is not written the plain way (:func:`_plain_sheet`).
    """
    size = size or WINDOW_BYTES
    with zipfile.ZipFile(io.BytesIO(windows.data)) as zf, zf.open(windows.part) as sheet:
        chunk = sheet.read(2**20)
        found = _SHEET_DATA.search(chunk)
        if found is None:
            raise ValueError("not a plain sheet")  # checked before by _plain_sheet
        head = _DIMENSION.sub(b"", chunk[: found.end()])
        buffer = bytearray(chunk[found.end() :])  # cut in place: no copy of the rows left per window
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as template:
            for info in zf.infolist():
                if info.filename != windows.part and not info.is_dir():
                    with zf.open(info) as src, template.open(info.filename, "w") as dst:
                        while piece := src.read(2**20):
                            dst.write(piece)
        template = out.getvalue()
        del out
        while True:
            piece = sheet.read(_WINDOW_PIECE)
            buffer += piece
            while len(buffer) >= size:
                cut = buffer.rfind(_ROW_OPEN, 1, size)
                if cut < 0:  # a row longer than a window: cut after it
                    cut = buffer.find(_ROW_OPEN, size)
                    if cut < 0:
                        break
                with memoryview(buffer) as view:
                    package = _window_package(template, windows.part, head, view[:cut], into)
                if into is not None:
                    package = _WindowFile(into, *_window_span(buffer, cut))
                del buffer[:cut]
                yield package
                del package
            if not piece:
                end = buffer.rfind(b"</sheetData>")
                del buffer[end if end >= 0 else len(buffer) :]
                if _ROW_OPEN in buffer:  # past the last row nothing but the sheet's end
                    package = _window_package(template, windows.part, head, buffer, into)
                    if into is not None:
                        package = _WindowFile(into, *_window_span(buffer, len(buffer)))
                    del buffer
                    yield package
                return


@dataclass
class _WindowFile:
    """A window written to a file (:func:`_sheet_windows` with ``into``) and its rows' span.

    Attributes:
        path: the package's file.
        first: the 0-based Excel row of the window's first row, None unless it is written
            ``<row r="N"`` and holds a value.
        last: the same for the window's last row.
    """

    path: str
    first: int | None
    last: int | None


def _window_span(rows: bytearray, end: int) -> tuple[int | None, int | None]:
    """The 0-based Excel rows of the first and last rows in ``rows[:end]``, None unless written plainly with a value."""

    def row_at(at: int) -> int | None:
        number = _ROW_START.match(rows, at) if at >= 0 else None
        close = rows.find(b"</row>", at, end) if number else -1
        if close < 0 or (rows.find(b"<v", at, close) < 0 and rows.find(b"<is", at, close) < 0):
            return None
        return int(number[1]) - 1

    return row_at(rows.find(_ROW_OPEN, 0, end)), row_at(rows.rfind(_ROW_OPEN, 0, end))


def _plain_sheet(zf: zipfile.ZipFile, part: str) -> bool:
    """Whether the sheet's XML is written the plain way :func:`_sheet_windows` cuts: ``<sheetData>`` then ``<row r=``.

    A sheet written with a namespace prefix (``<x:row>``) is read whole.
    """
    with zf.open(part) as sheet:
        chunk = sheet.read(2**20)
    found = _SHEET_DATA.search(chunk)
    return found is not None and _ROW_START.search(chunk, found.end()) is not None


def _window_package(template: bytes, part: str, head: bytes, rows, into: str | None = None) -> bytes | str:
    """The template package with the sheet's part holding ``rows`` (stored, not compressed).

    Its bytes, or, with ``into`` (a file's path), ``into`` once the package is written there.
    """
    if into is not None:
        with open(into, "wb") as file:
            file.write(template)
        with zipfile.ZipFile(into, "a") as package, package.open(part, "w", force_zip64=True) as sheet:
            sheet.write(head)
            sheet.write(rows)
            sheet.write(b"</sheetData></worksheet>")
        return into
    out = io.BytesIO(template)
    out.seek(0, io.SEEK_END)
    with zipfile.ZipFile(out, "a") as package, package.open(part, "w") as sheet:
        sheet.write(head)
        sheet.write(rows)
        sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _window_rows(windows: _Windows, title: str) -> tuple[int, int, Iterator[Sequence[Any]]]:
    """The sheet's rows read a window at a time: the first row's 0-based Excel row, the first window's width, the rows.

    The rows are those of the whole sheet read at once: from the first row with a cell, every
    row after it (empty rows between two windows given as ``()``), each from column A.
    Past :data:`EMPTY_ROWS_STOP` empty rows nothing more is read (:func:`_table_of` stops there).
    """
    packages = _sheet_windows(windows)
    sheets = (_window_sheet(package, title) for package in packages)
    first = next((sheet for sheet in sheets if sheet.start is not None), None)
    if first is None:
        return 0, 0, iter(())
    first_row, width = first.start[0], first.start[1] + first.width

    def rows(sheet) -> Iterator[Sequence[Any]]:
        at = first_row  # the next row expected
        while sheet is not None:
            (start_row, start_col), iterator = sheet.start, islice(sheet.iter_rows(), sheet.start[0], None)
            del sheet  # the window's cells go with its rows
            gap = start_row - at
            yield from repeat((), min(gap, EMPTY_ROWS_STOP + 1))
            if gap > EMPTY_ROWS_STOP:
                return
            at = start_row
            pad = [None] * start_col
            for row in iterator:
                yield pad + row if pad else row
                at += 1
            del iterator
            sheet = next((s for s in sheets if s.start is not None), None)

    return first_row, width, rows(first)


def _fast_windows(windows: _Windows, title: str, limits: Limits, progress) -> Table | None:
    """The large sheet read by fastexcel a window at a time (:func:`etl.fast_sheet.sheet_columns`), or None.

    The same table as the windows read by calamine (:func:`_window_rows`, :func:`_table_of`),
    cell for cell: each window's cells as Arrow columns, then objects, only its rows holding
    a value kept. None (calamine reads) when :mod:`etl.fast_sheet` is unsure of a window's
    cells, or when a run of :data:`EMPTY_ROWS_STOP` empty rows is met (before the first
    value, between two values or at a window's end), where the stop and the columns calamine
    would give depend on how far it read.

    Raises:
        FileRefused: ``too-many-rows``, as :func:`_table_of`.
    """
    with tempfile.TemporaryDirectory(prefix="eutf-read-") as folder:
        return _fast_windows_at(os.path.join(folder, "window.xlsx"), windows, title, limits, progress)


def _fast_windows_at(path: str, windows: _Windows, title: str, limits: Limits, progress) -> Table | None:
    """:func:`_fast_windows`, each window written to ``path`` for fastexcel to read."""
    from etl import fast_sheet

    empty = KINDS[type(None)]
    blocks: list[list[np.ndarray]] = []
    kind_blocks: list[list[np.ndarray]] = []
    kept: list[np.ndarray] = []  # the 0-based Excel rows kept, window by window
    done = 0  # rows kept so far
    last = -1  # the 0-based Excel row of the last row with a value
    # fastexcel reads each window from a file: neither the window's bytes nor fastexcel's copy of them in memory
    for number, window in enumerate(_sheet_windows(windows, into=path)):
        memory.release()
        span = None if number == 0 else (window.first, window.last)
        if span is not None and (None in span or span[0] <= last):
            return None
        try:
            with zipfile.ZipFile(path) as zf:
                facts = _scan_sheet_xml(zf, windows.part)
                if facts.other_typed_cells:
                    return None
                sheet = fast_sheet.sheet_columns(path, zf, windows.part, title, _KIND_CODES, span=span)
        except Exception:  # fast_sheet.Unsure, fastexcel's surprises: calamine reads
            return None
        if not _fast_read_agrees(sheet, facts):
            return None
        memory.release()
        height = len(sheet.columns[0]) if sheet.columns else 0
        filled = np.zeros(height, dtype=bool)
        for codes in sheet.kinds:
            filled |= codes != empty
        at = np.flatnonzero(filled)
        rows = at + sheet.first
        if (np.diff(rows, prepend=last) - 1 >= EMPTY_ROWS_STOP).any() or (
            sheet.first + height - 1 - (int(rows[-1]) if len(rows) else last) >= EMPTY_ROWS_STOP
        ):
            return None
        every_row = len(at) == height
        for j in range(max(len(sheet.columns), len(blocks))):
            if j == len(blocks):  # a column no window before had: blank in the rows kept so far
                blocks.append([np.full(done, None, dtype=object)])
                kind_blocks.append([np.full(done, empty, dtype=np.int8)])
            if j < len(sheet.columns):
                column, codes = sheet.columns[j], sheet.kinds[j]
                sheet.columns[j] = sheet.kinds[j] = None
                blocks[j].append(column if every_row else column[at])
                kind_blocks[j].append(codes if every_row else codes[at])
                del column, codes
            else:
                blocks[j].append(np.full(len(at), None, dtype=object))
                kind_blocks[j].append(np.full(len(at), empty, dtype=np.int8))
        del sheet
        kept.append(rows)
        before, done = done, done + len(rows)
        if done > limits.max_rows:
            raise FileRefused(_too_many_rows(title, limits))
        if progress:
            for count in range((before // 10_000 + 1) * 10_000, done + 1, 10_000):
                progress(count)
        if len(rows):
            last = int(rows[-1])
        memory.release()
    if not done:
        return None
    columns, kinds = [], []
    for j in range(len(blocks)):
        columns.append(np.concatenate(blocks[j]))
        kinds.append(np.concatenate(kind_blocks[j]))
        blocks[j] = kind_blocks[j] = None
    return Table(np.concatenate(kept).astype(np.int64) + 1, columns, kinds, blanks_are_none=True)


def _window_sheet(package: bytes, title: str):
    """Calamine's copy of the cells of one window (its workbook closed)."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(package))
    del package
    sheet = book.get_sheet_by_name(title)
    book.close()
    memory.release()
    return sheet


def _table_of(
    held: list[Iterator[Sequence[Any]]],
    title: str,
    limits: Limits,
    progress,
    *,
    first_row: int = 0,
    first_col: int = 0,
    width: int = 0,
    block: int | None = None,
) -> Table:
    """The one place where a sheet's rows of raw cell values become a :class:`Table`.

    Blank and whitespace-only texts are None; rows with no value are left out; reading
    stops after :data:`EMPTY_ROWS_STOP` consecutive empty rows (counted from the first
    row); more than ``limits.max_rows`` rows are refused (never silently cut);
    ``progress`` is called with 10 000, 20 000, ... as rows are read. Each cell's
    :data:`KINDS` code is taken once here.

    Args:
        held: a one-item list holding an iterator over the sheet's rows, one sequence of
            cell values (str, int, float, datetime, date, bool or None) per row from
            ``first_row``; the list is emptied, so that the rows' source (calamine's copy
            of the sheet) is released once read.
        title: the sheet's name, for the refusal.
        limits: ``max_rows`` is read.
        progress: called with the number of rows read so far, or None.
        first_row: 0-based Excel row of the first row given.
        first_col: 0-based column of each row's first cell.
        width: the number of cells of the longest row, when known (rows may be longer).
        block: rows converted at a time (default :data:`READ_BLOCK`).

    Returns:
        The table, with ``blanks_are_none`` True.

    Raises:
        FileRefused: with ``too-many-rows`` when the sheet has more than ``limits.max_rows`` rows.

    Memory: rows are taken :data:`READ_BLOCK` at a time into columns, never as one list of
    rows; equal texts of a column share one ``str`` object (calamine gives each cell its
    own), except in columns whose first block is mostly distinct texts (references, titles).
    """
    rows = held.pop()
    size = block or READ_BLOCK
    blocks: list[list[np.ndarray]] = [[] for _ in range(width)]
    kind_blocks: list[list[np.ndarray]] = [[] for _ in range(width)]
    shared: list[dict[str, str] | None] = [{} for _ in range(width)]
    cells = np.full((size, width), None, dtype=object)
    kept: list[np.ndarray] = []  # the positions of the rows read (0-based from first_row), block by block
    read = count = 0  # rows taken from the source; rows in the current block
    last = -1  # position of the last row read with a value
    stopped = False
    wide = width
    for row in rows:
        n = len(row)
        if n > wide:  # a row longer than any before (openpyxl gives rows of their own length)
            cells = _widen(cells, n, read, blocks, kind_blocks, shared)
            wide = n
        cells[count, :n] = row
        count += 1
        if count == size:
            filled = _take_block(cells, count, blocks, kind_blocks, shared)
            last, stopped = _keep_filled(filled, read, last, kept, title, limits, progress)
            read += count
            count = 0
            if stopped:
                break
    if count or not read:
        filled = _take_block(cells, count, blocks, kind_blocks, shared)
        _keep_filled(filled, read, last, kept, title, limits, progress)
        read += count
    del cells, rows  # the source's copy of the sheet
    memory.release()
    positions = np.concatenate(kept) if kept else np.zeros(0, dtype=np.int64)
    every_row = len(positions) == read  # no empty row to leave out: no second copy of the columns
    columns, kinds = [], []
    for j in range(len(blocks)):
        column, kind = np.concatenate(blocks[j]), np.concatenate(kind_blocks[j])
        blocks[j] = kind_blocks[j] = None
        columns.append(column if every_row else column[positions])
        kinds.append(kind if every_row else kind[positions])
        del column, kind
    pad = [np.full(len(positions), None, dtype=object) for _ in range(first_col)]
    pad_kinds = [np.full(len(positions), KINDS[type(None)], dtype=np.int8) for _ in range(first_col)]
    return Table(positions.astype(np.int64) + first_row + 1, pad + columns, pad_kinds + kinds, blanks_are_none=True)


def _widen(
    cells: np.ndarray,
    width: int,
    done: int,
    blocks: list[list[np.ndarray]],
    kind_blocks: list[list[np.ndarray]],
    shared: list[dict[str, str] | None],
) -> np.ndarray:
    """A wider block with the rows of ``cells``; the columns added are blank in the ``done`` rows already taken."""
    wider = np.full((cells.shape[0], width), None, dtype=object)
    wider[:, : cells.shape[1]] = cells
    for _ in range(cells.shape[1], width):
        blocks.append([np.full(done, None, dtype=object)] if done else [])
        kind_blocks.append([np.full(done, KINDS[type(None)], dtype=np.int8)] if done else [])
        shared.append({})
    return wider


def _keep_filled(
    filled: np.ndarray, start: int, last: int, kept: list[np.ndarray], title: str, limits: Limits, progress
) -> tuple[int, bool]:
    """Keep the positions of the rows of a block that hold a value, up to the empty-row stop.

    ``filled`` says which rows of the block (its first at position ``start``) hold a value;
    ``last`` is the position of the last such row before it (-1: none). Appends the
    positions kept to ``kept``, calls ``progress``, refuses a sheet over ``limits.max_rows``.

    Returns:
        The position of the last row kept, and whether reading stops here.
    """
    before = sum(map(len, kept))
    positions = np.flatnonzero(filled) + start
    gaps = np.diff(positions, prepend=last) - 1  # empty rows before each row with a value
    stop = np.flatnonzero(gaps >= EMPTY_ROWS_STOP)
    if len(stop):
        positions = positions[: stop[0]]
    through = int(positions[-1]) if len(positions) else last
    # a gap inside the block, or a run of empty rows to its end as long as the stop: nothing more is kept
    stopped = bool(len(stop)) or start + len(filled) - 1 - through >= EMPTY_ROWS_STOP
    kept.append(positions)
    after = before + len(positions)
    if after > limits.max_rows:
        raise FileRefused(_too_many_rows(title, limits))
    if progress:
        for done in range((before // 10_000 + 1) * 10_000, after + 1, 10_000):
            progress(done)
    return through, stopped


#: A column whose first block has more distinct texts than this share keeps calamine's ``str`` objects as they are.
_SHARE_AT_MOST = 0.5


def _take_block(
    block: np.ndarray,
    count: int,
    blocks: list[list[np.ndarray]],
    kind_blocks: list[list[np.ndarray]],
    shared: list[dict[str, str] | None],
) -> np.ndarray:
    """Move the first ``count`` rows of ``block`` into the column blocks; which rows hold a value (bool array).

    Blank and whitespace-only texts become None; equal texts of a column become one object
    (``shared[j]``: text -> the object kept, None once the column is found mostly distinct).
    """
    filled = np.zeros(count, dtype=bool)
    for j in range(block.shape[1]):
        column = block[:count, j].copy()
        kind = kinds_of(column)
        at = np.flatnonzero(kind == KINDS[str])
        texts = column[at]
        is_blank = (texts == "") | np.fromiter(map(str.isspace, texts), dtype=bool, count=len(texts))
        column[at[is_blank]] = None
        kind[at[is_blank]] = KINDS[type(None)]
        known = shared[j]
        if known is not None and len(at):
            texts = texts[~is_blank]
            column[at[~is_blank]] = np.fromiter(map(known.setdefault, texts, texts), dtype=object, count=len(texts))
            if not blocks[j] and len(known) > _SHARE_AT_MOST * len(texts):
                shared[j] = None  # references, titles: sharing would only add a dictionary
        filled |= kind != KINDS[type(None)]
        blocks[j].append(column)
        kind_blocks[j].append(kind)
    block[:count] = None  # the cells now live in the columns only
    return filled


class _Book:
    """python-calamine's workbook, opened on first use: the fast read (:func:`_fast_table`) never needs it.

    Opening it parses the shared strings (0.1 s for 100 000 rows); :meth:`get` refuses the
    file (``file-corrupt``) when python-calamine cannot open it.
    """

    def __init__(self, data: bytes):
        self.data = data
        self.book: CalamineWorkbook | None = None

    def get(self) -> CalamineWorkbook:
        """The workbook, opened now if it was not yet.

        Raises:
            FileRefused: ``file-corrupt``, with python-calamine's error.
        """
        if self.book is None:
            try:
                self.book = CalamineWorkbook.from_filelike(io.BytesIO(self.data))
            except Exception as exc:  # calamine raises its own error types for damaged packages
                raise FileRefused(
                    Finding.of("file-corrupt", N_("The workbook cannot be opened ({error})."), {"error": str(exc)})
                ) from exc
        return self.book

    def close(self) -> None:
        """Release the workbook, if it was opened."""
        if self.book is not None:
            self.book.close()


def _read_xlsx(data: bytes, limits: Limits, header_matcher, progress, reader: str = "auto") -> ReadResult:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise FileRefused(
            Finding.of(
                "file-corrupt",
                N_("The file looks like a workbook but cannot be opened ({error})."),
                {"error": str(exc)},
            )
        ) from exc
    with zf:
        scanned = _check_package(zf, data, limits)
        recalc_pending = _full_calc_on_load(zf)
        sheets, epoch = _workbook_sheets(zf)
        book = _Book(data)
        try:
            entry, other_sheets = _pick_sheet(sheets, book, header_matcher)
        except FileRefused:
            book.get()  # a workbook python-calamine cannot open is refused as such first, as always
            raise
        facts = scanned[entry.part] if entry.part in scanned else _scan_sheet_xml(zf, entry.part)
        large = zf.getinfo(entry.part).file_size > WINDOW_BYTES and _plain_sheet(zf, entry.part)
        fast = None
        if (
            reader in ("auto", "fastexcel")
            and not facts.has_formulas
            and zf.getinfo(entry.part).file_size <= WINDOW_BYTES
        ):
            fast = _fast_table(data, zf, entry, facts, limits, progress)
    merged, hidden_rows, autofilter = facts.merged, facts.hidden_rows, facts.autofilter
    title, state = entry.name, entry.state
    hidden_sheets = [s.name for s in sheets if s.state != "visible"]
    # The bulk read: fastexcel's Arrow columns (above) or calamine (Rust) when no cell holds a
    # formula; openpyxl, cell by cell, when formulas need their cached results checked.
    formulas: dict[tuple[int, int], str] = {}
    if fast is not None:
        book.close()
        table = fast
    elif reader in ("calamine", "fastexcel") or (reader == "auto" and not facts.has_formulas):
        table = _calamine_table(
            book.get(),
            title,
            limits,
            progress,
            _Windows(data, entry.part) if large else None,
            fast=reader in ("auto", "fastexcel") and not facts.has_formulas,
        )
    else:
        book.get()  # refuses a workbook python-calamine cannot open, as for every workbook read otherwise
        book.close()
        table, formulas = _openpyxl_table(data, title, limits, progress, recalc_pending)
    if merged:
        table = Table.from_rows(_fill_merged(table.rows(), merged))
    grid = Grid(
        sheet=title,
        table=table,
        formulas=formulas,
        merged=merged,
        hidden_rows=hidden_rows,
        autofilter=autofilter,
        epoch=epoch,
        hidden_sheets=[s for s in hidden_sheets if s != title],
    )
    findings = [_other_template_sheets(entry, other_sheets)] if other_sheets else []
    if state != "visible":
        findings.append(
            Finding.of(
                "hidden-sheet",
                N_("The sheet '{sheet}' that was read is hidden in Excel."),
                {"sheet": title},
                sheet=title,
            )
        )
    template_like = {s.name for s in other_sheets}
    for name in grid.hidden_sheets:
        if name in template_like:  # it could hold the figures meant to be published
            findings.append(
                Finding.of(
                    "hidden-sheet",
                    N_("The workbook has a hidden sheet '{sheet}'; it was not read."),
                    {"sheet": name},
                    sheet=name,
                )
            )
        else:  # lists behind drop-downs, lookups: nothing that changes a figure
            findings.append(
                Finding.of(
                    "hidden-sheet",
                    N_(
                        "The workbook has a hidden sheet '{sheet}' without the template's columns (lists, lookups); "
                        "it was not read."
                    ),
                    {"sheet": name},
                    sheet=name,
                    level="info",
                )
            )
    return ReadResult(grid, findings)


#: The :data:`KINDS` codes by the names :mod:`etl.fast_sheet` uses.
_KIND_CODES = {
    "none": KINDS[type(None)],
    "str": KINDS[str],
    "int": KINDS[int],
    "float": KINDS[float],
    "date": KINDS[date],
    "bool": 0,
}


def _fast_table(
    data: bytes, zf: zipfile.ZipFile, entry: SheetEntry, facts: SheetFacts, limits: Limits, progress
) -> Table | None:
    """The sheet read by fastexcel (:func:`etl.fast_sheet.sheet_columns`), or None when python-calamine must read it.

    The same table as :func:`_calamine_table` gives, cell for cell: empty rows left out, the
    stop after :data:`EMPTY_ROWS_STOP` empty rows, the row limit and ``progress`` as in
    :func:`_table_of`. None whenever :mod:`etl.fast_sheet` is unsure of a cell, or when the
    sheet's first value lies :data:`EMPTY_ROWS_STOP` rows or more below row 1 (where
    python-calamine's first row, perhaps a blank cell, starts the count of empty rows). Also None
    when the sheet's XML (``facts``, from the scan) holds error, ISO-date or formula-text cells, or
    more or fewer text or boolean cells than fastexcel gave as such: fastexcel reads the texts that
    pandas takes for missing values (``n/a``, ``NA``, ``null``, ``#N/A``, an empty text...) in a
    column of numbers as empty cells, and ``nan`` as a number, where python-calamine gives the
    text, which the findings must quote.

    Raises:
        FileRefused: ``too-many-rows``, as :func:`_table_of`.
    """
    from etl import fast_sheet

    if facts.other_typed_cells:
        return None
    try:
        sheet = fast_sheet.sheet_columns(data, zf, entry.part, entry.name, _KIND_CODES)
    except fast_sheet.Unsure:
        return None
    except Exception:  # any surprise of the fast read (an odd encoding...): python-calamine reads
        return None
    if not _fast_read_agrees(sheet, facts):
        return None
    empty = KINDS[type(None)]
    filled = np.zeros(len(sheet.columns[0]) if sheet.columns else 0, dtype=bool)
    for kinds in sheet.kinds:
        filled |= kinds != empty
    if not filled.any() or (first := int(np.argmax(filled))) >= EMPTY_ROWS_STOP:
        return None
    kept: list[np.ndarray] = []
    _keep_filled(filled[first:], 0, -1, kept, entry.name, limits, progress)
    positions = kept[0] + first
    if len(positions) == len(filled):
        columns, kinds = sheet.columns, sheet.kinds
    else:
        columns = [column[positions] for column in sheet.columns]
        kinds = [codes[positions] for codes in sheet.kinds]
    return Table(positions.astype(np.int64) + 1, columns, kinds, blanks_are_none=True)


def _fast_read_agrees(sheet, facts: SheetFacts) -> bool:
    """Whether fastexcel gave as many texts and booleans as the sheet's XML types (``facts``).

    Fewer texts means one was read as something else: fastexcel reads the texts that pandas takes
    for missing values (``n/a``, ``NA``, ``null``, ``#N/A``...) in a column of numbers as empty
    cells, and ``nan`` as a number, where python-calamine gives the text that a finding quotes.
    """
    return (sheet.texts, sheet.bools) == (facts.text_cells - facts.empty_inline_texts, facts.bool_cells)


def _cached_values(data: bytes, title: str, cells: set[tuple[int, int]]) -> dict[tuple[int, int], Any]:
    """Cached results of formula cells, read in a second pass with ``data_only=True``."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    try:
        ws = wb[title]
        ws.reset_dimensions()
        last = max(r for r, _ in cells)
        wanted_rows = {r for r, _ in cells}
        out = {}
        for excel_row, values in enumerate(ws.iter_rows(max_row=last, values_only=True), start=1):
            if excel_row in wanted_rows:
                for r, c in cells:
                    if r == excel_row and c <= len(values):
                        out[(r, c)] = values[c - 1]
        return out
    finally:
        wb.close()


def _fill_merged(rows: list[tuple[int, tuple[Any, ...]]], merged: list[str]) -> list[tuple[int, tuple[Any, ...]]]:
    """Give every cell of a merged range its anchor's value (the finding is made later)."""
    from openpyxl.utils.cell import range_boundaries

    if not merged:
        return rows
    by_row = {r: list(values) for r, values in rows}
    for ref in merged:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        anchor_values = by_row.get(min_row, [])
        anchor = anchor_values[min_col - 1] if min_col - 1 < len(anchor_values) else None
        for r in range(min_row, max_row + 1):
            row = by_row.setdefault(r, [])
            if len(row) < max_col:
                row.extend([None] * (max_col - len(row)))
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col):
                    row[c - 1] = anchor
    return [(r, tuple(by_row[r])) for r in sorted(by_row)]


# --- csv --------------------------------------------------------------------------------


def _read_csv(data: bytes, filename: str, limits: Limits) -> Grid:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            Finding.of(
                "csv-encoding",
                N_(
                    "The text file is not UTF-8 (byte {byte} cannot be read); it was probably saved as 'CSV "
                    "(separator: semicolon)' in a Windows encoding."
                ),
                {"byte": exc.start},
            )
        ) from exc
    sample = text[:65536]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    for excel_row, record in enumerate(reader, start=1):
        values = [(restore(v) if v.startswith("'") else v) if v.strip() else None for v in record]
        while values and values[-1] is None:
            values.pop()
        if values:
            rows.append((excel_row, tuple(values)))
        if len(rows) > limits.max_rows:
            raise FileRefused(
                Finding.of(
                    "too-many-rows",
                    N_("The file has more than {max_rows} rows; it was not read."),
                    {"max_rows": limits.max_rows},
                )
            )
    return Grid(sheet=None, table=Table.from_rows(rows), kind="csv")


def cell_ref(row: int, column: int) -> str:
    """A1 reference of a 1-based (row, column): ``cell_ref(7, 8) == "H7"``."""
    from openpyxl.utils.cell import get_column_letter

    return f"{get_column_letter(column)}{row}"
