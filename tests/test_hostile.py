"""The hostile and damaged files of tests/cases/hostile, through the library, the CLI and the Upload page;
and the silent choices they revealed, each as a rule tested on a workbook built in code.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.report import report_csv
from domain.inert import formula_like
from downloads.workbooks import annotated_copy
from store.auth import hash_password
from store.db import make_engine
from store.versions import Store
from tests.builders import rows, xlsx_bytes
from tests.conftest import CASES_DIR
from tests.test_cases import _mentions, _outcome
from validation.pipeline import load_bytes

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = CASES_DIR / "hostile"
DOC = json.loads((HOSTILE / "expected.json").read_text(encoding="utf-8"))
CASES = DOC["cases"]
APP = str(ROOT / "app.py")
PASSWORD = "correct horse battery staple"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _data(case) -> bytes:
    return (HOSTILE / "files" / case["file"]).read_bytes()


def test_every_hostile_file_is_listed():
    assert {c["file"] for c in CASES} == {p.name for p in (HOSTILE / "files").iterdir()}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_library_outcome_and_mentions(case):
    result = load_bytes(_data(case), case["file"])
    assert _outcome(result) == case["outcome"], result.report.text()
    if case["outcome"] == "reject":
        assert result.dataset is None
    text = "\n".join(f.text() for f in result.report.errors + result.report.warnings)
    for item in case["must_mention"]:
        assert _mentions(text, item), f"{item!r} not in:\n{text}"
    for finding in result.report:  # told from the catalogue, so French too
        assert finding.template is not None, finding.rule
        assert finding.message_in("fr") != finding.message, finding.rule


@pytest.mark.parametrize("case", [c for c in CASES if c.get("downloads_inert")], ids=lambda c: c["id"])
def test_downloads_about_the_upload_are_inert(case):
    import csv

    import openpyxl

    result = load_bytes(_data(case), case["file"])
    for lang in ("en", "fr"):
        text = report_csv(result.report, lang).decode("utf-8-sig")
        assert not [f for r in csv.reader(io.StringIO(text, newline="")) for f in r if formula_like(f)]
    copy = annotated_copy(_data(case), list(result.report), result.report.to_frame("en"))
    wb = openpyxl.load_workbook(io.BytesIO(copy))
    live = [
        c.coordinate
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f" or (formula_like(c.value) and not c.quotePrefix)
    ]
    assert live == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_cli_validate_gives_a_message_never_a_traceback(case):
    path = HOSTILE / "files" / case["file"]
    run = subprocess.run(
        [sys.executable, "-m", "cli", "validate", str(path)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert "Traceback" not in run.stderr + run.stdout
    assert run.returncode == (1 if case["outcome"] == "reject" else 0), run.stdout + run.stderr
    assert case["file"] in run.stdout
    for item in case["must_mention"]:
        assert _mentions(run.stdout, item), f"{item!r} not in:\n{run.stdout}"


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("EUTF_DATABASE_URL", db_url)
    base = load_bytes(xlsx_bytes(), "base.xlsx")
    Store(make_engine(db_url)).publish(
        base.dataset.allocations, base=None, by="test", file_name="base.xlsx", file_sha256=base.sha256, comment="base"
    )
    return db_url


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_upload_page_shows_a_message_never_an_exception(db, case):
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["analyst"] = {"password_hash": hash_password(PASSWORD, iterations=1000), "name": "Test analyst"}
    at.run()
    at.switch_page("pages/upload.py").run()
    at.text_input(key="analyst_password").set_value(PASSWORD)
    at.button(key="sign_in_submit").click().run()
    at.file_uploader[0].set_value((case["file"], _data(case), XLSX))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    messages = [e.value for e in at.error] if case["outcome"] == "reject" else [w.value for w in at.warning]
    assert any(case["file"] in m.replace("\\", "") for m in messages), messages  # markdown-escaped name
    shown = "\n".join([*messages, *(d.value.to_csv() for d in at.dataframe)]).replace("\\", "")
    for item in case["must_mention"]:
        assert _mentions(shown, item), f"{item!r} not on the page:\n{shown}"
    publish = [b for b in at.button if b.key == "publish"]
    assert not publish if case["outcome"] == "reject" else publish
    read = load_bytes(_data(case), case["file"])
    if read.header_row is not None:  # the page says which sheet it read
        said = f"Read the sheet '{read.sheet}' (header on row {read.header_row})."
        assert said in [c.value.replace("\\", "") for c in at.caption]
    assert Store(make_engine(db)).latest_number() == 1


# --- the rules behind the silent choices ---------------------------------------------------------


def _two_template_sheets(first: str, second: str) -> bytes:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(sheet=first)))
    other = wb.copy_worksheet(wb[first])
    other.title = second
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("first", "second", "read"), [("Allocations", "Copie", "Allocations"),
                                                      ("Données", "Feuil2", "Données")])  # fmt: skip
def test_two_sheets_with_the_template_say_which_was_read(first, second, read):
    result = load_bytes(_two_template_sheets(first, second), "two.xlsx")
    [finding] = [f for f in result.report if f.rule == "sheet-ambiguous"]
    assert finding.severity == "warning"
    assert finding.extra == {"read": read, "not_read": [second if read == first else first]}
    assert result.sheet == read


def test_a_lookup_sheet_is_not_a_second_candidate():
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes()))
    lists = wb.create_sheet("Listes")
    for value in ("SAH", "HOA", "NOA", "REG"):
        lists.append([value, "national"])
    buffer = io.BytesIO()
    wb.save(buffer)
    assert not [f for f in load_bytes(buffer.getvalue(), "l.xlsx").report if f.rule == "sheet-ambiguous"]


# Builder rows: row 2 is the national T05-EUTF-SAH-ML-01 (round typed in M, date in I);
# the 1st High-Level Dialogue was on 2016-04-14, the 2nd on 2016-12-11, the 3rd is not dated.
@pytest.mark.parametrize(
    ("changes", "rule", "level"),
    [
        ({"M2": 7}, "round-unknown", "error"),
        ({"M2": 4}, "round-unknown", "error"),
        ({"M2": 1, "I2": datetime(2016, 6, 1)}, "round-before-approval", "error"),
        ({"M2": 2, "I2": datetime(2017, 3, 1)}, "round-before-approval", "error"),
        ({"M2": 2, "I2": datetime(2016, 2, 5)}, "round-later-than-date", "warning"),
    ],
)
def test_impossible_or_contradicted_rounds_are_named_by_cell(changes, rule, level):
    result = load_bytes(xlsx_bytes(rows(**changes)), "r.xlsx")
    found = [f for f in result.report if f.rule == rule]
    assert [(f.cell, f.severity) for f in found] == [("M2", level)], result.report.text()
    if "I2" in changes:
        assert found[0].extra["date_cell"] == "I2"
        assert "I2" in found[0].message


@pytest.mark.parametrize(
    "changes",
    [
        {"M2": 3, "I2": datetime(2017, 3, 1)},  # approved after the 2nd: the undated 3rd is possible
        {"M2": 1, "I2": datetime(2016, 2, 5)},  # the round its date gives
        {"M2": 2, "I2": None},  # no date: the typed round stands
    ],
)
def test_possible_rounds_pass(changes):
    report = load_bytes(xlsx_bytes(rows(**changes)), "r.xlsx").report
    assert not [f for f in report if f.rule.startswith("round-")], report.text()


def test_a_regional_project_may_be_typed_after_a_dialogue_that_reported_national_projects_only(shipped):
    """The shipped REG-01 (approved 14/01/2016, typed 2nd dialogue): the 1st reported no regional total."""
    assert not [f for f in shipped.report if f.rule.startswith("round-")]


def test_reconciliation_counts_say_one_project_in_the_singular():
    from validation.reconcile import Line, gap_findings

    [finding] = gap_findings([Line(1, "national", 43_500_000, 13_500_000, 3, 1, "s")])
    assert "(1 project)" in finding.message
    assert "(3 projects)" in finding.message
    assert "(1 projet)" in finding.message_in("fr")
    assert "(3 projets)" in finding.message_in("fr")


def test_a_text_longer_than_a_spreadsheet_cell_is_an_error_at_its_cell():
    source = xlsx_bytes(rows(B3="LONGTEXT", K4="SOURCETEXT"))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():  # openpyxl itself cuts texts at 32 767 characters: write the XML directly
            content = src.read(info).replace(b"LONGTEXT", b"x" * 40_000).replace(b"SOURCETEXT", b"y" * 32_767)
            dst.writestr(info.filename, content)
    result = load_bytes(out.getvalue(), "long.xlsx")
    found = [(f.rule, f.cell, f.extra["length"]) for f in result.report.errors]
    assert found == [("text-too-long", "B3", 40_000)]
    assert result.dataset is None


# --- a real analyst's workbook: things that are not problems ------------------------------------


def _analyst_workbook() -> bytes:
    """The base rows as an analyst keeps them: a title block, an Excel table, drop-downs fed by a hidden
    lists sheet and a named range, comments, frozen panes, conditional formatting, a notes sheet."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Font
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.table import Table, TableStyleInfo

    from tests.builders import BASE, HEADERS_FR

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Allocations"
    ws.append(["Allocations du FFUE au Mali — suivi du dialogue de haut niveau"])
    ws.append(["Mis à jour le 30/11/2026 par la cellule de suivi"])
    ws.append([])
    ws.append(HEADERS_FR)
    for row in BASE:
        ws.append(row)
    ws["A1"].font = Font(bold=True, size=14)
    last = 4 + len(BASE)
    table = Table(displayName="Allocations", ref=f"A4:N{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = "B5"
    ws["H5"].comment = Comment("Montant de la décision initiale", "Analyste")
    ws["A6"].comment = Comment("Voir le document d'action", "Analyste")
    ws.conditional_formatting.add(f"H5:H{last}", ColorScaleRule(start_type="min", start_color="FFFFFF",
                                                             end_type="max", end_color="63BE7B"))  # fmt: skip
    lists = wb.create_sheet("Listes")
    for window, scope in zip(("SAH", "HOA", "NOA", "REG"), ("national", "régional", None, None), strict=True):
        lists.append([window, scope])
    lists.sheet_state = "hidden"
    wb.defined_names["Fenetres"] = DefinedName("Fenetres", attr_text="Listes!$A$1:$A$4")
    windows = DataValidation(type="list", formula1="=Fenetres", allow_blank=True)
    windows.add(f"C5:C{last}")
    scopes = DataValidation(type="list", formula1="=Listes!$B$1:$B$2", allow_blank=True)
    scopes.add(f"D5:D{last}")
    ws.add_data_validation(windows)
    ws.add_data_validation(scopes)
    notes = wb.create_sheet("Notes")
    notes.append(["Sources : communiqué conjoint du 11/12/2016 ; documents d'action du FFUE."])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_an_analysts_workbook_reads_to_the_same_rows_with_no_warning():
    import pandas as pd

    result = load_bytes(_analyst_workbook(), "suivi.xlsx")
    assert result.report.errors == [], result.report.text()
    assert result.report.warnings == [], result.report.text()
    assert (result.sheet, result.header_row) == ("Allocations", 4)
    notes = [(f.rule, f.sheet) for f in result.report.at("info")]
    assert ("hidden-sheet", "Listes") in notes  # said, but as a note: it changes no figure
    base = load_bytes(xlsx_bytes(), "base.xlsx").dataset.allocations
    pd.testing.assert_frame_equal(result.dataset.allocations.reset_index(drop=True), base.reset_index(drop=True))


def test_a_hidden_sheet_holding_the_template_is_still_a_warning():
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(_two_template_sheets("Allocations", "Ancienne version")))
    wb["Ancienne version"].sheet_state = "hidden"
    buffer = io.BytesIO()
    wb.save(buffer)
    report = load_bytes(buffer.getvalue(), "h.xlsx").report
    assert {(f.rule, f.severity) for f in report.warnings} == {
        ("hidden-sheet", "warning"),
        ("sheet-ambiguous", "warning"),
    }


def test_pages_say_one_project_in_the_singular(db):
    store = Store(make_engine(db))
    one = store.table(1).head(1)
    store.publish(one, base=1, by="t", file_name="one.xlsx", file_sha256="1" * 64, comment="one project")
    for lang, words in (("en", "· 1 project (filters"), ("fr", "· 1 projet (les filtres")):
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
        at.switch_page("pages/sources.py").run()
        assert not at.exception, [e.value for e in at.exception]
        assert any(words in c.value for c in at.caption), [c.value for c in at.caption]
