"""Round trip: every dataset exported (CSV standard, CSV French Excel, XLSX) uploads again to the same records.

The two public datasets are imported from the files as published (``data/public/published/``),
the Mali dataset from the shipped workbook; each is exported as the Explorer and ``python -m
etl export`` export it (decisions, each followed by its contracts as rows of their own) and read
back through :func:`validation.pipeline.load_bytes`, the path of every upload.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, datetime

import openpyxl
import pandas as pd
import pytest

from analysis.aggregate import contracted_by_decision
from domain.inert import neutralize, restore
from downloads.tables import (
    FRENCH_EXCEL,
    STANDARD,
    TEMPLATE_COLUMNS,
    About,
    columns_with_hierarchy,
    export_frame,
    to_csv,
    to_xlsx,
    with_contract_rows,
)
from etl import catalog
from tests.conftest import PUBLIC_DATA
from validation.pipeline import load_bytes, load_path

PORTFOLIO = PUBLIC_DATA / "published" / "EUTF-Projects-Database-2022-01.csv"
AKVO = PUBLIC_DATA / "published" / "EUTF_projects_akvo.csv"
FILES = {"portfolio": PORTFOLIO, "decisions-and-contracts": AKVO, "mali": catalog.ALLOCATIONS_XLSX}
COLUMNS = list(TEMPLATE_COLUMNS)


@pytest.fixture(scope="module")
def imported():
    return {name: load_path(path) for name, path in FILES.items()}


def _about(lang: str) -> About:
    return About("d", "v1", (), ("s",), "c", exported_at=datetime(2026, 12, 6, tzinfo=UTC), lang=lang)


def _export(dataset, form: str) -> bytes:
    lang = "fr" if form == "csv-fr" else "en"
    rows = with_contract_rows(dataset.allocations, dataset.contracts)
    frame = export_frame(rows, columns_with_hierarchy(COLUMNS) if len(dataset.contracts) else COLUMNS, lang)
    if form == "xlsx":
        return to_xlsx(frame, _about(lang))
    return to_csv(frame, FRENCH_EXCEL if form == "csv-fr" else STANDARD)


def _same_records(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """The same rows (compared in reference order: the export puts contracts after their decision)."""

    def ordered(frame):
        return frame[COLUMNS].sort_values(["reference", "parent_reference"]).reset_index(drop=True)

    pd.testing.assert_frame_equal(ordered(left), ordered(right))


@pytest.mark.parametrize("form", ["csv", "csv-fr", "xlsx"])
@pytest.mark.parametrize("name", list(FILES))
def test_an_exported_dataset_uploads_again_to_the_same_records(imported, name, form):
    original = imported[name]
    assert original.report.ok
    # the communiqué's control totals are the Mali dataset's only (dashboard/cache.py does the same)
    control = catalog.load_control_totals()
    if name != "mali":
        control = control.iloc[0:0]
    name = f"export.{'xlsx' if form == 'xlsx' else 'csv'}"
    again = load_bytes(_export(original.dataset, form), name, control=control)
    assert again.report.errors == [], again.report.text()
    # nothing the original import did not already say (its contracts above their decision's budget...)
    assert {f.rule for f in again.report.warnings} <= {f.rule for f in original.report.warnings}
    _same_records(again.dataset.allocations, original.dataset.allocations)
    _same_records(again.dataset.contracts, original.dataset.contracts)
    # the contracts are linked to their decisions again: the same contracted amount under each
    pd.testing.assert_frame_equal(
        contracted_by_decision(again.dataset).sort_values("reference").reset_index(drop=True),
        contracted_by_decision(original.dataset).sort_values("reference").reset_index(drop=True),
    )
    # each euro once: the totals are the decisions' budgets, the same as the original's
    assert int(again.dataset.allocations["amount_eur"].sum()) == int(original.dataset.allocations["amount_eur"].sum())


def test_the_figures_of_each_round_trip(imported):
    """The datasets carry what the README says, so the round trips above compare something."""
    portfolio, akvo = imported["portfolio"].dataset, imported["decisions-and-contracts"].dataset
    assert (len(portfolio.allocations), int(portfolio.allocations["amount_eur"].sum())) == (251, 5_201_072_988)
    assert portfolio.allocations["approval_date"].isna().sum() == 62
    assert (len(akvo.allocations), len(akvo.contracts)) == (250, 385)
    assert int(akvo.allocations["amount_eur"].sum()) == 5_198_072_988
    assert akvo.allocations["approval_date"].isna().all()


def test_contracts_are_exported_as_rows_after_their_decision(imported):
    akvo = imported["decisions-and-contracts"].dataset
    text = _export(akvo, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 250 + 385
    kinds = Counter(r["Record type"] for r in rows)
    assert kinds == {"decision": 250, "contract": 385}
    contracts = [r for r in rows if r["Record type"] == "contract"]
    decisions = {r["Reference"].casefold() for r in rows if r["Record type"] == "decision"}
    linked = [r["Parent decision"].casefold() in decisions for r in contracts]
    assert linked.count(False) == 3  # the contracts naming no decision of the export (README)
    # each contract follows its decision (or an earlier contract of the same decision)
    last_decision = None
    for r in rows:
        if r["Record type"] == "decision":
            last_decision = r["Reference"].casefold()
        elif r["Parent decision"].casefold() in decisions:
            assert r["Parent decision"].casefold() == last_decision, r["Reference"]
    # ... and the 3 naming none come last
    assert [r["Record type"] for r in rows[-3:]] == ["contract"] * 3
    assert not any(r["Parent decision"].casefold() in decisions for r in rows[-3:])
    # contracted amounts, summed here from the file, are those under the decisions
    contracted = sum(int(r["EU contribution (EUR)"]) for r in contracts if r["Parent decision"].casefold() in decisions)
    assert contracted == 3_379_319_466


def test_the_explorers_contract_columns_stay_whole_euros_on_contract_rows(imported):
    akvo = imported["decisions-and-contracts"].dataset
    per = contracted_by_decision(akvo)
    decisions = akvo.allocations.assign(
        n_contracts=per["n_contracts"].to_numpy(), contracted_eur=per["contracted_eur"].to_numpy()
    )
    rows = with_contract_rows(decisions, akvo.contracts)
    assert str(rows["contracted_eur"].dtype) == "Int64"
    assert str(rows["amount_eur"].dtype) == "Int64"
    columns = columns_with_hierarchy(["reference", "amount_eur", "n_contracts", "contracted_eur"])
    text = to_csv(export_frame(rows, columns, "en")).decode("utf-8-sig")
    body = list(csv.reader(io.StringIO(text)))[1:]
    first = next(r for r in body if r[0] == "T05-EUTF-NOA-LY-12")
    assert first[2:4] == [
        str(int(per.set_index("reference").at["T05-EUTF-NOA-LY-12", c])) for c in ("n_contracts", "contracted_eur")
    ]
    assert all(r[2] == r[3] == "" for r in body if r[4] == "contract")


def test_a_french_export_spells_the_record_types_in_french(imported):
    text = _export(imported["decisions-and-contracts"].dataset, "csv-fr").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert Counter(r["Type"] for r in rows) == {"décision": 250, "contrat": 385}


def test_the_about_sheet_totals_the_decisions_only(imported):
    akvo = imported["decisions-and-contracts"].dataset
    wb = openpyxl.load_workbook(io.BytesIO(_export(akvo, "xlsx")))
    about = {r[0].value: r[1].value for r in wb["About"].iter_rows(min_row=2) if r[0].value}
    assert about["Rows"] == 635
    assert about["Total (EUR)"] == 5_198_072_988
    assert about["Of which"].startswith("250 decisions and 385 contracts")
    sheet = list(wb["Allocations"].iter_rows(values_only=True))
    header = sheet[0]
    amount, kind = header.index("EU contribution (EUR)"), header.index("Record type")
    amounts = [r[amount] for r in sheet[1:] if r[kind] == "decision"]
    assert sum(amounts) == 5_198_072_988
    french = openpyxl.load_workbook(io.BytesIO(_export_xlsx_fr(akvo)))
    about = {r[0].value: r[1].value for r in french["À propos"].iter_rows(min_row=2) if r[0].value}
    assert about["Lignes"] == 635
    assert about["Total (EUR)"] == 5_198_072_988
    assert about["Dont"].startswith("250 décisions et 385 contrats")


def _export_xlsx_fr(dataset) -> bytes:
    rows = with_contract_rows(dataset.allocations, dataset.contracts)
    return to_xlsx(export_frame(rows, columns_with_hierarchy(COLUMNS), "fr"), _about("fr"))


def test_what_a_public_dataset_lacks_is_written_so_that_it_reads_back(imported):
    portfolio = imported["portfolio"].dataset
    for form, not_given, none in (("csv", "not given", "none"), ("csv-fr", "non renseigné", "aucun")):
        text = _export(portfolio, form).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";" if form == "csv-fr" else ","))
        header, body = rows[0], rows[1:]
        date = header.index("Date d'approbation" if form == "csv-fr" else "Approval date")
        round_ = header.index("Dialogue" if form == "csv-fr" else "Dialogue round")
        countries = header.index("Pays" if form == "csv-fr" else "Countries")
        assert sum(r[date] == not_given for r in body) == 62  # undated, no round: said, not left empty
        assert sum(r[countries] == not_given for r in body) == 11
        # dated projects outside Mali were reported at no Mali–EU dialogue: said, never derived on upload
        expected = portfolio.allocations["approval_date"].notna() & portfolio.allocations["dialogue_round"].isna()
        assert sum(r[round_] == none for r in body) == int(expected.sum()) == 186
        assert not any(r[date] == "" or r[countries] == "" for r in body)


def _template_csv(countries: str, date: str, round_: str = "") -> bytes:
    header = (
        "Reference,Title,Window,Scope,Countries,Strategic objective(s),EU contribution (EUR),Approval date,"
        "Dialogue round"
    )
    row = f"T05-EUTF-SAH-ML-01,A title,SAH,national,{countries},1,1000000,{date},{round_}"
    return (header + "\r\n" + row + "\r\n").encode()


def test_an_empty_cell_is_still_an_error_and_only_a_stated_absence_is_read_as_such():
    empty = load_bytes(_template_csv("", ""), "empty.csv")
    assert {f.rule for f in empty.report.errors} == {"countries-missing", "date-missing"}
    stated = load_bytes(_template_csv("not given", "non renseigné"), "stated.csv")
    assert stated.report.errors == [], stated.report.text()
    assert [f.rule for f in stated.report.findings if f.rule == "value-not-given"] == ["value-not-given"] * 2
    row = stated.dataset.allocations.iloc[0]
    assert row["countries"] == []
    assert pd.isna(row["approval_date"])
    assert pd.isna(row["dialogue_round"])
    # "none": no round derived from a date that would give the 2nd dialogue
    derived = load_bytes(_template_csv("ML", "2016-06-30"), "derived.csv").dataset.allocations.iloc[0]
    assert derived["dialogue_round"] == 2
    none = load_bytes(_template_csv("ML", "2016-06-30", "aucun"), "none.csv")
    assert none.report.errors == [], none.report.text()
    assert pd.isna(none.dataset.allocations.iloc[0]["dialogue_round"])


@pytest.mark.parametrize("text", ["=1+1", "-Réserve", "+33 1", "@SUM(A1)", "plain", "'quoted", "'x=1"])
def test_restore_undoes_neutralize(text):
    assert restore(neutralize(text)) == text


def test_the_xlsx_carries_the_decisions_reported_results_as_published(imported):
    """The Results sheet: each value of a decision and its contracts, as in the results file, and it still uploads."""
    import re
    from decimal import Decimal

    from etl import results

    akvo = imported["decisions-and-contracts"].dataset
    source = results.read_results()
    reported = results.rows_of(results.attach(source.frame, akvo.records), list(akvo.allocations["reference"]))
    rows = with_contract_rows(akvo.allocations, akvo.contracts)
    frame = export_frame(rows, columns_with_hierarchy(COLUMNS), "fr")
    payload = to_xlsx(frame, _about("fr"), reported)
    wb = openpyxl.load_workbook(io.BytesIO(payload))
    assert wb.sheetnames == ["Allocations", "Résultats", "À propos"]
    sheet = list(wb["Résultats"].iter_rows(values_only=True))
    header, body = sheet[0], sheet[1:]
    assert header[:5] == ("Décision", "Déclaré par", "Type de ligne", "Type de résultat", "Indicateur (tel que publié)")
    # T05-EUTF-NOA-LY-12 and its contracts, read here from the raw file: rows with a number or a percentage
    value = re.compile(r"^[-+]?\d+(\.\d+)?\s*%?$")
    with results.RESULTS_CSV.open(encoding="utf-8-sig", newline="") as f:
        raw = [
            r
            for r in csv.DictReader(f)
            if re.fullmatch(r"T05-EUTF-NOA-LY-12(-\d+)?", r["iati_id"].strip(), re.IGNORECASE)
            and (value.match(r["target"].strip()) or value.match(r["actual"].strip()))
        ]
    ly12 = [r for r in body if r[0] == "T05-EUTF-NOA-LY-12"]
    assert len(raw) > 10
    # a row repeated exactly in the file is one row (etl.results)
    keys = ("result_type", "title", "period_start", "period_end", "target", "actual")
    distinct = {(r["iati_id"].strip().casefold(), *(r[k] for k in keys)) for r in raw}
    assert len(ly12) == len(distinct)
    target, actual = header.index("Cible"), header.index("Valeur atteinte")
    # the values are the file's, exact (189 migrants protected under the decision and under its contract -01)
    protected = [r for r in ly12 if r[4].startswith("Number of migrants in transit") and r[actual] is not None]
    assert {(r[1], Decimal(str(r[actual]))) for r in protected} >= {
        ("T05-EUTF-NOA-LY-12", Decimal(189)),
        ("T05-EUTF-NOA-LY-12-01", Decimal(189)),
    }
    assert all(isinstance(r[target], (int, float, type(None))) for r in body)
    about = [r[1].value for r in wb["À propos"].iter_rows(min_row=2) if len(r) > 1]
    assert len(body) == len(reported)
    # the allocation sheet still uploads again to the same records
    again = load_bytes(payload, "export.xlsx", control=catalog.load_control_totals().iloc[0:0])
    assert again.report.errors == []
    _same_records(again.dataset.contracts, akvo.contracts)
    assert about  # the About sheet is there (its source line is given by the caller)


def test_the_results_sheet_holds_no_live_formula():
    from decimal import Decimal

    frame = export_frame(load_path(catalog.ALLOCATIONS_XLSX).dataset.allocations, COLUMNS, "en")
    rows = pd.DataFrame(
        [["T05-EUTF-SAH-ML-01", "T05-EUTF-SAH-ML-01", "decision", "x", '=HYPERLINK("http://e.invalid","x")', None, None,
          Decimal("12.5"), "percent", Decimal(3), "number", 7]],
        columns=["decision", "reference", "level", "result_type", "indicator", "period_start", "period_end", "target",
                 "target_unit", "actual", "actual_unit", "file_row"],
    )  # fmt: skip
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame, _about("en"), rows)))
    cell = wb["Results"]["E2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://e.invalid","x")'
    assert cell.quotePrefix
    assert wb["Results"]["H2"].value == 12.5
    assert wb["Results"]["J2"].value == 3
