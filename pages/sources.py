"""Sources & method: where each figure comes from, what is inferred, and what the terms mean."""

import pandas as pd
import streamlit as st

from charts.figures import round_label
from charts.fmt import eur, long_date
from dashboard.data import control_totals
from dashboard.ui import PageContext, md_escape, require_router
from dashboard.views import page_of
from etl import catalog, refdata

require_router(__file__)

ctx = PageContext()
lang, pub = ctx.lang, ctx.pub
allocations = pub.dataset.allocations  # the whole dataset: sources do not depend on filters

st.title("Sources & method")
st.caption(
    f"Data: {md_escape(pub.name)} · {md_escape(pub.version)} · {len(allocations)} projects "
    "(filters do not apply on this page)"
)

st.subheader("Control totals")
control = control_totals()
st.dataframe(
    pd.DataFrame(
        {
            "Dialogue": [round_label(int(r), lang) for r in control["dialogue_round"]],
            "Total": control["total"].map(
                {"all": "All projects", "national": "Projects targeting Mali", "regional": "Regional initiatives"}
            ),
            "Projects": control["n_projects"],
            "Amount": [eur(v, lang) for v in control["amount_eur"]],
            "Source": control["source"],
        }
    ),
    hide_index=True,
)

st.subheader("Each project: amount, basis, date and source")
rows = page_of(allocations, "sources_page", lang)  # only the rows on screen are formatted and sent
st.dataframe(
    pd.DataFrame(
        {
            "Reference": rows["reference"],
            "Amount": [eur(v, lang) for v in rows["amount_eur"]],
            "Amount basis": rows["amount_basis"],
            "Approval date": [long_date(d, lang) for d in rows["approval_date"]],
            "Dialogue": rows["dialogue_round"],
            "Dialogue from": rows["round_basis"].map({"typed": "workbook", "derived": "approval date"}),
            "Implementing partner": rows["implementing_partner"],
            "Source": rows["source"],
        }
    ),
    hide_index=True,
    column_config={"Source": st.column_config.TextColumn(width="large")},
)

st.subheader("What is sourced, inferred or classified by us")
notes = catalog.load_method_notes()
kinds = {
    "sourced": "sourced",
    "sourced or unknown": "sourced, else shown as unknown",
    "inferred": "INFERRED",
    "classification": "our classification",
    "context": "context",
    "licence": "licence",
}
for note in notes.itertuples(index=False):
    with st.container(border=True):
        st.text(f"{note.topic} · {kinds.get(note.kind, note.kind)}")
        st.text(note.note)
        st.text("Source: " + note.source)

st.subheader("Definitions")
col1, col2 = st.columns(2)
with col1:
    st.markdown("**EUTF windows**")
    st.dataframe(
        pd.DataFrame([(k, v[lang]) for k, v in refdata.WINDOWS.items()], columns=["Code", "Window"]), hide_index=True
    )
    st.markdown("**EUTF strategic objectives**")
    st.dataframe(
        pd.DataFrame([(k, v[lang]) for k, v in refdata.OBJECTIVES.items()], columns=["No.", "Objective"]),
        hide_index=True,
    )
with col2:
    st.markdown("**Valletta Action Plan domains**")
    st.dataframe(
        pd.DataFrame([(k, v[lang]) for k, v in refdata.VALLETTA_DOMAINS.items()], columns=["No.", "Domain"]),
        hide_index=True,
    )
    st.markdown(
        "**Allocation**: the EU contribution from the EUTF approved for a decision (project), in whole euros, "
        "at approval. **National** projects target one country; **regional** initiatives cover several and are "
        "never apportioned between them. **Inferred**: a figure computed from other sourced figures rather than "
        "read in a source; it is hatched in charts and labelled in tables."
    )
