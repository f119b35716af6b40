"""Contracted share by window, country and strategic objective (analysis.aggregate), and where it is shown.

The expected figures are summed here, in plain Python, from the decisions and contracts of the
EUTF monitoring export as published (data/public/published/EUTF_projects_akvo.csv).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.aggregate import REGIONAL_BUCKET, contracted_by
from analysis.filtering import apply
from domain.filters import Filters
from tests.conftest import PUBLIC_DATA
from validation.pipeline import load_path

AKVO = PUBLIC_DATA / "published" / "EUTF_projects_akvo.csv"
APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture(scope="module")
def akvo():
    return load_path(AKVO).dataset


def _contracts_of(dataset) -> dict[str, tuple[int, int]]:
    """Decision reference (folded) -> (number of contracts, their sum), from the contract rows."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for parent, amount in zip(dataset.contracts["parent_reference"], dataset.contracts["amount_eur"], strict=True):
        if pd.notna(parent):
            out[parent.strip().casefold()][0] += 1
            out[parent.strip().casefold()][1] += int(amount)
    return {k: (n, s) for k, (n, s) in out.items()}


def _expected(dataset, group_of) -> dict:
    """group -> [decisions, budget, contracts, contracted, over budget], each decision in one group."""
    contracts = _contracts_of(dataset)
    out: dict = defaultdict(lambda: [0, 0, 0, 0, 0])
    for item in dataset.allocations.itertuples(index=False):
        n, contracted = contracts.get(item.reference.strip().casefold(), (0, 0))
        row = out[group_of(item)]
        row[0] += 1
        row[1] += int(item.amount_eur)
        row[2] += n
        row[3] += contracted
        row[4] += contracted > int(item.amount_eur)
    return dict(out)


def _as_dict(frame: pd.DataFrame, key: str) -> dict:
    columns = ["n_projects", "amount_eur", "n_contracts", "contracted_eur", "n_over_budget"]
    return {k: [int(v) for v in row] for k, *row in frame[[key, *columns]].itertuples(index=False)}


def test_by_window_equals_the_sums_of_the_decisions_and_their_contracts(akvo):
    table = contracted_by(akvo, "window")
    assert list(table["window"]) == ["SAH", "HOA", "NOA", "REG"]
    assert _as_dict(table, "window") == _expected(akvo, lambda d: d.window)
    assert int(table["contracted_eur"].sum()) == 3_379_319_466  # under decisions of the export (README)
    assert int(table["amount_eur"].sum()) == 5_198_072_988
    assert int(table["n_over_budget"].sum()) == 36
    sah = table.set_index("window").loc["SAH"]
    assert sah["contracted_share"] == pytest.approx(sah["contracted_eur"] / sah["amount_eur"])


def test_by_country_keeps_multi_country_decisions_in_their_bucket(akvo):
    table = contracted_by(akvo, "country")
    expected = _expected(akvo, lambda d: d.countries[0] if d.scope == "national" else REGIONAL_BUCKET)
    assert _as_dict(table, "bucket") == expected
    assert table["bucket"].iloc[-1] == REGIONAL_BUCKET
    countries = table[table["bucket"] != REGIONAL_BUCKET]
    assert list(countries["amount_eur"]) == sorted(countries["amount_eur"], reverse=True)
    ml = table.set_index("bucket").loc["ML"]
    assert ml["contracted_share"] == pytest.approx(expected["ML"][3] / expected["ML"][1])


def test_by_objective_splits_budget_and_contracted_amount_alike(akvo):
    contracts = _contracts_of(akvo)
    expected: dict = defaultdict(lambda: [0, 0, 0, 0, 0])
    for item in akvo.allocations.itertuples(index=False):
        n, contracted = contracts.get(item.reference.strip().casefold(), (0, 0))
        objectives = sorted(item.objectives) or [0]
        k = len(objectives)
        for i, objective in enumerate(objectives):  # equal split, remainder euros to the first
            row = expected[objective]
            row[0] += 1
            row[1] += int(item.amount_eur) // k + (i < int(item.amount_eur) % k)
            row[2] += n
            row[3] += contracted // k + (i < contracted % k)
            row[4] += contracted > int(item.amount_eur)
    table = contracted_by(akvo, "objective")
    assert list(table["objective"]) == [1, 2, 3, 4, 0]
    assert _as_dict(table, "objective") == dict(expected)
    # both columns add up to the totals: each euro once
    assert int(table["amount_eur"].sum()) == 5_198_072_988
    assert int(table["contracted_eur"].sum()) == 3_379_319_466


def test_a_filtered_dataset_and_a_dataset_without_contracts(akvo, shipped):
    sahel = apply(akvo, Filters(windows=("SAH",)))
    table = contracted_by(sahel, "country")
    assert _as_dict(table, "bucket") == _expected(
        sahel, lambda d: d.countries[0] if d.scope == "national" else REGIONAL_BUCKET
    )
    mali = contracted_by(shipped.dataset, "window")
    assert int(mali["contracted_eur"].sum()) == 0
    assert (mali["contracted_share"] == 0).all()
    with pytest.raises(ValueError, match="objective"):
        contracted_by(akvo, "sector")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_regions_and_themes_show_the_share_contracted(lang):
    """The pages' tables carry the contracted amount and share for the decisions-and-contracts dataset only."""
    header = {"en": "Share contracted", "fr": "Part contractualisée"}[lang]
    for page, tables in (("pages/regions.py", 2), ("pages/themes.py", 1)):
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params.update({"lang": lang, "dataset": "eutf-decisions-and-contracts-dec-2021"})
        at.run()
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        shown = [d.value for d in at.dataframe if header in d.value.columns]
        assert len(shown) == tables, page
        if page == "pages/regions.py":
            windows = next(t for t in shown if len(t) == 4)
            expected = {"en": "81.1%", "fr": "81,1\u00a0%"}[lang]  # SAH: 1 604 927 684 of 1 980 031 392
            assert windows[header].iloc[0] == expected
        mali = AppTest.from_file(APP, default_timeout=60)
        mali.query_params["lang"] = lang
        mali.run()
        mali.switch_page(page).run()
        assert not any(header in d.value.columns for d in mali.dataframe)
