"""Commitments & disbursements: a version's IATI transactions beside the approved amounts (nothing computed here)."""

import streamlit as st

from dashboard.cache import transactions
from dashboard.iati import show_tables, transactions_tables
from dashboard.widgets import PageContext, data_caption, no_rows, require_router
from domain.i18n import _
from viewmodels.commitments import commitments

require_router(__file__)

ctx = PageContext()
lang, pub = ctx.lang, ctx.pub

st.title(_("Commitments and disbursements", lang))
data_caption(pub, ctx.filters, len(ctx.data.allocations), lang)
stored = transactions(pub)
if stored.empty:
    st.info(
        _(
            "This version has no transactions: commitments and disbursements come only from an IATI activity file "
            "that lists them, published on the Upload page. The approved amounts are on the other pages.",
            lang,
        ),
        icon=":material/info:",
    )
    st.stop()
if ctx.data.records.empty:
    no_rows(lang)
    st.stop()
model = commitments(ctx.data.records, stored, lang)
st.info(
    _(
        "The transactions in euros of the IATI file published as this version, by type as IATI names them "
        "(Outgoing Commitment, Disbursement, Expenditure, Incoming Funds…), beside the approved amounts of the "
        "decisions shown. Transactions are counted at the level of the activity that reports them (decision or "
        "contract). By year: transactions in the year of their date, approved amounts in the year of approval. A "
        "multi-country project stays in the multi-country bucket; a project with several objectives is split "
        "equally between them. Transactions in other currencies were reported at upload and are not stored.",
        lang,
    ),
    icon=":material/info:",
)
st.caption(model.caption)
headings = {
    "year": _("By year", lang),
    "window": _("By EUTF window", lang),
    "country": _("By country", lang),
    "objective": _("By strategic objective", lang),
}
tables = transactions_tables(model.shown, ctx.data.records, lang, _("Approved (EUR)", lang))
show_tables(tables, "commitments", headings)
