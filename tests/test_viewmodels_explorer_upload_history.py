"""The Explorer, Upload and History pages' view models, called without Streamlit on the shipped files."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pandas as pd
import pytest

from analysis.filtering import apply
from domain.dataset import DEFAULT_DATASET
from domain.filters import Filters
from domain.fmt import count, short_datetime
from etl.catalog import profile
from store.versions import VersionInfo
from tests.conftest import CASES_DIR, PUBLIC_DATA
from validation.pipeline import load_path
from viewmodels import explorer, history, upload

MALI_TOTAL = 145_100_000


@pytest.fixture(scope="module")
def mali(shipped):
    return shipped.dataset


@pytest.fixture(scope="module")
def akvo():
    """The EUTF monitoring platform's export: decisions with contracts, and warnings."""
    return load_path(PUBLIC_DATA / "published" / "EUTF_projects_akvo.csv")


def test_count_groups_in_the_language():
    assert count(1234567, "en") == "1,234,567"
    assert count(1234567, "fr") == "1\u202f234\u202f567"
    assert count(12, "fr") == "12"
    stamp = pd.Timestamp("2026-12-05 14:03", tz="UTC")
    assert short_datetime(stamp, "en") == "5 Dec 2026 14:03"


def test_the_default_sort_is_the_eu_contribution_largest_first():
    offered = explorer.choices(False)
    assert offered.default_sort == explorer.DEFAULT_SORT == "amount_eur"
    assert offered.sortable.index(offered.default_sort) == 8  # what was once a bare index=8
    assert explorer.DEFAULT_DESCENDING is True
    assert offered.chooser == "columns"
    assert offered.defaults[:3] == ("reference", "title", "amount_eur")  # the amount right after the title
    with_contracts = explorer.choices(True)
    assert with_contracts.chooser == "columns_contracts"
    assert set(with_contracts.options) - set(offered.options) == {"n_contracts", "contracted_eur"}


def test_mali_rows_order_and_totals(mali):
    rows = explorer.explorer_rows(mali, False)
    assert len(rows) == 9
    order = explorer.sort_order(rows, "amount_eur", True)
    amounts = rows["amount_eur"].to_numpy()[order].tolist()
    assert amounts == [41_600_000, 29_000_000, 20_000_000, 13_500_000, 13_000_000, 10_000_000, 7_000_000,
                       6_000_000, 5_000_000]  # fmt: skip
    assert rows["reference"].iloc[order[0]] == "T05-EUTF-SAH-REG-04"
    ascending = explorer.sort_order(rows, "amount_eur", False)
    assert rows["amount_eur"].to_numpy()[ascending].tolist() == amounts[::-1]
    totals = explorer.scope_totals(rows)
    assert (totals.national, totals.regional, totals.total) == (91_500_000, 53_600_000, MALI_TOTAL)
    # dates are unknown for 7 of the 9 decisions; counted only when the column is shown
    assert explorer.unknown_dates(rows, ["reference", "approval_date"]) == 7
    assert explorer.unknown_dates(rows, ["reference"]) == 0


def test_a_list_column_sorts_by_its_codes_and_unknown_dates_go_last(mali):
    rows = mali.allocations
    by_date = explorer.sort_order(rows, "approval_date", False)
    assert rows["reference"].iloc[by_date[:2]].tolist() == ["T05-EUTF-SAH-REG-01", "T05-EUTF-SAH-REG-03"]
    by_countries = explorer.sort_order(rows, "countries", False)
    keys = [";".join(rows["countries"].iloc[i]) for i in by_countries]
    assert keys == sorted(keys)


def test_a_filtered_view(mali):
    regional = apply(mali, Filters(scopes=("regional",)))
    rows = explorer.explorer_rows(regional, False)
    order = explorer.sort_order(rows, "amount_eur", True)
    assert rows["reference"].iloc[order].tolist() == [
        "T05-EUTF-SAH-REG-04",
        "T05-EUTF-SAH-REG-01",
        "T05-EUTF-SAH-REG-03",
    ]
    totals = explorer.scope_totals(rows)
    assert (totals.national, totals.regional, totals.total) == (0, 53_600_000, 53_600_000)


