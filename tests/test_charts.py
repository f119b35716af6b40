"""Charts draw exactly the aggregate tables, in M€ with one decimal, exact euros on hover."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.aggregate import by_country, by_objective, by_project, by_round
from charts.figures import country_map, money_ticks, projects_bar, rounds_chart, split_bar
from domain.filters import NO_ROUND, UNDATED
from domain.fmt import eur, long_date, meur, pct
from etl.catalog import load_calendar, load_control_totals


def _bar_total(fig) -> int:
    return sum(int(v) for trace in fig.data if trace.type == "bar" for v in trace.x)


def test_projects_bar_draws_every_euro_and_marks_inferred(shipped):
    fig = projects_bar(by_project(shipped.dataset.allocations), "en", "footer", "title")
    assert _bar_total(fig) == 145_100_000
    inferred = [t for t in fig.data if "inferred" in t.name]
    assert {y.split("<br>")[-1] for t in inferred for y in t.y} == {"T05-EUTF-SAH-ML-01", "T05-EUTF-SAH-REG-03"}
    # a saved PNG is readable: each bar says what the project is, then its reference
    labels = [y for t in fig.data for y in t.y]
    assert "Relance de l&#x27;Economie et Appui aux…<br>T05-EUTF-SAH-ML-03" in labels
    assert "GAR-SI SAHEL (Groupes d&#x27;Action Rapides…<br>T05-EUTF-SAH-REG-04" in labels
    assert all(len(label.split("<br>")[0]) <= 50 for label in labels)
    assert all(t.marker.pattern.shape == "/" for t in inferred)
    hovers = [c[1] for t in fig.data for c in t.customdata]
    assert "€20,000,000" in hovers


def test_split_bar_sums_to_total(shipped):
    table = by_objective(shipped.dataset)
    fig = split_bar(table, ["a", "b", "c", "d"], "fr", "footer", "title")
    assert _bar_total(fig) == 145_100_000
    assert fig.layout.separators == ", "


def test_split_bar_of_computed_shares_never_calls_them_sourced(shipped):
    """An equal-split bar is a computation: its legend and hover say so, in both languages (review finding)."""
    table = by_objective(shipped.dataset)
    names = {t.name for t in split_bar(table, ["a", "b", "c", "d"], "en", "footer", "title", shares=True).data}
    assert names == {"equal share of sourced amounts (computed)", "equal share of inferred amounts (computed)"}
    assert all(t.name in t.hovertemplate for t in split_bar(table, list("abcd"), "fr", "f", "t", shares=True).data)
    assert {t.name for t in split_bar(table, list("abcd"), "en", "f", "t").data} == {
        "sourced amount",
        "inferred amount",
    }


def test_axis_ticks_are_meur_with_one_decimal_never_si():
    ticks, labels = money_ticks(5_260_000_000, "en")
    assert labels[1] == "€2,000.0M"
    assert not any("G" in label or "B" in label for label in labels)
    assert ticks[-1] >= 5_260_000_000
    _, fr = money_ticks(145_100_000, "fr")
    assert fr[1] == "50,0\u00a0M€"


def test_map_colours_only_national_allocations(shipped):
    fig = country_map(by_country(shipped.dataset), "en", "footer", "title")
    national = next(t for t in fig.data if t.name == "National allocation")
    assert list(national.locations) == ["MLI"]
    assert list(national.z) == [91_500_000]
    covered = next(t for t in fig.data if t.name.startswith("Covered"))
    assert set(covered.locations) == {"BFA", "BEN", "CIV", "GHA", "MRT", "NER", "SEN", "TCD"}
    assert fig.layout.geo.scope == "africa"


def test_rounds_chart_shows_the_reported_figures(shipped):
    table = by_round(shipped.dataset.allocations, load_calendar(), load_control_totals())
    fig = rounds_chart(table, "en", "footer", "title")
    reported = next(t for t in fig.data if t.name == "Figure reported at the dialogue")
    assert list(reported.y) == [43_500_000, 145_100_000]


def test_formats_per_locale():
    assert meur(145_100_000, "fr") == "145,1\u00a0M€"
    assert meur(145_100_000, "en") == "€145.1M"
    assert eur(13_500_000, "fr") == "13\u202f500\u202f000\u00a0€"
    assert eur(13_500_000, "en") == "€13,500,000"
    assert pct(25, 145.1, "en") == "17.2%"
    assert long_date(pd.Timestamp("2016-12-11"), "fr") == "11 décembre 2016"
    assert long_date(None, "en") == "unknown"


def test_titles_in_hovers_are_escaped(shipped):
    table = by_project(shipped.dataset.allocations)
    table.loc[0, "title"] = '<a href="http://e.invalid">x</a><b>y'
    fig = projects_bar(table, "en", "footer", "title")
    titles = [c[0] for t in fig.data for c in t.customdata]
    assert "&lt;a href=&quot;http://e.invalid&quot;&gt;x&lt;/a&gt;&lt;b&gt;y" in titles


def test_millions_round_half_up():
    assert meur(101_850_000, "en") == "€101.9M"
    assert meur(101_849_999, "fr") == "101,8\u00a0M€"


def test_billions_where_they_read_better():
    """The portfolio's 5 256 072 988 EUR reads ``5,26 Md€``, not ``5 256,1 M€``; axes in M€ stay in millions."""
    from domain.fmt import millions

    assert meur(5_256_072_988, "fr") == "5,26\u00a0Md€"
    assert meur(5_256_072_988, "en") == "€5.26bn"
    assert meur(1_000_000_000, "en") == "€1.00bn"
    assert meur(999_949_999, "en") == "€999.9M"  # below a billion: millions
    assert meur(999_950_000, "en") == "€1.00bn"  # never "€1,000.0M"
    assert meur(5_201_072_988, "en") == "€5.20bn"
    assert meur(1_004_999_999, "fr") == "1,00\u00a0Md€"
    assert meur(1_005_000_000, "fr") == "1,01\u00a0Md€"  # half up
    assert millions(5_256_072_988, "fr") == "5\u202f256,1\u00a0M€"
    assert money_ticks(5_256_072_988, "en")[1][-1].endswith("M")


