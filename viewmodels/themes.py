"""What the Themes page shows: the allocations by strategic objective, Valletta domain, theme and DAC sector.

Pure: every function takes the filtered data and plain arguments, and returns the tables, figures and
texts ready to be drawn (no Streamlit).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analysis.aggregate import by_domain, by_objective, by_theme, contracted_by
from analysis.sectors import by_sector
from charts import palette
from charts.figures import split_bar
from domain import refdata
from domain.dataset import Dataset
from domain.fmt import meur
from domain.i18n import _
from etl.codelists import SECTOR_SOURCE, sector_name
from viewmodels.contracted import with_contracted


@dataclass(frozen=True)
class Split:
    """One chart of the page: the allocations by objective, domain or theme.

    Attributes:
        table: the chart's data, with ``label`` (text) beside the aggregate's columns (amount_eur,
            inferred_eur, n_projects, and for objectives and domains projects_amount_eur: ``Int64``, EUR),
            and the contracted columns when the version has contracts (objectives only).
        labels: the bars' labels, in the table's order.
        figure: the chart.
        summary: the chart's text summary.
        columns: the table's columns to show (internal name -> (label, kind)).
        codes: what a click on a bar filters the explorer to, by bar (objective or domain number, theme
            text, or None for "no theme given").
        shown: False when the dataset reports nothing for this split (then no chart is drawn).
    """

    table: pd.DataFrame
    labels: list[str]
    figure: go.Figure
    summary: str
    columns: dict[str, tuple[str, str]]
    codes: list
    shown: bool


@dataclass(frozen=True)
class Themes:
    """The charts of the page: objectives, domains, themes, DAC sectors; total_eur is the filtered total (EUR).

    Attributes:
        sectors: the DAC-sector chart, or None when the version gives no sectors (then no chart).
        sector_note: under the DAC-sector chart, its split rule and the codelist's source; or, when the
            version gives no sectors, the one line that says so.
    """

    total_eur: int
    objectives: Split
    domains: Split
    themes: Split
    sectors: Split | None = None
    sector_note: str = ""


def _money(lang: str) -> dict[str, tuple[str, str]]:
    return {
        "label": (_("Item", lang), "text"),
        "amount_eur": (_("Amount, equal split (EUR)", lang), "eur"),
        "inferred_eur": (_("of which inferred (EUR)", lang), "eur"),
        "projects_amount_eur": (_("Full amount of the projects listing it (EUR)", lang), "eur"),
        "n_projects": (_("Projects listing it", lang), "int"),
    }


def summary(labels: list[str], table: pd.DataFrame, what: str, total: int, lang: str) -> str:
    """Text summary of a split chart: the largest item, the total, what the bars sum to."""
    i = int(table["amount_eur"].astype("int64").idxmax())
    return _(
        "{what}: the largest share goes to '{label}' with {amount} of {total}. Bars sum to {sum}.",
        lang,
        what=what,
        label=labels[i],
        amount=meur(table.at[i, "amount_eur"], lang),
        total=meur(total, lang),
        sum=meur(int(table["amount_eur"].sum()), lang),
    )


def objectives(data: Dataset, has_contracts: bool, total: int, lang: str, footer: str) -> Split:
    """Allocations by strategic objective (equal split), with what is contracted when there are contracts."""
    table = by_objective(data)
    labels = [
        f"{n}. {refdata.OBJECTIVES[n][lang]}" if n else _("Not given in the source", lang) for n in table["objective"]
    ]
    title = _("By EUTF strategic objective (M€, equal split)", lang)
    figure = split_bar(table, labels, lang, footer, title, palette.OBJECTIVE, shares=True)
    shown, columns = table.assign(label=labels), _money(lang) | {"label": (_("Strategic objective", lang), "text")}
    if has_contracts:  # decisions and contracts: what is contracted, split like the budgets
        shown, contracted = with_contracted(shown, contracted_by(data, "objective"), "objective", lang)
        columns |= contracted
    return Split(
        shown,
        labels,
        figure,
        summary(labels, table, _("Strategic objectives", lang), total, lang),
        columns,
        [int(n) for n in table["objective"]],
        True,
    )


def domains(data: Dataset, total: int, lang: str, footer: str) -> Split:
    """Allocations by Valletta domain (equal split); not shown when no project reports a domain."""
    table = by_domain(data)
    labels = [
        f"{n}. {refdata.VALLETTA_DOMAINS[n][lang]}" if n else _("Not reported in the sources", lang)
        for n in table["domain"]
    ]
    title = _("By Valletta Action Plan domain (M€, equal split)", lang)
    return Split(
        table.assign(label=labels),
        labels,
        split_bar(table, labels, lang, footer, title, palette.DOMAIN, shares=True),
        summary(labels, table, _("Valletta domains", lang), total, lang)
        + " "
        + _("Domains are reported in the sources for few projects; the rest are shown as 'not reported'.", lang),
        _money(lang) | {"label": (_("Valletta domain", lang), "text")},
        [int(n) for n in table["domain"]],
        not (table.loc[table["domain"] != 0, "n_projects"] == 0).all(),
    )


def themes(allocations: pd.DataFrame, total: int, lang: str, footer: str) -> Split:
    """Allocations by theme (each project under its one theme); not shown when no project gives one."""
    table = by_theme(allocations)
    labels = [str(v) if pd.notna(v) else _("No theme given", lang) for v in table["theme"].astype(object)]
    return Split(
        table.assign(label=labels),
        labels,
        split_bar(table, labels, lang, footer, _("By theme (M€)", lang), palette.THEME),
        summary(labels, table, _("Themes", lang), total, lang)
        + " "
        + _("Theme labels follow the communiqué's themes where one fits; see Sources & method.", lang),
        {
            "label": (_("Theme", lang), "text"),
            "amount_eur": (_("Amount (EUR)", lang), "eur"),
            "inferred_eur": (_("of which inferred (EUR)", lang), "eur"),
            "n_projects": (_("Projects", lang), "int"),
        },
        [v if pd.notna(v) else None for v in table["theme"].astype(object)],
        not table["theme"].isna().all(),
    )


def sector_rule(lang: str) -> str:
    """The DAC-sector chart's split rule in plain words, and where the sector names come from."""
    return _(
        "Split rule: each project counts once, in full. A project with one DAC sector counts wholly there; one "
        "with several is split by the percentages its IATI file gives (equally when it gives none), to the euro, "
        "so that the bars add up to the total. The hatched part of a bar comes from such splits. Projects whose "
        "file gives no DAC 5-digit sector are shown apart. Sector names: {source}.",
        lang,
        source=SECTOR_SOURCE,
    )


