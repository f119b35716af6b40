"""What the Regions page shows: the EUTF windows, the country map, the countries with the multi-country bucket.

Pure: every function takes the filtered data and plain arguments, and returns the tables, figures and
texts ready to be drawn (no Streamlit). Multi-country projects are kept together (:data:`TOGETHER`) or
split equally among their countries by a stated rule (:data:`EQUAL_SPLIT`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analysis.aggregate import (
    NO_COUNTRY_BUCKET,
    REGIONAL_BUCKET,
    by_country,
    by_country_split,
    by_country_with_regional_bucket,
    by_window,
    contracted_by,
)
from charts import palette
from charts.figures import country_map, split_bar
from domain import refdata
from domain.dataset import Dataset

#: The two views of multi-country projects (the same codes as ``dashboard.drills``, kept in the link ``?split=``).
from domain.filters import EQUAL_SPLIT, TOGETHER
from domain.fmt import eur, meur
from domain.i18n import _, ngettext
from viewmodels.contracted import with_contracted


@dataclass(frozen=True)
class Windows:
    """Decision budgets by EUTF window.

    Attributes:
        table: :func:`analysis.aggregate.by_window` with ``label`` (text) and, with contracts, the
            contracted columns (:func:`viewmodels.contracted.with_contracted`); EUR in ``Int64``.
        figure: the chart.
        summary: its text summary.
        columns: the table's columns to show (internal name -> (label, kind)).
        codes: the window of each bar (``SAH``, ``HOA``…).
        shown: False when the data holds a single window (no chart is drawn).
    """

    table: pd.DataFrame
    figure: go.Figure
    summary: str
    columns: dict[str, tuple[str, str]]
    codes: list[str]
    shown: bool


@dataclass(frozen=True)
class Countries:
    """The country map.

    Attributes:
        countries: :func:`analysis.aggregate.by_country` (``national_eur`` replaced by the equal-split value in
            that view): what a click on the map leads to (``dashboard.drills.country_drill``).
        table: ``countries`` with the country's name (``name``).
        figure: the map.
        summary: its text summary.
        columns: the table's columns to show.
        by_iso3: a map location (ISO alpha-3) -> the country's code (alpha-2).
    """

    countries: pd.DataFrame
    table: pd.DataFrame
    figure: go.Figure
    summary: str
    columns: dict[str, tuple[str, str]]
    by_iso3: dict[str, str]


@dataclass(frozen=True)
class Buckets:
    """The bar chart by country with the multi-country bucket (or the equal shares).

    Attributes:
        table: :func:`analysis.aggregate.by_country_with_regional_bucket` (together) or
            :func:`analysis.aggregate.by_country_split` (equal split), with ``label``; EUR in ``Int64``.
        figure: the chart.
        summary: its text summary.
        columns: the table's columns to show.
        bars: what each bar is: ``("regional", None)`` the multi-country bucket, ``("none", None)`` the
            projects that list no country, ``("country", code)`` a country.
        total_eur: what the bars sum to (EUR).
    """

    table: pd.DataFrame
    figure: go.Figure
    summary: str
    columns: dict[str, tuple[str, str]]
    bars: list[tuple[str, str | None]]
    total_eur: int


@dataclass(frozen=True)
class Regions:
    """Everything the Regions page shows of the filtered data (which has at least one project).

    Attributes:
        windows, countries, buckets: the three charts.
        regional: the multi-country projects as shown: Reference, Title, Countries covered, Amount (EUR,
            formatted), Basis (text).
    """

    windows: Windows
    countries: Countries
    buckets: Buckets
    regional: pd.DataFrame


def split_notice(rule: str, regional: str, lang: str) -> str:
    """What the chosen view does with multi-country projects (an information together, a warning when split)."""
    if rule == TOGETHER:
        return _(
            "{regional} are shown as their own bucket. Their amounts are never apportioned to the countries they "
            "cover, and never counted in full under each. On the map, the colour is the single-country allocation "
            "only; countries covered only by multi-country projects are grey, and their hover lists those projects' "
            "full amounts.",
            lang,
            regional=regional,
        )
    return _(
        "Per-country view by a stated rule: each multi-country project's amount is split into equal shares, to "
        "the euro, among the countries it lists. The shares are a computation, not figures from any source; "
        "projects that list no country stay apart ('country not given'). Every chart and table below says so.",
        lang,
    )


def windows(data: Dataset, has_contracts: bool, lang: str, footer: str) -> Windows:
    """Decision budgets by EUTF window, their chart and summary."""
    table = by_window(data)
    labels = [f"{refdata.WINDOWS[w][lang]}" for w in table["window"]]
    figure = split_bar(table, labels, lang, footer, _("By EUTF window (M€)", lang), palette.WINDOW)
    shown, contracted = table.assign(label=labels), {}
    if has_contracts:  # decisions and contracts: what is contracted under each window's decisions
        shown, contracted = with_contracted(shown, contracted_by(data, "window"), "window", lang)
    summary = (
        _("Of {total}: ", lang, total=meur(int(table["amount_eur"].sum()), lang))
        + "; ".join(
            f"{label} {meur(v, lang)} ({ngettext('{n} project', '{n} projects', int(n), lang)})"
            for label, v, n in zip(labels, table["amount_eur"], table["n_projects"], strict=True)
        )
        + "."
    )
    columns = {
        "label": (_("EUTF window", lang), "text"),
        "amount_eur": (_("Amount (EUR)", lang), "eur"),
        "national_eur": (_("Single-country (EUR)", lang), "eur"),
        "regional_eur": (_("Multi-country (EUR)", lang), "eur"),
        "n_projects": (_("Projects", lang), "int"),
    } | contracted
    return Windows(shown, figure, summary, columns, [str(w) for w in table["window"]], len(table) > 1)


def _map_summary(countries: pd.DataFrame, rule: str, no_country_eur: int, lang: str) -> str:
    national = countries[countries["national_eur"] > 0].sort_values("national_eur", ascending=False)
    if not len(national):
        return _("{n} countries are covered, all only by multi-country projects.", lang, n=len(countries))
    return (
        _("{n} countries are covered. ", lang, n=len(countries))
        + (
            _("With equal shares, the largest amounts go to ", lang)
            if rule == EQUAL_SPLIT
            else _("Single-country allocations go to ", lang)
        )
        + ", ".join(
            f"{refdata.country_name(c, lang)} ({meur(v, lang)})"
            for c, v in zip(national["country"], national["national_eur"], strict=True)
        )
        + (
            ". "
            + _(
                "{n} countries are covered only by multi-country projects.",
                lang,
                n=int((countries["national_eur"] == 0).sum()),
            )
            if rule == TOGETHER
            else "."
            + (
                " "
                + _(
                    "Projects that list no country ({amount}) are not on the map.",
                    lang,
                    amount=meur(no_country_eur, lang),
                )
                if no_country_eur
                else ""
            )
        )
    )


def countries(data: Dataset, rule: str, extent: str, lang: str, footer: str) -> Countries:
    """Allocations by country (single-country only, or with equal shares), their map and summary."""
    table = by_country(data)
    if rule == EQUAL_SPLIT:
        split = by_country_split(data).set_index("bucket")
        table = table.assign(
            national_eur=table["country"].map(split["amount_eur"]).fillna(0).astype("Int64"),
            national_inferred_eur=table["country"].map(split["inferred_eur"]).fillna(0).astype("Int64"),
        )
        title = _("Allocation by country, multi-country projects split equally (M€, a stated rule)", lang)
        value_label = _("Allocation with equal shares of multi-country projects", lang)
        grey = _("Equal shares of multi-country projects included (a stated rule, not a source figure)", lang)
    else:
        title, value_label, grey = _("Single-country allocations by country (M€)", lang), None, None
    figure = country_map(table, lang, footer, title, extent=extent, value_label=value_label, grey_note=grey)
    allocations = data.allocations
    no_country_eur = int(allocations.loc[allocations["countries"].map(len) == 0, "amount_eur"].sum())
    columns = {
        "country": (_("ISO code", lang), "text"),
        "name": (_("Country", lang), "text"),
        "national_eur": (
            _("Allocation with equal shares (EUR, a stated rule)", lang)
            if rule == EQUAL_SPLIT
            else _("Single-country allocation (EUR)", lang),
            "eur",
        ),
        "national_inferred_eur": (_("of which inferred (EUR)", lang), "eur"),
        "n_national": (_("Single-country projects", lang), "int"),
        "n_regional": (_("Multi-country projects covering it", lang), "int"),
        "regional_covering_eur": (_("Their full amounts (EUR, not apportioned)", lang), "eur"),
    }
    return Countries(
        table,
        table.assign(name=[refdata.country_name(c, lang) for c in table["country"]]),
        figure,
        _map_summary(table, rule, no_country_eur, lang),
        columns,
        {refdata.country_alpha3(c): c for c in table["country"]},
    )


def buckets(data: Dataset, rule: str, regional: str, has_contracts: bool, lang: str, footer: str) -> Buckets:
    """Allocations by country with the multi-country bucket (or equal shares), their chart and summary."""
    if rule == TOGETHER:
        table = by_country_with_regional_bucket(data)
        labels = [
            regional  # "Regional initiatives" / "Multi-country projects": the scope's own name says it
            if b == REGIONAL_BUCKET
            else _("{name} (national)", lang, name=refdata.country_name(b, lang))
            for b in table["bucket"]
        ]
        colours = [palette.SCOPE["regional" if b == REGIONAL_BUCKET else "national"] for b in table["bucket"]]
        title = _("Single-country allocations by country, and the multi-country bucket (M€)", lang)
    else:
        table = by_country_split(data)
        labels = [
            _("Country not given", lang) if b == NO_COUNTRY_BUCKET else refdata.country_name(b, lang)
            for b in table["bucket"]
        ]
        colours = [palette.SCOPE["regional" if b == NO_COUNTRY_BUCKET else "national"] for b in table["bucket"]]
        title = _("By country, multi-country projects split equally among their countries (M€, a stated rule)", lang)
    figure = split_bar(table, labels, lang, footer, title, colours, shares=rule != TOGETHER)
    total = int(table["amount_eur"].sum())
    columns = {
        "label": (_("Country or bucket", lang), "text"),
        "amount_eur": (_("Amount (EUR)", lang), "eur"),
        "inferred_eur": (_("of which inferred (EUR)", lang), "eur"),
        "n_projects": (_("Projects", lang), "int"),
    }
    shown = table.assign(label=labels)
    if has_contracts and rule == TOGETHER:  # each decision's contracts in its bucket, never apportioned
        shown, contracted = with_contracted(shown, contracted_by(data, "country"), "bucket", lang)
        columns |= contracted
    if rule == EQUAL_SPLIT:
        columns |= {
            "national_eur": (_("from single-country projects (EUR)", lang), "eur"),
            "split_eur": (_("equal shares of multi-country projects (EUR, a stated rule)", lang), "eur"),
        }
    bars = [
        ("regional", None) if b == REGIONAL_BUCKET else ("none", None) if b == NO_COUNTRY_BUCKET else ("country", b)
        for b in table["bucket"]
    ]
    summary = (
        _("Of {total}, ", lang, total=meur(total, lang))
        + "; ".join(f"{label}: {meur(v, lang)}" for label, v in zip(labels, table["amount_eur"], strict=True))
        + "."
    )
    return Buckets(shown, figure, summary, columns, bars, total)


def regional_table(allocations: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The multi-country projects as shown: Reference, Title, Countries covered, Amount (EUR, formatted), Basis."""
    regional = allocations[allocations["scope"] == "regional"]
    return pd.DataFrame(
        {
            _("Reference", lang): regional["reference"],
            _("Title", lang): regional["title"],
            _("Countries covered", lang): regional["countries"].map(
                lambda cs: ", ".join(refdata.country_name(c, lang) for c in cs) or _("not given", lang)
            ),
            _("Amount", lang): [eur(v, lang) for v in regional["amount_eur"]],
            _("Basis", lang): regional["amount_basis"],
        }
    )


def regions(
    data: Dataset, rule: str, extent: str, regional: str, has_contracts: bool, lang: str, footer: str
) -> Regions:
    """Everything the Regions page shows of the filtered data.

    Args:
        data: the filtered dataset (at least one project).
        rule: :data:`TOGETHER` or :data:`EQUAL_SPLIT`.
        extent: the map's extent (a key of ``charts.figures.MAP_EXTENTS``).
        regional: the name of the multi-country bucket.
        has_contracts: True when the whole version has contracts.
        lang: ``en`` or ``fr``.
        footer: the source lines under each chart.
    """
    return Regions(
        windows(data, has_contracts, lang, footer),
        countries(data, rule, extent, lang, footer),
        buckets(data, rule, regional, has_contracts, lang, footer),
        regional_table(data.allocations, lang),
    )
