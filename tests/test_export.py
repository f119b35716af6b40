"""Exports: exact bytes (BOM, separators), inert formula payloads, the About sheet, round trips."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from domain.inert import formula_like
from downloads.tables import (
    EXPORT_COLUMNS,
    FRENCH_EXCEL,
    STANDARD,
    TEMPLATE_COLUMNS,
    About,
    export_frame,
    file_name,
    header,
    neutralize,
    to_csv,
    to_json,
    to_xlsx,
)
from tests.conftest import CASES_DIR
from validation.pipeline import load_bytes

GOLDEN_COLUMNS = [
    "reference", "title", "window", "scope", "countries", "objectives", "theme",
    "amount_eur", "approval_date", "implementing_partner", "source",
]  # fmt: skip
PAYLOADS = ['=HYPERLINK("http://e.invalid","x")', "+33 1 23 45 67 89", "-Réserve", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


def _ooxml_unescape(text: str) -> str:
    """A cell text as Excel reads it: ``_xHHHH_`` is the character HHHH, ``_x005F_`` a literal underscore."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def _about(lang: str = "en") -> About:
    return About(
        dataset="Mali — joint communiqué of 11 Dec 2016",
        version="v3 · 30/11/2026 · eutf_allocations.xlsx · sha256 44c824a6",
        filters=("scope: national",),
        sources=("European Commission, EUTF for Africa",),
        citation="EUTF allocations dashboard, version 3.",
        exported_at=datetime(2026, 11, 30, 12, 0, tzinfo=UTC),
        lang=lang,
    )


@pytest.mark.parametrize(
    "case",
    [
        ("case21_export_formula_injection.xlsx", "case21_expected_export.csv"),
        ("case22_export_csv_accents.xlsx", "case22_expected_export.csv"),
        ("case23_export_csv_fr_separators.xlsx", "case23_expected_export_fr.csv"),
    ],
    ids=lambda c: c[0],
)
def test_french_excel_csv_matches_the_golden_file_byte_for_byte(case):
    source, golden = case
    result = load_bytes((CASES_DIR / "files" / source).read_bytes(), source)
    frame = export_frame(result.dataset.allocations, GOLDEN_COLUMNS, "fr")
    assert to_csv(frame, FRENCH_EXCEL) == (CASES_DIR / "files" / golden).read_bytes()