@given(st.integers(min_value=-(10**13), max_value=10**13), st.sampled_from(["en", "fr"]))
def test_eur_is_babels_format_currency(amount, lang):
    from domain.fmt import _eur_babel

    assert eur(amount, lang) == _eur_babel(amount, lang)


def _contrast(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2.1 contrast ratio of two sRGB colours."""

    def luminance(hex_colour: str) -> float:
        r, g, b = (int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(colour), luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_bar_colours_have_3_to_1_contrast_with_the_background():
    """WCAG 2.1 SC 1.4.11: every colour a bar or marker is drawn in (charts/palette.py, by role) against white."""
    from charts import palette

    assert round(_contrast("#000000"), 1) == 21.0  # the formula itself
    roles = (
        "WINDOW",
        "OBJECTIVE",
        "DOMAIN",
        "THEME",
        "SECTOR",
        "COVERAGE",
        "APPROVED",
        "UNDATED",
        "RUNNING",
        "REPORTED",
    )
    drawn = {name: getattr(palette, name) for name in roles} | {f"SCOPE {k}": c for k, c in palette.SCOPE.items()}
    low = {name: round(_contrast(c), 2) for name, c in drawn.items() if _contrast(c) < 3}
    assert not low, low
    assert _contrast(palette.SCOPE["national"], palette.SCOPE["regional"]) > 1.3  # not the same shade either


def test_french_punctuation_in_composed_text():
    from domain.fmt import punctuate

    text = "Projets nationaux (Mali): 91,5 M€; régionaux: 53,6 M€. Publié à 07:44, voir https://example.org?"
    assert punctuate(text, "fr") == (
        "Projets nationaux (Mali)\u00a0: 91,5 M€\u202f; régionaux\u00a0: 53,6 M€. Publié à 07:44, voir "
        "https://example.org\u202f?"
    )
    assert punctuate(text, "en") == text
    assert punctuate("Déjà\u00a0: ok\u202f; fin", "fr") == "Déjà\u00a0: ok\u202f; fin"  # never doubled


def test_cumulative_line_stops_at_the_last_dated_dialogue(shipped):
    """Projects without a round (after the last dialogue, or undated) get a bar, not a point on the cumulative line."""
    allocations = shipped.dataset.allocations.copy()
    allocations.loc[allocations["reference"] == "T05-EUTF-SAH-ML-06", "dialogue_round"] = pd.NA  # 29 000 000 EUR
    later = allocations["reference"] == "T05-EUTF-SAH-ML-05"  # 6 000 000 EUR, dated after the 2nd dialogue
    allocations.loc[later, "dialogue_round"] = pd.NA
    allocations.loc[later, "approval_date"] = pd.Timestamp("2017-03-15")
    table = by_round(allocations, load_calendar(), load_control_totals())
    assert list(table["dialogue_round"]) == [1, 2, NO_ROUND, UNDATED]
    fig = rounds_chart(table, "en", "footer", "title")
    line = next(t for t in fig.data if t.name == "Cumulative")
    assert list(line.x) == ["1st High-Level Dialogue", "2nd High-Level Dialogue"]
    assert list(line.y) == [43_500_000, 110_100_000]
    national = next(t for t in fig.data if t.name == "National (one country)")
    assert list(national.x) == [
        "1st High-Level Dialogue",
        "2nd High-Level Dialogue",
        "After the last dialogue",
        "Date unknown",
    ]
    # two different things, two bars: approved after the last dialogue, and undated
    assert list(national.y) == [43_500_000 - 20_000_000, 13_000_000, 6_000_000, 29_000_000]  # ML-01 is hatched apart


def test_hovers_follow_french_punctuation(shipped):
    table = by_round(shipped.dataset.allocations, load_calendar(), load_control_totals())
    french = rounds_chart(table, "fr", "footer", "title")
    cumul = next(t for t in french.data if t.name == "Cumul")
    assert cumul.hovertemplate == "<b>%{x}</b><br>Cumul\u00a0: %{customdata}<extra></extra>"
    english = rounds_chart(table, "en", "footer", "title")
    assert next(t for t in english.data if t.name == "Cumulative").hovertemplate.endswith(
        "Cumulative: %{customdata}<extra></extra>"
    )


def test_short_dates_cannot_be_misread():
    from datetime import datetime

    from domain.fmt import short_date

    assert short_date(datetime(2026, 12, 5, 23, 40), "en") == "5 Dec 2026"
    assert short_date(pd.Timestamp("2026-12-05"), "fr") == "5 déc. 2026"
    assert short_date(None, "en") == "–"


def test_map_brightest_on_the_largest_amount_and_whole_portfolio_in_view(shipped):
    import plotly.colors

    fig = country_map(by_country(shipped.dataset), "en", "footer", "title", extent="africa")
    coloured = next(t for t in fig.data if t.name == "National allocation")
    scale = coloured.colorscale  # plotly expands "Cividis" into ((position, "#rrggbb"), …)
    low, high = (plotly.colors.hex_to_rgb(scale[i][1]) for i in (0, -1))
    assert not coloured.reversescale
    assert sum(high) > sum(low)  # the largest amount gets the brightest colour
    geo = fig.layout.geo
    assert geo.lataxis.range[1] >= 39  # Tunisia (37.3°N) not clipped
    assert geo.lonaxis.range[0] <= -22  # Senegal's coast (17.5°W) not clipped


def test_the_filters_get_a_source_line_of_their_own_and_push_the_legend_down(shipped):
    """A filtered chart's footer names the filters on a third line; the legend moves down so nothing overlaps."""
    two = projects_bar(by_project(shipped.dataset.allocations), "en", "Data: x<br>Source: y", "title")
    three = projects_bar(by_project(shipped.dataset.allocations), "en", "Data: x<br>Filtered: z<br>Source: y", "title")
    assert three.layout.height == two.layout.height + 14
    assert three.layout.margin.t == two.layout.margin.t + 14
    assert (1 - three.layout.legend.y) * three.layout.height == pytest.approx(
        (1 - two.layout.legend.y) * two.layout.height + 14
    )


def test_coverage_bar_orders_by_the_share_drawn_and_leaves_room_for_long_labels():
    """Results chart (review: bars out of order, four-line labels overprinting each other)."""
    from charts.figures import coverage_bar

    table = pd.DataFrame(
        {"coverage_eur": pd.array([10, 60, 30], dtype="Int64"), "n_decisions": pd.array([9, 2, 5], dtype="Int64")}
    )
    long = "Number of institutions and non-state actors strengthened through capacity building or operational " * 2
    fig = coverage_bar(table, ["ten", long, "thirty"], 100, "en", "footer", "title")
    bar = fig.data[0]
    assert list(bar.x) == [60.0, 30.0, 10.0]
    assert bar.y[1:] == ("thirty", "ten")
    lines = bar.y[0].count("<br>") + 1
    assert lines >= 3
    assert fig.layout.height >= 3 * (17 * lines + 14)  # each slot holds the longest label