def test_the_table_on_screen_links_and_labels(mali):
    rows = mali.allocations
    order = explorer.sort_order(rows, "amount_eur", True)
    params = explorer.link_params("fr", DEFAULT_DATASET, False, 3)
    assert params == {"lang": "fr", "version": "v3"}
    shown = explorer.display_table(rows, order[:2], ["reference", "window", "scope", "amount_eur"], "en", params)
    assert list(shown.columns) == ["view", "reference", "window", "scope", "amount_eur"]
    assert shown["view"].iloc[0] == "/project?ref=T05-EUTF-SAH-REG-04&lang=fr&version=v3"
    assert shown["window"].iloc[0] == "SAH – Sahel & Lake Chad"
    assert shown["scope"].tolist() == ["Regional", "National"]
    assert shown["amount_eur"].tolist() == [41_600_000, 29_000_000]
    assert explorer.link_params("en", "EUTF public export", True, 1) == {"lang": "en", "dataset": "eutf-public-export"}


def test_column_settings():
    specs = explorer.column_specs(["title", "amount_eur", "approval_date", "scope"], "fr")
    assert [(s.code, s.kind) for s in specs] == [
        ("title", "text"),
        ("amount_eur", "number"),
        ("approval_date", "date"),
        ("scope", "column"),
        ("view", "link"),
    ]
    assert specs[2].date_format == "DD/MM/YYYY"
    assert specs[-1].label == "Projet"
    assert explorer.column_specs(["approval_date"], "en")[0].date_format == "YYYY-MM-DD"


def test_downloads_hold_the_rows_in_order(mali):
    rows = mali.allocations
    order = explorer.sort_order(rows, "amount_eur", True)
    columns = ["reference", "amount_eur"]
    about = explorer.about(
        dataset=DEFAULT_DATASET,
        version="v1",
        number=1,
        sha256="0123456789abcdef",
        filters=(),
        profile=profile(DEFAULT_DATASET),
        has_contracts=False,
        columns=columns,
        lang="en",
        now=pd.Timestamp("2026-12-05", tz="UTC"),
    )
    assert about.citation.endswith("version 1 (01234567), accessed 5 December 2026.")
    assert "leaves out" in about.sources[-1]  # the Source column is not among the columns
    table = explorer.download_table(rows, order, columns, None, "en")
    assert len(table) == 9
    assert table.iloc[:, 0].iloc[0] == "T05-EUTF-SAH-REG-04"
    assert explorer.shown_references(rows, order)[:2] == ["T05-EUTF-SAH-REG-04", "T05-EUTF-SAH-ML-06"]
    assert table.iloc[:, 1].sum() == MALI_TOTAL
    buttons = explorer.downloads(
        table=lambda lang: explorer.download_table(rows, order, columns, None, lang),
        about=about,
        results=lambda: (pd.DataFrame(), "results.csv"),
        iati=lambda: b"",
        stem=explorer.file_stem(DEFAULT_DATASET, True),
        number=4,
        lang="en",
    )
    assert [b.key for b in buttons] == ["dl_csv", "dl_csv_excel-fr", "dl_xlsx", "dl_json", "dl_xml_iati"]
    assert buttons[1].file_name.startswith("eutf-allocations")
    assert buttons[1].file_name.endswith("_excel-fr.csv")
    csv = buttons[0].data()
    csv = csv.decode("utf-8-sig") if isinstance(csv, bytes) else csv
    assert len(pd.read_csv(io.StringIO(csv))) == 9
    assert buttons[2].data()[:2] == b"PK"  # an xlsx, without a Results sheet when nothing is reported


