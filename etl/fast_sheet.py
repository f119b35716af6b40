"""The fast read of a plain sheet: Arrow columns from fastexcel, the text rows above them from the sheet's XML.

python-calamine gives each cell as a Python object, row by row, and :func:`etl.read._table_of`
then sorts them into columns: about 1.35 s of CPU for 100 000 rows of 16 columns (sheet
parsed, rows made, columns taken). fastexcel (the same calamine parser, newer) gives the
sheet as typed Arrow columns, from which the same object columns are built by array
operations: about 0.8 s (0.75 of them fastexcel's own).

The result must be exactly python-calamine's, cell for cell (value, Python type, Excel row),
so this read gives up (returns None, and the caller reads with python-calamine) whenever it
cannot be sure of that:

* fastexcel types each column from all its rows, strictly: a column holding two kinds of
  values (a text among numbers) is refused by fastexcel itself;
* the header row (and any title rows above it) makes every column mixed, so those rows are
  read from the sheet's XML here (:func:`head_cells`): only rows of plain texts (shared or
  inline strings without escapes or rich runs) are taken, up to the first row holding
  anything else; in every other form fastexcel reads all rows, which passes its strict
  typing only when each column holds one type (a sheet of texts only);
* date cells are taken only when every one of the column is a whole day after 1 March 1900
  (python-calamine gives :class:`datetime.date` for those); a time of day, a duration or
  anything before gives up.

Bounds: only the first :data:`HEAD_BYTES` of the sheet's XML and :data:`SHARED_BYTES` of the
shared strings are read here; the caller uses this read only below ``etl.read.WINDOW_BYTES``, or
on one window of rows of a larger sheet at a time (a package holding only those rows, ``span``).
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from domain import memory

#: fastexcel logs a warning for every column without a value (typed as text): not news here.
logging.getLogger("fastexcel.types.dtype").setLevel(logging.ERROR)

#: The first bytes of the sheet's XML searched for the text rows above the first value.
HEAD_BYTES = 2**20
#: Rows at most above the first row holding a value (title, header): more gives up.
HEAD_ROWS = 64
#: The first bytes of the shared strings searched for the texts of those rows.
SHARED_BYTES = 4 * 2**20
#: From this many rows (a large sheet's window), each Arrow column's memory is given back once its objects are made.
RELEASE_ROWS = 150_000
#: Dates before this are not taken (python-calamine gives times and 1900 leap-day oddities there).
FIRST_DATE = date(1900, 3, 1)

_SHEET_DATA = re.compile(rb"<sheetData\s*>")
_ROW = re.compile(rb"<row\b([^>]*?)(/>|>(.*?)</row>)", re.DOTALL)
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_CELL_TYPE = re.compile(rb'\bt="(\w+)"')
_SHARED_INDEX = re.compile(rb"<v>(\d+)</v>")
_INLINE_TEXT = re.compile(rb'<is><t(?: xml:space="preserve")?>([^<]*)</t></is>')
_SHARED_ITEM = re.compile(rb"<si\b[^>]*?(?:/>|>(.*?)</si>)", re.DOTALL)
_PLAIN_TEXT = re.compile(rb'<t(?: xml:space="preserve")?>([^<]*)</t>')
_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));")
_PER_DAY = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


class Unsure(Exception):
    """Raised inside this module when python-calamine's cells cannot be reproduced for sure."""


@dataclass
class SheetColumns:
    """A sheet's cells as object columns, before empty rows are left out.

    Attributes:
        columns: one ``object`` array per sheet column from A, one cell per Excel row from row 1
            (position ``i`` is Excel row ``i + 1``): str, int, float, date, bool, None when
            blank (empty or whitespace-only texts included).
        kinds: the ``etl.read.KINDS`` code of each cell (``int8`` arrays).
        first: the 0-based Excel row of position 0 (a window of a large sheet: its first row).
        texts: how many cells were read as texts, blank ones included (the header and title
            rows from the XML, the body's from fastexcel's text columns): the caller compares it
            with the text cells the sheet's XML declares.
        bools: how many cells were read as booleans (the same comparison).
    """

    columns: list[np.ndarray]
    kinds: list[np.ndarray]
    first: int = 0
    texts: int = 0
    bools: int = 0


