"""The fastexcel read (:mod:`etl.fast_sheet`) gives python-calamine's table, cell for cell, or steps aside.

Every handed workbook and generated sheets are read both ways (``reader="fastexcel"`` and
``reader="calamine"``): the same cells (values and exact Python types), kinds, Excel row
numbers and findings; through :func:`validation.pipeline.load_bytes` the same report and the
same clean tables with the fast read on and off.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

import etl.read
from domain.template import header_score
from etl import fast_sheet
from etl.read import read_upload
from tests.builders import BASE, HEADERS_FR, xlsx_bytes
from tests.conftest import CASES_DIR
from validation.pipeline import load_bytes

AMOUNT, DAY = HEADERS_FR.index("Montant UE (EUR)"), HEADERS_FR.index("Date d'approbation")
HANDED = sorted(
    [p for p in (CASES_DIR / "files").iterdir() if p.suffix == ".xlsx"]
    + [p for p in (CASES_DIR / "hostile" / "files").iterdir() if p.suffix == ".xlsx"]
)


@pytest.fixture
def fast_reads(monkeypatch):
    """The list of the fast read's outcomes (True: it read the sheet; False: it stepped aside)."""
    outcomes: list[bool] = []
    real = etl.read._fast_table

    def spy(*args, **kwargs):
        table = real(*args, **kwargs)
        outcomes.append(table is not None)
        return table

    monkeypatch.setattr(etl.read, "_fast_table", spy)
    return outcomes


def assert_same_tables(fast, slow):
    """The same grid facts and the same table: row numbers, width, each cell's value and exact type, kinds."""
    assert (fast.grid is None) == (slow.grid is None)
    assert fast.findings == slow.findings
    if fast.grid is None:
        return
    a, b = fast.grid.table, slow.grid.table
    assert a.row_numbers.dtype == b.row_numbers.dtype
    assert a.row_numbers.tolist() == b.row_numbers.tolist()
    assert len(a.columns) == len(b.columns)
    for j, (x, y) in enumerate(zip(a.columns, b.columns, strict=True)):
        assert x.dtype == y.dtype == object
        assert [(type(v), v) for v in x] == [(type(v), v) for v in y], f"column {j}"
        assert a.kinds[j].tolist() == b.kinds[j].tolist(), f"kinds of column {j}"
    assert a.blanks_are_none == b.blanks_are_none
    for name in ("sheet", "formulas", "merged", "hidden_rows", "autofilter", "epoch", "hidden_sheets", "kind"):
        assert getattr(fast.grid, name) == getattr(slow.grid, name), name


def both_ways(data: bytes, name: str = "t.xlsx"):
    fast = read_upload(data, name, header_matcher=header_score, reader="fastexcel")
    slow = read_upload(data, name, header_matcher=header_score, reader="calamine")
    return fast, slow


@pytest.mark.parametrize("path", HANDED, ids=lambda p: p.name)
def test_every_handed_workbook_reads_the_same_both_ways(path, fast_reads):
    fast, slow = both_ways(path.read_bytes(), path.name)
    assert_same_tables(fast, slow)


def test_the_fast_read_is_taken_for_most_handed_workbooks(fast_reads):
    """Not a read that always steps aside: the plain handed workbooks (openpyxl's inline strings) go the fast way."""
    for path in HANDED:
        read_upload(path.read_bytes(), path.name, header_matcher=header_score, reader="fastexcel")
    assert sum(fast_reads) >= 15, fast_reads


@pytest.mark.parametrize("path", HANDED, ids=lambda p: p.name)
def test_every_handed_workbook_gives_the_same_findings_and_tables_through_the_pipeline(path, monkeypatch):
    data = path.read_bytes()
    fast = load_bytes(data, path.name)
    monkeypatch.setattr(etl.read, "_fast_table", lambda *args, **kwargs: None)
    slow = load_bytes(data, path.name)
    assert fast.report.findings == slow.report.findings
    assert (fast.dataset is None) == (slow.dataset is None)
    if fast.table is not None or slow.table is not None:
        pd.testing.assert_frame_equal(fast.table, slow.table)
    if fast.dataset is not None:
        pd.testing.assert_frame_equal(fast.dataset.allocations, slow.dataset.allocations)


