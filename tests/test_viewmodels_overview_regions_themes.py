"""The view models of the Overview, Regions and Themes pages, computed without Streamlit on the shipped Mali dataset."""

from __future__ import annotations

import pytest

from analysis.filtering import apply
from domain.filters import Filters
from etl.catalog import ALLOCATIONS_XLSX, DEFAULT_DATASET, load_control_totals, profile
from validation.pipeline import load_path
from validation.reconcile import reconcile
from viewmodels import overview
from viewmodels.reconciliation import reconciliation_table
from viewmodels.regions import EQUAL_SPLIT, TOGETHER, regions
from viewmodels.themes import themes_page

MALI = profile(DEFAULT_DATASET)


@pytest.fixture(scope="module")
def mali():
    dataset = load_path(ALLOCATIONS_XLSX).dataset
    return dataset, tuple(reconcile(dataset.allocations, load_control_totals()))


def test_the_overview_gives_the_communique_totals(mali):
    dataset, lines = mali
    model = overview.overview(dataset, "en", "footer", MALI, False, lines, False)
    assert (model.total_eur, model.n_projects) == (145_100_000, 9)
    assert (model.regional_eur, model.n_regional) == (53_600_000, 3)
    assert (model.national_eur, model.n_national) == (91_500_000, 6)
    assert [k.label for k in model.kpis] == [
        "Total allocated",
        "Regional initiatives",
        "Projects targeting Mali",
        "Projects",
    ]
    assert model.kpis[0].help == "€145,100,000"
    assert model.kpis[1].help == "€53,600,000 · 3 projects"
    assert [(link.key, link.scope) for link in model.links] == [
        ("kpi_all", None),
        ("kpi_regional", "regional"),
        ("kpi_national", "national"),
    ]
    assert model.windows is None
    assert int(model.projects.table["amount_eur"].sum()) == 145_100_000
    assert model.projects.summary.startswith("9 projects, €145.1M in total. ")


def test_the_reconciliation_lines_are_met_to_the_euro(mali):
    dataset, lines = mali
    assert lines
    assert all(line.reconciles and line.gap_eur == 0 for line in lines)
    model = overview.overview(dataset, "en", "footer", MALI, False, lines, False)
    rec = model.reconciliation
    assert rec.met
    assert rec.heading == "Reconciliation with the joint communiqué"
    assert set(rec.table["Reconciles"]) == {"yes ✓"}
    assert set(rec.table["Gap (EUR)"]) == {"€0"}
    assert "Projects targeting Mali" in set(rec.table["Total"])  # the Overview's names, not the codes
    assert "€145,100,000" in set(rec.table["Loaded (EUR)"])


def test_the_reconciliation_table_for_a_file_keeps_the_upload_columns(mali):
    _, lines = mali
    table = reconciliation_table(lines, "en", against="file", source=False)
    assert list(table.columns) == [
        "Dialogue",
        "Total",
        "Control",
        "This file",
        "Gap",
        "Projects (control / file)",
        "Reconciles",
    ]
    assert set(table["Total"]) <= {"All projects", "National", "Regional"}


def test_a_filtered_overview(mali):
    dataset, lines = mali
    regional = apply(dataset, Filters(scopes=("regional",)))
    model = overview.overview(regional, "en", "footer", MALI, True, lines, False)
    assert (model.total_eur, model.n_projects, model.national_eur) == (53_600_000, 3, 0)
    assert [link.key for link in model.links] == ["kpi_all", "kpi_regional"]  # no "See the 0 national projects"
    assert model.reconciliation.heading.endswith("(whole dataset, filters not applied)")
    assert model.reconciliation.met  # the whole version, whatever the filters
    assert int(model.projects.table["amount_eur"].sum()) == 53_600_000


def test_an_overview_with_nothing_left(mali):
    dataset, lines = mali
    none = apply(dataset, Filters(countries=("ZZ",)))
    model = overview.overview(none, "fr", "footer", MALI, True, lines, False)
    assert model.total_eur == 0
    assert model.projects is None


def test_every_themes_chart_sums_to_the_total(mali):
    dataset, _ = mali
    model = themes_page(dataset, False, "en", "footer")
    assert model.total_eur == 145_100_000
    for split in (model.objectives, model.domains, model.themes):
        assert int(split.table["amount_eur"].sum()) == 145_100_000
        assert len(split.labels) == len(split.table) == len(split.codes)
    assert model.objectives.summary.endswith("Bars sum to €145.1M.")
    assert model.themes.shown


def test_themes_under_a_filter(mali):
    dataset, _ = mali
    model = themes_page(apply(dataset, Filters(scopes=("regional",))), False, "fr", "footer")
    assert model.total_eur == 53_600_000
    assert int(model.objectives.table["amount_eur"].sum()) == 53_600_000
    assert int(model.themes.table["amount_eur"].sum()) == 53_600_000


def test_the_regions_view_keeps_multi_country_projects_apart(mali):
    dataset, _ = mali
    model = regions(dataset, TOGETHER, "sahel", "Regional initiatives", False, "en", "footer")
    assert int(model.windows.table["amount_eur"].sum()) == 145_100_000
    assert model.buckets.total_eur == 145_100_000
    assert dict(zip(model.buckets.bars, model.buckets.table["amount_eur"], strict=True))[("regional", None)] == (
        53_600_000
    )
    mali_row = model.countries.table.set_index("country").loc["ML"]
    assert int(mali_row["national_eur"]) == 91_500_000
    assert mali_row["name"] == "Mali"
    assert model.countries.by_iso3["MLI"] == "ML"
    assert len(model.regional) == 3
    assert "Mali (€91.5M)" in model.countries.summary


def test_the_equal_split_still_sums_to_the_total(mali):
    dataset, _ = mali
    model = regions(dataset, EQUAL_SPLIT, "sahel", "Regional initiatives", False, "fr", "footer")
    assert model.buckets.total_eur == 145_100_000
    assert ("regional", None) not in model.buckets.bars
    assert int(model.countries.countries["national_eur"].sum()) <= 145_100_000


def test_regions_under_a_filter(mali):
    dataset, _ = mali
    model = regions(apply(dataset, Filters(scopes=("regional",))), TOGETHER, "sahel", "R", False, "en", "footer")
    assert model.buckets.total_eur == 53_600_000
    assert model.buckets.bars == [("regional", None)]
    assert model.countries.summary.endswith("all only by multi-country projects.")
