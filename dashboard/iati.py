"""What an uploaded IATI file commits and disburses: its transactions by year and by EUTF window.

Rendered on the Upload page under the validation report; the figures come from
:func:`etl.iati_map.transactions_by` (euros only: other currencies are reported, never added).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.fmt import eur
from etl import refdata
from etl.iati import TRANSACTION_TYPES
from etl.iati_map import transactions_by
from i18n import _


def measure_name(code: str, lang: str) -> str:
    """A transaction type as IATI names it (``2`` -> *Outgoing Commitment*), in ``lang``; else ``type X``."""
    return _(TRANSACTION_TYPES[code], lang) if code in TRANSACTION_TYPES else _("type {code}", lang, code=code)


def transactions_tables(transactions: pd.DataFrame, table: pd.DataFrame | None, lang: str) -> dict[str, pd.DataFrame]:
    """The two tables shown: ``year`` and ``window``, columns named in ``lang``; amounts ``Int64`` EUR.

    The window table has the approved amounts (decision budgets of the file) beside the transactions.
    """
    allocations = table if table is not None else pd.DataFrame(columns=["reference", "window", "record_type"])
    out = {}
    for by, label in (("year", _("Year", lang)), ("window", _("EUTF window", lang))):
        frame = transactions_by(transactions, allocations, by)
        if by == "window" and not allocations.empty:
            decisions = allocations[allocations["record_type"] != "contract"]
            approved = decisions.groupby("window")["amount_eur"].sum()
            frame.insert(1, "approved", frame["window"].map(approved).astype("Int64"))
            frame["window"] = frame["window"].map(
                lambda w: refdata.WINDOWS.get(w, {}).get(lang, w) if isinstance(w, str) else _("not given", lang)
            )
        if by == "year":
            frame["year"] = frame["year"].astype("string").fillna(_("no date", lang))
        names = {c: measure_name(c, lang) + " (EUR)" for c in frame.columns if c not in (by, "approved")}
        names |= {by: label, "approved": _("Approved (budgets, EUR)", lang)}
        out[by] = frame.rename(columns=names)
    return out


def show_transactions(transactions: pd.DataFrame | None, table: pd.DataFrame | None, lang: str) -> None:
    """The Upload page's section on an IATI file's transactions (nothing when it has none)."""
    if transactions is None or transactions.empty:
        return
    st.subheader(_("Commitments and disbursements in this file", lang))
    st.caption(
        _(
            "{n} transactions in euros, by type as IATI names them ({total} in all); transactions in other "
            "currencies are listed in the report and not added. They are shown here and not yet stored with the "
            "version.",
            lang,
            n=len(transactions),
            total=eur(int(transactions["value_eur"].sum()), lang),
        )
    )
    tables = transactions_tables(transactions, table, lang)
    for key in ("year", "window"):
        frame = tables[key]
        money = {c: st.column_config.NumberColumn(c, format="localized") for c in frame.columns[1:]}
        st.dataframe(frame, hide_index=True, column_config=money, key=f"iati_transactions_{key}")