def _text(raw: bytes) -> str:
    """The text of a ``<t>`` element as calamine gives it (entities replaced); :class:`Unsure` for escapes."""
    text = raw.decode("utf-8")
    if "_x" in text or "\r" in text:  # Excel's _xHHHH_ escapes and line ends: left to python-calamine
        raise Unsure("escaped text")
    if text != text.strip() and not text.isspace():
        raise Unsure("text with spaces at an end")
    if "&" in text:
        if text.count("&") != len(_ENTITY.findall(text)):
            raise Unsure("unknown entity")
        text = _ENTITY.sub(
            lambda m: _NAMED[m[1]] if m[1] else chr(int(m[2]) if m[2] else int(m[3], 16)),
            text,
        )
    return text


def _column_index(letters: bytes) -> int:
    """0-based column of ``A``..``XFD``."""
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def head_cells(xml: bytes) -> tuple[int, list[tuple[int, int, int | str]]]:
    """The text cells of the rows above the sheet's first row holding anything but texts.

    Args:
        xml: the first bytes of the sheet's XML (:data:`HEAD_BYTES`).

    Returns:
        The number of Excel rows above that first row (fastexcel's ``skip_rows``), and one
        ``(row, column, text)`` per cell with a value above it (0-based row and column),
        ``text`` being the shared string's index (int) or the inline text (str).

    Raises:
        Unsure: the XML is not written the plain way (namespace prefixes, rows without
            numbers, formulas, escapes), the first such row is not within :data:`HEAD_ROWS`
            rows or the first :data:`HEAD_BYTES`.
    """
    found = _SHEET_DATA.search(xml)
    if found is None:
        raise Unsure("no plain <sheetData>")
    cells: list[tuple[int, int, int | str]] = []
    previous = -1
    for row in _ROW.finditer(xml, found.end()):
        number = _ROW_NUMBER.search(row[1])
        if number is None:
            raise Unsure("a row without its number")
        at = int(number[1]) - 1
        if at <= previous or at >= HEAD_ROWS:
            raise Unsure("rows out of order or too many above the values")
        previous = at
        body = row[3] or b""
        if b"<f" in body:
            raise Unsure("a formula")
        texts: list[tuple[int, int, bytes, bytes]] = []
        for cell in _CELL.finditer(body):
            attributes, content = cell[1], cell[2]
            if not content or (b"<v" not in content and b"<is" not in content):
                continue  # a formatted cell without a value: calamine leaves it out too
            ref = _CELL_REF.search(attributes)
            if ref is None or int(ref[2]) != at + 1:
                raise Unsure("a cell without its reference")
            kind = _CELL_TYPE.search(attributes)
            kind = kind[1] if kind else b"n"
            if kind in (b"n", b"b", b"e"):  # a number (or date), a boolean, an error: the first row of values
                return at, cells
            texts.append((_column_index(ref[1]), kind, content))
        for j, kind, content in texts:
            if kind == b"s" and (index := _SHARED_INDEX.fullmatch(content)):
                cells.append((at, j, int(index[1])))
            elif kind == b"inlineStr" and (inline := _INLINE_TEXT.fullmatch(content)):
                cells.append((at, j, _text(inline[1])))
            else:  # a rich text, a formula's text, an ISO date cell: left to python-calamine
                raise Unsure("an unusual cell")
    raise Unsure("no row of values within the first bytes")


def shared_texts(zf: zipfile.ZipFile, wanted: set[int]) -> dict[int, str]:
    """The shared strings of the indexes ``wanted``, read from the start of ``xl/sharedStrings.xml``.

    Raises:
        Unsure: the part is not there or not plain, an item wanted is rich text or escaped, or
            lies past the first :data:`SHARED_BYTES`.
    """
    if not wanted:
        return {}
    try:
        with zf.open("xl/sharedStrings.xml") as part:
            xml = part.read(SHARED_BYTES)
    except KeyError as exc:
        raise Unsure("no xl/sharedStrings.xml") from exc
    last = max(wanted)
    out: dict[int, str] = {}
    for index, item in enumerate(_SHARED_ITEM.finditer(xml)):
        if index in wanted:
            plain = _PLAIN_TEXT.fullmatch(item[1] or b"")
            if plain is None:
                raise Unsure("a rich shared string")
            out[index] = _text(plain[1])
        if index == last:
            return out
    raise Unsure("a shared string past the bytes read")


