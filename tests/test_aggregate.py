"""Aggregations and filters keep every total equal to the sum of the rows behind it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from analysis.aggregate import (
    REGIONAL_BUCKET,
    by_country,
    by_country_with_regional_bucket,
    by_domain,
    by_objective,
    by_round,
    by_theme,
    totals_by_scope,
)
from analysis.filtering import apply
from domain.filters import NO_ROUND, Filters
from etl.catalog import load_calendar, load_control_totals
from etl.derive import equal_split


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=7))
def test_equal_split_is_exact(amount, n):
    shares = equal_split(amount, n)
    assert sum(shares) == amount
    assert max(shares) - min(shares) <= 1


def test_objective_split_sums_to_total(shipped):
    table = by_objective(shipped.dataset).set_index("objective")
    assert int(table["amount_eur"].sum()) == 145_100_000
    # ML-05 (6m, objectives 1;3) and ML-06 (29m, 3;4) are split equally
    assert table.at[3, "amount_eur"] == 3_000_000 + 14_500_000
    assert table.at[3, "projects_amount_eur"] == 35_000_000
    assert table.at[2, "inferred_eur"] == 20_000_000


def test_domain_split_keeps_not_reported_bucket(shipped):
    table = by_domain(shipped.dataset).set_index("domain")
    assert int(table["amount_eur"].sum()) == 145_100_000
    assert table.at[0, "n_projects"] == 6
    assert table.at[4, "amount_eur"] == 6_000_000 + 14_500_000


def test_theme_totals(shipped):
    table = by_theme(shipped.dataset.allocations)
    assert int(table["amount_eur"].sum()) == 145_100_000
    assert table.iloc[0]["theme"] == "sécurité et coopération régionales"
    assert table.iloc[0]["amount_eur"] == 53_600_000


def test_regional_initiatives_are_never_apportioned(shipped):
    buckets = by_country_with_regional_bucket(shipped.dataset).set_index("bucket")
    assert buckets["amount_eur"].to_dict() == {"ML": 91_500_000, REGIONAL_BUCKET: 53_600_000}
    countries = by_country(shipped.dataset).set_index("country")
    assert countries.at["ML", "national_eur"] == 91_500_000
    assert countries.at["NE", "national_eur"] == 0
    assert countries.at["NE", "n_regional"] == 3
    assert countries.at["SN", "regional_covering_eur"] == 41_600_000
    assert countries.at["BJ", "regional_covering_eur"] == 5_000_000


def test_rounds_cumulate_to_the_communique(shipped):
    table = by_round(shipped.dataset.allocations, load_calendar(), load_control_totals()).set_index("dialogue_round")
    assert table.at[1, "amount_eur"] == 43_500_000
    assert table.at[1, "control_national_eur"] == 43_500_000
    assert table.at[2, "cumulative_eur"] == 145_100_000
    assert table.at[2, "control_all_eur"] == 145_100_000
    assert table.at[2, "cumulative_n"] == 9
    assert NO_ROUND not in table.index


def test_filters_combine_and_long_tables_follow(shipped):
    data = shipped.dataset
    national = apply(data, Filters(scopes=("national",)))
    assert int(national.allocations["amount_eur"].sum()) == 91_500_000
    assert int(national.objectives["amount_share_eur"].sum()) == 91_500_000
    senegal = apply(data, Filters(countries=("SN",)))
    assert list(senegal.allocations["reference"]) == ["T05-EUTF-SAH-REG-04"]
    both = apply(data, Filters(objectives=(3,), rounds=(2,)))
    assert set(both.allocations["reference"]) == {"T05-EUTF-SAH-ML-05", "T05-EUTF-SAH-ML-06"}
    assert apply(data, Filters()) is data


def test_text_search_ignores_case_and_accents(shipped):
    hits = apply(shipped.dataset, Filters(text="  securite ")).allocations
    assert "T05-EUTF-SAH-REG-01" in set(hits["reference"])
    assert apply(shipped.dataset, Filters(text="gar-si")).allocations["reference"].tolist() == ["T05-EUTF-SAH-REG-04"]


def test_domain_filter_zero_means_not_reported(shipped):
    hits = apply(shipped.dataset, Filters(domains=(0,))).allocations
    assert len(hits) == 6


def test_totals_by_scope_with_no_rows(shipped):
    empty = apply(shipped.dataset, Filters(text="no such project"))
    totals = totals_by_scope(empty.allocations)
    assert totals["amount_eur"].tolist() == [0, 0]


def test_search_for_non_latin_text_is_not_emptied(shipped):
    assert len(apply(shipped.dataset, Filters(text="œ")).allocations) == 0
    assert len(apply(shipped.dataset, Filters(text="中文")).allocations) == 0
    assert len(apply(shipped.dataset, Filters(text="Développement")).allocations) >= 1


def test_partner_filter_matches_each_named_partner(shipped):
    hits = apply(shipped.dataset, Filters(partners=("AFD (Agence Française de Développement)",))).allocations
    assert set(hits["reference"]) == {"T05-EUTF-SAH-ML-04", "T05-EUTF-SAH-ML-05"}
    assert int(hits["amount_eur"].sum()) == 19_000_000


def test_date_and_amount_ranges(shipped):
    from datetime import date

    dated = apply(shipped.dataset, Filters(approved_from=date(2016, 10, 1), include_undated=False)).allocations
    assert list(dated["reference"]) == ["T05-EUTF-SAH-REG-03"]
    with_unknown = apply(shipped.dataset, Filters(approved_from=date(2016, 10, 1))).allocations
    assert len(with_unknown) == 8  # REG-03 and the 7 projects whose date is unknown
    big = apply(shipped.dataset, Filters(amount_min=20_000_000)).allocations
    assert set(big["reference"]) == {"T05-EUTF-SAH-ML-01", "T05-EUTF-SAH-ML-06", "T05-EUTF-SAH-REG-04"}
    small = apply(shipped.dataset, Filters(amount_max=7_000_000)).allocations
    assert int(small["amount_eur"].sum()) == 6_000_000 + 7_000_000 + 5_000_000
