"""The one parser (``etl.normalize.normalize``) on clean cells and on every kind of dirty one.

Clean cells (texts with nothing to trim, whole-euro numbers, date cells, blanks) are
recognised column by column with the predicates of :mod:`etl.parse`; every other cell is
parsed one by one by the same column parser. These tests check the values and the
findings (file, sheet, cell, rule, message) that come out, whichever library read the sheet.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pandas as pd
import pytest

from domain.template import header_score
from etl import normalize as normalize_module
from etl.normalize import _column_parser, normalize
from etl.parse import PLACEHOLDER_MAX, PLACEHOLDERS, parse_amount, parse_date, parse_text
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


AMOUNT, DAY, THEME = COLUMN["Montant UE (EUR)"], COLUMN["Date d'approbation"], COLUMN["Thème"]

#: (cell, rule, message) of every finding the parse of MIXED makes, in order.
MIXED_FINDINGS = [
    (f"{THEME}11", "placeholder-as-missing", "'n/a' in 'Thème' stands for a missing value; it was read as empty."),
    (f"{THEME}14", "placeholder-as-missing", "'—' in 'Thème' stands for a missing value; it was read as empty."),
    (f"{AMOUNT}11", "number-text-converted", "The text '13,5 M€' was read as 13 500 000 EUR."),
    (f"{AMOUNT}13", "amount-not-whole-euros", "1500.5 is not a whole number of euros."),
    (f"{AMOUNT}14", "amount-not-a-number", "'True' is not an amount in euros."),
    (f"{AMOUNT}15", "amount-ambiguous", "'1,500' could be read two ways (thousands separator or decimal comma)."),
    (f"{AMOUNT}20", "amount-missing", "The EU contribution is empty."),
    (f"{AMOUNT}21", "number-text-converted", "The text '12 000 000 €' was read as 12 000 000 EUR."),
    (f"{DAY}13", "date-serial-number", None),  # the number is written 42384 or 42384.0, as the reader gives it
    (f"{DAY}14", "date-not-a-date", "'2016-13-45' is not a date in the form dd/mm/yyyy or yyyy-mm-dd."),
    (
        f"{DAY}16",
        "placeholder-as-missing",
        "'pending' in 'Date d'approbation' stands for a missing value; it was read as empty.",
    ),
    (f"{DAY}17", "date-not-a-date", None),
    (
        f"{DAY}20",
        "placeholder-as-missing",
        "'n.d.' in 'Date d'approbation' stands for a missing value; it was read as empty.",
    ),
    (f"{DAY}21", "date-not-a-date", "'2.5' is not a date in the form dd/mm/yyyy or yyyy-mm-dd."),
]


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_mixed_sheet_values_and_findings(reader):
    read = read_upload(xlsx_bytes(MIXED), "mixed.xlsx", header_matcher=header_score, reader=reader)
    normalized = normalize(read.grid)
    frame = normalized.frame
    assert normalized.rows == [*range(2, 19), 20, 21]  # the blank row 19 is not a project
    assert frame["amount_eur"].dtype == "Int64"
    assert frame.loc[11, "amount_eur"] == 13_500_000
    assert frame.loc[11, "title"] == "Titre avec espaces"
    assert frame.loc[11, "approval_date"] == pd.Timestamp(2016, 1, 14)
    assert pd.isna(frame.loc[11, "theme"])
    assert frame.loc[12, "amount_eur"] == 4_612_500  # a float cell holding whole euros
    assert pd.isna(frame.loc[12, "title"])  # a placeholder title is missing (the schema names it)
    assert frame.loc[12, "approval_date"] == pd.Timestamp(2016, 1, 14)  # the time of day is dropped
    assert frame.loc[12, "countries"] == ["ML", "NE"]
    assert frame.loc[12, "window"] == "SAH"
    assert pd.isna(frame.loc[13, "amount_eur"])
    assert frame.loc[13, "approval_date"] == pd.Timestamp(2016, 1, 15)  # Excel serial 42384
    assert frame.loc[13, "objectives"] == [1, 4]
    assert frame.loc[14, "title"] == "Titre"  # a no-break space is trimmed
    assert pd.isna(frame.loc[14, "amount_eur"])
    assert frame.loc[15, "title"] == "12"
    assert frame.loc[15, "countries"] == ["ML"]  # Mali, by name
    assert frame.loc[15, "approval_date"] == pd.Timestamp(2016, 1, 14)
    assert frame.loc[16, "amount_eur"] == 2_000_000_000
    assert frame.loc[17, "reference"] == "T05-EUTF-SAH-ML-26"
    assert frame.loc[17, "amount_eur"] == 0
    assert frame.loc[18, "amount_eur"] == 7_000_000
    assert pd.isna(frame.loc[18, "approval_date"])
    assert pd.isna(frame.loc[20, "amount_eur"])
    assert pd.isna(frame.loc[21, "reference"])
    assert frame.loc[21, "amount_eur"] == 12_000_000
    assert frame.loc[21, "countries"] == ["BF", "ML", "NE"]
    assert int(frame["amount_eur"].sum()) == 145_100_000 + 13_500_000 + 4_612_500 + 2_000_000_000 + 19_000_000
    found = [(f.cell, f.rule, f.message) for f in normalized.findings]
    assert [(cell, rule) for cell, rule, _ in found] == [(cell, rule) for cell, rule, _ in MIXED_FINDINGS]
    for (_, _, message), (_, _, expected) in zip(found, MIXED_FINDINGS, strict=True):
        assert expected is None or message == expected
    assert {f.sheet for f in normalized.findings} == {"Allocations"}
    serial = next(f for f in normalized.findings if f.rule == "date-serial-number")
    assert float(serial.value) == 42384
    assert serial.row == 13
    assert serial.column == "approval_date"
    assert serial.header == "Date d'approbation"
    assert normalized.raw_value(11, "amount_eur") == "13,5 M€"  # the raw value as typed is kept


def test_mixed_sheet_report_through_the_pipeline():
    result = pipeline.load_bytes(xlsx_bytes(MIXED), "mixed.xlsx")
    by_cell = {(f.cell, f.rule): f for f in result.report.findings if f.cell}
    for cell, rule, message in MIXED_FINDINGS:
        finding = by_cell[(cell, rule)]
        assert (finding.file, finding.sheet) == ("mixed.xlsx", "Allocations")
        assert message is None or finding.message == message
    cents = by_cell[(f"{AMOUNT}13", "amount-not-whole-euros")]
    assert (cents.value, cents.column, cents.row) == (1500.5, "amount_eur", 13)


def test_clean_sheet_dataset():
    result = pipeline.load_bytes(xlsx_bytes(BASE), "base.xlsx")
    assert result.dataset is not None
    allocations = result.dataset.allocations
    assert allocations["amount_eur"].dtype == "Int64"
    assert int(allocations["amount_eur"].sum()) == 145_100_000
    assert not [f for f in result.report.findings if f.rule.startswith(("amount-", "date-", "placeholder-"))]


@pytest.mark.parametrize(
    ("name", "rule"),
    [("reference", parse_text), ("title", parse_text), ("theme", parse_text), ("amount_eur", parse_amount)],
)
@pytest.mark.parametrize("value", ["Un titre assez long", 1_000_000, 2.5e6, -3.0, 10**12 + 1, 1e13])
def test_column_parser_gives_its_rule(name, rule, value):
    """Where a column names an etl.parse rule for its clean cells, it reads those cells as the rule does."""
    parse, named = _column_parser(name, datetime(1899, 12, 30))
    assert named is rule
    expected = rule(value)
    if expected.rule is None:
        assert parse(value) == expected


def test_approval_date_parser_reads_date_cells_as_parse_date():
    parse, named = _column_parser("approval_date", datetime(1899, 12, 30))
    assert named is parse_date
    for value in (date(2016, 1, 14), datetime(2016, 1, 14, 15, 30)):
        assert parse(value) == parse_date(value) == parse_date(value, datetime(1904, 1, 1))
    assert parse("not given").rule == "value-not-given"


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_handed_cases_findings_name_their_cell(reader):
    """Every readable handed case: each parsing finding names the sheet, the cell and the column it is about."""
    parsed = 0
    for path in sorted((CASES_DIR / "files").iterdir()):
        if path.suffix not in {".xlsx", ".csv"}:
            continue
        read = read_upload(path.read_bytes(), path.name, header_matcher=header_score, reader=reader)
        if read.grid is None:
            continue
        normalized = normalize(read.grid)
        parsed += 1
        frame = normalized.frame
        assert frame["amount_eur"].dtype == "Int64"
        assert frame["dialogue_round"].dtype == "Int64"
        assert str(frame["approval_date"].dtype) == "datetime64[ns]"
        for finding in normalized.findings:
            if finding.row is None or finding.column is None or finding.rule.startswith(("formula-", "merged-")):
                continue
            assert finding.cell == normalized.cell(finding.row, finding.column), (path.name, finding)
            assert finding.sheet == read.grid.sheet
            assert finding.message
    assert parsed >= 20


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
    assert max(len(p) for p in PLACEHOLDERS) == PLACEHOLDER_MAX
    assert all(len(chr(c).casefold()) >= 1 for c in range(0x110000) if not 0xD800 <= c < 0xE000)


def test_texts_without_whitespace_at_the_ends_need_no_strip():
    """``is_plain_text`` takes a text as its own value when ``strip()`` leaves it unchanged."""
    samples = ["\u00a0x", "x\u2009", "x\u202f", "\x1cx", "x\x1f", "\u3000x", "x\u200b"]
    for text in samples:
        assert (text.strip() == text) == (not text[0].isspace() and not text[-1].isspace())
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    assert all(unicodedata.category(c)[0] not in "LNPS" for c in spaces)


def test_object_arrays_keep_list_values():
    out = normalize_module._objects(iter([[], ["ML"], None]), 3)
    assert out.shape == (3,)
    assert out.dtype == object
    assert out.tolist() == [[], ["ML"], None]


def _same_cell(a, b) -> bool:
    """Two cell values as typed are the same: same type and equal (floats written alike: -0.0 is not 0.0)."""
    if isinstance(a, float):
        return type(b) is float and repr(a) == repr(b)
    return type(a) is type(b) and a == b


def _raw_values_kept_whole(read_grid, monkeypatch) -> tuple:
    """The normalized grid twice: with the compact raw columns, and with every raw column kept whole."""
    compact = normalize(read_grid)
    with monkeypatch.context() as patch:
        patch.setattr(normalize_module, "COMPACT_RAW", {})
        whole = normalize(read_grid)
    return compact, whole


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_compact_raw_columns_give_every_cell_as_typed(reader, monkeypatch):
    """References, titles and amounts keep their raw values only where the frame differs: every cell reads the same."""
    read = read_upload(xlsx_bytes(MIXED), "mixed.xlsx", header_matcher=header_score, reader=reader)
    compact, whole = _raw_values_kept_whole(read.grid, monkeypatch)
    assert isinstance(compact.raw["title"], normalize_module.RawColumn)
    assert not isinstance(whole.raw["title"], normalize_module.RawColumn)
    # the cells the frame does not hold as typed are kept: the blank and converted ones
    assert compact.raw_value(11, "amount_eur") == "13,5 M€"
    assert compact.raw_value(11, "title") == "  Titre avec espaces  "
    assert compact.raw_value(12, "title") == "N/A"
    assert compact.raw_value(15, "title") == 12.0
    assert compact.raw_value(16, "amount_eur") == 2e9
    assert compact.raw_value(18, "amount_eur") == 7_000_000  # an int or a float, as the reader gives it
    assert compact.raw_value(17, "reference") == "  T05-EUTF-SAH-ML-26 "
    assert repr(compact.raw_value(17, "amount_eur")) == ("-0.0" if reader == "calamine" else "0")  # as read
    assert compact.raw_value(12, "approval_date") == datetime(2016, 1, 14, 15, 30)  # with its time of day
    assert isinstance(compact.raw["approval_date"], normalize_module.RawColumn)
    assert compact.raw_value(2, "reference") == compact.frame.loc[2, "reference"]
    for column in compact.raw:
        for row in compact.rows:
            assert _same_cell(compact.raw_value(row, column), whole.raw_value(row, column)), (row, column)
    pd.testing.assert_frame_equal(compact.frame, whole.frame, check_exact=True)
    assert compact.findings == whole.findings


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_consumed_grid_gives_the_same_table(reader):
    """``consume=True`` (the pipeline's): the same frame, findings and raw values; the grid's cells are let go."""
    data = xlsx_bytes(MIXED)
    kept = normalize(read_upload(data, "mixed.xlsx", header_matcher=header_score, reader=reader).grid)
    grid = read_upload(data, "mixed.xlsx", header_matcher=header_score, reader=reader).grid
    consumed = normalize(grid, consume=True)
    assert grid.table.columns == []
    pd.testing.assert_frame_equal(consumed.frame, kept.frame, check_exact=True)
    assert consumed.findings == kept.findings
    assert consumed.raw.keys() == kept.raw.keys()
    for column in kept.raw:
        for row in kept.rows:
            assert _same_cell(consumed.raw_value(row, column), kept.raw_value(row, column)), (row, column)


def test_compact_raw_columns_on_the_handed_cases(monkeypatch):
    """Every readable handed case: each raw cell reads the same, and the checks find the same cells and values."""
    from etl import catalog
    from validation.schemas import check_allocations, check_rounds

    seen = 0
    for path in sorted((CASES_DIR / "files").iterdir()):
        if path.suffix not in {".xlsx", ".csv"}:
            continue
        read = read_upload(path.read_bytes(), path.name, header_matcher=header_score)
        if read.grid is None:
            continue
        compact, whole = _raw_values_kept_whole(read.grid, monkeypatch)
        consumed = normalize(read_upload(path.read_bytes(), path.name, header_matcher=header_score).grid, consume=True)
        pd.testing.assert_frame_equal(consumed.frame, compact.frame, check_exact=True)
        assert consumed.findings == compact.findings, path.name
        seen += 1
        for column in compact.raw:
            for row in compact.rows:
                assert _same_cell(compact.raw_value(row, column), whole.raw_value(row, column)), (path.name, row)
                assert _same_cell(consumed.raw_value(row, column), whole.raw_value(row, column)), (path.name, row)
        pd.testing.assert_frame_equal(compact.frame, whole.frame, check_exact=True)
        assert check_allocations(compact) == check_allocations(whole), path.name
        calendar, control = catalog.load_calendar(), catalog.load_control_totals()
        assert check_rounds(compact, calendar, control) == check_rounds(whole, calendar, control), path.name
    assert seen >= 20
