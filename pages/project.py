"""Project: one EUTF decision, every field with its source (opened from the explorer's links)."""

import pandas as pd
import streamlit as st

from charts.figures import round_label
from charts.fmt import eur, long_date
from dashboard.ui import PageContext, md_escape, require_router
from etl import refdata

require_router(__file__)

ctx = PageContext()
lang, pub = ctx.lang, ctx.pub
allocations = pub.dataset.allocations
reference = st.query_params.get("ref", "")
match = allocations[allocations["reference"].str.casefold() == reference.strip().casefold()]

if match.empty:
    st.title("Project")
    st.warning("No project with this reference in the version shown. Open one from the Explorer's table.")
    st.page_link("pages/explorer.py", label="Explorer", icon=":material/table:")
    st.stop()

item = match.iloc[0]
st.title(str(item["reference"]))
st.text(str(item["title"]))
st.caption(f"{md_escape(pub.name)} · {md_escape(pub.version)}")
c1, c2, c3 = st.columns(3)
c1.metric("EU contribution", eur(item["amount_eur"], lang), border=True)
c2.metric("Amount basis", refdata.AMOUNT_BASES[item["amount_basis"]][lang], border=True)
c3.metric(
    "High-Level Dialogue",
    round_label(int(item["dialogue_round"]), lang) if pd.notna(item["dialogue_round"]) else "–",
    border=True,
)
if item["amount_basis"] == "inferred":
    st.warning("This amount is inferred from other sourced figures, not read in a source: see Sources & method.")
fields = [
    ("EUTF window", f"{item['window']} – {refdata.WINDOWS[item['window']][lang]}"),
    ("Scope", refdata.SCOPES[item["scope"]][lang]),
    ("Countries", ", ".join(f"{c} – {refdata.country_name(c, lang)}" for c in item["countries"])),
    ("Strategic objectives", "; ".join(f"{o} – {refdata.OBJECTIVES[o][lang]}" for o in item["objectives"])),
    (
        "Valletta domains",
        "; ".join(f"{d} – {refdata.VALLETTA_DOMAINS[d][lang]}" for d in item["valletta_domains"]) or "not reported",
    ),
    ("Theme", item["theme"] if pd.notna(item["theme"]) else "–"),
    ("Approval date", long_date(item["approval_date"], lang)),
    ("Dialogue round from", {"typed": "the workbook", "derived": "the approval date"}.get(item["round_basis"], "–")),
    ("Implementing partner", item["implementing_partner"] if pd.notna(item["implementing_partner"]) else "–"),
    ("Source", item["source"] if pd.notna(item["source"]) else "–"),
]
st.dataframe(
    pd.DataFrame(fields, columns=["Field", "Value"]),
    hide_index=True,
    column_config={"Value": st.column_config.TextColumn(width="large")},
)
st.page_link("pages/explorer.py", label="Back to the explorer", icon=":material/arrow_back:")
