"""Results: what the decisions shown report against their targets, indicator by indicator (never across them)."""

import streamlit as st

from dashboard import results as shipped_results
from dashboard.cache import shipped_results as shipped_results_file
from dashboard.widgets import (
    PageContext,
    chart,
    data_caption,
    filtered_footer_line,
    kpi_label,
    md_escape,
    no_rows,
    require_router,
)
from domain.fmt import eur, quantity
from domain.i18n import _
from viewmodels import results as results_model

require_router(__file__)

ctx = PageContext()
lang, pub = ctx.lang, ctx.pub
decisions = ctx.data.allocations
source = shipped_results_file()

st.title(_("Results reported", lang))
data_caption(pub, ctx.filters, len(decisions), lang)
st.info(
    _(
        "Targets and actuals are summed only across the decisions and contracts that report the same indicator "
        "(its result type and title, as published) in the same unit; they are never summed across indicators. The "
        "export has no unit column: a value written with % is a percentage, and percentages are counted, never "
        "summed. A decision's own value already covers its contracts', so a contract's value is added only where "
        "its decision reports none for that indicator. Coverage is the amount of the decisions concerned (each "
        "once), out of the decisions shown.",
        lang,
    ),
    icon=":material/info:",
)
results_name = _("results export of the EUTF monitoring platform", lang)
footer = (
    _("Data: {name} · {version}", lang, name=md_escape(results_name), version=results_model.AS_OF)
    + filtered_footer_line(ctx.filters, lang)
) + _(
    "<br>Source: EUTF monitoring platform (Akvo RSR), file {file} as published; values as reported by the implementing "
    "partners (sourced, not checked by this project)",
    lang,
    file=source.file_name,
)
st.caption(
    _(
        "Source: EUTF monitoring platform (Akvo RSR), results export of {date}, file {file} as published (SHA-256 "
        "{sha}…); values as reported by the implementing partners: sourced, not checked or inferred by this project. "
        "{unreadable} values could not be read as a number or a percentage and {repeated} repeated rows were counted "
        "once (listed below).",
        lang,
        date=results_model.AS_OF,
        file=md_escape(source.file_name),
        sha=source.sha256[:12],
        **results_model.counts(source.findings),
    )
)
if decisions.empty:
    no_rows(lang)
    st.stop()

table = ctx.view(shipped_results.summary, source.sha256)
total = results_model.total(decisions)
c1, c2, c3 = st.columns(3)
c1.metric(kpi_label(_("Indicators with a value", lang), ctx.filters, lang), quantity(len(table), lang))
c2.metric(kpi_label(_("Decisions shown", lang), ctx.filters, lang), quantity(len(decisions), lang))
c3.metric(kpi_label(_("Amount of the decisions shown", lang), ctx.filters, lang), eur(total, lang))
if table.empty:
    st.info(_("No decision shown reports a result with a value.", lang))
    st.stop()

kinds = results_model.kinds(table, lang)
kind = st.selectbox(_("Result type (as published)", lang), kinds, key="results_type")
model = results_model.indicators(table, kind, total, lang, footer, pub.name, pub.info.number)

if model.figure is not None:
    chart(model.figure, model.top, "results_coverage_chart", model.summary, model.columns)
st.dataframe(model.table, hide_index=True)

st.download_button(
    _("Download this table (CSV)", lang),
    model.csv,
    file_name=model.file_name,
    mime="text/csv",
    help=_(
        "One row per indicator and unit, as on the page (exact sums as text; percentages not summed); the filters "
        "shown apply. Text that a spreadsheet would read as a formula is made inert.",
        lang,
    ),
)

with st.expander(_("Values not counted ({n})", lang, n=len(source.findings))):
    st.dataframe(results_model.findings_table(source.findings, lang), hide_index=True)
