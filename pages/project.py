"""Project: one EUTF decision, every field with its source (opened from the explorer's links)."""

import pandas as pd
import streamlit as st

from analysis.compare import compare_amounts
from charts.figures import round_label
from dashboard import url
from dashboard.cache import latest_of_every_dataset
from dashboard.results import show_for_decision
from dashboard.widgets import PageContext, comparison_frame, md_escape, require_router
from domain import refdata
from domain.fmt import eur, long_date, pct
from domain.i18n import _, ngettext
from etl.catalog import dataset_title

require_router(__file__)

ctx = PageContext()
lang, pub = ctx.lang, ctx.pub
allocations = pub.dataset.allocations
reference = url.project_ref()
match = allocations[allocations["reference"].str.casefold() == reference.strip().casefold()]

if match.empty:
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

item = match.iloc[0]
st.title(str(item["reference"]))
st.text(str(item["title"]))
st.caption(f"{md_escape(dataset_title(pub.name, lang))} · {md_escape(pub.version)}")
c1, c2, c3 = st.columns(3)
c1.metric(_("EU contribution", lang), eur(item["amount_eur"], lang), border=True)
c2.metric(_("Amount basis", lang), refdata.AMOUNT_BASES[item["amount_basis"]][lang], border=True)
c3.metric(
    _("High-Level Dialogue", lang),
    round_label(int(item["dialogue_round"]), lang) if pd.notna(item["dialogue_round"]) else "–",
    border=True,
)
if item["amount_basis"] == "inferred":
    st.warning(
        _("This amount is inferred from other sourced figures, not read in a source: see Sources & method.", lang)
    )
fields = [
    (_("EUTF window", lang), f"{item['window']} – {refdata.WINDOWS[item['window']][lang]}"),
    (_("Scope", lang), refdata.SCOPES[item["scope"]][lang]),
    (_("Countries", lang), ", ".join(f"{c} – {refdata.country_name(c, lang)}" for c in item["countries"])),
    (
        _("Strategic objectives", lang),
        "; ".join(f"{o} – {refdata.OBJECTIVES[o][lang]}" for o in item["objectives"])
        or _("not given in the source", lang),
    ),
    (
        _("Valletta domains", lang),
        "; ".join(f"{d} – {refdata.VALLETTA_DOMAINS[d][lang]}" for d in item["valletta_domains"])
        or _("not reported", lang),
    ),
    (_("Theme", lang), item["theme"] if pd.notna(item["theme"]) else "–"),
    (
        _("Approval date", lang),
        long_date(item["approval_date"], lang) if pd.notna(item["approval_date"]) else _("unknown", lang),
    ),
    (
        _("Dialogue round from", lang),
        {"typed": _("the workbook", lang), "derived": _("the approval date", lang)}.get(item["round_basis"], "–"),
    ),
    (_("Implementing partner", lang), item["implementing_partner"] if pd.notna(item["implementing_partner"]) else "–"),
    (_("Source", lang), item["source"] if pd.notna(item["source"]) else "–"),
]
st.dataframe(
    pd.DataFrame(fields, columns=[_("Field", lang), _("Value", lang)]),
    hide_index=True,
    column_config={_("Value", lang): st.column_config.TextColumn(width="large")},
)

contracts = pub.dataset.contracts_of({str(item["reference"])})
if len(pub.dataset.contracts):
    st.subheader(_("Contracts under this decision", lang))
    budget = int(item["amount_eur"])
    signed = int(contracts["amount_eur"].sum())
    if contracts.empty:
        st.caption(_("No contract of this dataset names this decision.", lang))
    else:
        st.markdown(
            ngettext(
                "{n} contract, **{signed}**: {share} of the decision's budget of {budget}. Contracts spend a "
                "decision's budget and are never added to it: the totals count the budget only.",
                "{n} contracts, **{signed}**: {share} of the decision's budget of {budget}. Contracts spend a "
                "decision's budget and are never added to it: the totals count the budget only.",
                len(contracts),
                lang,
                signed=eur(signed, lang),
                share=pct(signed, budget, lang),
                budget=eur(budget, lang),
            )
        )
        if signed > budget:
            st.warning(
                _(
                    "The contracts add up to {excess} more than the decision's budget: the export's figures disagree "
                    "(a top-up missing from the budget, or a contract counted twice). The totals count the budget.",
                    lang,
                    excess=eur(signed - budget, lang),
                ),
                icon=":material/warning:",
            )
        st.dataframe(
            pd.DataFrame(
                {
                    _("Contract", lang): contracts["reference"],
                    _("Title", lang): contracts["title"],
                    _("Implementing partner", lang): contracts["implementing_partner"].fillna("–"),
                    _("Amount", lang): [eur(v, lang) for v in contracts["amount_eur"]],
                    _("Share of the budget", lang): [pct(int(v), budget, lang) for v in contracts["amount_eur"]],
                }
            ),
            hide_index=True,
            column_config={_("Title", lang): st.column_config.TextColumn(width="large")},
        )

show_for_decision(pub.dataset, str(item["reference"]), lang)  # documents and results (issue 17)

others = compare_amounts(pub.name, match, latest_of_every_dataset())
if len(others):
    st.subheader(_("The same decision in other datasets", lang))
    st.caption(
        _(
            "Datasets are never added together. Later datasets give amounts after top-ups, so a difference is not an "
            "error: it is what changed after approval.",
            lang,
        )
    )
    st.dataframe(comparison_frame(others, lang), hide_index=True)
st.page_link("pages/explorer.py", label=_("Back to the explorer", lang), icon=":material/arrow_back:")