def _workbook(cells: dict[tuple[int, int], object], *, title: str = "Allocations", shared: bool = False) -> bytes:
    """A workbook whose sheet holds ``cells`` ((1-based row, column) -> value); shared strings with xlsxwriter."""
    if shared:
        import xlsxwriter

        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
        sheet = book.add_worksheet(title)
        day = book.add_format({"num_format": "dd/mm/yyyy"})
        for (r, c), value in cells.items():
            if isinstance(value, (date, datetime)):
                sheet.write_datetime(r - 1, c - 1, value, day)
            elif isinstance(value, str):
                sheet.write_string(r - 1, c - 1, value)
            else:
                sheet.write(r - 1, c - 1, value)
        book.close()
        return buffer.getvalue()
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for (r, c), value in cells.items():
        sheet.cell(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _mixed_sheet() -> dict[tuple[int, int], object]:
    """Title rows, a header from column B on row 4, blanks, spaces, entities, every homogeneous type, a gap."""
    cells: dict[tuple[int, int], object] = {(2, 2): "Allocations FFU & partenaires <2024>", (2, 4): "   "}
    headers = ["Référence", "Intitulé", "Montant UE (EUR)", "Date d'approbation", "Dialogue", "Vu", "Vide"]
    cells.update({(4, 2 + j): h for j, h in enumerate(headers)})
    for i in range(40):
        r = 5 + i + (1200 if i >= 30 else 0) + (3 if i >= 10 else 0)  # three empty rows, then past the stop
        cells[(r, 2)] = f"T05-EUTF-SAH-ML-{i:02d}"
        titles = ["  Titre avec espaces  ", "", " ", "\t", "Titre", "A&B <c> \"d\" 'e'", "Énergie — œuvre"]
        cells[(r, 3)] = titles[i % 7]
        cells[(r, 4)] = [1_500_000.0, 2.5, 10**15, -0.0, 7][i % 5]
        if i % 3:
            cells[(r, 5)] = [date(2016, 1, 14), datetime(2019, 3, 11), date(2024, 12, 31)][i % 3]
        if i % 4 == 0:
            cells[(r, 6)] = i  # a whole number, stored as a number
        cells[(r, 7)] = bool(i % 2)
    return cells


@pytest.mark.parametrize("shared_strings", [False, True], ids=["inline-strings", "shared-strings"])
def test_a_mixed_sheet_reads_the_same_both_ways_and_fast(shared_strings, fast_reads):
    fast, slow = both_ways(_workbook(_mixed_sheet(), shared=shared_strings))
    assert fast_reads == [True]
    assert_same_tables(fast, slow)
    table = fast.grid.table
    assert table.row_numbers[:3].tolist() == [2, 4, 5]
    assert table.row_numbers[-1] == 5 + 29 + 3  # the rows past 1 000 empty ones are not read


def test_a_mixed_sheet_through_the_pipeline_gives_the_same_report_and_table(monkeypatch):
    data = _workbook(_mixed_sheet())
    fast = load_bytes(data, "mixed.xlsx")
    monkeypatch.setattr(etl.read, "_fast_table", lambda *args, **kwargs: None)
    slow = load_bytes(data, "mixed.xlsx")
    assert fast.report.findings == slow.report.findings
    assert (fast.table is None) == (slow.table is None)
    if fast.table is not None:
        pd.testing.assert_frame_equal(fast.table, slow.table)


@pytest.mark.parametrize(
    "cells",
    [
        {(3, 2): 1.5, (4, 2): 2.0, (4, 3): True},  # no text row above, the first value on row 3
        {(1, 1): 1.0, (3, 1): 2.0},
        {(5, 3): 7.0, (9, 3): 8.0, (9, 1): "x"},
    ],
)
@pytest.mark.parametrize("shared_strings", [False, True], ids=["inline-strings", "shared-strings"])
def test_sheets_without_a_text_row_above_keep_their_row_numbers(cells, shared_strings, fast_reads):
    fast, slow = both_ways(_workbook(cells, shared=shared_strings))
    assert fast_reads == [True]
    assert_same_tables(fast, slow)
    assert fast.grid.table.row_numbers.tolist() == sorted({r for r, _ in cells})


@pytest.mark.parametrize("shared_strings", [False, True], ids=["inline-strings", "shared-strings"])
def test_a_sheet_of_texts_only_is_read_the_fast_way_whole(shared_strings, fast_reads):
    """No row of values below the header (amounts typed as text): fastexcel reads every row, header included."""
    rows = [[*row[:7], f"{row[7]:,.0f} €".replace(",", " "), "14/01/2016"] for row in BASE]
    cells = {(1, 1 + j): h for j, h in enumerate(HEADERS_FR[:9])}
    cells.update({(2 + i, 1 + j): v for i, row in enumerate(rows) for j, v in enumerate(row) if v is not None})
    cells[(len(rows) + 3, 2)] = "  x  "
    fast, slow = both_ways(_workbook(cells, shared=shared_strings))
    assert fast_reads == [True]
    assert_same_tables(fast, slow)


@pytest.mark.parametrize("shared_strings", [False, True], ids=["inline-strings", "shared-strings"])
def test_a_header_with_twice_the_same_name_and_blank_names_is_read_the_fast_way(shared_strings, fast_reads):
    headers = ["Pays", "Montant", "Pays", None, "Pays", "Pays_1", "   ", "Fin"]
    cells = {(2, 1 + j): h for j, h in enumerate(headers) if h is not None}
    cells.update({(3 + i, 1 + j): f"v{i}" if j != 1 else i * 1.5 for i in range(5) for j in range(len(headers))})
    fast, slow = both_ways(_workbook(cells, shared=shared_strings))
    assert fast_reads == [True]
    assert_same_tables(fast, slow)


class _Column:
    def __init__(self, index: int, name: str, source: str = "looked_up"):
        self.absolute_index, self.name, self.column_name_from = index, name, source


def test_the_header_row_must_be_the_one_fastexcel_names():
    confirm = fast_sheet._confirm_header
    confirm([_Column(0, "Pays"), _Column(1, "__UNNAMED__1", "generated"), _Column(2, "Pays_1")], {0: "Pays", 2: "Pays"})
    for columns, row in (
        ([_Column(0, "Pays")], {0: "Montant"}),  # another sheet or other shared strings than fastexcel's
        ([_Column(0, "Pays_1")], {0: "Pays"}),  # a suffix without the name to its left
        ([_Column(0, "__UNNAMED__0", "generated")], {0: "Pays"}),
        ([_Column(0, "Pays")], {0: "Pays", 3: "Fin"}),  # a text outside fastexcel's columns
        ([_Column(0, "Pays")], {}),
    ):
        with pytest.raises(fast_sheet.Unsure):
            confirm(columns, row)


def test_a_surprise_in_the_fast_read_leaves_the_read_to_python_calamine(monkeypatch, fast_reads):
    def fails(*args, **kwargs):
        raise UnicodeDecodeError("utf-8", b"", 0, 1, "surprise")

    monkeypatch.setattr(fast_sheet, "sheet_columns", fails)
    fast, slow = both_ways(xlsx_bytes())
    assert fast_reads == [False]
    assert_same_tables(fast, slow)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        (DAY, datetime(2016, 1, 14, 15, 30)),  # a time of day: python-calamine gives a datetime
        (DAY, time(3, 4)),  # a time: python-calamine gives a time
        (DAY, date(1900, 1, 2)),  # before March 1900
        (AMOUNT, "13,5 M€"),  # a text among numbers: fastexcel refuses the mixed column
    ],
)
def test_the_fast_read_steps_aside_when_unsure_and_the_table_is_the_same(column, value, fast_reads):
    row = list(BASE[3])
    row[column] = value
    data = xlsx_bytes([*BASE[:3], row])
    fast, slow = both_ways(data)
    assert fast_reads == [False]
    assert_same_tables(fast, slow)