def test_csv_profiles(shipped):
    frame = export_frame(shipped.dataset.allocations, list(TEMPLATE_COLUMNS), "en")
    standard = to_csv(frame, STANDARD)
    assert standard.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(standard.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Reference", "Title", "Window"]
    assert all(len(r) == len(TEMPLATE_COLUMNS) for r in rows)
    assert sum(int(r[8]) for r in rows[1:]) == 145_100_000
    assert rows[7][10] == "2016-01-14"  # REG-01, ISO date
    french = to_csv(export_frame(shipped.dataset.allocations, list(TEMPLATE_COLUMNS), "fr"), FRENCH_EXCEL)
    fr_rows = list(csv.reader(io.StringIO(french.decode("utf-8-sig")), delimiter=";"))
    assert fr_rows[0][0] == "Référence"
    assert fr_rows[7][3] == "régional"
    assert fr_rows[7][10] == "14/01/2016"
    assert b"\r\n" in french


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_payloads_are_inert_in_csv_and_xlsx(payload):
    frame = pd.DataFrame(
        {"title": pd.array([payload], dtype="string"), "amount_eur": pd.array([-15_000], dtype="Int64")}
    )
    frame["value"] = [-15000.50]
    text = to_csv(frame, STANDARD).decode("utf-8-sig")
    cells = next(csv.reader(io.StringIO(text.split("\r\n", 1)[1])))
    assert cells[0] == "'" + payload
    assert cells[1] == "-15000"
    assert cells[2] == "-15000.5"
    fr_cells = to_csv(frame, FRENCH_EXCEL).decode("utf-8-sig").split("\r\n")[1].split(";")
    assert fr_cells[2] == "-15000,5"
    data = to_xlsx(frame, _about())
    ws = openpyxl.load_workbook(io.BytesIO(data))["Allocations"]
    assert ws["A2"].data_type == "s"
    assert ws["A2"].quotePrefix
    # the text comes back as typed: a carriage return is written as Excel writes it, the escape _x000D_
    # (ECMA-376 ST_Xstring), which Excel and python-calamine (the app's reader) decode and openpyxl does not
    assert _ooxml_unescape(ws["A2"].value) == payload
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Allocations")
    assert sheet.to_python()[1][0] == payload
    assert ws["B2"].data_type == "n"
    assert ws["B2"].value == -15000
    assert ws["C2"].value == -15000.5


def test_neutralize_leaves_ordinary_text_alone():
    assert neutralize("Résilience – Nord") == "Résilience – Nord"
    assert neutralize("=1+1") == "'=1+1"


def test_xlsx_layout_and_about_sheet(shipped):
    frame = export_frame(shipped.dataset.allocations, list(EXPORT_COLUMNS), "fr")
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame, _about("fr"))))
    ws = wb["Allocations"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:T{len(frame) + 1}"  # 16 template columns, 4 label columns
    assert ws["A1"].value == "Référence"
    assert ws["A1"].font.bold
    assert ws["I2"].number_format == '#,##0 "€"'
    assert ws["K8"].is_date
    assert ws["K8"].value.date() == date(2016, 1, 14)
    assert ws.column_dimensions["B"].width >= 30
    assert wb.sheetnames == ["Allocations", "À propos"]
    about = {row[0]: row[1] for row in wb["À propos"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert about["Jeu de données"] == "Mali — joint communiqué of 11 Dec 2016"
    assert about["Version"].startswith("v3 ·")
    assert about["Exporté (UTC)"] == "2026-11-30 12:00:00"
    assert about["Filtres"] == "scope: national"
    assert about["Lignes"] == 9
    assert about["Total (EUR)"] == 145_100_000
    assert about["National (EUR)"] == 91_500_000
    assert about["Régional (EUR)"] == 53_600_000
    assert about["Sources"] == "European Commission, EUTF for Africa"
    assert about["Citation suggérée"] == "EUTF allocations dashboard, version 3."


def test_xlsx_keeps_each_money_column_its_own_value():
    """The EU contribution and the contracted amount of a row are two cells (review: the contracted amount was
    written under both, T05-EUTF-REG-REG-04 showing 30 000 000 instead of 115 000 000)."""
    from analysis.aggregate import contracted_by_decision
    from etl import catalog
    from validation.pipeline import load_path

    dataset = load_path(catalog.PUBLIC_DATA_DIR / catalog.PUBLIC_EXPORTS[1].file_name).dataset
    table = contracted_by_decision(dataset)
    table = table[table["contracted_eur"] != table["amount_eur"]].head(50)
    assert len(table) == 50
    frame = export_frame(table, ["reference", "amount_eur", "contracted_eur"], "en")
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame, _about("en"))))["Allocations"]
    written = {r[0]: (r[1], r[2]) for r in ws.iter_rows(min_row=2, values_only=True)}
    expected = {r.reference: (int(r.amount_eur), int(r.contracted_eur)) for r in table.itertuples()}
    assert written == expected  # before the fix, each row held its contracted amount twice


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_exported_xlsx_uploads_again_to_identical_data(shipped, lang):
    original = shipped.dataset.allocations
    frame = export_frame(original, list(EXPORT_COLUMNS), lang)
    again = load_bytes(to_xlsx(frame, _about(lang)), "export.xlsx")
    assert again.report.errors == [], again.report.text()
    assert [f.rule for f in again.report.warnings] == []
    columns = list(TEMPLATE_COLUMNS)
    pd.testing.assert_frame_equal(again.dataset.allocations[columns], original[columns])


def test_exported_csv_uploads_again_to_identical_data(shipped):
    original = shipped.dataset.allocations
    for profile in (STANDARD, FRENCH_EXCEL):
        frame = export_frame(original, list(TEMPLATE_COLUMNS), profile.lang)
        again = load_bytes(to_csv(frame, profile), "export.csv")
        assert again.report.errors == [], again.report.text()
        columns = list(TEMPLATE_COLUMNS)
        pd.testing.assert_frame_equal(again.dataset.allocations[columns], original[columns])


def test_json_records(shipped):
    frame = export_frame(shipped.dataset.allocations, list(TEMPLATE_COLUMNS), "en")
    records = json.loads(to_json(frame))
    assert len(records) == 9
    reg01 = next(r for r in records if r["reference"] == "T05-EUTF-SAH-REG-01")
    assert reg01["countries"] == ["BF", "ML", "MR", "NE", "TD"]
    assert reg01["objectives"] == [4]
    assert reg01["amount_eur"] == 7_000_000
    assert reg01["approval_date"] == "2016-01-14"
    assert next(r for r in records if r["reference"] == "T05-EUTF-SAH-ML-01")["approval_date"] is None


def test_file_names_say_what_they_hold():
    assert file_name("EUTF allocations", 3, "xlsx", on=date(2026, 11, 30)) == "eutf-allocations_v3_2026-11-30.xlsx"
    assert (
        file_name("eutf-allocations", 1, "csv", date(2026, 1, 2), "_excel-fr")
        == "eutf-allocations_v1_2026-01-02_excel-fr.csv"
    )


