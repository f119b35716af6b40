"""Overview: how much has the EUTF approved, and does it match the sources (the communiqué, for Mali 2016)?"""

import pandas as pd
import streamlit as st

from charts.figures import projects_bar, round_label
from charts.fmt import eur, meur, pct
from dashboard.ui import Drill, PageContext, chart, data_caption, md_escape, no_rows, open_drill, require_router
from dashboard.views import page_of
from etl import refdata
from etl.aggregate import by_project, by_window, contracted_by_decision, orphan_contracts, totals_by_scope

require_router(__file__)

TOP_PROJECTS = 25

ctx = PageContext()
lang, pub, profile = ctx.lang, ctx.pub, ctx.profile
allocations = ctx.data.allocations
if profile.focus_country:
    NATIONAL = f"Projects targeting {refdata.country_name(profile.focus_country, lang)}"
else:
    NATIONAL = "Single-country projects"
REGIONAL = "Regional initiatives" if profile.communique else "Multi-country projects"

if profile.communique:
    st.title("EUTF allocations behind the Mali–EU High-Level Dialogue on migration")
else:
    st.title(f"EUTF allocations: {md_escape(pub.name)}")
data_caption(pub, ctx.filters, len(allocations), lang)

scopes = ctx.view(totals_by_scope)
total = int(scopes["amount_eur"].sum())
inferred = int(scopes["inferred_eur"].sum())
k1, k2, k3, k4 = st.columns(4)
k1.metric("Total allocated", meur(total, lang), help=eur(total, lang), border=True)
k2.metric(
    REGIONAL,
    meur(scopes.at["regional", "amount_eur"], lang),
    help=f"{eur(scopes.at['regional', 'amount_eur'], lang)} · {scopes.at['regional', 'n_projects']} projects",
    border=True,
)
k3.metric(
    NATIONAL,
    meur(scopes.at["national", "amount_eur"], lang),
    help=f"{eur(scopes.at['national', 'amount_eur'], lang)} · {scopes.at['national', 'n_projects']} projects",
    border=True,
)
contracts = ctx.data.contracts
if len(pub.dataset.contracts):
    contracted = int(ctx.view(contracted_by_decision)["contracted_eur"].sum())
    k4.metric(
        "Contracted",
        meur(contracted, lang),
        help=f"{eur(contracted, lang)} in {len(contracts)} contracts: {pct(contracted, total, lang)} of the decision "
        "budgets. Contracts are inside their decisions' budgets, never added to the total.",
        border=True,
    )
else:
    k4.metric("Projects", f"{len(allocations)}", border=True)
for column, scope, label in ((k1, None, "all"), (k2, "regional", "regional"), (k3, "national", "national")):
    n = len(allocations) if scope is None else int(scopes.at[scope, "n_projects"])
    column.button(
        f"See the {n} {'' if scope is None else label + ' '}projects",
        key=f"kpi_{label}",
        icon=":material/table:",
        on_click=open_drill,
        args=(Drill("pages/explorer.py", {"scope": [scope]} if scope else {}),),
        type="tertiary",
    )

if profile.communique:
    st.subheader("Reconciliation with the joint communiqué")
    lines = pub.reconciliation
    all_ok = all(line.reconciles for line in lines)
    status = (
        "Every control total is met to the euro." if all_ok else "Some control totals are not met: see the gaps below."
    )
    (st.success if all_ok else st.warning)(
        f"{status} The check always uses the whole dataset, whatever the filters.", icon=":material/fact_check:"
    )
    labels = {"all": "All projects", "national": NATIONAL, "regional": REGIONAL}
    rec = pd.DataFrame(
        [
            {
                "Dialogue": round_label(line.dialogue_round, lang),
                "Total": labels[line.total],
                "Control (EUR)": eur(line.control_eur, lang),
                "Loaded (EUR)": eur(line.found_eur, lang),
                "Gap (EUR)": eur(line.gap_eur, lang),
                "Projects (control / loaded)": f"{line.control_n} / {line.found_n}",
                "Reconciles": "yes ✓" if line.reconciles else "NO ✗",
                "Source of the control figure": line.source,
            }
            for line in lines
        ]
    )
    st.dataframe(rec, hide_index=True)