#: Texts that fastexcel reads as an empty cell (or, ``nan``, as a number) in a column of numbers or dates.
NULL_LIKE_TEXTS = ("n/a", "N/A", "NA", "null", "nan", "NaN")


@pytest.mark.parametrize("column", [AMOUNT, DAY], ids=["amount", "date"])
@pytest.mark.parametrize("value", [*NULL_LIKE_TEXTS, "#N/A"])
def test_a_text_fastexcel_takes_for_empty_leaves_the_read_to_python_calamine(column, value, fast_reads):
    """``n/a`` typed in an amount cell is a text to quote in a finding, not an empty cell: fastexcel reads
    it as null (``nan`` as a number) in a column of numbers without refusing the column, so the fast
    read counts the sheet's text cells and steps aside when its texts are fewer (``#N/A``, which
    openpyxl writes as an error cell, steps aside earlier). The date column of these rows is read
    as texts, where fastexcel keeps them: the fast read may stand, with the same table."""
    row = list(BASE[3])
    row[column] = value
    data = xlsx_bytes([*BASE[:3], row])
    fast, slow = both_ways(data)
    if column == AMOUNT or value == "#N/A":
        assert fast_reads == [False]
    assert_same_tables(fast, slow)
    auto = read_upload(data, "t.xlsx", header_matcher=header_score)
    assert auto.grid.table.columns[column].tolist() == slow.grid.table.columns[column].tolist()