def test_the_explorers_default_columns_upload_again(shipped):
    from downloads.tables import DEFAULT_COLUMNS

    frame = export_frame(shipped.dataset.allocations, list(DEFAULT_COLUMNS), "en")
    again = load_bytes(to_xlsx(frame, _about()), "default.xlsx")
    assert again.report.errors == [], again.report.text()
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame, _about())))
    rows = next(r for r in wb["About"].iter_rows(min_row=2) if r[0].value == "Rows")
    assert rows[1].number_format == "General"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_xlsx_cell_by_cell(lang):
    """The written workbook, read back by openpyxl cell by cell: types, formats, pane, filter, About, inert text."""
    frame = pd.DataFrame(
        {
            "reference": pd.array(["T05-A", "T05-B", "T05-C"], dtype="string"),
            "title": pd.array(["Plain", "=SUM(A1:A2)", " \uff0b1"], dtype="string"),
            "scope": pd.array(["national", "regional", "national"], dtype="string"),
            "amount_eur": pd.array([1_000_000, -15_000, 0], dtype="Int64"),
            "approval_date": pd.to_datetime(["2016-01-14", None, "2019-12-31"]).astype("datetime64[ns]"),
            "dialogue_round": pd.array([1, None, None], dtype="Int64"),
            "contracted_eur": pd.array([900_000, None, 5], dtype="Int64"),
        }
    )
    about = About(dataset="=cmd|'/c calc'!A1", version="v1", filters=(), sources=("EC",), citation="cite",
                  exported_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC), lang=lang)  # fmt: skip
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame, about)))
    assert wb.sheetnames == ["Allocations", "À propos" if lang == "fr" else "About"]
    ws = wb["Allocations"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:G4"
    assert [c.value for c in ws[1]] == [header(c, lang) for c in frame.columns]
    assert all(c.font.bold and c.data_type == "s" for c in ws[1])
    assert all(ws.column_dimensions[letter].width >= 8 for letter in "ABCDEFG")
    assert ws.column_dimensions["D"].width >= 16
    money, day = '#,##0 "€"', "DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD"
    not_given, no_round = ("non renseigné", "aucun") if lang == "fr" else ("not given", "none")
    expected = [
        ["T05-A", "Plain", "national", 1_000_000, datetime(2016, 1, 14), 1, 900_000],
        ["T05-B", "=SUM(A1:A2)", "regional", -15_000, not_given, None, None],
        ["T05-C", " \uff0b1", "national", 0, datetime(2019, 12, 31), no_round, 5],
    ]
    for row, values in zip(ws.iter_rows(min_row=2), expected, strict=True):
        assert [c.value for c in row] == values
        for cell, value in zip(row, values, strict=True):
            assert type(cell.value) is type(value)  # ints stay ints (never 1000000.0), dates dates, text text
            assert cell.data_type == {str: "s", int: "n", datetime: "d", type(None): "n"}[type(value)]
            assert cell.quotePrefix == (isinstance(value, str) and formula_like(value))
        assert row[3].number_format == money
        assert row[6].number_format == (money if row[6].value is not None else "General")
        assert row[4].number_format == (day if isinstance(row[4].value, datetime) else "General")
        assert row[0].number_format == row[1].number_format == "General"
    assert ws["B3"].quotePrefix
    assert ws["B4"].quotePrefix
    about_ws = wb["À propos" if lang == "fr" else "About"]
    assert about_ws["A1"].font.bold
    assert about_ws["A1"].font.size == 14
    cells = {r[0].value: r[1] for r in about_ws.iter_rows(min_row=2) if r[0].value}
    labels = ("Dataset", "Version", "Exported (UTC)", "Filters", "Rows", "Total (EUR)", "National (EUR)",
              "Regional (EUR)", "Sources", "Suggested citation")  # fmt: skip
    if lang == "fr":
        labels = ("Jeu de données", "Version", "Exporté (UTC)", "Filtres", "Lignes", "Total (EUR)", "National (EUR)",
                  "Régional (EUR)", "Sources", "Citation suggérée")  # fmt: skip
    assert list(cells) == list(labels)
    dataset, version, exported, filters, rows, total, national, regional, sources, citation = (cells[k] for k in labels)
    assert dataset.value == "=cmd|'/c calc'!A1"
    assert dataset.data_type == "s"
    assert dataset.quotePrefix
    assert (version.value, exported.value, sources.value, citation.value) == ("v1", "2026-12-01 09:30:00", "EC", "cite")
    assert filters.value == ("aucun (tous les projets)" if lang == "fr" else "none (all projects)")
    assert rows.value == 3
    assert type(rows.value) is int
    assert rows.number_format == "General"
    assert (total.value, national.value, regional.value) == (985_000, 1_000_000, -15_000)
    assert all(type(c.value) is int and c.number_format == money for c in (total, national, regional))
    assert about_ws.column_dimensions["B"].width >= 110
