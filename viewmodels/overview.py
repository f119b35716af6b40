"""What the Overview shows: the headline figures, the control totals or the windows, the inferred amounts, the projects.

Pure: every function takes the filtered data and plain arguments, and returns texts, tables and figures
ready to be drawn (no Streamlit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analysis.aggregate import by_project, by_window, contracted_by_decision, orphan_contracts, totals_by_scope
from charts.figures import project_labels, projects_bar
from domain import refdata
from domain.dataset import Dataset
from domain.fmt import eur, meur, pct
from domain.i18n import _, ngettext
from etl.catalog import DatasetProfile, dataset_title
from validation.reconcile import Line
from viewmodels.reconciliation import all_met, reconciliation_table

#: Projects drawn in the projects chart (a bar per project stays readable up to a few dozen).
TOP_PROJECTS = 25


def scope_names(profile: DatasetProfile, lang: str) -> tuple[str, str]:
    """The names of the national and the regional totals for this dataset: ``(national, regional)``."""
    if profile.focus_country:
        national = _("Projects targeting {country}", lang, country=refdata.country_name(profile.focus_country, lang))
    else:
        national = _("Single-country projects", lang)
    regional = _("Regional initiatives", lang) if profile.communique else _("Multi-country projects", lang)
    return national, regional


def title(profile: DatasetProfile, lang: str, escape: Callable[[str], str] = str) -> str:
    """The page title; ``escape`` makes the dataset's name inert where the title renders markdown."""
    if profile.communique:
        return _("EUTF allocations behind the Mali–EU High-Level Dialogue on migration", lang)
    return _("EUTF allocations: {name}", lang, name=escape(dataset_title(profile.name, lang)))


@dataclass(frozen=True)
class Kpi:
    """A headline figure: its label (before ``(filtered)`` is added), its value (M€) and its hover text."""

    label: str
    value: str
    help: str | None = None


@dataclass(frozen=True)
class KpiLink:
    """The button under a headline figure that opens the explorer on its projects.

    Attributes:
        column: which headline figure it is under (0, 1, 2).
        label: the button's text.
        key: the widget key (``kpi_all``, ``kpi_regional``, ``kpi_national``).
        scope: the explorer's scope filter, or None for every project.
    """

    column: int
    label: str
    key: str
    scope: str | None


@dataclass(frozen=True)
class Reconciliation:
    """The control totals of the communiqué against the whole version.

    Attributes:
        heading: the subheader (says when the filters are not applied).
        met: True when every control total is met.
        status: the sentence of the success (met) or warning box.
        table: :func:`viewmodels.reconciliation.reconciliation_table`, text cells.
    """

    heading: str
    met: bool
    status: str
    table: pd.DataFrame


@dataclass(frozen=True)
class Windows:
    """Totals by EUTF window, as a text table, and the caption beneath.

    Attributes:
        table: columns EUTF window, Projects (int), Decision budgets, Single-country, Multi-country (EUR,
            formatted) and, with contracts, Contracted (EUR, formatted), Share contracted, Decisions with
            contracts above budget (int).
        caption: the counting rule.
    """

    table: pd.DataFrame
    caption: str


@dataclass(frozen=True)
class Projects:
    """The projects chart, its table and its summary.

    Attributes:
        table: :func:`analysis.aggregate.by_project` with country_names and scope_name (text), largest first.
        figure: the largest :data:`TOP_PROJECTS` projects.
        summary: the chart's text summary.
        columns: the table's columns to show (internal name -> (label, kind)).
        by_label: a bar's label -> the project's reference (for a click).
    """

    table: pd.DataFrame
    figure: go.Figure
    summary: str
    columns: dict[str, tuple[str, str]]
    by_label: dict[str, str]


@dataclass(frozen=True)
class Overview:
    """Everything the Overview shows of the filtered data.

    Attributes:
        total_eur, inferred_eur, national_eur, regional_eur: EUR.
        n_projects, n_national, n_regional: numbers of projects.
        kpis: the four headline figures.
        links: the buttons under them (none for an empty scope).
        reconciliation: for the communiqué's dataset, else None.
        windows: for the other datasets, else None.
        inferred_heading: True when the "Sourced and inferred amounts" section is shown.
        inferred_text: its markdown sentence, or the caption that no amount is inferred.
        inferred_table: Reference, Amount (EUR, formatted), Basis: the projects whose amount is inferred.
        projects: None when no project matches the filters.
    """

    total_eur: int
    inferred_eur: int
    national_eur: int
    regional_eur: int
    n_projects: int
    n_national: int
    n_regional: int
    kpis: tuple[Kpi, ...]
    links: tuple[KpiLink, ...]
    reconciliation: Reconciliation | None
    windows: Windows | None
    inferred_heading: bool
    inferred_text: str
    inferred_table: pd.DataFrame
    projects: Projects | None


