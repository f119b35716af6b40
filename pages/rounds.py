"""Dialogue rounds: what had been approved by each Mali–EU High-Level Dialogue, and how it adds up."""

import pandas as pd
import streamlit as st

from analysis.aggregate import by_round
from analysis.filtering import round_buckets
from charts.figures import round_label, rounds_chart
from dashboard.cache import calendar, control_totals
from dashboard.drills import round_drill
from dashboard.widgets import PageContext, chart, data_caption, md_escape, no_rows, require_router
from domain.filters import NO_ROUND, UNDATED
from domain.fmt import date_range, eur, long_date, meur
from domain.i18n import N_, _, ngettext

require_router(__file__)

#: References listed by name under the chart; beyond, a count.
DERIVED_LISTED = 50

ctx = PageContext()
lang, pub, profile = ctx.lang, ctx.pub, ctx.profile
allocations = ctx.data.allocations
show_reported = not ctx.filters.active

st.title(_("Allocations by High-Level Dialogue", lang))
data_caption(pub, ctx.filters, len(allocations), lang)
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
if not profile.communique:
    show_reported = False
    if pub.dataset.allocations["approval_date"].isna().all():
        st.info(
            _(
                "This dataset gives no approval dates, so none of its projects can be placed at a High-Level "
                "Dialogue. The EUTF portfolio dataset has adoption dates.",
                lang,
            ),
            icon=":material/event_busy:",
        )
        allocations = allocations.iloc[0:0]
    else:
        covering = allocations["countries"].map(lambda cs: "ML" in cs).astype(bool)
        st.info(
            _(
                "The High-Level Dialogues are those between Mali and the EU. This page shows only the projects of "
                "this dataset that cover Mali ({n} of {total}), each at the first dialogue on or after its adoption "
                "date. Their amounts are those of the dataset's date, top-ups included, so the figures the "
                "dialogues themselves reported are not drawn beside them.",
                lang,
                n=int(covering.sum()),
                total=len(allocations),
            ),
            icon=":material/info:",
        )
        allocations = allocations[covering]
        buckets = round_buckets(allocations)
        st.caption(
            _(
                "Why these dates differ from the communiqué's view: this dataset dates each decision by its adoption "
                "as published later, and its amounts include later top-ups; the communiqué counted projects as "
                "approved by December 2016, at 2016 amounts. So a project the communiqué counted at a dialogue can "
                "fall here after the last dialogue ({after} projects) or have no date at all ({undated} projects, "
                "their own bar: an unknown date is not a late one). For the dialogues' own figures, choose the Mali "
                "communiqué dataset.",
                lang,
                after=int((buckets == NO_ROUND).sum()),
                undated=int((buckets == UNDATED).sum()),
            )
        )
if allocations.empty:
    if profile.communique or not pub.dataset.allocations["approval_date"].isna().all():
        no_rows(lang)
