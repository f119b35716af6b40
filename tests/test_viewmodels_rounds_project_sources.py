"""The pages' view models (viewmodels/), computed without Streamlit on the shipped datasets."""

from __future__ import annotations

import pandas as pd
import pytest

from domain.filters import NO_ROUND, UNDATED
from etl import catalog
from validation.pipeline import load_path
from viewmodels import commitments, comparison, project, results, rounds, sources, timeline

PORTFOLIO = catalog.PUBLIC_DATA_DIR / catalog.PUBLIC_EXPORTS[0].file_name
AKVO = catalog.PUBLIC_DATA_DIR / catalog.PUBLIC_EXPORTS[1].file_name


@pytest.fixture(scope="module")
def mali(shipped):
    return shipped.dataset


@pytest.fixture(scope="module")
def portfolio():
    return load_path(PORTFOLIO).dataset


def _rounds(allocations, communique: bool, lang: str = "en", no_dates: bool = False):
    return rounds.rounds(
        allocations,
        communique,
        no_dates,
        lang,
        "footer",
        communique,
        False,
        catalog.load_calendar(),
        catalog.load_control_totals(),
    )


def test_rounds_of_the_mali_dataset_add_up_to_the_communique(mali):
    model = _rounds(mali.allocations, communique=True)
    table = model.table
    assert list(table["label"]) == ["1st High-Level Dialogue", "2nd High-Level Dialogue"]
    assert list(table["amount_eur"].astype(int)) == [43_500_000, 101_600_000]
    assert list(table["n_projects"].astype(int)) == [3, 6]
    assert int(table["amount_eur"].sum()) == int(table["cumulative_eur"].iloc[-1]) == 145_100_000
    assert not model.mali_only
    assert model.covering == model.total == 9
    assert model.derived == ("T05-EUTF-SAH-REG-03",)
    assert model.summary.startswith("1st High-Level Dialogue: €43.5M added (3 projects)")
    assert model.round_at("2nd High-Level Dialogue") == 2
    assert model.round_at("elsewhere") is None
    assert model.figure is not None
    assert list(model.calendar.columns) == ["Event", "Date", "Place", "Reported then (2016 amounts)", "Note", "Source"]


def test_rounds_of_the_portfolio_show_its_projects_in_mali_with_the_pipelines_rounds(portfolio):
    allocations = portfolio.allocations
    model = _rounds(allocations, communique=False, lang="fr")
    in_mali = allocations["countries"].map(lambda cs: "ML" in cs).astype(bool)
    assert model.mali_only
    assert (model.covering, model.total) == (int(in_mali.sum()), len(allocations)) == (35, 251)
    # the rounds are the pipeline's: only projects in Mali have one, and none is derived again by the view model
    assert allocations.loc[~in_mali, "dialogue_round"].isna().all()
    by_bucket = dict(zip(model.table["dialogue_round"], model.table["n_projects"].astype(int), strict=True))
    assert by_bucket == {1: 1, 2: 2, NO_ROUND: model.after, UNDATED: model.undated}
    assert model.after == 22
    assert int(model.table["amount_eur"].sum()) == int(allocations.loc[in_mali, "amount_eur"].sum())
    assert model.table["label"].iloc[-1] == "Date inconnue"


def test_rounds_without_approval_dates_show_nothing(portfolio):
    model = _rounds(portfolio.allocations, communique=False, no_dates=True)
    assert model.figure is None
    assert model.table.empty
    assert model.no_dates
    assert rounds.no_approval_dates(portfolio.allocations.assign(approval_date=pd.NaT))


def test_timeline_years_sum_to_the_total(portfolio):
    allocations = portfolio.allocations
    model = timeline.timeline(allocations, "en", "footer", "periods")
    assert int(model.years["amount_eur"].sum()) == int(allocations["amount_eur"].sum()) == 5_201_072_988
    assert model.years["label"].iloc[-1] == "No approval date"
    assert model.years_summary.startswith("Approvals from 2015 to 2021; the largest year is 2017")
    assert model.undated_caption == "Undated: 62 decisions, €1,296,437,879 (24.9% of the total shown)."
    assert model.running_figure is not None
    assert model.running["year"].map(type).eq(str).all()
    assert "57 decisions have a full implementation period" in model.running_summary
    assert timeline.periods_file() in timeline.periods_source("fr")


@pytest.mark.parametrize(
    ("lang", "summary"),
    [
        ("en", "1 decision has a full implementation period; the most under way at once is 1 decision, in 2016."),
        (
            "fr",
            "1 décision a une période de mise en œuvre complète ; le plus grand nombre en cours à la fois est de "
            "1 décision, en 2016.",
        ),
    ],
)
def test_timeline_running_summary_says_one_decision_in_the_singular(mali, lang, summary):
    """Strategic objective 3 of the Mali workbook: one decision with a full period (was '1 decisions have')."""
    allocations = mali.allocations[mali.allocations["objectives"].map(lambda o: 3 in o)]
    model = timeline.timeline(allocations, lang, "footer", "periods")
    assert model.running_summary == summary