def test_upload_summary_of_the_shipped_workbook(shipped):
    summary = upload.summary(shipped, "en")
    assert summary.publishable
    assert (summary.n_decisions, summary.amount_eur) == (9, MALI_TOTAL)
    assert (summary.n_contracts, summary.contracted_eur, summary.contracts_text) == (0, 0, None)
    assert summary.n_warnings == 0
    assert summary.recognised is None
    assert summary.sheet == "Read the sheet 'Allocations' (header on row 1)."


def test_upload_summary_of_an_export_with_contracts(akvo):
    summary = upload.summary(akvo, "en")
    assert summary.recognised.startswith("EUTF monitoring platform export")
    assert summary.sheet is None  # a CSV file
    assert (summary.n_decisions, summary.n_contracts) == (250, 385)
    assert (summary.amount_eur, summary.contracted_eur) == (5_198_072_988, 3_401_376_146)
    assert summary.contracts_text == (
        "250 decisions (€5,198,072,988) and 385 contracts (€3,401,376,146, inside their decisions' budgets, "
        "never added to the totals)."
    )
    assert summary.n_warnings == len(akvo.report.warnings) > 0


def test_upload_summary_of_a_file_with_errors():
    result = load_path(CASES_DIR / "files" / "case04b_header_missing_required_column.xlsx")
    summary = upload.summary(result, "en")
    assert not summary.publishable
    assert (summary.n_decisions, summary.amount_eur) == (0, 0)
    assert summary.sheet == "Read the sheet 'Allocations' (header on row 4)."


def test_upload_diff_targets_and_texts(shipped, mali):
    fewer = mali.allocations.iloc[1:]
    change = upload.changes(fewer, shipped)
    assert change.added["reference"].tolist() == [mali.allocations["reference"].iloc[0]]
    assert change.removed.empty
    assert int(change.totals.loc["all", "delta_eur"]) == 20_000_000
    assert upload.target_options(["a", "b"], "c", "+") == ["a", "b", "c", "+"]
    assert upload.target_options(["a", "b"], "a", "+") == ["a", "b", "+"]
    assert upload.reading_text("m.xlsx", 12345, "en") == "Reading m.xlsx: 12,345 rows…"
    assert "12\u202f345" in upload.reading_text("m.xlsx", 12345, "fr")
    assert upload.reading_share(50_000) == 0.5
    assert upload.reading_share(10**6) == 0.95


def version(number: int, total: int, rows: int, restored_from: int | None = None) -> VersionInfo:
    return VersionInfo(
        number=number,
        published_at=datetime(2026, 12, 5, 14, 3, tzinfo=UTC),
        published_by="ana",
        file_name="mali.xlsx",
        file_sha256="ab" * 32,
        comment="update",
        row_count=rows,
        total_eur=total,
        national_eur=total - 1_000_000,
        regional_eur=1_000_000,
        n_warnings=2,
        base_number=None,
        restored_from=restored_from,
    )


def test_history_table_and_restore_text():
    versions = [version(2, MALI_TOTAL, 9, restored_from=1), version(1, 100_000_000, 8)]
    table = history.version_table(versions, "en")
    assert table["Version"].tolist() == ["v2", "v1"]
    assert table["Published (UTC)"].iloc[0] == "5 Dec 2026 14:03"
    assert table["Total"].tolist() == ["€145,100,000", "€100,000,000"]
    assert table["Projects"].tolist() == [9, 8]
    assert table["SHA-256"].iloc[0] == "ab" * 8
    assert table["Comment"].tolist() == ["update (restore of v1)", "update"]
    text = history.restore_confirmation(versions, 1, "en")
    assert text.startswith("I confirm: every page will show v1 again (€100,000,000, 8 projects) instead of v2")


def test_history_diff(mali):
    change = history.changes(mali.allocations, mali.allocations.iloc[:-1])
    assert change.removed["amount_eur"].tolist() == [41_600_000]
    assert int(change.totals.loc["all", "new_eur"]) == MALI_TOTAL - 41_600_000
