"""Over time: what was approved each year (adoption date) and what was under implementation; undated apart."""

import streamlit as st

from dashboard.widgets import PageContext, chart, data_caption, footer_text, no_rows, require_router
from domain.i18n import _
from viewmodels import timeline as timeline_model

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

# the periods come from the projects database as published, whatever the dataset shown: its footer says so
periods_footer = footer_text(pub, ctx.filters, lang, source=timeline_model.periods_source(lang))
model = ctx.view(timeline_model.timeline, lang, ctx.footer, periods_footer, of="allocations")
chart(model.years_figure, model.years, "years_chart", model.years_summary, model.years_columns)
st.caption(model.undated_caption)

st.subheader(_("Implementation periods", lang))
st.caption(model.periods_caption)
if model.running_figure is None:
    st.info(_("No decision shown has both a start and an end date.", lang))
else:
    chart(model.running_figure, model.running, "running_chart", model.running_summary, model.running_columns)
