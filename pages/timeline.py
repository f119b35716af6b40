"""Over time: what was approved each year (adoption date), the decisions without a date counted apart."""

import pandas as pd
import streamlit as st

from charts.figures import years_bar
from charts.fmt import eur, meur, pct
from dashboard.ui import PageContext, chart, data_caption, no_rows, require_router
from etl.timeline import approvals_by_year
from i18n import _

require_router(__file__)

ctx = PageContext()
lang, pub = ctx.lang, ctx.pub
allocations = ctx.data.allocations

st.title(_("Approvals over time", lang))
data_caption(pub, ctx.filters, len(allocations), lang)
st.info(
    _(
        "Each decision counts once, in the year of its approval (adoption) date, at the amount of the dataset; "
        "contracts are not counted. Decisions whose date the source does not give are counted apart, in their own "
        "bar: no year is guessed for them.",
        lang,
    ),
    icon=":material/info:",
)
if allocations.empty:
    no_rows(lang)
    st.stop()

table = ctx.view(approvals_by_year)
undated_label = _("No approval date", lang)
labels = [str(int(y)) if pd.notna(y) else undated_label for y in table["year"]]
dated = table[table["year"].notna()]
undated = table[table["year"].isna()]
total = int(table["amount_eur"].sum())
if dated.empty:
    summary = _("No decision shown has an approval date: all {amount} are undated.", lang, amount=meur(total, lang))
else:
    peak = dated.loc[dated["amount_eur"].astype("int64").idxmax()]
    summary = _(
        "Approvals from {first} to {last}; the largest year is {peak} with {amount}. Undated decisions: {n}, "
        "{undated}. Bars sum to {total}.",
        lang,
        first=int(dated["year"].min()),
        last=int(dated["year"].max()),
        peak=int(peak["year"]),
        amount=meur(int(peak["amount_eur"]), lang),
        n=int(undated["n_projects"].sum()),
        undated=meur(int(undated["amount_eur"].sum()), lang),
        total=meur(total, lang),
    )
chart(
    years_bar(table, labels, lang, ctx.footer, _("Approved by year of approval (M€)", lang)),
    table.assign(label=labels),
    "years_chart",
    summary,
    {
        "label": (_("Year of approval", lang), "text"),
        "n_projects": (_("Projects", lang), "int"),
        "amount_eur": (_("Amount (EUR)", lang), "eur"),
        "inferred_eur": (_("of which inferred (EUR)", lang), "eur"),
    },
)
st.caption(
    _(
        "Undated: {n} decisions, {amount} ({share} of the total shown).",
        lang,
        n=int(undated["n_projects"].sum()),
        amount=eur(int(undated["amount_eur"].sum()), lang),
        share=pct(int(undated["amount_eur"].sum()), total, lang),
    )
)
