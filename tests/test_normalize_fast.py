"""The column-wise parse (``normalize(grid)``) gives what the cell-by-cell one gives.

``normalize(grid, vectorised=False)`` parses every cell one by one; the default parses
the cells that need no interpreting with array operations and sends the others through
the same per-cell parser. Frames, raw values and every finding (file, sheet, cell, rule,
message, value) must be identical, on the handed cases and on a sheet mixing clean cells
with every kind of dirty one.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from functools import partial

import pandas as pd
import pytest

from domain.template import header_score
from etl import normalize as normalize_module
from etl.normalize import _PLACEHOLDER_MAX, PLACEHOLDERS, normalize
from etl.read import KINDS, Table, read_upload
from tests.builders import BASE, COLUMN, HEADERS_FR, xlsx_bytes
from tests.conftest import CASES_DIR
from validation import pipeline

# Rows 2-10 of BASE, then dirty and clean cells side by side (Excel rows 11-21, 19 blank).
MIXED = [
    *BASE,
    ["T05-EUTF-SAH-ML-20", "  Titre avec espaces  ", "SAH", "national", "ML", "2", "n/a", "13,5 M€", "14/01/2016"],
    ["T05-EUTF-SAH-ML-21", "N/A", "sah", "National", "ML; NE", 2.0, None, 4_612_500.0, datetime(2016, 1, 14, 15, 30)],
    ["T05-EUTF-SAH-ML-22", "Un titre assez long", "SAH", "national", "ML", "1;4", " ", 1500.5, 42384],
    ["T05-EUTF-SAH-ML-23", "Titre\u00a0", "SAH", "national", "ML", "9", "—", True, "2016-13-45"],
    ["T05-EUTF-SAH-ML-24", 12.0, "SAH", "national", "Mali", "2", "emploi", "1,500", date(2016, 1, 14)],
    ["T05-EUTF-SAH-ML-25", "Un autre titre clair", "SAH", "national", "ML", "2", "emploi", 2e9, "pending"],
    ["  T05-EUTF-SAH-ML-26 ", "Encore un titre clair", "SAH", "national", "ML", "2", "emploi", -0.0, 0],
    ["T05-EUTF-SAH-ML-27", "Dernier titre clair", "SAH", "national", "ML", "2", "emploi", 7_000_000, None],
    [None, None, None, None, None, None, None, None, None],  # blank row: not a project
    ["T05-EUTF-SAH-ML-28", "Titre \t", "SAH", "national", "ML", "2", "  ", "", "n.d."],
    ["n/a", "Titre de la ligne sans référence", "SAH", "régional", "ML;NE;BF", "3", "emploi", "12 000 000 €", 2.5],
]


def _assert_same(grid):
    fast, slow = normalize(grid), normalize(grid, vectorised=False)
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert fast.findings == slow.findings
    assert fast.rows == slow.rows
    assert fast.raw.keys() == slow.raw.keys()
    for name in fast.raw:
        assert [(type(v), v) for v in fast.raw[name]] == [(type(v), v) for v in slow.raw[name]], name
    return fast


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_mixed_sheet_same_frame_and_findings(reader):
    read = read_upload(xlsx_bytes(MIXED), "mixed.xlsx", header_matcher=header_score, reader=reader)
    fast = _assert_same(read.grid)
    frame = fast.frame
    # real values, as the per-cell parser reads them
    assert frame.loc[11, "amount_eur"] == 13_500_000
    assert frame.loc[11, "title"] == "Titre avec espaces"
    assert frame.loc[11, "approval_date"] == pd.Timestamp(2016, 1, 14)
    assert frame.loc[12, "amount_eur"] == 4_612_500
    assert pd.isna(frame.loc[12, "title"])  # a placeholder title is missing (the schema names it)
    assert frame.loc[12, "approval_date"] == pd.Timestamp(2016, 1, 14)
    assert frame.loc[12, "countries"] == ["ML", "NE"]
    assert frame.loc[15, "title"] == "12"
    assert frame.loc[16, "amount_eur"] == 2_000_000_000  # a float cell holding whole euros
    assert frame.loc[17, "reference"] == "T05-EUTF-SAH-ML-26"
    assert frame.loc[17, "amount_eur"] == 0
    assert 19 not in frame.index  # the blank row is not a project
    assert 20 in frame.index
    by_cell = {(f.cell, f.rule): f for f in fast.findings if f.cell}
    amount, day, theme = COLUMN["Montant UE (EUR)"], COLUMN["Date d'approbation"], COLUMN["Thème"]
    assert by_cell[(f"{amount}11", "number-text-converted")].value == "13,5 M€"
    assert by_cell[(f"{amount}13", "amount-not-whole-euros")].value == 1500.5
    assert by_cell[(f"{amount}15", "amount-ambiguous")].value == "1,500"
    assert by_cell[(f"{day}13", "date-serial-number")].value == 42384
    assert by_cell[(f"{theme}11", "placeholder-as-missing")].value == "n/a"
    assert by_cell[(f"{theme}14", "placeholder-as-missing")].value == "—"


def test_mixed_sheet_same_report_through_the_pipeline(monkeypatch):
    data = xlsx_bytes(MIXED)
    fast = pipeline.load_bytes(data, "mixed.xlsx")
    monkeypatch.setattr(pipeline, "normalize", partial(normalize_module.normalize, vectorised=False))
    slow = pipeline.load_bytes(data, "mixed.xlsx")
    assert fast.report == slow.report
    assert any(f.rule == "amount-not-whole-euros" for f in fast.report.findings)
    pd.testing.assert_frame_equal(fast.table, slow.table)


def test_clean_sheet_same_dataset(monkeypatch):
    data = xlsx_bytes(BASE)
    fast = pipeline.load_bytes(data, "base.xlsx")
    monkeypatch.setattr(pipeline, "normalize", partial(normalize_module.normalize, vectorised=False))
    slow = pipeline.load_bytes(data, "base.xlsx")
    assert fast.report == slow.report
    assert fast.dataset is not None
    pd.testing.assert_frame_equal(fast.dataset.allocations, slow.dataset.allocations)
    assert int(fast.dataset.allocations["amount_eur"].sum()) == 145_100_000


def test_calamine_table_marks_blank_texts():
    read = read_upload(
        xlsx_bytes([["T05-EUTF-SAH-ML-01", " ", "SAH", None, "\u00a0"]], headers=HEADERS_FR[:5]), "b.xlsx"
    )
    table = read.grid.table
    assert table.blanks_are_none
    assert [column[1] for column in table.columns] == ["T05-EUTF-SAH-ML-01", None, "SAH", None, None]
    assert [int(kinds[1]) for kinds in table.kinds] == [KINDS[str], KINDS[type(None)], KINDS[str]] + [
        KINDS[type(None)]
    ] * 2


def test_table_from_rows_keeps_rows_and_kinds():
    rows = [(1, ("a", 2.0)), (3, (None, 4, datetime(2016, 1, 1), True))]
    table = Table.from_rows(rows)
    assert table.rows() == rows
    assert list(table.row_numbers) == [1, 3]
    assert [int(k[1]) for k in table.kinds] == [KINDS[type(None)], KINDS[int], KINDS[datetime], 0]


def test_no_placeholder_is_longer_than_the_bound():
    assert max(len(p) for p in PLACEHOLDERS) == _PLACEHOLDER_MAX
    assert all(len(chr(c).casefold()) >= 1 for c in range(0x110000) if not 0xD800 <= c < 0xE000)


def test_texts_without_whitespace_at_the_ends_need_no_strip():
    """The fast path takes a text as its own value when ``strip()`` leaves it unchanged."""
    samples = ["\u00a0x", "x\u2009", "x\u202f", "\x1cx", "x\x1f", "\u3000x", "x\u200b"]
    for text in samples:
        assert (text.strip() == text) == (not text[0].isspace() and not text[-1].isspace())
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    assert all(unicodedata.category(c)[0] not in "LNPS" for c in spaces)


def test_handed_cases_same_frame_and_findings():
    """Every readable handed case: the two parses agree (the cases' own expectations are in test_cases)."""
    compared = 0
    for path in sorted((CASES_DIR / "files").iterdir()):
        if path.suffix not in {".xlsx", ".csv"}:
            continue
        read = read_upload(path.read_bytes(), path.name, header_matcher=header_score)
        if read.grid is None:
            continue
        _assert_same(read.grid)
        compared += 1
    assert compared >= 20


def test_object_arrays_keep_list_values():
    out = normalize_module._objects(iter([[], ["ML"], None]), 3)
    assert out.shape == (3,)
    assert out.dtype == object
    assert out.tolist() == [[], ["ML"], None]