def test_n_a_in_an_amount_cell_is_reported_as_not_a_number():
    row = list(BASE[3])
    row[AMOUNT] = "n/a"
    result = load_bytes(xlsx_bytes([*BASE[:3], row]), "t.xlsx")
    [finding] = [f for f in result.report.errors if f.rule == "amount-not-a-number"]
    assert "n/a" in finding.text()


def test_formulas_and_forced_readers_do_not_take_the_fast_read(fast_reads):
    data = xlsx_bytes()
    read_upload(data, "t.xlsx", reader="calamine")
    read_upload(data, "t.xlsx", reader="openpyxl")
    assert fast_reads == []
    read_upload(data, "t.xlsx")
    assert fast_reads == [True]


def test_head_cells_reads_plain_text_rows_and_gives_up_on_anything_else():
    start = b'<?xml version="1.0"?><worksheet><sheetData>'
    row1 = b'<row r="1"><c r="A1" t="s"><v>3</v></c><c r="C1" t="inlineStr"><is><t>x &amp; y</t></is></c></row>'
    values = b'<row r="3"><c r="A3"><v>1</v></c></row>'
    assert fast_sheet.head_cells(start + row1 + values) == (2, [(0, 0, 3), (0, 2, "x & y")])
    for unsure in (
        b'<row r="1"><c r="A1" t="inlineStr"><is><r><t>rich</t></r></is></c></row>' + values,
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>_x000D_</t></is></c></row>' + values,
        b'<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>',
        b'<row r="1"><c r="A1" t="d"><v>2016-01-14</v></c></row>',
        b"<row><c><v>1</v></c></row>",
        row1,  # no row of values in the bytes given
    ):
        with pytest.raises(fast_sheet.Unsure):
            fast_sheet.head_cells(start + unsure)


_CELL_VALUES = {
    "text": st.one_of(
        st.sampled_from(["", " ", "\t", "\u00a0", "SAH", "T05-EUTF", "a&b", "é", "  x  "]),
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12),
    ),
    "float": st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    "date": st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    "bool": st.booleans(),
}


@st.composite
def _sheets(draw):
    kinds = draw(st.lists(st.sampled_from(sorted(_CELL_VALUES)), min_size=1, max_size=5))
    height = draw(st.integers(1, 30))
    first = draw(st.integers(2, 6))
    cells: dict[tuple[int, int], object] = {(first - 1, 1 + j): f"H{j}" for j in range(len(kinds))}
    for j, kind in enumerate(kinds):
        for i in range(height):
            if draw(st.booleans()):
                cells[(first + i, 1 + j)] = draw(_CELL_VALUES[kind])
    return cells


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=_sheets(), shared_strings=st.booleans())
def test_generated_sheets_read_the_same_both_ways(cells, shared_strings):
    data = _workbook(cells, shared=shared_strings)
    fast, slow = both_ways(data)
    assert_same_tables(fast, slow)


def test_the_fast_table_keeps_the_row_limit():
    limits = etl.read.Limits(max_rows=5)
    data = xlsx_bytes()
    fast = read_upload(data, "t.xlsx", limits=limits, reader="fastexcel")
    slow = read_upload(data, "t.xlsx", limits=limits, reader="calamine")
    assert [f.rule for f in fast.findings] == [f.rule for f in slow.findings] == ["too-many-rows"]
    assert np.array_equal(
        read_upload(data, "t.xlsx", reader="fastexcel").grid.table.row_numbers,
        read_upload(data, "t.xlsx", reader="calamine").grid.table.row_numbers,
    )


def test_the_bench_workbook_is_read_the_fast_way_and_the_same(tmp_path, fast_reads):
    """The generated workbook of the benchmarks (xlsxwriter: shared strings, date formats), 2 000 rows."""
    from bench.generate import workbook

    data = workbook(2000, tmp_path / "w.xlsx", seed=11).read_bytes()
    fast, slow = both_ways(data, "w.xlsx")
    assert fast_reads == [True]
    assert_same_tables(fast, slow)
