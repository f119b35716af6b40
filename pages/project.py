"""Project: one EUTF decision, every field with its source (opened from the explorer's links)."""

import pandas as pd
import streamlit as st

from charts.figures import round_label
from charts.fmt import eur, long_date, pct
from dashboard.data import latest_of_every_dataset
from dashboard.ui import PageContext, md_escape, require_router
from etl import refdata
from etl.compare import compare_amounts

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
    (
        "Strategic objectives",
        "; ".join(f"{o} – {refdata.OBJECTIVES[o][lang]}" for o in item["objectives"]) or "not given in the source",
    ),
    (
        "Valletta domains",
        "; ".join(f"{d} – {refdata.VALLETTA_DOMAINS[d][lang]}" for d in item["valletta_domains"]) or "not reported",
    ),
    ("Theme", item["theme"] if pd.notna(item["theme"]) else "–"),
    ("Approval date", long_date(item["approval_date"], lang) if pd.notna(item["approval_date"]) else "unknown"),
    ("Dialogue round from", {"typed": "the workbook", "derived": "the approval date"}.get(item["round_basis"], "–")),
    ("Implementing partner", item["implementing_partner"] if pd.notna(item["implementing_partner"]) else "–"),
    ("Source", item["source"] if pd.notna(item["source"]) else "–"),
]
st.dataframe(
    pd.DataFrame(fields, columns=["Field", "Value"]),
    hide_index=True,
    column_config={"Value": st.column_config.TextColumn(width="large")},
)

contracts = pub.dataset.contracts_of({str(item["reference"])})
if len(pub.dataset.contracts):
    st.subheader("Contracts under this decision")
    budget = int(item["amount_eur"])
    signed = int(contracts["amount_eur"].sum())
    if contracts.empty:
        st.caption("No contract of this dataset names this decision.")
    else:
        st.markdown(
            f"{len(contracts)} contract{'s' if len(contracts) != 1 else ''}, **{eur(signed, lang)}**: "
            f"{pct(signed, budget, lang)} of the decision's budget of {eur(budget, lang)}. The totals count the "
            "budget only."
        )
        if signed > budget:
            st.warning(
                f"The contracts add up to {eur(signed - budget, lang)} more than the decision's budget: the export's "
                "figures disagree (a top-up missing from the budget, or a contract counted twice). The totals count "
                "the budget.",
                icon=":material/warning:",
            )
        st.dataframe(
            pd.DataFrame(
                {
                    "Contract": contracts["reference"],
                    "Title": contracts["title"],
                    "Implementing partner": contracts["implementing_partner"].fillna("–"),
                    "Amount": [eur(v, lang) for v in contracts["amount_eur"]],
                    "Share of the budget": [pct(int(v), budget, lang) for v in contracts["amount_eur"]],
                }
            ),
            hide_index=True,
            column_config={"Title": st.column_config.TextColumn(width="large")},
        )

others = compare_amounts(pub.name, match, latest_of_every_dataset())
if len(others):
    st.subheader("The same decision in other datasets")
    st.caption(
        "Datasets are never added together. Later datasets give amounts after top-ups, so a difference is not an "
        "error: it is what changed after approval."
    )
    st.dataframe(
        pd.DataFrame(
            {
                "Dataset": others["dataset"],
                "Amount in this dataset": [eur(v, lang) for v in others["base_eur"]],
                "Amount in the other": [eur(v, lang) for v in others["other_eur"]],
                "Other minus this": [eur(v, lang) if v else "same" for v in others["change_eur"]],
                "Basis (this / other)": others["base_basis"] + " / " + others["other_basis"],
            }
        ),
        hide_index=True,
    )
st.page_link("pages/explorer.py", label="Back to the explorer", icon=":material/arrow_back:")
