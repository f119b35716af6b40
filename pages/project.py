"""Project: one EUTF decision, every field with its source (opened from the explorer's links)."""

import streamlit as st

from dashboard import url
from dashboard.cache import latest_of_every_dataset, view
from dashboard.results import show_for_decision
from dashboard.sections import same_decisions
from dashboard.widgets import PageContext, md_escape, require_router
from domain.filters import Filters
from domain.i18n import _
from viewmodels import comparison
from viewmodels import project as project_model

require_router(__file__)

ctx = PageContext()
lang, pub = ctx.lang, ctx.pub
reference = url.project_ref()
model = view(pub, Filters(), project_model.project, reference, pub.name, lang)  # the whole version

if not model.found:
    st.title(_("Project", lang))
    st.warning(
        _(
            "No project with the reference '{reference}' in the version shown. Open one from the Explorer's table.",
            lang,
            reference=md_escape(reference.strip()),
        )
        if reference.strip()
        else _("No project was chosen. Open one from the Explorer's table.", lang)
    )
    st.page_link("pages/explorer.py", label=_("Explorer", lang), icon=":material/table:")
    st.stop()

st.title(model.reference)
st.text(model.title)
st.caption(f"{md_escape(model.dataset_title)} · {md_escape(pub.version)}")
c1, c2, c3 = st.columns(3)
c1.metric(_("EU contribution", lang), model.amount, border=True)
c2.metric(_("Amount basis", lang), model.basis, border=True)
c3.metric(_("High-Level Dialogue", lang), model.dialogue, border=True)
if model.inferred:
    st.warning(
        _("This amount is inferred from other sourced figures, not read in a source: see Sources & method.", lang)
    )
st.dataframe(
    model.fields,
    hide_index=True,
    column_config={_("Value", lang): st.column_config.TextColumn(width="large")},
)

if model.has_contracts:
    st.subheader(_("Contracts under this decision", lang))
    if not model.contracts_text:
        st.caption(_("No contract of this dataset names this decision.", lang))
    else:
        st.markdown(model.contracts_text)
        if model.overrun:
            st.warning(model.overrun, icon=":material/warning:")
        st.dataframe(
            model.contracts,
            hide_index=True,
            column_config={_("Title", lang): st.column_config.TextColumn(width="large")},
        )

show_for_decision(pub.dataset, model.reference, lang)  # documents and results (issue 17)

same_decisions(comparison.same_decision(pub.name, model.decision, latest_of_every_dataset(), lang))
st.page_link("pages/explorer.py", label=_("Back to the explorer", lang), icon=":material/arrow_back:")
