"""Each validation rule rejects (or warns about) a bad row, naming the sheet, cell and rule."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.builders import BASE, HEADERS_FR, rows, xlsx_bytes
from validation.pipeline import load_bytes

# (rule, level, cell, changed cells)
RULES = [
    ("reference-missing", "error", "A3", {"A3": None}),
    ("reference-pattern", "error", "A3", {"A3": "ML-02"}),
    ("reference-duplicate", "error", "A3", {"A4": " t05-eutf-sah-ml-02"}),
    ("title-missing", "error", "B5", {"B5": "  "}),
    ("window-invalid", "error", "C6", {"C6": "Sahara"}),
    ("scope-invalid", "error", "D6", {"D6": "local"}),
    ("countries-missing", "error", "E7", {"E7": None}),
    ("country-invalid", "error", "E8", {"E8": "BF;Mail;NE"}),
    ("national-needs-one-country", "error", "E2", {"E2": "ML;NE"}),
    ("objectives-missing", "error", "F3", {"F3": None}),
    ("objective-invalid", "error", "F4", {"F4": "0"}),
    ("domain-invalid", "error", "L5", {"L5": "6"}),
    ("amount-negative", "error", "H6", {"H6": -1}),
    ("amount-not-a-number", "error", "H6", {"H6": "environ 6 M"}),
    ("amount-missing", "error", "H7", {"H7": None}),
    ("amount-not-whole-euros", "error", "H7", {"H7": 29_000_000.5}),
    ("amount-ambiguous", "error", "H7", {"H7": "1,500"}),
    ("date-before-eutf-launch", "error", "I8", {"I8": datetime(2015, 11, 11)}),
    ("date-in-future", "error", "I8", {"I8": datetime.now() + timedelta(days=2)}),
    ("date-not-a-date", "error", "I8", {"I8": "14/13/2016"}),
    ("date-not-a-date", "error", "I8", {"I8": "01/02/16"}),
    ("date-missing", "error", "I10", {"M10": None}),
    ("round-invalid", "error", "M2", {"M2": "premier"}),
    ("basis-invalid", "error", "N3", {"N3": "estimé à la louche"}),
    ("regional-with-one-country", "warning", "E9", {"E9": "NE"}),
    ("window-reference-mismatch", "warning", "C3", {"C3": "HOA"}),
    ("country-reference-mismatch", "warning", "E2", {"E2": "NE"}),  # T05-EUTF-SAH-ML-01 listing Niger only
    ("placeholder-as-missing", "warning", "G4", {"G4": "n/a"}),
]


@pytest.mark.parametrize(("rule", "level", "cell", "changes"), RULES, ids=[f"{r[0]}-{r[2]}" for r in RULES])
def test_rule_names_the_cell(rule, level, cell, changes):
    result = load_bytes(xlsx_bytes(rows(**changes)), "allocations.xlsx")
    hits = [f for f in result.report if f.rule == rule]
    assert hits, result.report.text()
    assert hits[0].cell == cell
    assert hits[0].severity == level
    assert hits[0].sheet == "Allocations"
    assert hits[0].file == "allocations.xlsx"
    text = hits[0].text()
    assert "Allocations" in text
    assert cell in text
    assert rule in text
    if level == "error":
        assert result.dataset is None, "a file with an error must give nothing to publish"
    else:
        assert result.dataset is not None


def test_good_file_has_no_findings_and_reconciles():
    result = load_bytes(xlsx_bytes(), "good.xlsx")
    assert [f for f in result.report if f.severity != "info"] == []
    assert all(line.reconciles for line in result.reconciliation)
    assert int(result.dataset.allocations["amount_eur"].sum()) == 145_100_000


def test_headers_in_english_any_order_with_title_rows():
    english = [
        "Reference",
        "Title",
        "Window",
        "Scope",
        "Countries",
        "Strategic objective(s)",
        "Theme",
        "EU contribution (EUR)",
        "Approval date",
        "Implementing partner",
        "Source",
        "Valletta domain(s)",
        "Dialogue round",
        "Amount basis",
    ]
    order = list(reversed(range(len(english))))
    data = [[row[i] for i in order] for row in BASE]
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Projects"
    ws.append(["EUTF allocations – working copy"])
    ws.append([])
    ws.append([english[i].upper() for i in order])
    for row in data:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    result = load_bytes(buffer.getvalue(), "en.xlsx")
    assert result.report.errors == [], result.report.text()
    assert result.header_row == 3
    assert int(result.dataset.allocations["amount_eur"].sum()) == 145_100_000


def test_sheet_found_by_its_columns_not_its_position():
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Notes"
    wb.active.append(["nothing to see"])
    ws = wb.create_sheet("Feuil2")
    ws.append(HEADERS_FR)
    for row in BASE:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    result = load_bytes(buffer.getvalue(), "x.xlsx")
    assert result.sheet == "Feuil2"
    assert result.dataset is not None


def test_all_errors_are_reported_at_once():
    result = load_bytes(xlsx_bytes(rows(A3=None, C4="XX", H5=-5, E6="Atlantis", F7="9")), "many.xlsx")
    assert {f.cell for f in result.report.errors} == {"A3", "C4", "H5", "E6", "F7"}


def test_report_table_has_one_row_per_finding():
    result = load_bytes(xlsx_bytes(rows(H3="n/a", H5="-")), "r.xlsx")
    frame = result.report.to_frame()
    assert list(frame.loc[frame["level"] == "error", "cell"]) == ["H3", "H5"]
    assert set(frame.columns) >= {"level", "rule", "file", "sheet", "cell", "column", "value", "message", "advice"}


@pytest.mark.parametrize(("amount", "rule"), [(0, "amount-zero"), (10**11, "amount-implausible")])
def test_implausible_amounts_are_warned(amount, rule):
    result = load_bytes(xlsx_bytes(rows(H5=amount)), "a.xlsx")
    hits = [f for f in result.report if f.rule == rule]
    assert [(f.cell, f.severity) for f in hits] == [("H5", "warning")]


def test_converted_text_is_quoted_as_typed():
    result = load_bytes(xlsx_bytes(rows(H3="13 500 000,00 €")), "a.xlsx")
    note = next(f for f in result.report if f.rule == "number-text-converted")
    assert note.message == "The text '13 500 000,00 €' was read as 13 500 000 EUR."
    assert note.severity == "info"


def test_rule_ids_survive_any_schema_build_order():
    """Reading a stored version before checking an upload must not rename the upload's rules."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "from validation.schemas import Allocation, AllocationInput\n"
        "Allocation.to_schema()\n"
        "print(sorted(c.name for c in AllocationInput.to_schema().columns['reference'].checks))\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['reference-missing', 'reference-pattern']"


