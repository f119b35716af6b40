"""Dialogue rounds: what had been approved by each Mali–EU High-Level Dialogue, and how it adds up."""

import pandas as pd
import streamlit as st

from charts.figures import round_label, rounds_chart
from charts.fmt import eur, long_date, meur
from dashboard.data import calendar, control_totals
from dashboard.ui import Drill, PageContext, chart, data_caption, md_escape, no_rows, require_router
from etl.aggregate import by_round

require_router(__file__)

#: References listed by name under the chart; beyond, a count.
DERIVED_LISTED = 50

ctx = PageContext()
lang, pub, profile = ctx.lang, ctx.pub, ctx.profile
allocations = ctx.data.allocations
show_reported = not ctx.filters.active

st.title("Allocations by High-Level Dialogue")
data_caption(pub, ctx.filters, len(allocations), lang)
st.caption(
    "An allocation counts at the dialogue where it was reported: the round typed in the workbook, or else the first "
    "dialogue on or after its approval date. Bars: what was added since the previous dialogue; dotted line: the "
    "cumulative total"
    + (
        "; diamonds: the figure each dialogue itself reported (shown without filters only, since it is a figure "
        "for the whole dataset)."
        if profile.communique
        else "."
    )
)
if not profile.communique:
    show_reported = False
    if pub.dataset.allocations["approval_date"].isna().all():
        st.info(
            "This dataset gives no approval dates, so none of its projects can be placed at a High-Level Dialogue. "
            "The EUTF portfolio dataset has adoption dates.",
            icon=":material/event_busy:",
        )
        allocations = allocations.iloc[0:0]
    else:
        covering = allocations["countries"].map(lambda cs: "ML" in cs).astype(bool)
        st.info(
            f"The High-Level Dialogues are those between Mali and the EU. This page shows only the projects of this "
            f"dataset that cover Mali ({int(covering.sum())} of {len(allocations)}), each at the first dialogue on or "
            "after its adoption date. Their amounts are those of the dataset's date, top-ups included, so the "
            "figures the dialogues themselves reported are not drawn beside them.",
            icon=":material/info:",
        )
        allocations = allocations[covering]
if allocations.empty:
    if profile.communique or not pub.dataset.allocations["approval_date"].isna().all():
        no_rows(lang)
else:
    mali_only = not profile.communique  # the Mali–EU dialogue's rounds, for a dataset of the whole portfolio

    def rounds_view(allocations: pd.DataFrame, mali_only: bool, calendar, control) -> pd.DataFrame:
        """:func:`etl.aggregate.by_round` of the projects shown (those covering Mali, outside the communiqué's)."""
        if mali_only:
            allocations = allocations[allocations["countries"].map(lambda cs: "ML" in cs).astype(bool)]
        return by_round(allocations, calendar, control)

    rounds = ctx.view(rounds_view, mali_only, calendar(), control_totals())
    labels = [round_label(int(r), lang) for r in rounds["dialogue_round"]]
    parts = [
        f"{label}: {meur(a, lang)} added ({n} project{'s' if n != 1 else ''}), {meur(c, lang)} cumulative "
        f"({cn} project{'s' if cn != 1 else ''})"
        for label, a, n, c, cn in zip(
            labels,
            rounds["amount_eur"],
            rounds["n_projects"],
            rounds["cumulative_eur"],
            rounds["cumulative_n"],
            strict=True,
        )
    ]

    def rounds_figure(
        allocations: pd.DataFrame, mali_only: bool, lang: str, footer: str, show_reported: bool, calendar, control
    ):
        """The dialogue chart of :func:`rounds_view`."""
        title = "Allocations added at each High-Level Dialogue, and cumulative (M€)"
        table = rounds_view(allocations, mali_only, calendar, control)
        return rounds_chart(table, lang, footer, title, show_reported=show_reported)

    chart(
        ctx.view(rounds_figure, mali_only, lang, ctx.footer, show_reported, calendar(), control_totals()),
        rounds.assign(label=labels),
        "rounds_chart",
        ". ".join(parts) + ".",
        {
            "label": ("High-Level Dialogue", "text"),
            "date": ("Date", "date"),
            "national_eur": ("National, added (EUR)", "eur"),
            "regional_eur": ("Regional, added (EUR)", "eur"),
            "amount_eur": ("Added (EUR)", "eur"),
            "inferred_eur": ("of which inferred (EUR)", "eur"),
            "n_projects": ("Projects added", "int"),
            "cumulative_eur": ("Cumulative (EUR)", "eur"),
            "cumulative_n": ("Cumulative projects", "int"),
            "control_all_eur": ("Reported at the dialogue: all (EUR)", "eur"),
            "control_national_eur": ("Reported at the dialogue: national (EUR)", "eur"),
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

    def derived_references(allocations) -> list[str]:
        """References whose dialogue round comes from the approval date."""
        return allocations.loc[allocations["round_basis"] == "derived", "reference"].tolist()

    if derived := ctx.view(derived_references):
        listed = ", ".join(derived[:DERIVED_LISTED])
        more = ""
        if len(derived) > DERIVED_LISTED:
            more = f" and {len(derived) - DERIVED_LISTED:,} more (the explorer lists them all)"
        st.caption("Round derived from the approval date for: " + md_escape(listed) + more)

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
            "Reported then (2016 amounts)": [
                ("about " if approx else "") + eur(v, lang) if pd.notna(v) else ""
                for v, approx in zip(events["reported_amount_eur"], events["amount_approximate"], strict=True)
            ],
            "Note": events["date_note"],
            "Source": events["source"],
        }
    ),
    hide_index=True,
)