def _kpis(data: Dataset, scopes: pd.DataFrame, names: tuple[str, str], has_contracts: bool, lang: str) -> tuple:
    national, regional = names
    total = int(scopes["amount_eur"].sum())

    def by_scope(label: str, scope: str) -> Kpi:
        amount, n = int(scopes.at[scope, "amount_eur"]), int(scopes.at[scope, "n_projects"])
        return Kpi(
            label, meur(amount, lang), f"{eur(amount, lang)} · " + ngettext("{n} project", "{n} projects", n, lang)
        )

    if has_contracts:
        contracted = int(contracted_by_decision(data)["contracted_eur"].sum())
        last = Kpi(
            _("Contracted", lang),
            meur(contracted, lang),
            _(
                "{amount} in {n} contracts: {share} of the decision budgets. Contracts are inside their decisions' "
                "budgets, never added to the total.",
                lang,
                amount=eur(contracted, lang),
                n=len(data.contracts),
                share=pct(contracted, total, lang),
            ),
        )
    else:
        last = Kpi(_("Projects", lang), f"{len(data.allocations)}")
    return (
        Kpi(_("Total allocated", lang), meur(total, lang), eur(total, lang)),
        by_scope(regional, "regional"),
        by_scope(national, "national"),
        last,
    )


def _links(n_projects: int, scopes: pd.DataFrame, lang: str) -> tuple[KpiLink, ...]:
    links = []
    for column, scope in enumerate((None, "regional", "national")):
        n = n_projects if scope is None else int(scopes.at[scope, "n_projects"])
        if not n:  # no "See the 0 national projects"
            continue
        label = {
            None: ngettext("See the {n} project", "See the {n} projects", n, lang),
            "regional": ngettext("See the {n} regional project", "See the {n} regional projects", n, lang),
            "national": ngettext("See the {n} national project", "See the {n} national projects", n, lang),
        }[scope]
        links.append(KpiLink(column, label, f"kpi_{scope or 'all'}", scope))
    return tuple(links)


def windows_heading(lang: str) -> str:
    """The heading of the windows table."""
    return _("Totals by EUTF window", lang)


def inferred_heading(lang: str) -> str:
    """The heading of the section on inferred amounts."""
    return _("Sourced and inferred amounts", lang)


def projects_hint(lang: str) -> str:
    """What a click on the projects chart does."""
    return _("Click a bar to open the project.", lang)


def reconciliation(lines: tuple[Line, ...], names: tuple[str, str], filtered: bool, lang: str) -> Reconciliation:
    """The control totals against the whole version, with the page's names of the totals."""
    national, regional = names
    met = all_met(lines)
    status = (
        _("Every control total is met to the euro.", lang)
        if met
        else _("Some control totals are not met: see the gaps below.", lang)
    )
    return Reconciliation(
        _("Reconciliation with the joint communiqué (whole dataset, filters not applied)", lang)
        if filtered
        else _("Reconciliation with the joint communiqué", lang),
        met,
        f"{status} " + _("The check always uses the whole dataset, whatever the filters.", lang),
        reconciliation_table(
            lines, lang, labels={"all": _("All projects", lang), "national": national, "regional": regional}
        ),
    )


def windows(data: Dataset, has_contracts: bool, lang: str) -> Windows:
    """Totals by EUTF window (:func:`analysis.aggregate.by_window`) as text, and the counting rule."""
    rows = []
    for w in by_window(data).itertuples(index=False):
        row = {
            _("EUTF window", lang): refdata.WINDOWS[w.window][lang],
            _("Projects", lang): int(w.n_projects),
            _("Decision budgets (EUR)", lang): eur(w.amount_eur, lang),
            _("Single-country (EUR)", lang): eur(w.national_eur, lang),
            _("Multi-country (EUR)", lang): eur(w.regional_eur, lang),
        }
        if has_contracts:
            row[_("Contracted (EUR)", lang)] = eur(w.contracted_eur, lang)
            row[_("Share contracted", lang)] = pct(int(w.contracted_eur), int(w.amount_eur), lang)
            row[_("Decisions with contracts above budget", lang)] = int(w.n_over_budget)
        rows.append(row)
    caption = (
        _("Each euro counts once: multi-country decisions are in their own column, never under each country", lang)
        + (_("; contracts are inside their decisions' budgets, never added.", lang) if has_contracts else ".")
        + (
            " "
            + _(
                "Where a decision's contracts add up to more than its budget (counted in the last column), the "
                "export's figures disagree; the share contracted includes that excess.",
                lang,
            )
            if has_contracts
            else ""
        )
        + " "
        + _("No published control total exists for this dataset; its import report listed every row left out.", lang)
    )
    return Windows(pd.DataFrame(rows), caption)


def orphans_warning(data: Dataset, lang: str) -> str | None:
    """The warning about contracts whose decision is not in ``data`` (the whole version), or None."""
    orphans = orphan_contracts(data)
    if not len(orphans):
        return None
    return ngettext(
        "{n} contract ({amount}) names a decision that is not in this dataset: it is counted in no total. "
        "It is listed on *Sources & method*.",
        "{n} contracts ({amount}) name a decision that is not in this dataset: they are counted in no total. "
        "They are listed on *Sources & method*.",
        len(orphans),
        lang,
        amount=eur(int(orphans["amount_eur"].sum()), lang),
    )