else:
    mali_only = not profile.communique  # the Mali–EU dialogue's rounds, for a dataset of the whole portfolio

    def rounds_view(allocations: pd.DataFrame, mali_only: bool, calendar, control) -> pd.DataFrame:
        """:func:`analysis.aggregate.by_round` of the projects shown (those covering Mali, outside the communiqué's)."""
        if mali_only:
            allocations = allocations[allocations["countries"].map(lambda cs: "ML" in cs).astype(bool)]
        return by_round(allocations, calendar, control)

    rounds = ctx.view(rounds_view, mali_only, calendar(), control_totals(), of="allocations")
    labels = [round_label(int(r), lang) for r in rounds["dialogue_round"]]
    parts = [
        _(
            "{label}: {added} added ({projects}), {cumulative} cumulative ({cumulative_projects})",
            lang,
            label=label,
            added=meur(a, lang),
            projects=ngettext("{n} project", "{n} projects", int(n), lang),
            cumulative=meur(c, lang),
            cumulative_projects=ngettext("{n} project", "{n} projects", int(cn), lang),
        )
        if r > NO_ROUND
        else f"{label}: {meur(a, lang)} ({ngettext('{n} project', '{n} projects', int(n), lang)})"
        for label, r, a, n, c, cn in zip(
            labels,
            rounds["dialogue_round"],
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
        title = _("Allocations added at each High-Level Dialogue, and cumulative (M€)", lang)
        table = rounds_view(allocations, mali_only, calendar, control)
        return rounds_chart(table, lang, footer, title, show_reported=show_reported)

    chart(
        ctx.view(
            rounds_figure, mali_only, lang, ctx.footer, show_reported, calendar(), control_totals(), of="allocations"
        ),
        rounds.assign(label=labels),
        "rounds_chart",
        ". ".join(parts) + ".",
        {
            "label": (_("High-Level Dialogue", lang), "text"),
            "date": (_("Date", lang), "date"),
            "national_eur": (_("National, added (EUR)", lang), "eur"),
            "regional_eur": (_("Regional, added (EUR)", lang), "eur"),
            "amount_eur": (_("Added (EUR)", lang), "eur"),
            "inferred_eur": (_("of which inferred (EUR)", lang), "eur"),
            "n_projects": (_("Projects added", lang), "int"),
            "cumulative_eur": (_("Cumulative (EUR)", lang), "eur"),
            "cumulative_n": (_("Cumulative projects", lang), "int"),
            "control_all_eur": (_("Reported at the dialogue: all (EUR)", lang), "eur"),
            "control_national_eur": (_("Reported at the dialogue: national (EUR)", lang), "eur"),
        },
        drill=lambda p: (
            round_drill(rounds.at[labels.index(p["x"]), "dialogue_round"], "ML" if mali_only else None, lang)
            if p.get("x") in labels
            else None
        ),
    )

    def derived_references(allocations) -> list[str]:
        """References whose dialogue round comes from the approval date."""
        return allocations.loc[allocations["round_basis"] == "derived", "reference"].tolist()

    if derived := ctx.view(derived_references, of="allocations"):
        listed = ", ".join(derived[:DERIVED_LISTED])
        more = ""
        if len(derived) > DERIVED_LISTED:
            more = _(" and {n} more (the explorer lists them all)", lang, n=len(derived) - DERIVED_LISTED)
        st.caption(_("Round derived from the approval date for: ", lang) + md_escape(listed) + more)

#: The places of the calendar (data/dialogue_calendar.csv), named in each language.
_PLACES = (N_("Valletta"), N_("Bamako"))

st.subheader(_("Calendar", lang))
events = calendar()
st.dataframe(
    pd.DataFrame(
        {
            _("Event", lang): events["event"].map(
                {
                    "valletta_summit": _("Valletta Summit on migration", lang),
                    "hld_1": _("1st High-Level Dialogue", lang),
                    "commissioner_visit": _("Commissioner Mimica's visit", lang),
                    "hld_2": _("2nd High-Level Dialogue", lang),
                    "hld_3": _("3rd High-Level Dialogue (planned)", lang),
                }
            ),
            _("Date", lang): [
                _("not set", lang) if pd.isna(s) else long_date(s, lang) if pd.isna(e) else date_range(s, e, lang)
                for s, e in zip(events["date_start"], events["date_end"], strict=True)
            ],
            _("Place", lang): [_(place, lang) if pd.notna(place) else "" for place in events["place"]],
            (
                _("Reported then (2016 amounts, whole dataset, not filtered)", lang)
                if ctx.filters.active
                else _("Reported then (2016 amounts)", lang)
            ): [
                (_("about ", lang) if approx else "") + eur(v, lang) if pd.notna(v) else ""
                for v, approx in zip(events["reported_amount_eur"], events["amount_approximate"], strict=True)
            ],
            _("Note", lang): events["date_note_fr" if lang == "fr" else "date_note"],
            _("Source", lang): events["source"],
        }
    ),
    hide_index=True,
)
