"""Cell parsers: amounts exact in every allowed form, dates day-first only, coded lists."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.parse import Parsed, parse_amount, parse_date, parse_round, split_list


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("18\u00a0023\u00a0767", 18_023_767),
        ("15\u202f476\u202f233,00 €", 15_476_233),
        ("10 M€", 10_000_000),
        ("12,5 M€", 12_500_000),
        ("13,5 M€", 13_500_000),
        ("6 500 000,00 €", 6_500_000),
        ("4 612 500 €", 4_612_500),
        ("13 500 000 EUR", 13_500_000),
        ("13.500.000", 13_500_000),
        ("13,500,000", 13_500_000),
        ("41.6 M€", 41_600_000),
        ("0,5 M€", 500_000),
        ("-12 500 000", -12_500_000),
        (13_500_000, 13_500_000),
        (13_500_000.0, 13_500_000),
    ],
)
def test_amount_forms(raw, expected):
    assert parse_amount(raw).value == expected


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        ("n/a", "amount-not-a-number"),
        ("-", "amount-not-a-number"),
        ("en attente", "amount-not-a-number"),
        ("environ 5 M", "amount-not-a-number"),
        (None, "amount-missing"),
        ("", "amount-missing"),
        ("1,500", "amount-ambiguous"),
        ("1.500", "amount-ambiguous"),
        ("1 234 567,89", "amount-not-whole-euros"),
        (12.5, "amount-not-whole-euros"),
        (float("nan"), "amount-not-a-number"),
        (True, "amount-not-a-number"),
    ],
)
def test_amount_refusals(raw, rule):
    parsed = parse_amount(raw)
    assert parsed.value is None
    assert parsed.rule == rule


@given(st.integers(min_value=0, max_value=10**12))
def test_french_grouping_round_trips_exactly(amount):
    text = f"{amount:,}".replace(",", "\u202f") + ",00 €"
    assert parse_amount(text).value == amount
    assert parse_amount(f"{amount:,}".replace(",", " ")).value == amount


@given(st.integers(min_value=1, max_value=999_999), st.integers(min_value=0, max_value=9))
def test_millions_with_decimal_comma_are_exact(whole, tenth):
    assert parse_amount(f"{whole},{tenth} M€").value == whole * 1_000_000 + tenth * 100_000


@pytest.mark.parametrize(
    ("raw", "expected", "rule"),
    [
        ("12/01/2016", date(2016, 1, 12), None),
        ("18/04/2016", date(2016, 4, 18), None),
        ("2016-01-14", date(2016, 1, 14), None),
        ("14.01.2016", date(2016, 1, 14), None),
        (datetime(2016, 1, 14), date(2016, 1, 14), None),
        (42381, date(2016, 1, 12), "date-serial-number"),
        ("31/02/2016", None, "date-not-a-date"),
        ("01/02/16", None, "date-not-a-date"),
        ("Jan 14, 2016", None, "date-not-a-date"),
        ("n/a", None, "placeholder-as-missing"),
        (None, None, None),
    ],
)
def test_dates(raw, expected, rule):
    parsed = parse_date(raw)
    assert (parsed.value, parsed.rule) == (expected, rule)


def test_serial_dates_honour_the_1904_epoch():
    assert parse_date(40919, epoch=datetime(1904, 1, 1)).value == date(2016, 1, 12)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)))
def test_day_first_text_round_trips(day):
    assert parse_date(day.strftime("%d/%m/%Y")).value == day


def test_lists_and_rounds():
    assert split_list("BF; ML ;NE;") == ["BF", "ML", "NE"]
    assert split_list(2.0) == ["2"]
    assert split_list("–") == []
    assert parse_round(2.0).value == 2
    assert parse_round("2e").value == 2
    assert parse_round("1st").value == 1
    assert parse_round("deuxième").rule == "round-invalid"


@pytest.mark.parametrize("raw", [1e20, 10**19, 9.3e18, 1e300, 10**12 + 1, "2 000 000 M€", "-1 000 000 000 001"])
def test_amounts_beyond_any_allocation_are_refused_not_overflowed(raw):
    """Over 10^12 EUR a cell cannot be an allocation, and its sum could overflow Int64: refused with a rule."""
    assert parse_amount(raw) == Parsed(None, "amount-too-large")


def test_the_largest_amount_read_is_exact():
    assert parse_amount(10**12) == Parsed(10**12)
    assert parse_amount("1 000 000 M€").value == 10**12
