"""Themes: what are the allocations for, by EUTF strategic objective, Valletta domain and theme?"""

import pandas as pd
import streamlit as st

from analysis.aggregate import by_domain, by_objective, by_theme, contracted_by
from charts import palette
from charts.figures import split_bar
from dashboard.widgets import Drill, PageContext, chart, data_caption, no_rows, require_router, with_contracted
from domain import refdata
from domain.fmt import meur
from domain.i18n import _

require_router(__file__)

ctx = PageContext()
lang, pub = ctx.lang, ctx.pub
allocations = ctx.data.allocations

st.title(_("Allocations by theme", lang))
data_caption(pub, ctx.filters, len(allocations), lang)
st.info(
    _(
        "Counting rule: a project with several strategic objectives (or Valletta domains) has its amount split "
        "equally between them, to the euro, so that each chart adds up to the total allocation. The table under "
        "each chart also gives the full amount of the projects that list each objective; those figures overlap.",
        lang,
    ),
    icon=":material/info:",
)
if allocations.empty:
    no_rows(lang)
    st.stop()

total = int(allocations["amount_eur"].sum())
money = {
    "label": (_("Item", lang), "text"),
    "amount_eur": (_("Amount, equal split (EUR)", lang), "eur"),
    "inferred_eur": (_("of which inferred (EUR)", lang), "eur"),
    "projects_amount_eur": (_("Full amount of the projects listing it (EUR)", lang), "eur"),
    "n_projects": (_("Projects listing it", lang), "int"),
}


def summary(labels: list[str], table, what: str) -> str:
    """Text summary of a split chart: largest item, total."""
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


def objective_split(dataset, lang: str, footer: str):
    """Allocations by strategic objective, their labels and their chart."""
    table = by_objective(dataset)
    labels = [
        f"{n}. {refdata.OBJECTIVES[n][lang]}" if n else _("Not given in the source", lang) for n in table["objective"]
    ]
    title = _("By EUTF strategic objective (M€, equal split)", lang)
    return table, labels, split_bar(table, labels, lang, footer, title, palette.OBJECTIVE, shares=True)


def domain_split(dataset, lang: str, footer: str):
    """Allocations by Valletta domain, their labels and their chart."""
    table = by_domain(dataset)
    labels = [
        f"{n}. {refdata.VALLETTA_DOMAINS[n][lang]}" if n else _("Not reported in the sources", lang)
        for n in table["domain"]
    ]
    title = _("By Valletta Action Plan domain (M€, equal split)", lang)
    return table, labels, split_bar(table, labels, lang, footer, title, palette.DOMAIN, shares=True)


def theme_split(allocations, lang: str, footer: str):
    """Allocations by theme, their labels and their chart."""
    table = by_theme(allocations)
    labels = [str(v) if pd.notna(v) else _("No theme given", lang) for v in table["theme"].astype(object)]
    return table, labels, split_bar(table, labels, lang, footer, _("By theme (M€)", lang), palette.THEME)


objectives, labels, fig = ctx.view(objective_split, lang, ctx.footer)
objective_table, objective_columns = (
    objectives.assign(label=labels),
    money | {"label": (_("Strategic objective", lang), "text")},
)
if len(pub.dataset.contracts):  # decisions and contracts: what is contracted, split like the budgets
    objective_table, contracted_columns = with_contracted(
        objective_table, ctx.view(contracted_by, "objective"), "objective", lang
    )
    objective_columns |= contracted_columns
chart(
    fig,
    objective_table,
    "objectives_chart",
    summary(labels, objectives, _("Strategic objectives", lang)),
    objective_columns,
    drill=lambda p: Drill(
        "pages/explorer.py",
        {"objective": [int(objectives.at[p["point_index"], "objective"])]},
        note=_(
            "Opened from the strategic-objective chart: the bar is the equal-split share; "
            "below are the full amounts of "
            "the projects that list the objective.",
            lang,
        ),
    ),
)

domains, labels, fig = ctx.view(domain_split, lang, ctx.footer)
if (domains.loc[domains["domain"] != 0, "n_projects"] == 0).all():
    st.subheader(_("By Valletta Action Plan domain", lang))
    st.caption(
        _(
            "This dataset reports no Valletta Action Plan domain for any project, so no chart is drawn: "
            "a single 'not reported' bar would say nothing.",
            lang,
        )
    )
else:
    chart(
        fig,
        domains.assign(label=labels),
        "domains_chart",
        summary(labels, domains, _("Valletta domains", lang))
        + " "
        + _("Domains are reported in the sources for few projects; the rest are shown as 'not reported'.", lang),
        money | {"label": (_("Valletta domain", lang), "text")},
        drill=lambda p: Drill(
            "pages/explorer.py",
            {"domain": [int(domains.at[p["point_index"], "domain"])]},
            note=_(
                "Opened from the Valletta-domain chart: the bar is the equal-split share; below are the full "
                "amounts of the projects that list the domain.",
                lang,
            ),
        ),
    )

themes, labels, fig = ctx.view(theme_split, lang, ctx.footer, of="allocations")
if themes["theme"].isna().all():
    st.subheader(_("By theme", lang))
    st.caption(_("This dataset gives no theme for any project, so no chart is drawn.", lang))
else:
    chart(
        fig,
        themes.assign(label=labels),
        "themes_chart",
        summary(labels, themes, _("Themes", lang))
        + " "
        + _("Theme labels follow the communiqué's themes where one fits; see Sources & method.", lang),
        {
            "label": (_("Theme", lang), "text"),
            "amount_eur": (_("Amount (EUR)", lang), "eur"),
            "inferred_eur": (_("of which inferred (EUR)", lang), "eur"),
            "n_projects": (_("Projects", lang), "int"),
        },
        drill=lambda p: (
            Drill("pages/explorer.py", {"theme": [themes.at[p["point_index"], "theme"]]})
            if pd.notna(themes.at[p["point_index"], "theme"])
            else None
        ),
    )
