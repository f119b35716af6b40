"""Where a click on the Regions map or the dialogue chart leads: exactly the rows behind the value clicked.

Kept out of the page (pages lay out, they do not compute) so that the rule is tested: the
rows the explorer then shows sum to the value the map coloured.
"""

from __future__ import annotations

import pandas as pd

from dashboard.widgets import Drill
from domain import refdata

#: The map's two views: multi-country projects kept together (the default), or split equally.
from domain.filters import EQUAL_SPLIT, NO_ROUND, UNDATED
from domain.fmt import eur
from domain.i18n import _, ngettext


def country_drill(countries: pd.DataFrame, code: str, rule: str, regional: str, lang: str) -> Drill | None:
    """The explorer view behind a country clicked on the map, with a note saying what it is.

    Args:
        countries: the map's table (:func:`analysis.aggregate.by_country`, under the page's filters;
            ``national_eur`` is the coloured value, replaced by the equal-split value in that view).
        code: the clicked country (ISO 3166-1 alpha-2).
        rule: :data:`TOGETHER` or :data:`EQUAL_SPLIT`.
        regional: the name of the multi-country bucket ("Regional initiatives" / "Multi-country projects").
        lang: ``en`` or ``fr``.

    Returns:
        Together, a coloured country: its single-country projects only (``scope=national``), whose
        amounts sum to the colour; the note says how many multi-country projects also cover it and
        how to see them. Together, a grey country (no single-country project): the multi-country
        projects covering it, full amounts, as its hover lists them. Equal split: every project
        listing the country, with the note that the colour is a computed share. None for a
        country that is not on the map.
    """
    hit = countries[countries["country"] == code]
    if hit.empty:
        return None
    row = hit.iloc[0]
    name = refdata.country_name(code, lang)
    others = ngettext(
        "{n} project of the {bucket} bucket also covers {country} ({amount} in full, not apportioned)",
        "{n} projects of the {bucket} bucket also cover {country} ({amount} in full, not apportioned)",
        int(row["n_regional"]),
        lang,
        bucket=regional.lower(),
        country=name,
        amount=eur(int(row["regional_covering_eur"]), lang),
    )
    if rule == EQUAL_SPLIT:
        return Drill(
            "pages/explorer.py",
            {"country": [code]},
            note=_(
                "Opened from the equal-split view: the value of {country} is its single-country allocation plus "
                "equal shares of multi-country projects, a stated rule; below are the full amounts of every "
                "project that lists {country}.",
                lang,
                country=name,
            ),
        )
    if int(row["n_national"]):
        return Drill(
            "pages/explorer.py",
            {"scope": ["national"], "country": [code]},
            note=_(
                "Opened from the map: the single-country projects of {country}, {amount}, the value coloured.",
                lang,
                country=name,
                amount=eur(int(row["national_eur"]), lang),
            )
            + " "
            + (
                others + ". " + _("To see them too, clear the Scope filter in the sidebar.", lang)
                if int(row["n_regional"])
                else _("No multi-country project covers it.", lang)
            ),
        )
    return Drill(
        "pages/explorer.py",
        {"scope": ["regional"], "country": [code]},
        note=_(
            "Opened from the map: {country} has no single-country project (grey on the map); below are the "
            "multi-country projects that cover it, {amount} in full, as its hover lists them. Their amounts are "
            "not apportioned to {country}.",
            lang,
            country=name,
            amount=eur(int(row["regional_covering_eur"]), lang),
        ),
    )


def round_drill(bucket: int, focus_country: str | None, lang: str) -> Drill:
    """The explorer view behind a bar of the dialogue chart.

    Args:
        bucket: the bar's dialogue round (:func:`analysis.filtering.round_buckets`: a round, ``NO_ROUND``
            after the last dialogue, ``UNDATED`` without a date).
        focus_country: on a dataset of the whole portfolio, the chart shows only the projects
            covering this country (ISO alpha-2, Mali): the click keeps to them. None for the
            communiqué's dataset, whose projects all belong to the dialogues.
        lang: ``en`` or ``fr``.

    Returns:
        ``round`` set to the bucket, and ``country`` to the focus country when there is one.
    """
    chosen: dict = {"round": [int(bucket)]}
    if focus_country:
        chosen["country"] = [focus_country]
    note = {
        NO_ROUND: _("Opened from the dialogue chart: the projects approved after the last High-Level Dialogue.", lang),
        UNDATED: _("Opened from the dialogue chart: the projects whose approval date is unknown.", lang),
    }.get(int(bucket), _("Opened from the dialogue chart: the projects reported at that High-Level Dialogue.", lang))
    if focus_country:
        note += " " + _(
            "Only those covering {country}, as on the chart.", lang, country=refdata.country_name(focus_country, lang)
        )
    return Drill("pages/explorer.py", chosen, note=note)
