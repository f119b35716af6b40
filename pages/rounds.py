"""Dialogue rounds: what had been approved by each Mali–EU High-Level Dialogue, and how it adds up."""

import pandas as pd
import streamlit as st

from charts.figures import round_label, rounds_chart
from charts.fmt import eur, long_date, meur
from dashboard.data import calendar, control_totals
from dashboard.ui import Drill, PageContext, chart, data_caption, md_escape, no_rows
from etl.aggregate import by_round

ctx = PageContext()
lang, pub = ctx.lang, ctx.pub
allocations = ctx.data.allocations

st.title("Allocations by High-Level Dialogue")
data_caption(pub, ctx.filters, len(allocations), lang)
st.caption(
    "An allocation counts at the dialogue where it was reported: the round typed in the workbook, or else the first "
    "dialogue on or after its approval date. Diamonds mark the figure each dialogue itself reported."
)
if allocations.empty:
    no_rows(lang)
else:
    rounds = by_round(allocations, calendar(), control_totals())
    labels = [round_label(int(r), lang) for r in rounds["dialogue_round"]]
    parts = [
        f"{label}: {meur(a, lang)} reported ({n} projects), {meur(c, lang)} cumulative"
        for label, a, n, c in zip(
            labels, rounds["amount_eur"], rounds["n_projects"], rounds["cumulative_eur"], strict=True
        )
    ]
    chart(
        rounds_chart(rounds, lang, ctx.footer, "Allocations reported at each High-Level Dialogue (M€)"),
        rounds.assign(label=labels),
        "rounds_chart",
        ". ".join(parts) + ".",
        {
            c: st.column_config.NumberColumn(c, format="localized")
            for c in (
                "national_eur",
                "regional_eur",
                "amount_eur",
                "cumulative_eur",
                "control_all_eur",
                "control_national_eur",
            )
        },
        drill=lambda p: (
            Drill(
                "pages/explorer.py",
                {"round": [int(rounds.at[labels.index(p["x"]), "dialogue_round"])]},
                note="Opened from the dialogue chart: the projects reported at that High-Level Dialogue.",
            )
            if p.get("x") in labels
            else None
        ),
    )
    derived = allocations[allocations["round_basis"] == "derived"]
    if len(derived):
        st.caption("Round derived from the approval date for: " + md_escape(", ".join(derived["reference"])))

st.subheader("Calendar")
events = calendar()
st.dataframe(
    pd.DataFrame(
        {
            "Event": events["event"].map(
                {
                    "valletta_summit": "Valletta Summit on migration",
                    "hld_1": "1st High-Level Dialogue",
                    "commissioner_visit": "Commissioner Mimica's visit",
                    "hld_2": "2nd High-Level Dialogue",
                    "hld_3": "3rd High-Level Dialogue (planned)",
                }
            ),
            "Date": [
                ("not set" if pd.isna(s) else long_date(s, lang))
                if pd.isna(e) or s == e
                else f"{long_date(s, lang)} – {long_date(e, lang)}"
                for s, e in zip(events["date_start"], events["date_end"], strict=True)
            ],
            "Place": events["place"].fillna(""),
            "Reported": [eur(v, lang) if pd.notna(v) else "" for v in events["reported_amount_eur"]],
            "Note": events["date_note"],
            "Source": events["source"],
        }
    ),
    hide_index=True,
)