def _blank_texts(values: pa.Array) -> np.ndarray:
    """Which texts are empty or whitespace-only by Python's ``str.isspace`` (bool array; nulls False)."""
    maybe = pc.invert(pc.fill_null(pc.match_substring_regex(values, "[0-9A-Za-z]"), True))
    blank = np.zeros(len(values), dtype=bool)
    at = np.flatnonzero(maybe.to_numpy(zero_copy_only=False))
    if len(at):
        texts = values.take(pa.array(at)).to_pylist()
        blank[at] = [text is not None and (text == "" or text.isspace()) for text in texts]
    return blank


#: A text column with more distinct texts than this share of its first :data:`_SAMPLE` texts keeps one ``str`` per cell.
SHARE_AT_MOST = 0.5
_SAMPLE = 4096


def _objects(values: pa.Array, kinds_of_type: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """One Arrow column as python-calamine's objects and their kinds; :class:`Unsure` for other types."""
    n = len(values)
    null = values.is_null().to_numpy(zero_copy_only=False) if values.null_count else np.zeros(n, dtype=bool)
    kind = pa.types
    if kind.is_null(values.type):
        return np.full(n, None, dtype=object), np.full(n, kinds_of_type["none"], dtype=np.int8)
    if kind.is_string(values.type) or kind.is_large_string(values.type):
        if values.null_count == n:
            return np.full(n, None, dtype=object), np.full(n, kinds_of_type["none"], dtype=np.int8)
        sample = values.slice(0, _SAMPLE).drop_null()
        if len(pc.unique(sample)) > SHARE_AT_MOST * len(sample):  # references, titles: one str per cell
            column = values.to_numpy(zero_copy_only=False)
            empty = null | _blank_texts(values)
        else:  # equal texts share one object; the blank ones are found among the distinct texts
            encoded = pc.dictionary_encode(values)
            distinct = encoded.dictionary.to_numpy(zero_copy_only=False)
            blank = np.fromiter((not text or text.isspace() for text in distinct), dtype=bool, count=len(distinct))
            indices = encoded.indices.fill_null(0).to_numpy(zero_copy_only=False)
            column = distinct[indices]
            empty = null | blank[indices]
        code = "str"
    elif kind.is_floating(values.type) or kind.is_integer(values.type):
        column = values.fill_null(0).to_numpy(zero_copy_only=False).astype(object)
        empty = null
        code = "float" if kind.is_floating(values.type) else "int"
        if code == "int" and values.type != pa.int64():
            raise Unsure("an integer type calamine does not give")
    elif kind.is_boolean(values.type):
        column = values.fill_null(False).to_numpy(zero_copy_only=False).astype(object)
        empty = null
        code = "bool"
    elif kind.is_timestamp(values.type) or kind.is_date(values.type):
        if kind.is_timestamp(values.type):
            per_day = _PER_DAY[values.type.unit]
            counts = values.cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
            if (counts % per_day).any():
                raise Unsure("a time of day")
            days = (counts // per_day).astype("datetime64[D]")
        else:
            days = values.fill_null(0).to_numpy(zero_copy_only=False).astype("datetime64[D]")
        if (~null).any() and days[~null].min() < np.datetime64(FIRST_DATE, "D"):
            raise Unsure("a date before March 1900")
        column = days.astype(object)  # datetime.date objects
        empty = null
        code = "date"
    else:
        raise Unsure(f"a column of {values.type}")
    column = column.astype(object, copy=False)
    codes = np.full(n, kinds_of_type[code], dtype=np.int8)
    if empty.any():
        column = column.copy() if column.base is not None else column
        column[empty] = None
        codes[empty] = kinds_of_type["none"]
    return column, codes


def _confirm_header(selected: list, row: dict[int, str]) -> None:
    """Check fastexcel's column names against the header row's texts read here (column -> text).

    A name looked up is the cell's text, or, for a text already the name of a column to its
    left, that text with ``_1``, ``_2``...; a generated name stands for an empty cell.

    Raises:
        Unsure: any other name, or a text of the row in no column of fastexcel's.
    """
    seen: set[str] = set()
    for column in selected:
        mine = row.get(column.absolute_index)
        if column.column_name_from == "looked_up":
            name = column.name
            duplicate = mine in seen and name.startswith(f"{mine}_") and name[len(mine) + 1 :].isdigit()
            if mine is None or (name != mine and not duplicate):
                raise Unsure("the header row read here is not fastexcel's")
            seen.add(name)
        elif mine:
            raise Unsure("a header text fastexcel did not find")
    if not set(row) <= {column.absolute_index for column in selected}:
        raise Unsure("a header text outside fastexcel's columns")


def sheet_columns(
    data: bytes,
    zf: zipfile.ZipFile,
    part: str,
    title: str,
    kinds_of_type: dict[str, int],
    read_excel: Callable[[bytes], object] | None = None,
    span: tuple[int, int] | None = None,
) -> SheetColumns:
    """The sheet's cells as python-calamine gives them, by column, read with fastexcel.

    Args:
        data: the package's bytes (checked before: sizes, DTDs).
        zf: the package, open.
        part: the sheet's part, e.g. ``xl/worksheets/sheet1.xml``.
        title: the sheet's name.
        kinds_of_type: the ``etl.read.KINDS`` code of ``none``, ``str``, ``int``, ``float``,
            ``date`` and ``bool`` cells.
        read_excel: fastexcel's ``read_excel`` (tests pass another).
        span: for a window of a large sheet after the first (``etl.read._sheet_windows``), the
            0-based Excel rows of its first and last rows, both holding a value: no header is
            looked for, every row is a row of values, and the columns start at the first
            (fastexcel reads from the first row holding a cell; more or fewer rows than the
            span gives up).

    Returns:
        The columns (:class:`SheetColumns`), one cell per Excel row from row 1 (or ``span``'s first) to the last.

    Raises:
        Unsure: anything python-calamine would give differently, or fastexcel's refusal of a
            mixed column or of a damaged sheet (then python-calamine reads and reports).
    """
    if read_excel is None:
        import fastexcel

        read_excel = fastexcel.read_excel
    window = span[0] if span is not None else None
    try:
        if window is not None:
            raise Unsure("a window of rows of values")
        with zf.open(part) as sheet:
            skip, head = head_cells(sheet.read(HEAD_BYTES))
        shared = shared_texts(zf, {text for _, _, text in head if isinstance(text, int)})
    except Unsure:
        # No plain text rows above a row of values (a sheet of texts only, rich texts in the header):
        # fastexcel reads every row, and its strict typing passes only when each column holds one type.
        skip, head, shared = window or 0, [], {}
    texts = [(at, j, shared[text] if isinstance(text, int) else text) for at, j, text in head]
    # The last text row above the values is fastexcel's header row, so that its column names
    # confirm the texts read here (the same part, the same shared strings, the same decoding).
    header = max((at for at, _, _ in texts), default=None)
    first = skip if header is None else header + 1  # the first row fastexcel gives (rows up to skip are empty)
    try:
        loaded = read_excel(data).load_sheet(
            title,
            header_row=header,
            skip_rows=None if header is not None or window is not None else skip,
            schema_sample_rows=None,
            dtype_coercion="strict",
        )
        batch = loaded.to_arrow()
        selected = loaded.selected_columns
        absolute = [column.absolute_index for column in selected]
    except Exception as exc:  # fastexcel's errors (mixed column, damaged part) all mean: read the other way
        raise Unsure(f"fastexcel: {type(exc).__name__}") from exc
    del loaded  # fastexcel's copy of the cells, before the object columns are made
    arrays, rows = list(batch.columns), batch.num_rows
    del batch
    memory.release()
    if header is not None:
        _confirm_header(selected, {j: text for at, j, text in texts if at == header})
    if span is not None and rows != span[1] - span[0] + 1:
        raise Unsure("a window's rows not where expected")
    origin = window or 0  # the Excel row of position 0
    first -= origin
    height = first + rows
    width = max([a + 1 for a in absolute] + [c + 1 for _, c, _ in texts])
    columns = [np.full(height, None, dtype=object) for _ in range(width)]
    kinds = [np.full(height, kinds_of_type["none"], dtype=np.int8) for _ in range(width)]
    bool_cells = sum(len(a) - a.null_count for a in arrays if pa.types.is_boolean(a.type))
    text_cells = len(texts) + sum(
        len(a) - a.null_count for a in arrays if pa.types.is_string(a.type) or pa.types.is_large_string(a.type)
    )
    for j in absolute:
        column, codes = _objects(arrays.pop(0), kinds_of_type)  # each Arrow column released once taken
        if rows >= RELEASE_ROWS:  # its buffers, kept by Arrow's memory pool otherwise, while the objects are made
            memory.release()
        if first:
            columns[j][first:] = column
            kinds[j][first:] = codes
        else:
            columns[j], kinds[j] = column, codes
    for at, j, value in texts:
        if value and not value.isspace():
            columns[j][at] = value
            kinds[j][at] = kinds_of_type["str"]
    return SheetColumns(columns, kinds, origin, text_cells, bool_cells)
