"""Approvals over time: by year of adoption, computed from the published projects database; undated apart."""

from __future__ import annotations

import csv
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis import timeline
from etl import catalog
from validation.pipeline import load_path

ROOT = Path(__file__).resolve().parents[1]
DATABASE = catalog.PUBLIC_DATA_DIR / catalog.PUBLIC_EXPORTS[0].file_name


def _expected_by_year() -> tuple[dict[int, int], int, int]:
    """EUR by adoption year, and the undated count and amount, from the raw file (csv + Decimal)."""
    with DATABASE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    seen, by_year, undated, n_undated = set(), Counter(), 0, 0
    for r in rows:
        key = r["ProjectID"].strip().casefold()
        if not key.startswith("t05-eutf-") or key in seen:  # not an EUTF record, or a repeated reference
            continue
        seen.add(key)
        euros = int(Decimal(r["ProjectBudget"]).to_integral_value(rounding=ROUND_HALF_UP))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["ProjectAdoptionDate"]):
            by_year[int(r["ProjectAdoptionDate"][:4])] += euros
        else:  # empty, or 28.05.19: never guessed
            undated += euros
            n_undated += 1
    return dict(by_year), undated, n_undated


def test_approvals_by_year_equal_the_raw_file():
    by_year, undated, n_undated = _expected_by_year()
    table = timeline.approvals_by_year(load_path(DATABASE).dataset.allocations)
    dated = table[table["year"].notna()]
    assert dict(zip(dated["year"].astype(int), dated["amount_eur"].astype(int), strict=True)) == by_year
    last = table.iloc[-1]
    assert pd.isna(last["year"])
    assert (int(last["n_projects"]), int(last["amount_eur"])) == (n_undated, undated) == (62, 1_296_437_879)
    assert int(table["amount_eur"].sum()) == 5_201_072_988  # years plus undated give the total
    assert list(dated["year"]) == sorted(dated["year"])


def test_inferred_amounts_stay_marked():
    table = timeline.approvals_by_year(load_path(catalog.ALLOCATIONS_XLSX).dataset.allocations)
    assert int(table["amount_eur"].sum()) == 145_100_000
    assert int(table["inferred_eur"].sum()) == 25_000_000  # ML-01 (20 M€) and the inferred REG amounts


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_timeline_page_in_both_languages(lang):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.query_params["dataset"] = catalog.dataset_slug(catalog.PUBLIC_EXPORTS[0].dataset)
    at.run()
    at.switch_page("pages/timeline.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == ("Approvals over time" if lang == "en" else "Approbations dans le temps")
    data = next(d.value for d in at.dataframe)
    label = "Year of approval" if lang == "en" else "Année d’approbation"
    assert list(data[label])[-1] == ("No approval date" if lang == "en" else "Sans date d’approbation")
    assert list(data[label])[:3] == ["2015", "2016", "2017"]


def test_the_periods_chart_cites_the_file_its_dates_come_from():
    """On any dataset the implementation periods come from the projects database: the chart's footer (what a
    saved PNG keeps) names that file, not the dataset's own source (review finding)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["dataset"] = catalog.dataset_slug(catalog.PUBLIC_EXPORTS[1].dataset)  # decisions and contracts
    at.run()
    at.switch_page("pages/timeline.py").run()
    assert not at.exception, [e.value for e in at.exception]
    specs = {c.proto.id.rsplit("-", 1)[-1]: c.proto.spec for c in at.get("plotly_chart")}
    assert "EUTF-Projects-Database-2022-01.csv" in specs["running_chart"]
    assert "monitoring platform" not in specs["running_chart"]


def test_implementation_periods_from_the_raw_file():
    """Decisions under way each year, counted from the raw start and end dates; partial periods apart."""
    with DATABASE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    seen, expected, partial = set(), Counter(), Counter()
    for r in rows:
        key = r["ProjectID"].strip().casefold()
        if not key.startswith("t05-eutf-") or key in seen:
            continue
        seen.add(key)
        start, end = r["ProjectStartDate"], r["ProjectEndDate"]
        if start and end:
            for year in range(int(start[:4]), int(end[:4]) + 1):
                expected[year] += 1
        else:
            partial["start_only" if start else "end_only" if end else "neither"] += 1
    allocations = load_path(DATABASE).dataset.allocations
    table, apart = timeline.running_by_year(allocations, timeline.read_periods(DATABASE))
    assert dict(zip(table["year"], table["n_running"], strict=True)) == dict(expected)
    assert apart == {**partial, "not_in_file": 0}
    assert apart["end_only"] == 94  # most of the file's decisions give an end date only


def test_a_single_year_of_approvals_is_said_so():
    """The Mali dataset dates its approvals in 2016 only: the summary says so, not 'from 2016 to 2016' (review)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/timeline.py").run()
    assert not at.exception, [e.value for e in at.exception]
    texts = " ".join(str(m.value) for m in at.get("text"))  # the chart summaries
    assert "All dated approvals fall in 2016" in texts
    assert "from 2016 to 2016" not in texts
