"""Results indicators (EUTF_akvo_results.csv as published): sums per indicator and unit, each value once.

The expected figures are computed here from the raw rows (csv module and Decimal), with the
counting rule written out in plain loops: a decision's own value covers its contracts'.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl import catalog, results
from validation.pipeline import load_path

ROOT = Path(__file__).resolve().parents[1]
RAW = catalog.PUBLIC_DATA_DIR / "published" / "EUTF_akvo_results.csv"
AKVO = catalog.PUBLIC_DATA_DIR / "published" / "EUTF_projects_akvo.csv"
JOBS = ("EUTF indicators", "Number of jobs created")
STAFF = (
    "EUTF indicators - new",
    "Number of staff from local authorities and basic service providers benefitting from capacity building for "
    "strengthening services delivery",
)


@pytest.fixture(scope="module")
def monitoring():
    return load_path(AKVO).dataset


@pytest.fixture(scope="module")
def read():
    return results.read_results(RAW)


@pytest.fixture(scope="module")
def summary(read, monitoring):
    attached = results.attach(read.frame, monitoring.records)
    return (
        results.summarise(attached, monitoring.allocations).set_index(["result_type", "indicator", "unit"]).sort_index()
    )


def _raw_rows() -> list[dict[str, str]]:
    with RAW.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _expected(monitoring, result_type: str, indicator: str, column: str) -> tuple[Decimal, int]:
    """The sum of plain-number values of one indicator, a decision's own value covering its contracts'."""
    decisions = {r.casefold(): r for r in monitoring.allocations["reference"]}
    parent = {
        c.casefold(): p
        for c, p in zip(monitoring.contracts["reference"], monitoring.contracts["parent_reference"], strict=True)
        if isinstance(p, str) and p.casefold() in decisions
    }
    own: dict[str, list[Decimal]] = defaultdict(list)
    under: dict[str, list[Decimal]] = defaultdict(list)
    seen = set()
    for r in _raw_rows():
        if (r["result_type"], r["title"]) != (result_type, indicator):
            continue
        if not re.fullmatch(r"\d+(\.\d+)?", r[column].strip()):
            continue
        repeat = (r["iati_id"].casefold(), r["period_start"], r["period_end"], r["target"], r["actual"])
        if repeat in seen:
            continue
        seen.add(repeat)
        key = r["iati_id"].strip().casefold()
        if key in decisions:
            own[decisions[key]].append(Decimal(r[column]))
        elif key in parent:
            under[parent[key]].append(Decimal(r[column]))
    counted = [v for values in own.values() for v in values]
    counted += [v for decision, values in under.items() if decision not in own for v in values]
    return sum(counted, Decimal(0)), len(counted)


@pytest.mark.parametrize("indicator", [JOBS, STAFF], ids=["jobs", "staff"])
@pytest.mark.parametrize("column", ["target", "actual"])
def test_target_and_actual_equal_the_sums_of_the_raw_rows(summary, monitoring, indicator, column):
    total, n = _expected(monitoring, *indicator, column)
    line = summary.loc[(*indicator, "number")]
    assert line[column] == total
    assert line[f"n_{column}"] == n
    assert n > 40  # a real indicator, reported by dozens of decisions and contracts


def test_the_figures_of_two_indicators(summary):
    jobs = summary.loc[(*JOBS, "number")]
    assert (jobs["target"], jobs["actual"]) == (Decimal("87258"), Decimal("66328.00"))
    staff = summary.loc[(*STAFF, "number")]
    assert (staff["target"], staff["actual"]) == (Decimal("91086"), Decimal("92195.00"))


def test_a_decisions_own_value_covers_its_contracts(read, monitoring):
    """T05-EUTF-NOA-LY-12 reports 189 migrants protected, and so does its contract -01: 189, not 378."""
    indicator = "Number of migrants in transit and forcibly displaced people protected or assisted"
    rows = read.frame[read.frame["indicator"] == indicator]
    ly12 = rows[rows["reference"].str.startswith("T05-EUTF-NOA-LY-12")]
    assert sorted(ly12.dropna(subset=["actual"])["actual"]) == [Decimal("189.00"), Decimal("189.00")]
    decision = monitoring.allocations[monitoring.allocations["reference"] == "T05-EUTF-NOA-LY-12"]
    attached = results.attach(ly12, monitoring.records)
    line = results.summarise(attached, decision).iloc[0]
    assert (line["actual"], line["n_actual"], line["n_records"], line["n_decisions"]) == (Decimal("189.00"), 1, 2, 1)
    assert line["coverage_eur"] == int(decision["amount_eur"].iloc[0])


def test_an_indicator_reported_in_two_units_is_not_summed(summary):
    key = (
        "Increase access to and quality of basic health, water and sanitation and hygiene services, livelihood "
        "productivity and create economic opportunities to target beneficiaries while reducing their vulnerability "
        "to various external shocks.",
        "Family planning coverage (EDHS)",
    )
    raw = [r for r in _raw_rows() if (r["result_type"], r["title"]) == key]
    written = {r["target"] for r in raw} | {r["actual"] for r in raw}
    assert any(v.endswith("%") for v in written)
    assert any(re.fullmatch(r"\d+(\.\d+)?", v) for v in written)
    lines = summary.loc[key]
    assert set(lines.index) == {"number", "percent"}  # two lines, never one sum
    assert lines.loc["percent", "target"] is None  # percentages are counted, never summed
    assert lines.loc["percent", "n_target"] + lines.loc["percent", "n_actual"] >= 1


def test_unreadable_values_and_repeated_rows_are_reported(read):
    raw = _raw_rows()
    unreadable = [f for f in read.findings if f.rule == "result-value-unreadable"]
    assert unreadable
    for f in unreadable[:20]:
        record = raw[f.row - 2]  # row 1 is the header
        assert record[f.column] == f.value
        assert f.cell == ("G" if f.column == "target" else "H") + str(f.row)
        assert f.message_in("fr") != f.message
    assert {f.value for f in unreadable} >= {"yes", "0,6"}
    assert not any(f.value == "NULL" for f in unreadable)  # the export's empty value
    repeated = [f for f in read.findings if f.rule == "result-row-repeated"]
    assert len(read.frame) + len(repeated) == len(raw)
    for f in repeated:
        first, again = raw[f.extra["first"] - 2], raw[f.row - 2]
        assert {k: v for k, v in first.items() if k != ""} == {k: v for k, v in again.items() if k != ""}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3794.00", (Decimal("3794.00"), "number", False)),
        ("80%", (Decimal("80"), "percent", False)),
        ("NULL", (None, None, False)),
        ("N/A", (None, None, False)),
        ("", (None, None, False)),
        ("2350/650", (None, None, True)),
        ("Baseline +50%", (None, None, True)),
    ],
)
def test_values_are_read_exactly_with_their_unit(raw, expected):
    assert results.parse_value(raw) == expected


def test_results_attach_to_the_project_list_too(read):
    """A dataset without contracts: a contract's results go to the decision its reference extends."""
    portfolio = load_path(catalog.PUBLIC_DATA_DIR / catalog.PUBLIC_EXPORTS[0].file_name).dataset
    attached = results.attach(read.frame, portfolio.records)
    ly12 = attached[attached["reference"] == "T05-EUTF-NOA-LY-12-01"]
    assert set(ly12["decision"]) == {"T05-EUTF-NOA-LY-12"}
    assert set(ly12["level"]) == {"contract"}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_results_page_in_both_languages(lang):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.query_params["dataset"] = catalog.dataset_slug(catalog.PUBLIC_EXPORTS[1].dataset)
    at.run()
    at.switch_page("pages/results.py").run()
    assert not at.exception, [e.value for e in at.exception]
    title = at.title[0].value
    assert title == ("Results reported" if lang == "en" else "Résultats déclarés")
    table = next(d.value for d in at.dataframe if len(d.value) > 100)
    indicator = "Indicator" if lang == "en" else "Indicateur"
    actual = "Actual (sum)" if lang == "en" else "Réalisé (somme)"
    jobs = table[table[indicator] == "Number of jobs created"].iloc[0]
    assert jobs[actual] in ("66328", "66 328", "66\u202f328", "66,328")
    text = " ".join(i.value for i in at.info)
    assert ("never summed across indicators" if lang == "en" else "jamais additionnées d’un indicateur à l’autre") in (
        text
    )


def test_the_results_download_is_exact_and_inert(summary):
    import io

    from downloads.tables import STANDARD, to_csv

    table = summary.reset_index()
    rows = list(csv.DictReader(io.StringIO(to_csv(results.export_rows(table), STANDARD).decode("utf-8-sig"))))
    assert len(rows) == len(table)
    jobs = next(r for r in rows if (r["result_type"], r["indicator"], r["unit"]) == (*JOBS, "number"))
    assert (jobs["target_sum"], jobs["actual_sum"]) == ("87258", "66328.00")
    percent = next(r for r in rows if r["unit"] == "percent")
    assert percent["target_sum"] == percent["actual_sum"] == ""  # never summed
    formula_like = [t for t in table["indicator"] if t.startswith(("=", "+", "-", "@"))]
    assert formula_like  # titles as published such as "- Number of ..."
    written = [r["indicator"] for r in rows]
    assert all("'" + t in written for t in formula_like)  # each made inert, none left as typed
    assert not any(w.startswith(("=", "+", "-", "@")) for w in written)