@pytest.mark.parametrize("huge", [1e20, 9.3e18, 10**12 + 1])
def test_a_huge_amount_is_a_finding_not_a_crash(huge):
    """A slip of the keyboard (1E+20) once raised OverflowError deep in pandas; now the cell is named."""
    result = load_bytes(xlsx_bytes(rows(H3=huge)), "huge.xlsx")
    assert result.dataset is None
    [error] = result.report.errors
    assert (error.rule, error.cell) == ("amount-too-large", "H3")
    assert error.message_in("fr").endswith("(1 000 000 000 000 EUR)\u202f; il n’a pas été lu.")


def test_dataset_of_after_the_input_checks_keeps_the_clean_tables_own_rules():
    """Validate once (issue 19): ``input_checked`` skips AllocationInput's rules, not Allocation's fields."""
    import pandera.pandas as pa

    from validation.pipeline import dataset_of

    table = load_bytes(xlsx_bytes(rows()), "good.xlsx").table
    full, once = dataset_of(table), dataset_of(table, input_checked=True)
    for name in ("allocations", "countries", "objectives", "domains", "contracts"):
        assert getattr(once, name).equals(getattr(full, name))
    for broken in (
        table.assign(window=table["window"].where(table.index != table.index[0], "SAHARA")),  # isin
        table.assign(extra=1),  # strict
        table.assign(amount_eur=table["amount_eur"].astype("float64")),  # dtype
    ):
        for checked in (False, True):  # refused the same way with or without the input rules
            with pytest.raises((pa.errors.SchemaError, pa.errors.SchemaErrors)):
                dataset_of(broken, input_checked=checked)
