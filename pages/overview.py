"""Overview: how much has the EUTF approved, and does it match the sources (the communiqué, for Mali 2016)?"""

import pandas as pd
import streamlit as st

from analysis.aggregate import by_project, by_window, contracted_by_decision, orphan_contracts, totals_by_scope
from charts.figures import project_labels, projects_bar, round_label
from dashboard.cache import view
from dashboard.widgets import (
    Drill,
    PageContext,
    chart,
    data_caption,
    kpi_label,
    md_escape,
    no_rows,
    open_drill,
    page_of,
    require_router,
)
from domain import refdata
from domain.filters import Filters
from domain.fmt import eur, meur, pct
from domain.i18n import _, ngettext
from etl.catalog import dataset_title

require_router(__file__)

TOP_PROJECTS = 25

ctx = PageContext()
lang, pub, profile = ctx.lang, ctx.pub, ctx.profile
allocations = ctx.data.allocations
if profile.focus_country:
    NATIONAL = _("Projects targeting {country}", lang, country=refdata.country_name(profile.focus_country, lang))
else:
    NATIONAL = _("Single-country projects", lang)
REGIONAL = _("Regional initiatives", lang) if profile.communique else _("Multi-country projects", lang)

if profile.communique:
    st.title(_("EUTF allocations behind the Mali–EU High-Level Dialogue on migration", lang))
else:
    st.title(_("EUTF allocations: {name}", lang, name=md_escape(dataset_title(pub.name, lang))))
data_caption(pub, ctx.filters, len(allocations), lang)

scopes = ctx.view(totals_by_scope, of="allocations")
total = int(scopes["amount_eur"].sum())
inferred = int(scopes["inferred_eur"].sum())
# filtered labels are longer ("… (filtered)"): two by two, so that none is cut at 1400 px
k1, k2, k3, k4 = st.columns(4) if not ctx.filters.active else (*st.columns(2), *st.columns(2))
k1.metric(
    kpi_label(_("Total allocated", lang), ctx.filters, lang), meur(total, lang), help=eur(total, lang), border=True
)
k2.metric(
    kpi_label(REGIONAL, ctx.filters, lang),
    meur(scopes.at["regional", "amount_eur"], lang),
    help=f"{eur(scopes.at['regional', 'amount_eur'], lang)} · "
    + ngettext("{n} project", "{n} projects", int(scopes.at["regional", "n_projects"]), lang),
    border=True,
)
k3.metric(
    kpi_label(NATIONAL, ctx.filters, lang),
    meur(scopes.at["national", "amount_eur"], lang),
    help=f"{eur(scopes.at['national', 'amount_eur'], lang)} · "
    + ngettext("{n} project", "{n} projects", int(scopes.at["national", "n_projects"]), lang),
    border=True,
)
contracts = ctx.data.contracts
if len(pub.dataset.contracts):
    contracted = int(ctx.view(contracted_by_decision)["contracted_eur"].sum())
    k4.metric(
        kpi_label(_("Contracted", lang), ctx.filters, lang),
        meur(contracted, lang),
        help=_(
            "{amount} in {n} contracts: {share} of the decision budgets. Contracts are inside their decisions' "
            "budgets, never added to the total.",
            lang,
            amount=eur(contracted, lang),
            n=len(contracts),
            share=pct(contracted, total, lang),
        ),
        border=True,
    )
else:
    k4.metric(kpi_label(_("Projects", lang), ctx.filters, lang), f"{len(allocations)}", border=True)
for column, scope, label in ((k1, None, "all"), (k2, "regional", "regional"), (k3, "national", "national")):
    n = len(allocations) if scope is None else int(scopes.at[scope, "n_projects"])
    if not n:  # no "See the 0 national projects"
        continue
    column.button(
        {
            "all": ngettext("See the {n} project", "See the {n} projects", n, lang),
            "regional": ngettext("See the {n} regional project", "See the {n} regional projects", n, lang),
            "national": ngettext("See the {n} national project", "See the {n} national projects", n, lang),
        }[label],
        key=f"kpi_{label}",
        icon=":material/table:",
        on_click=open_drill,
        args=(Drill("pages/explorer.py", {"scope": [scope]} if scope else {}),),
        type="tertiary",
    )

if profile.communique:
    st.subheader(
        _("Reconciliation with the joint communiqué (whole dataset, filters not applied)", lang)
        if ctx.filters.active
        else _("Reconciliation with the joint communiqué", lang)
    )
    lines = pub.reconciliation
    all_ok = all(line.reconciles for line in lines)
    status = (
        _("Every control total is met to the euro.", lang)
        if all_ok
        else _("Some control totals are not met: see the gaps below.", lang)
    )
    (st.success if all_ok else st.warning)(
        f"{status} " + _("The check always uses the whole dataset, whatever the filters.", lang),
        icon=":material/fact_check:",
    )
    labels = {"all": _("All projects", lang), "national": NATIONAL, "regional": REGIONAL}
    rec = pd.DataFrame(
        [
            {
                _("Dialogue", lang): round_label(line.dialogue_round, lang),
                _("Total", lang): labels[line.total],
                _("Control (EUR)", lang): eur(line.control_eur, lang),
                _("Loaded (EUR)", lang): eur(line.found_eur, lang),
                _("Gap (EUR)", lang): eur(line.gap_eur, lang),
                _("Projects (control / loaded)", lang): f"{line.control_n} / {line.found_n}",
                _("Reconciles", lang): _("yes ✓", lang) if line.reconciles else _("NO ✗", lang),
                _("Source of the control figure", lang): line.source,
            }
            for line in lines
        ]
    )
    st.dataframe(rec, hide_index=True)
