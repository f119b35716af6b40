"""The shipped dataset reconciles with the joint communiqué of 11 Dec 2016, to the euro."""

from __future__ import annotations

import pandas as pd

from etl.catalog import load_calendar, load_control_totals


def test_shipped_workbook_loads_without_errors_or_warnings(shipped):
    assert shipped.report.errors == []
    assert shipped.report.warnings == []
    assert shipped.sheet == "Allocations"


def test_shipped_totals_are_the_communique_figures(shipped):
    table = shipped.dataset.allocations
    national = table[table["scope"] == "national"]
    regional = table[table["scope"] == "regional"]
    assert (len(table), int(table["amount_eur"].sum())) == (9, 145_100_000)
    assert (len(regional), int(regional["amount_eur"].sum())) == (3, 53_600_000)
    assert (len(national), int(national["amount_eur"].sum())) == (6, 91_500_000)
    assert str(table["amount_eur"].dtype) == "Int64"


def test_every_control_total_reconciles(shipped):
    lines = {(line.dialogue_round, line.total): line for line in shipped.reconciliation}
    assert set(lines) == {(1, "national"), (2, "all"), (2, "national"), (2, "regional")}
    assert all(line.reconciles for line in lines.values())
    assert lines[(1, "national")].found_eur == 43_500_000


def test_inferred_amounts_are_marked(shipped):
    table = shipped.dataset.allocations.set_index("reference")
    assert table.at["T05-EUTF-SAH-ML-01", "amount_basis"] == "inferred"
    assert table.at["T05-EUTF-SAH-ML-01", "amount_eur"] == 20_000_000
    assert set(table.index[table["amount_basis"] == "inferred"]) == {"T05-EUTF-SAH-ML-01", "T05-EUTF-SAH-REG-03"}


def test_no_approval_date_is_invented(shipped):
    table = shipped.dataset.allocations.set_index("reference")
    dated = table["approval_date"].dropna()
    assert dated.to_dict() == {
        "T05-EUTF-SAH-REG-01": pd.Timestamp("2016-01-14"),
        "T05-EUTF-SAH-REG-03": pd.Timestamp("2016-10-30"),
    }
    assert table.at["T05-EUTF-SAH-REG-03", "dialogue_round"] == 2
    assert table.at["T05-EUTF-SAH-REG-03", "round_basis"] == "derived"


def test_every_row_cites_a_source(shipped):
    assert shipped.dataset.allocations["source"].notna().all()


def test_calendar_and_control_totals():
    calendar = load_calendar().set_index("event")
    assert calendar.at["hld_1", "date_start"] == pd.Timestamp("2016-04-14")
    assert "15 April" in calendar.at["hld_1", "date_note"]
    assert calendar.at["hld_2", "date_start"] == pd.Timestamp("2016-12-11")
    assert calendar.at["valletta_summit", "date_end"] == pd.Timestamp("2015-11-12")
    assert pd.isna(calendar.at["hld_3", "date_start"])
    control = load_control_totals()
    assert control["source"].notna().all()
    assert control.set_index(["dialogue_round", "total"])["amount_eur"].to_dict() == {
        (1, "national"): 43_500_000,
        (2, "all"): 145_100_000,
        (2, "regional"): 53_600_000,
        (2, "national"): 91_500_000,
    }


def test_long_tables_keep_the_total(shipped):
    data = shipped.dataset
    assert int(data.objectives["amount_share_eur"].sum()) == 145_100_000
    assert int(data.domains["amount_share_eur"].sum()) == 145_100_000
    assert set(data.countries.loc[data.countries["reference"] == "T05-EUTF-SAH-REG-04", "country"]) == {
        "BF",
        "ML",
        "MR",
        "NE",
        "SN",
        "TD",
    }