def sectors(data: Dataset, total: int, lang: str, footer: str) -> Split:
    """Allocations by OECD DAC 5-digit sector (:func:`analysis.sectors.by_sector`), then "no sector given"."""
    table = by_sector(data.allocations, data.sectors)
    codes = [str(c) if pd.notna(c) else None for c in table["code"].astype(object)]
    labels = [sector_name(c, lang) if c is not None else _("No DAC sector given", lang) for c in codes]
    names = (_("whole project", lang), _("share of a project split between sectors (computed)", lang))
    footer += "<br>" + _("Sector names: {source}", lang, source=html.escape(SECTOR_SOURCE))  # in the image too
    title = _("By DAC sector (M€)", lang)
    figure = split_bar(table, labels, lang, footer, title, palette.SECTOR, hatched="split_eur", names=names)
    return Split(
        table.assign(label=labels),
        labels,
        figure,
        summary(labels, table, _("DAC sectors", lang), total, lang),
        {
            "label": (_("DAC sector", lang), "text"),
            "amount_eur": (_("Amount (EUR)", lang), "eur"),
            "split_eur": (_("of which from splitting a project (EUR)", lang), "eur"),
            "n_projects": (_("Projects listing it", lang), "int"),
        },
        codes,
        True,
    )


def themes_page(data: Dataset, has_contracts: bool, lang: str, footer: str, has_sectors: bool = False) -> Themes:
    """The charts of the Themes page, of the filtered data (which has at least one project).

    Args:
        data: the filtered dataset.
        has_contracts: True when the whole version has contracts.
        lang: ``en`` or ``fr``.
        footer: the source lines under each chart.
        has_sectors: True when the whole version gives DAC sectors (an IATI file's): then the DAC-sector chart.
    """
    total = int(data.allocations["amount_eur"].sum())
    if has_sectors:
        by_dac, note = sectors(data, total, lang, footer), sector_rule(lang)
    else:
        by_dac = None
        note = _("This dataset gives no DAC sectors: they come with IATI activity files.", lang)
    return Themes(
        total,
        objectives(data, has_contracts, total, lang, footer),
        domains(data, total, lang, footer),
        themes(data.allocations, total, lang, footer),
        by_dac,
        note,
    )
