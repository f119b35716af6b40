"""The "over time" page: what was approved each year (adoption date), and what was under implementation."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analysis.timeline import approvals_by_year, read_periods, running_by_year
from charts.figures import running_bar, years_bar
from domain.fmt import eur, meur, pct
from domain.i18n import _, ngettext
from etl import catalog


@dataclass(frozen=True)
class Timeline:
    """Everything the timeline page shows.

    Attributes:
        years: :func:`analysis.timeline.approvals_by_year` with ``label`` (the year, or "No approval date";
            text): year (``Int64``, missing for the undated row), n_projects, amount_eur, inferred_eur (EUR).
        years_figure, years_summary, years_columns: the chart of approvals by year, its text, its table's columns.
        undated_caption: the undated decisions' count, amount and share of the total shown.
        periods_caption: where the periods come from, and the decisions counted apart.
        running: decisions under implementation each year: year (text), n_running (int).
        running_figure, running_summary, running_columns: its chart (None when no decision has a full period).
    """

    years: pd.DataFrame
    years_figure: go.Figure
    years_summary: str
    years_columns: dict
    undated_caption: str
    periods_caption: str
    running: pd.DataFrame
    running_figure: go.Figure | None
    running_summary: str
    running_columns: dict


def periods_file() -> str:
    """The file name of the projects database as published, whose start and end dates the periods are."""
    return catalog.PUBLIC_EXPORTS[0].file_name.rsplit("/", 1)[-1]


def periods_source(lang: str) -> str:
    """The periods chart's source line (HTML-escaped), for ``dashboard.widgets.footer_text(source=...)``."""
    return html.escape(
        _(
            "Dates: start and end dates of {file}, the EUTF projects database as published (January 2022)",
            lang,
            file=periods_file(),
        )
    )


def _years_summary(table: pd.DataFrame, lang: str) -> str:
    dated = table[table["year"].notna()]
    undated = table[table["year"].isna()]
    total = int(table["amount_eur"].sum())
    if dated.empty:
        return _("No decision shown has an approval date: all {amount} are undated.", lang, amount=meur(total, lang))
    peak = dated.loc[dated["amount_eur"].astype("int64").idxmax()]
    figures = {
        "first": int(dated["year"].min()),
        "last": int(dated["year"].max()),
        "peak": int(peak["year"]),
        "amount": meur(int(peak["amount_eur"]), lang),
        "n": int(undated["n_projects"].sum()),
        "undated": meur(int(undated["amount_eur"].sum()), lang),
        "total": meur(total, lang),
    }
    return (
        _(  # one year only: not "from 2016 to 2016"
            "All dated approvals fall in {peak}, with {amount}. Undated decisions: {n}, {undated}. Bars sum to "
            "{total}.",
            lang,
            **figures,
        )
        if figures["first"] == figures["last"]
        else _(
            "Approvals from {first} to {last}; the largest year is {peak} with {amount}. Undated decisions: {n}, "
            "{undated}. Bars sum to {total}.",
            lang,
            **figures,
        )
    )


def timeline(
    allocations: pd.DataFrame, lang: str, footer: str, periods_footer: str, periods: pd.DataFrame | None = None
) -> Timeline:
    """The timeline page's model, for non-empty ``allocations`` (the filtered decisions).

    Args:
        allocations: the filtered decisions (approval_date ``datetime64[ns]``, amount_eur ``Int64`` EUR, reference).
        lang: ``en`` or ``fr``.
        footer: the years chart's source lines.
        periods_footer: the periods chart's (see :func:`periods_source`).
        periods: :func:`analysis.timeline.read_periods` (default: read from the shipped file).
    """
    table = approvals_by_year(allocations)
    undated_label = _("No approval date", lang)
    labels = [str(int(y)) if pd.notna(y) else undated_label for y in table["year"]]
    undated = table[table["year"].isna()]
    total = int(table["amount_eur"].sum())
    running, apart = running_by_year(allocations, read_periods() if periods is None else periods)
    running_figure, running_summary = None, ""
    if not running.empty:
        peak = running.loc[running["n_running"].idxmax()]
        running_figure = running_bar(
            running,
            lang,
            periods_footer,
            _("Decisions under implementation each year (start → end)", lang),
            _("Decisions", lang),
        )
        # two counts, each with its own plural ("1 decision has", "1 decision, in 2016")
        running_summary = _(
            "{periods}; {peak}.",
            lang,
            periods=ngettext(
                "{n} decision has a full implementation period",
                "{n} decisions have a full implementation period",
                len(allocations) - sum(apart.values()),
                lang,
            ),
            peak=ngettext(
                "the most under way at once is {n} decision, in {year}",
                "the most under way at once is {n} decisions, in {year}",
                int(peak["n_running"]),
                lang,
                year=int(peak["year"]),
            ),
        )
    return Timeline(
        years=table.assign(label=labels),
        years_figure=years_bar(table, labels, lang, footer, _("Approved by year of approval (M€)", lang)),
        years_summary=_years_summary(table, lang),
        years_columns={
            "label": (_("Year of approval", lang), "text"),
            "n_projects": (_("Projects", lang), "int"),
            "amount_eur": (_("Amount (EUR)", lang), "eur"),
            "inferred_eur": (_("of which inferred (EUR)", lang), "eur"),
        },
        undated_caption=_(
            "Undated: {n} decisions, {amount} ({share} of the total shown).",
            lang,
            n=int(undated["n_projects"].sum()),
            amount=eur(int(undated["amount_eur"].sum()), lang),
            share=pct(int(undated["amount_eur"].sum()), total, lang),
        ),
        periods_caption=_(
            "From the start and end dates of the projects database as published ({file}). A decision counts in every "
            "year from its start to its end, so the bars overlap and are never added up. Without a full period "
            "(counted apart, nothing guessed): {start_only} with a start date only, {end_only} with an end date only, "
            "{neither} with neither, {missing} not in the file.",
            lang,
            file=periods_file(),
            start_only=apart["start_only"],
            end_only=apart["end_only"],
            neither=apart["neither"],
            missing=apart["not_in_file"],
        ),
        running=running.assign(year=running["year"].astype(str)),
        running_figure=running_figure,
        running_summary=running_summary,
        running_columns={"year": (_("Year", lang), "text"), "n_running": (_("Decisions", lang), "int")},
    )
