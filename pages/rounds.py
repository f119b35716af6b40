"""Dialogue rounds: what had been approved by each Mali–EU High-Level Dialogue, and how it adds up."""

import streamlit as st

from dashboard.cache import calendar, control_totals, view
from dashboard.drills import round_drill
from dashboard.widgets import PageContext, chart, data_caption, md_escape, no_rows, require_router
from domain.filters import Filters
from domain.i18n import _
from viewmodels import rounds as rounds_model

require_router(__file__)

ctx = PageContext()
lang, pub, profile = ctx.lang, ctx.pub, ctx.profile
show_reported = not ctx.filters.active and profile.communique
no_dates = view(pub, Filters(), rounds_model.no_approval_dates, of="allocations")  # the whole version
model = ctx.view(
    rounds_model.rounds,
    profile.communique,
    no_dates,
    lang,
    ctx.footer,
    show_reported,
    ctx.filters.active,
    calendar(),
    control_totals(),
    of="allocations",
)

st.title(_("Allocations by High-Level Dialogue", lang))
data_caption(pub, ctx.filters, model.total, lang)
st.caption(
    _(
        "An allocation counts at the dialogue where it was reported: the round typed in the workbook, or else the "
        "first dialogue on or after its approval date. Bars: what was added since the previous dialogue; dotted "
        "line: the cumulative total",
        lang,
    )
    + (
        _(
            "; diamonds: the figure each dialogue itself reported (shown without filters only, since it is a figure "
            "for the whole dataset).",
            lang,
        )
        if profile.communique
        else "."
    )
)
if model.mali_only:
    if model.no_dates:
        st.info(
            _(
                "This dataset gives no approval dates, so none of its projects can be placed at a High-Level "
                "Dialogue. The EUTF portfolio dataset has adoption dates.",
                lang,
            ),
            icon=":material/event_busy:",
        )
    else:
        st.info(
            _(
                "The High-Level Dialogues are those between Mali and the EU. This page shows only the projects of "
                "this dataset that cover Mali ({n} of {total}), each at the first dialogue on or after its adoption "
                "date. Their amounts are those of the dataset's date, top-ups included, so the figures the "
                "dialogues themselves reported are not drawn beside them.",
                lang,
                n=model.covering,
                total=model.total,
            ),
            icon=":material/info:",
        )
        st.caption(
            _(
                "Why these dates differ from the communiqué's view: this dataset dates each decision by its adoption "
                "as published later, and its amounts include later top-ups; the communiqué counted projects as "
                "approved by December 2016, at 2016 amounts. So a project the communiqué counted at a dialogue can "
                "fall here after the last dialogue ({after} projects) or have no date at all ({undated} projects, "
                "their own bar: an unknown date is not a late one). For the dialogues' own figures, choose the Mali "
                "communiqué dataset.",
                lang,
                after=model.after,
                undated=model.undated,
            )
        )
if model.figure is None:
    if not (model.mali_only and model.no_dates):
        no_rows(lang)
else:
    focus = rounds_model.DIALOGUE_COUNTRY if model.mali_only else None
    chart(
        model.figure,
        model.table,
        "rounds_chart",
        model.summary,
        model.columns,
        drill=lambda p: (
            round_drill(bucket, focus, lang) if (bucket := model.round_at(p.get("x"))) is not None else None
        ),
    )
    if model.derived:
        st.caption(
            _("Round derived from the approval date for: ", lang) + md_escape(model.derived_listed) + model.derived_more
        )

st.subheader(_("Calendar", lang))
st.dataframe(model.calendar, hide_index=True)
