"""What the Themes page shows: the allocations by strategic objective, Valletta domain and theme.

Pure: every function takes the filtered data and plain arguments, and returns the tables, figures and
texts ready to be drawn (no Streamlit).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analysis.aggregate import by_domain, by_objective, by_theme, contracted_by
from charts import palette
from charts.figures import split_bar
from domain import refdata
from domain.dataset import Dataset
from domain.fmt import meur
from domain.i18n import _
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
    """The three charts of the page: objectives, domains, themes; total_eur is the filtered total (EUR)."""

    total_eur: int
    objectives: Split
    domains: Split
    themes: Split


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


def themes_page(data: Dataset, has_contracts: bool, lang: str, footer: str) -> Themes:
    """The three charts of the Themes page, of the filtered data (which has at least one project).

    Args:
        data: the filtered dataset.
        has_contracts: True when the whole version has contracts.
        lang: ``en`` or ``fr``.
        footer: the source lines under each chart.
    """
    total = int(data.allocations["amount_eur"].sum())
    return Themes(
        total,
        objectives(data, has_contracts, total, lang, footer),
        domains(data, total, lang, footer),
        themes(data.allocations, total, lang, footer),
    )
