"""The filters' one codec (domain/filters.py): links, the CLI and the dashboard read and write the same codes."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli.__main__ import _filters
from domain import refdata
from domain.filters import KEYS, MAX_EUR, NO_ROUND, PARAMS, UNDATED, Filters, ParamProblem

REAL = [
    Filters(),
    Filters(countries=("ML",), scopes=("national",)),
    Filters(windows=("SAH", "REG"), objectives=(1, 3), domains=(0, 2), rounds=(2, NO_ROUND, UNDATED)),
    Filters(themes=("Migration governance",), partners=("GIZ", "Expertise France"), text="wapis  Ségou"),
    Filters(approved_from=refdata.EUTF_LAUNCH, approved_to=date(2016, 12, 31), include_undated=False),
    Filters(amount_min=0, amount_max=MAX_EUR),
    Filters(amount_min=1_000_000, approved_to=date(2021, 6, 30)),
    Filters(sectors=("15190", "16020"), countries=("ML",)),
]


@pytest.mark.parametrize("filters", REAL)
def test_real_filters_come_back_from_their_codes(filters):
    assert Filters.from_params(filters.to_params()) == (filters, [])


def test_only_what_is_set_is_written_as_codes():
    assert Filters().to_params() == {}
    assert Filters(countries=("ML",), amount_min=1_000_000, include_undated=False).to_params() == {
        "country": ["ML"],
        "undated": ["0"],
        "min_eur": ["1000000"],
    }


def _codes(alphabet: list) -> st.SearchStrategy:
    return st.lists(st.sampled_from(alphabet), unique=True, max_size=4).map(tuple)


_days = st.dates(min_value=refdata.EUTF_LAUNCH, max_value=date(2030, 12, 31))
_amounts = st.integers(min_value=0, max_value=MAX_EUR)


@st.composite
def _filters_strategy(draw) -> Filters:
    start, end = draw(st.none() | _days), draw(st.none() | _days)
    if start and end and start > end:
        start, end = end, start
    low, high = draw(st.none() | _amounts), draw(st.none() | _amounts)
    if low is not None and high is not None and low > high:
        low, high = high, low
    return Filters(
        windows=draw(_codes(list(refdata.WINDOWS))),
        scopes=draw(_codes(["national", "regional"])),
        countries=draw(_codes(["ML", "NE", "SN", "LY", "ET", "SO", "BF", "TD"])),
        objectives=draw(_codes([0, *refdata.OBJECTIVES])),
        domains=draw(_codes([0, 1, 2, 3, 4, 5])),
        rounds=draw(_codes([1, 2, 3, 4, NO_ROUND, UNDATED])),
        sectors=draw(_codes(["15190", "16020", "11330", "72010"])),
        text=draw(st.text(max_size=20)),
        approved_from=start,
        approved_to=end,
        include_undated=draw(st.booleans()),
        amount_min=low,
        amount_max=high,
    )


@given(_filters_strategy())
def test_any_filters_come_back_from_their_codes(filters):
    assert Filters.from_params(filters.to_params()) == (filters, [])


#: Each refused value: the parameters, the problem's key and value, its words (English, keys as labels).
PROBLEMS = [
    ({"objective": ["three"]}, "objective", "three", "objective: 'three' is not a whole number"),
    ({"round": ["2.5"]}, "round", "2.5", "round: '2.5' is not a whole number"),
    ({"approved_to": ["31/12/2016"]}, "approved_to", "31/12/2016", "is not a date (YYYY-MM-DD)"),
    (
        {"approved_from": ["2015-11-11"]},
        "approved_from",
        "2015-11-11",
        "approved_from: '2015-11-11' is before the EUTF was set up (12 November 2015)",
    ),
    ({"min_eur": ["12abc"]}, "min_eur", "12abc", "min_eur: '12abc' is not a whole number of euros"),
    ({"max_eur": ["-5"]}, "max_eur", "-5", "is not a whole number of euros"),
    ({"max_eur": ["9" * 30]}, "max_eur", "9" * 30, "is above €1,000,000,000,000, more than the whole EUTF"),
    ({"undated": ["maybe"]}, "undated", "maybe", "'undated=maybe' is neither 0 nor 1"),
    (
        {"min_eur": ["50000000"], "max_eur": ["1000"]},
        "min_eur",
        "50000000",
        "min_eur: '50000000' is above max_eur: '1000'; the amount range is not applied",
    ),
    (
        {"approved_from": ["2016-12-31"], "approved_to": ["2016-01-01"]},
        "approved_from",
        "2016-12-31",
        "approved_from: '2016-12-31' is after approved_to: '2016-01-01'; the date range is not applied",
    ),
]


@pytest.mark.parametrize(("params", "key", "value", "words"), PROBLEMS, ids=[p[3][:40] for p in PROBLEMS])
def test_each_refused_value_is_a_problem_with_its_key_and_value(params, key, value, words):
    filters, problems = Filters.from_params(params)
    assert filters == Filters()  # nothing of it applied (a refused range loses both ends)
    assert [(p.key, p.value) for p in problems] == [(key, value)]
    assert isinstance(problems[0], ParamProblem)
    assert words in problems[0].in_words("en")


def test_problems_are_said_in_french_with_the_callers_labels():
    _read, problems = Filters.from_params({"approved_from": ["2000-01-01"]})
    words = problems[0].in_words("fr", lambda key: {"approved_from": "Approuvé depuis"}[key])
    assert (
        words.replace("\u00a0", " ").replace("\u202f", " ")
        == "Approuvé depuis : « 2000-01-01 » est antérieur à la création du FFUE (12 novembre 2015)"
    )


def test_good_values_stay_when_others_are_refused():
    filters, problems = Filters.from_params({"objective": ["3", "x", "3"], "max_eur": ["10 000 000"], "lang": ["fr"]})
    assert filters == Filters(objectives=(3,), amount_max=10_000_000)
    assert [p.key for p in problems] == ["objective"]


def test_the_day_of_the_eutf_launch_is_accepted_the_day_before_is_not():
    launch = refdata.EUTF_LAUNCH
    assert Filters.from_params({"approved_from": [launch.isoformat()]}) == (Filters(approved_from=launch), [])
    _f, problems = Filters.from_params({"approved_from": [(launch - timedelta(days=1)).isoformat()]})
    assert problems


def test_the_cli_and_a_link_give_the_same_filters():
    """`--filter country=ML --filter scope=regional` is the link `?country=ML&scope=regional`."""
    from_cli = _filters(["country=ML", "scope=regional"])
    from_link, problems = Filters.from_params(parse_qs("country=ML&scope=regional"))
    assert problems == []
    assert from_cli == from_link == Filters(countries=("ML",), scopes=("regional",))
    sector = _filters(["sector=15190", "sector=16020"])
    from_link = Filters.from_params(parse_qs("sector=15190&sector=16020"))[0]
    assert sector == from_link == Filters(sectors=("15190", "16020"))
    assert sector.to_params() == {"sector": ["15190", "16020"]}


def test_the_cli_names_an_unknown_key_and_a_refused_value():
    with pytest.raises(ValueError, match="unknown filter 'colour'"):
        _filters(["colour=blue"])
    with pytest.raises(ValueError, match="min_eur: '12abc' is not a whole number of euros"):
        _filters(["min_eur=12abc"])


def test_the_dashboard_offers_a_multiselect_for_each_list_parameter_and_keeps_every_key():
    from dashboard.choices import CHOICES
    from dashboard.choices import KEYS as WIDGET_KEYS

    assert [c.key for c in CHOICES] == [p.key for p in PARAMS if p.many]
    assert tuple(WIDGET_KEYS) == KEYS