else:
    st.subheader("Totals by EUTF window")
    windows = ctx.view(by_window)
    with_contracts = bool(len(pub.dataset.contracts))
    rows = []
    for w in windows.itertuples(index=False):
        row = {
            "EUTF window": refdata.WINDOWS[w.window][lang],
            "Projects": int(w.n_projects),
            "Decision budgets (EUR)": eur(w.amount_eur, lang),
            "Single-country (EUR)": eur(w.national_eur, lang),
            "Multi-country (EUR)": eur(w.regional_eur, lang),
        }
        if with_contracts:
            row["Contracted (EUR)"] = eur(w.contracted_eur, lang)
            row["Share contracted"] = pct(int(w.contracted_eur), int(w.amount_eur), lang)
            row["Decisions with contracts above budget"] = int(w.n_over_budget)
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    st.caption(
        "Each euro counts once: multi-country decisions are in their own column, never under each country"
        + (
            "; contracts are inside their decisions' budgets, never added. Where a decision's contracts add up to "
            "more than its budget (counted in the last column), the export's figures disagree; the share contracted "
            "includes that excess."
            if with_contracts
            else "."
        )
        + " No published control total exists for this dataset; its import report listed every row left out."
    )
    orphans = orphan_contracts(pub.dataset)
    if len(orphans):
        st.warning(
            f"{len(orphans)} contracts ({eur(int(orphans['amount_eur'].sum()), lang)}) name no decision of this "
            "dataset: they are counted in no total. They are listed on *Sources & method*.",
            icon=":material/link_off:",
        )


def inferred_rows(allocations: pd.DataFrame) -> pd.DataFrame:
    """The projects whose amount is inferred."""
    return allocations.loc[allocations["amount_basis"] == "inferred", ["reference", "amount_eur"]]


basis = ctx.view(inferred_rows)
if len(basis) or profile.communique:
    st.subheader("Sourced and inferred amounts")
    st.markdown(
        f"**{meur(inferred, lang)}** of {meur(total, lang)} ({pct(inferred, total, lang)}) rests on amounts "
        "**inferred** rather than read from a source; they are hatched in every chart. Why each is inferred: "
        "*Sources & method*."
    )
else:
    st.caption("Every amount of this dataset is read from its source; none is inferred.")
if len(basis):
    basis = page_of(basis, "inferred_page", lang)
    st.dataframe(
        pd.DataFrame(
            {
                "Reference": basis["reference"],
                "Amount (EUR)": [eur(v, lang) for v in basis["amount_eur"]],
                "Basis": "inferred",
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
        shown = table.head(TOP_PROJECTS)  # a bar per project stays readable up to a few dozen
        rest = table.iloc[TOP_PROJECTS:]
        title = (
            "Allocation by project (M€)"
            if rest.empty
            else f"The {TOP_PROJECTS} largest of {len(table)} projects (M€); the other {len(rest)} total "
            f"{meur(int(rest['amount_eur'].sum()), lang)}"
        )
        return table, projects_bar(shown, lang, footer, title)

    table, fig = ctx.view(projects, lang, ctx.footer)
    top = table.iloc[0]
    summary = (
        f"{len(table)} projects, {meur(total, lang)} in total. "
        f"Largest: {top['reference']} with {meur(top['amount_eur'], lang)}. "
        f"{NATIONAL}: {meur(scopes.at['national', 'amount_eur'], lang)}; {REGIONAL.lower()}: "
        f"{meur(scopes.at['regional', 'amount_eur'], lang)}. Inferred amounts: {meur(inferred, lang)}."
    )
    chart(
        fig,
        table,
        "projects_chart",
        summary,
        columns={
            "reference": ("Reference", "text"),
            "title": ("Title", "text"),
            "scope": ("Scope", "text"),
            "countries": ("Countries", "text"),
            "amount_eur": ("Amount (EUR)", "eur"),
            "amount_basis": ("Amount basis", "text"),
            "dialogue_round": ("High-Level Dialogue", "int"),
        },
        drill=lambda point: Drill("pages/project.py", params={"ref": str(point.get("y", ""))}),
        hint="Click a bar to open the project.",
    )