def test_project_page_of_a_reference_of_the_mali_workbook(mali, portfolio):
    model = project.project(mali, "  t05-eutf-sah-ml-01 ", catalog.DEFAULT_DATASET, "en")
    assert model.found
    assert model.reference == "T05-EUTF-SAH-ML-01"
    assert (model.amount, model.basis, model.dialogue) == ("€20,000,000", "Inferred", "1st High-Level Dialogue")
    assert model.inferred
    fields = dict(model.fields.itertuples(index=False))
    assert fields["Countries"] == "ML – Mali"
    assert fields["Scope"] == "National"
    assert not model.has_contracts
    assert not project.project(mali, "nothing", catalog.DEFAULT_DATASET, "en").found

    section = comparison.same_decision(
        catalog.DEFAULT_DATASET, model.decision, {catalog.PUBLIC_EXPORTS[0].dataset: portfolio}, "en"
    )
    assert section.heading == "The same decision in other datasets"
    assert not section.empty
    assert section.table.iloc[0].tolist()[0] == "T05-EUTF-SAH-ML-01"
    assert section.table["Other minus this"].iloc[0] == "€5,000,000"


def test_project_page_with_contracts():
    akvo = load_path(AKVO).dataset
    parents = akvo.contracts["parent_reference"].dropna()
    reference = parents.value_counts().index[0]
    model = project.project(akvo, reference, catalog.PUBLIC_EXPORTS[1].dataset, "en")
    contracts = akvo.contracts_of({model.reference})
    assert model.has_contracts
    assert len(model.contracts) == len(contracts) > 1
    assert model.contracts_text.startswith(f"{len(contracts)} contracts, **")


def test_sources_model(mali, portfolio):
    model = sources.sources(catalog.DEFAULT_DATASET, "en", catalog.load_control_totals(), None)
    assert model.control is not None
    assert model.export is None
    assert list(model.control.columns) == ["Dialogue", "Total", "Projects", "Amount", "Source"]
    assert len(model.notes) == len(catalog.load_method_notes())
    assert list(model.windows.columns) == ["Code", "Window"]

    public = sources.sources(catalog.PUBLIC_EXPORTS[0].dataset, "fr", catalog.load_control_totals(), None)
    assert public.control is None
    assert public.export is not None
    assert public.export.report is None
    assert public.export.shipped_path == f"data/public/{catalog.PUBLIC_EXPORTS[0].file_name}"
    report = load_path(PORTFOLIO).report
    shown = sources.sources(catalog.PUBLIC_EXPORTS[0].dataset, "en", catalog.load_control_totals(), report)
    assert shown.export.report is not None

    rows = sources.project_rows(mali.allocations, "en")
    assert len(rows) == 9
    assert rows["Dialogue"].iloc[0] == "1st High-Level Dialogue"
    assert sources.orphans(mali, "en").count == 0
    whole = comparison.same_decisions(pd.DataFrame(columns=comparison_columns()), "en", whole=True)
    assert whole.empty
    assert whole.heading == "The same decisions in other datasets"


def comparison_columns() -> list[str]:
    return ["reference", "dataset", "base_eur", "other_eur", "change_eur", "base_basis", "other_basis"]


def test_results_and_commitments_models():
    from etl.results import attach, read_results, summarise

    akvo = load_path(AKVO).dataset
    summary = summarise(attach(read_results().frame, akvo.records), akvo.allocations)
    total = results.total(akvo.allocations)
    kinds = results.kinds(summary, "en")
    assert kinds[0] == "All indicators"
    model = results.indicators(summary, kinds[0], total, "en", "footer", "x", 3)
    assert len(model.table) == len(summary)
    assert model.file_name == "eutf-results-x-v3.csv"
    assert model.figure is not None
    assert len(model.top) <= results.TOP
    lines = model.csv.splitlines()
    assert lines[0].decode("utf-8-sig") == (
        "Result type,Indicator,Unit,Target (sum),Actual (sum),Targets counted,Actuals counted,"
        "Decisions and contracts reporting,Decisions,Coverage (EUR)"
    )
    assert len(lines) == len(summary) + 1
    french = results.indicators(summary, kinds[0], total, "fr", "footer", "x", 3).csv.splitlines()[0]
    assert french.decode("utf-8-sig").startswith("Type de résultat,Indicateur,Unité,")

    empty = pd.DataFrame({"record_type": [], "reference": [], "value_eur": pd.array([], dtype="Int64")})
    shown = commitments.commitments(akvo.records, empty, "en")
    assert shown.caption == "0 of the version's 0 transactions belong to the projects shown: €0 in all."