def inferred_table(allocations: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The projects whose amount is inferred: Reference, Amount (EUR, formatted), Basis (text)."""
    rows = allocations.loc[allocations["amount_basis"] == "inferred", ["reference", "amount_eur"]]
    return pd.DataFrame(
        {
            _("Reference", lang): rows["reference"],
            _("Amount (EUR)", lang): [eur(v, lang) for v in rows["amount_eur"]],
            _("Basis", lang): _("inferred", lang),
        }
    )


def projects(
    allocations: pd.DataFrame, scopes: pd.DataFrame, names: tuple[str, str], lang: str, footer: str
) -> Projects:
    """The per-project table (largest first), its chart of the largest projects, and its summary."""
    national, regional = names
    total, inferred = int(scopes["amount_eur"].sum()), int(scopes["inferred_eur"].sum())
    table = by_project(allocations)
    table = table.assign(
        country_names=table["countries"].map(
            lambda cs: ", ".join(refdata.country_name(c, lang) for c in str(cs).split(";") if c), na_action="ignore"
        ),
        scope_name=table["scope"].map(lambda s: refdata.SCOPES[s][lang] if s in refdata.SCOPES else s),
    )
    shown = table.head(TOP_PROJECTS)
    rest = table.iloc[TOP_PROJECTS:]
    chart_title = (
        _("Allocation by project (M€)", lang)
        if rest.empty
        else _(
            "The {top} largest of {n} projects (M€); the other {rest} total {amount}",
            lang,
            top=TOP_PROJECTS,
            n=len(table),
            rest=len(rest),
            amount=meur(int(rest["amount_eur"].sum()), lang),
        )
    )
    top = table.iloc[0]
    summary = (
        ngettext(
            "{n} project, {total} in total. ",
            "{n} projects, {total} in total. ",
            len(table),
            lang,
            total=meur(total, lang),
        )
        + _("Largest: {ref} with {amount}. ", lang, ref=top["reference"], amount=meur(top["amount_eur"], lang))
        + f"{national}: {meur(scopes.at['national', 'amount_eur'], lang)}; {regional.lower()}: "
        f"{meur(scopes.at['regional', 'amount_eur'], lang)}. "
        + (
            _("Inferred amounts: {amount}.", lang, amount=meur(inferred, lang))
            if inferred
            else _("Every amount is read from a source.", lang)
        )
    )
    columns = {
        "reference": (_("Reference", lang), "text"),
        "title": (_("Title", lang), "text"),
        "scope_name": (_("Scope", lang), "text"),
        "country_names": (_("Countries", lang), "text"),
        "amount_eur": (_("Amount (EUR)", lang), "eur"),
        "amount_basis": (_("Amount basis", lang), "text"),
        "dialogue_round": (_("High-Level Dialogue", lang), "int"),
    }
    by_label = dict(zip(project_labels(shown), table["reference"], strict=False))
    return Projects(table, projects_bar(shown, lang, footer, chart_title), summary, columns, by_label)


def overview(
    data: Dataset,
    lang: str,
    footer: str,
    profile: DatasetProfile,
    filtered: bool,
    lines: tuple[Line, ...],
    has_contracts: bool,
) -> Overview:
    """Everything the Overview shows of the filtered data.

    Args:
        data: the filtered dataset.
        lang: ``en`` or ``fr``.
        footer: the source lines under each chart.
        profile: the dataset's profile (communiqué or not, focus country).
        filtered: True when a filter is on.
        lines: the control totals against the whole version (used for the communiqué's dataset).
        has_contracts: True when the whole version has contracts (the KPI and columns on contracts).
    """
    allocations = data.allocations
    names = scope_names(profile, lang)
    scopes = totals_by_scope(allocations)
    total, inferred = int(scopes["amount_eur"].sum()), int(scopes["inferred_eur"].sum())
    inferred_rows = inferred_table(allocations, lang)
    inferred_heading = bool(len(inferred_rows)) or profile.communique
    inferred_text = (
        _(
            "**{inferred}** of {total} ({share}) rests on amounts **inferred** rather than read from a source; "
            "they are hatched in every chart. Why each is inferred: *Sources & method*.",
            lang,
            inferred=meur(inferred, lang),
            total=meur(total, lang),
            share=pct(inferred, total, lang),
        )
        if inferred_heading
        else _("Every amount of this dataset is read from its source; none is inferred.", lang)
    )
    return Overview(
        total_eur=total,
        inferred_eur=inferred,
        national_eur=int(scopes.at["national", "amount_eur"]),
        regional_eur=int(scopes.at["regional", "amount_eur"]),
        n_projects=len(allocations),
        n_national=int(scopes.at["national", "n_projects"]),
        n_regional=int(scopes.at["regional", "n_projects"]),
        kpis=_kpis(data, scopes, names, has_contracts, lang),
        links=_links(len(allocations), scopes, lang),
        reconciliation=reconciliation(lines, names, filtered, lang) if profile.communique else None,
        windows=None if profile.communique else windows(data, has_contracts, lang),
        inferred_heading=inferred_heading,
        inferred_text=inferred_text,
        inferred_table=inferred_rows,
        projects=None if allocations.empty else projects(allocations, scopes, names, lang, footer),
    )