else:
    st.subheader(_("Totals by EUTF window", lang))
    windows = ctx.view(by_window)
    with_contracts = bool(len(pub.dataset.contracts))
    rows = []
    for w in windows.itertuples(index=False):
        row = {
            _("EUTF window", lang): refdata.WINDOWS[w.window][lang],
            _("Projects", lang): int(w.n_projects),
            _("Decision budgets (EUR)", lang): eur(w.amount_eur, lang),
            _("Single-country (EUR)", lang): eur(w.national_eur, lang),
            _("Multi-country (EUR)", lang): eur(w.regional_eur, lang),
        }
        if with_contracts:
            row[_("Contracted (EUR)", lang)] = eur(w.contracted_eur, lang)
            row[_("Share contracted", lang)] = pct(int(w.contracted_eur), int(w.amount_eur), lang)
            row[_("Decisions with contracts above budget", lang)] = int(w.n_over_budget)
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    st.caption(
        _("Each euro counts once: multi-country decisions are in their own column, never under each country", lang)
        + (_("; contracts are inside their decisions' budgets, never added.", lang) if with_contracts else ".")
        + (
            " "
            + _(
                "Where a decision's contracts add up to more than its budget (counted in the last column), the "
                "export's figures disagree; the share contracted includes that excess.",
                lang,
            )
            if with_contracts
            else ""
        )
        + " "
        + _("No published control total exists for this dataset; its import report listed every row left out.", lang)
    )
    orphans = view(pub, Filters(), orphan_contracts)  # the whole version, computed once
    if len(orphans):
        st.warning(
            ngettext(
                "{n} contract ({amount}) names a decision that is not in this dataset: it is counted in no total. "
                "It is listed on *Sources & method*.",
                "{n} contracts ({amount}) name a decision that is not in this dataset: they are counted in no total. "
                "They are listed on *Sources & method*.",
                len(orphans),
                lang,
                amount=eur(int(orphans["amount_eur"].sum()), lang),
            ),
            icon=":material/link_off:",
        )


def inferred_rows(allocations: pd.DataFrame) -> pd.DataFrame:
    """The projects whose amount is inferred."""
    return allocations.loc[allocations["amount_basis"] == "inferred", ["reference", "amount_eur"]]


basis = ctx.view(inferred_rows, of="allocations")
if len(basis) or profile.communique:
    st.subheader(_("Sourced and inferred amounts", lang))
    st.markdown(
        _(
            "**{inferred}** of {total} ({share}) rests on amounts **inferred** rather than read from a source; "
            "they are hatched in every chart. Why each is inferred: *Sources & method*.",
            lang,
            inferred=meur(inferred, lang),
            total=meur(total, lang),
            share=pct(inferred, total, lang),
        )
    )
else:
    st.caption(_("Every amount of this dataset is read from its source; none is inferred.", lang))
if len(basis):
    basis = page_of(basis, "inferred_page", lang)
    st.dataframe(
        pd.DataFrame(
            {
                _("Reference", lang): basis["reference"],
                _("Amount (EUR)", lang): [eur(v, lang) for v in basis["amount_eur"]],
                _("Basis", lang): _("inferred", lang),
            }
        ),
        hide_index=True,
    )

if allocations.empty:
    no_rows(lang)
else:

    def projects(allocations: pd.DataFrame, lang: str, footer: str) -> tuple[pd.DataFrame, object]:
        """The per-project table, largest first, and its chart (the largest projects)."""
        table = by_project(allocations)
        table = table.assign(
            country_names=table["countries"].map(
                lambda cs: ", ".join(refdata.country_name(c, lang) for c in str(cs).split(";") if c), na_action="ignore"
            ),
            scope_name=table["scope"].map(lambda s: refdata.SCOPES[s][lang] if s in refdata.SCOPES else s),
        )
        shown = table.head(TOP_PROJECTS)  # a bar per project stays readable up to a few dozen
        rest = table.iloc[TOP_PROJECTS:]
        title = (
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
        return table, projects_bar(shown, lang, footer, title)

    table, fig = ctx.view(projects, lang, ctx.footer, of="allocations")
    by_label = dict(zip(project_labels(table.head(TOP_PROJECTS)), table["reference"], strict=False))
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
        + f"{NATIONAL}: {meur(scopes.at['national', 'amount_eur'], lang)}; {REGIONAL.lower()}: "
        f"{meur(scopes.at['regional', 'amount_eur'], lang)}. "
        + (
            _("Inferred amounts: {amount}.", lang, amount=meur(inferred, lang))
            if inferred
            else _("Every amount is read from a source.", lang)
        )
    )
    chart(
        fig,
        table,
        "projects_chart",
        summary,
        columns={
            "reference": (_("Reference", lang), "text"),
            "title": (_("Title", lang), "text"),
            "scope_name": (_("Scope", lang), "text"),
            "country_names": (_("Countries", lang), "text"),
            "amount_eur": (_("Amount (EUR)", lang), "eur"),
            "amount_basis": (_("Amount basis", lang), "text"),
            "dialogue_round": (_("High-Level Dialogue", lang), "int"),
        },
        drill=lambda point: (
            Drill("pages/project.py", params={"ref": by_label[point["y"]]}) if point.get("y") in by_label else None
        ),
        hint=_("Click a bar to open the project.", lang),
    )
