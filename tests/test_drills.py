"""A click on the Regions map opens exactly the rows behind the value clicked (dashboard/drills.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.aggregate import by_country
from analysis.filtering import apply
from dashboard.drills import country_drill, round_drill
from domain.filters import EQUAL_SPLIT, TOGETHER, Filters

APP = str(Path(__file__).resolve().parents[1] / "app.py")
REGIONAL = "Regional initiatives"


def _rows(dataset, drill):
    """The allocations the explorer shows once the drill's filters are set (nothing else filtered)."""
    chosen = drill.filters
    filters = Filters(scopes=tuple(chosen.get("scope", ())), countries=tuple(chosen.get("country", ())))
    return apply(dataset, filters).allocations


def test_mali_opens_its_national_rows_which_sum_to_the_colour(shipped):
    countries = by_country(shipped.dataset)
    coloured = int(countries.set_index("country").at["ML", "national_eur"])
    assert coloured == 91_500_000
    drill = country_drill(countries, "ML", TOGETHER, REGIONAL, "en")
    assert drill.filters == {"scope": ["national"], "country": ["ML"]}
    rows = _rows(shipped.dataset, drill)
    assert len(rows) == 6
    assert int(rows["amount_eur"].sum()) == coloured
    # the note says how to see the three regional initiatives that also cover Mali
    assert "€91,500,000, the value coloured" in drill.note
    assert "3 projects of the regional initiatives bucket also cover Mali (€53,600,000 in full" in drill.note
    assert "clear the Scope filter" in drill.note


def test_a_grey_country_opens_the_multi_country_projects_its_hover_lists(shipped):
    countries = by_country(shipped.dataset).set_index("country")
    assert int(countries.at["SN", "national_eur"]) == 0  # grey: covered only by regional initiatives
    drill = country_drill(countries.reset_index(), "SN", TOGETHER, REGIONAL, "fr")
    assert drill.filters == {"scope": ["regional"], "country": ["SN"]}
    rows = _rows(shipped.dataset, drill)
    assert int(rows["amount_eur"].sum()) == int(countries.at["SN", "regional_covering_eur"]) == 41_600_000
    assert len(rows) == int(countries.at["SN", "n_regional"]) == 1
    assert "Sénégal" in drill.note
    assert "41\u202f600\u202f000\u00a0€" in drill.note


def test_equal_split_opens_every_project_listing_the_country_and_says_the_colour_is_a_rule(shipped):
    countries = by_country(shipped.dataset)
    drill = country_drill(countries, "ML", EQUAL_SPLIT, REGIONAL, "en")
    assert drill.filters == {"country": ["ML"]}
    assert len(_rows(shipped.dataset, drill)) == 9
    assert "a stated rule" in drill.note


def test_a_country_not_on_the_map_opens_nothing(shipped):
    assert country_drill(by_country(shipped.dataset), "FR", TOGETHER, REGIONAL, "en") is None


@pytest.mark.parametrize(
    ("code", "scope", "total"), [("ML", "national", "€91,500,000"), ("SN", "regional", "€41,600,000")]
)
def test_the_explorer_opened_by_the_click_shows_that_total(code, scope, total):
    """The drill opens the explorer with those filters: its 'Total shown' is the value the map showed."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"scope": scope, "country": code})
    at.run()
    at.switch_page("pages/explorer.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = {m.label: m.proto.help for m in at.metric}
    assert shown["Total shown (filtered)"] == total


def _apply_drill(dataset, drill):
    chosen = drill.filters
    filters = Filters(rounds=tuple(chosen.get("round", ())), countries=tuple(chosen.get("country", ())))
    return apply(dataset, filters).allocations


def test_each_dialogue_bar_opens_its_rows_on_the_communique(shipped):
    from analysis.aggregate import by_round
    from etl.catalog import load_calendar, load_control_totals

    bars = by_round(shipped.dataset.allocations, load_calendar(), load_control_totals())
    for bar in bars.itertuples():
        rows = _apply_drill(shipped.dataset, round_drill(bar.dialogue_round, None, "en"))
        assert (len(rows), int(rows["amount_eur"].sum())) == (bar.n_projects, bar.amount_eur)


def test_each_dialogue_bar_of_the_portfolio_opens_only_the_projects_covering_mali():
    """The portfolio's 'Date unknown' bar: the 10 undated projects covering Mali, not every undated project."""
    from analysis.aggregate import by_round
    from domain.filters import UNDATED
    from etl import catalog
    from etl.catalog import load_calendar, load_control_totals
    from tests.conftest import PUBLIC_DATA
    from validation.pipeline import load_path

    dataset = load_path(PUBLIC_DATA / catalog.PUBLIC_EXPORTS[0].file_name).dataset
    covering = dataset.allocations[dataset.allocations["countries"].map(lambda cs: "ML" in cs).astype(bool)]
    bars = by_round(covering, load_calendar(), load_control_totals())
    assert len(bars) == 4
    for bar in bars.itertuples():
        drill = round_drill(bar.dialogue_round, "ML", "en")
        rows = _apply_drill(dataset, drill)
        assert (len(rows), int(rows["amount_eur"].sum())) == (bar.n_projects, bar.amount_eur)
    undated = round_drill(UNDATED, "ML", "en")
    assert undated.filters == {"round": [UNDATED], "country": ["ML"]}
    assert undated.note == (
        "Opened from the dialogue chart: the projects whose approval date is unknown. Only those covering Mali, "
        "as on the chart."
    )
    assert len(_apply_drill(dataset, round_drill(UNDATED, None, "en"))) > 10  # without the country: the whole portfolio


def test_a_kpi_drill_keeps_the_language():
    """A drill opens its page with only its own URL values: the French reader stays in French."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"lang": "fr", "objective": "3"})
    at.run()
    next(b for b in at.button if b.label == "Voir les 2 projets").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Explorer et exporter les allocations"
    assert at.session_state["lang"] == "fr"
