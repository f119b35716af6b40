"""Results: what the decisions shown report against their targets, indicator by indicator (never across them)."""

import pandas as pd
import streamlit as st

from charts.figures import coverage_bar
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
from domain.fmt import eur, pct, quantity
from domain.i18n import _
from downloads.tables import STANDARD, to_csv
from etl import catalog
from etl.results import RESULTS_AS_OF, export_rows

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
    _("Data: {name} · {version}", lang, name=md_escape(results_name), version=RESULTS_AS_OF)
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
        date=RESULTS_AS_OF,
        file=md_escape(source.file_name),
        sha=source.sha256[:12],
        unreadable=sum(1 for f in source.findings if f.rule == "result-value-unreadable"),
        repeated=sum(1 for f in source.findings if f.rule == "result-row-repeated"),
    )
)
if decisions.empty:
    no_rows(lang)
    st.stop()

table = ctx.view(shipped_results.summary, source.sha256)
total = int(decisions["amount_eur"].sum())
c1, c2, c3 = st.columns(3)
c1.metric(kpi_label(_("Indicators with a value", lang), ctx.filters, lang), quantity(len(table), lang))
c2.metric(kpi_label(_("Decisions shown", lang), ctx.filters, lang), quantity(len(decisions), lang))
c3.metric(kpi_label(_("Amount of the decisions shown", lang), ctx.filters, lang), eur(total, lang))
if table.empty:
    st.info(_("No decision shown reports a result with a value.", lang))
    st.stop()

kinds = [_("All indicators", lang), *sorted(table["result_type"].unique(), key=lambda k: (not k.startswith("EUTF"), k))]
kind = st.selectbox(_("Result type (as published)", lang), kinds, key="results_type")
shown = table if kind == kinds[0] else table[table["result_type"] == kind]

top = shown[shown["unit"] == "number"].head(15)
if not top.empty:
    chart(
        coverage_bar(
            top,
            list(top["indicator"]),
            total,
            lang,
            footer,
            _("Share of the decisions' amount reporting each indicator (15 most reported)", lang),
        ),
        top.assign(share=[pct(int(v), total, lang) for v in top["coverage_eur"]]),
        "results_coverage_chart",
        _(
            "The most reported indicator, '{indicator}', is reported by {n} decisions holding {share} of the amount "
            "shown.",
            lang,
            indicator=top.iloc[0]["indicator"],
            n=int(top.iloc[0]["n_decisions"]),
            share=pct(int(top.iloc[0]["coverage_eur"]), total, lang),
        ),
        {
            "indicator": (_("Indicator", lang), "text"),
            "n_decisions": (_("Decisions", lang), "int"),
            "coverage_eur": (_("Coverage (EUR)", lang), "eur"),
            "share": (_("Share of the amount shown", lang), "text"),
        },
    )

units = {"number": _("number", lang), "percent": _("percentage (not summed)", lang)}
st.dataframe(
    pd.DataFrame(
        {
            _("Indicator", lang): shown["indicator"],
            _("Result type", lang): shown["result_type"],
            _("Unit", lang): shown["unit"].map(units),
            _("Target (sum)", lang): [quantity(v, lang) for v in shown["target"]],
            _("Actual (sum)", lang): [quantity(v, lang) for v in shown["actual"]],
            _("Targets counted", lang): shown["n_target"],
            _("Actuals counted", lang): shown["n_actual"],
            _("Decisions and contracts reporting", lang): shown["n_records"],
            _("Decisions", lang): shown["n_decisions"],
            _("Coverage (EUR)", lang): [eur(v, lang) for v in shown["coverage_eur"]],
            _("Share of the amount shown", lang): [pct(int(v), total, lang) for v in shown["coverage_eur"]],
        }
    ),
    hide_index=True,
)

st.download_button(
    _("Download this table (CSV)", lang),
    to_csv(export_rows(shown), STANDARD),
    file_name=f"eutf-results-{catalog.dataset_slug(pub.name)}-v{pub.info.number}.csv",
    mime="text/csv",
    help=_(
        "One row per indicator and unit, as on the page (exact sums as text; percentages not summed); the filters "
        "shown apply. Text that a spreadsheet would read as a formula is made inert.",
        lang,
    ),
)

with st.expander(_("Values not counted ({n})", lang, n=len(source.findings))):
    st.dataframe(
        pd.DataFrame(
            {
                _("Row", lang): [f.row for f in source.findings],
                _("Cell", lang): [f.cell or "–" for f in source.findings],
                _("Rule", lang): [f.rule for f in source.findings],
                _("Message", lang): [f.message_in(lang) for f in source.findings],
            }
        ),
        hide_index=True,
    )
