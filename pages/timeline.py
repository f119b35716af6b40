"""Over time: what was approved each year (adoption date) and what was under implementation; undated apart."""

import html

import pandas as pd
import streamlit as st

from analysis.timeline import approvals_by_year, read_periods, running_by_year
from charts.figures import running_bar, years_bar
from dashboard.widgets import PageContext, chart, data_caption, footer_text, no_rows, require_router
from domain.fmt import eur, meur, pct
from domain.i18n import _
from etl import catalog

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

table = ctx.view(approvals_by_year, of="allocations")
undated_label = _("No approval date", lang)
labels = [str(int(y)) if pd.notna(y) else undated_label for y in table["year"]]
dated = table[table["year"].notna()]
undated = table[table["year"].isna()]
total = int(table["amount_eur"].sum())
if dated.empty:
    summary = _("No decision shown has an approval date: all {amount} are undated.", lang, amount=meur(total, lang))
else:
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
    summary = (
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

st.subheader(_("Implementation periods", lang))
periods = read_periods()
running, apart = ctx.view(running_by_year, periods, of="allocations")
st.caption(
    _(
        "From the start and end dates of the projects database as published ({file}). A decision counts in every "
        "year from its start to its end, so the bars overlap and are never added up. Without a full period (counted "
        "apart, nothing guessed): {start_only} with a start date only, {end_only} with an end date only, {neither} "
        "with neither, {missing} not in the file.",
        lang,
        file=catalog.PUBLIC_EXPORTS[0].file_name.rsplit("/", 1)[-1],
        start_only=apart["start_only"],
        end_only=apart["end_only"],
        neither=apart["neither"],
        missing=apart["not_in_file"],
    )
)
# the periods come from the projects database as published, whatever the dataset shown: its footer says so
periods_footer = footer_text(
    pub,
    ctx.filters,
    lang,
    source=html.escape(
        _(
            "Dates: start and end dates of {file}, the EUTF projects database as published (January 2022)",
            lang,
            file=catalog.PUBLIC_EXPORTS[0].file_name.rsplit("/", 1)[-1],
        )
    ),
)
if running.empty:
    st.info(_("No decision shown has both a start and an end date.", lang))
else:
    peak = running.loc[running["n_running"].idxmax()]
    chart(
        running_bar(
            running,
            lang,
            periods_footer,
            _("Decisions under implementation each year (start → end)", lang),
            _("Decisions", lang),
        ),
        running.assign(year=running["year"].astype(str)),
        "running_chart",
        _(
            "{n} decisions have a full implementation period; the most under way at once is {peak} decisions, in "
            "{year}.",
            lang,
            n=len(allocations) - sum(apart.values()),
            peak=int(peak["n_running"]),
            year=int(peak["year"]),
        ),
        {"year": (_("Year", lang), "text"), "n_running": (_("Decisions", lang), "int")},
    )
