"""What an uploaded IATI file commits and disburses: its transactions by year, EUTF window, country, objective.

Rendered on the Upload page under the validation report; the figures come from
:func:`etl.iati_map.transactions_by` (euros only: other currencies are reported, never added).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from domain import refdata
from domain.fmt import eur
from domain.i18n import _
from etl.iati import TRANSACTION_TYPES
from etl.iati_map import measures_by


def measure_name(code: str, lang: str) -> str:
    """A transaction type as IATI names it (``2`` -> *Outgoing Commitment*), in ``lang``; else ``type X``."""
    return _(TRANSACTION_TYPES[code], lang) if code in TRANSACTION_TYPES else _("type {code}", lang, code=code)


def transactions_tables(
    transactions: pd.DataFrame, table: pd.DataFrame | None, lang: str, approved_label: str | None = None
) -> dict[str, pd.DataFrame]:
    """The tables shown, by ``year``, ``window``, ``country`` and ``objective``: columns named in ``lang``, EUR.

    Each is :func:`etl.iati_map.measures_by` (the approved amounts of the decisions, split and
    bucketed by the same rules, beside the transactions by type; by year, approved amounts
    count in their year of approval), with the keys and columns named: the transaction types
    as IATI names them, ``approved_label`` (default *Approved (budgets, EUR)*) for the approved
    amounts.
    """
    allocations = table if table is not None else pd.DataFrame(columns=ALLOCATION_COLUMNS)
    labels = {
        "year": _("Year", lang),
        "window": _("EUTF window", lang),
        "country": _("Country", lang),
        "objective": _("Strategic objective", lang),
    }
    out = {}
    for by, label in labels.items():
        frame = measures_by(transactions, allocations, by)
        frame[by] = frame[by].map(lambda key, by=by: _key_label(by, key, lang), na_action=None)
        names = {c: measure_name(c, lang) + " (EUR)" for c in frame.columns if c not in (by, "approved")}
        names |= {by: label, "approved": approved_label or _("Approved (budgets, EUR)", lang)}
        out[by] = frame.rename(columns=names)
    return out


ALLOCATION_COLUMNS = [
    "reference",
    "record_type",
    "window",
    "scope",
    "countries",
    "objectives",
    "amount_eur",
    "approval_date",
]


def _key_label(by: str, key, lang: str) -> str:
    """A row's label: the year, the window's name, the country's name, the objective's name."""
    if key is None or key is pd.NA or (isinstance(key, float) and key != key):
        return _("no date", lang) if by == "year" else _("not given", lang)
    if by == "window":
        return refdata.WINDOWS.get(key, {}).get(lang, str(key))
    if by == "country":
        if key == "regional":
            return _("Multi-country (regional)", lang)
        return refdata.country_name(key, lang) if key in refdata.iso_alpha2_codes() else str(key)
    if by == "objective":
        name = refdata.OBJECTIVES.get(int(key), {}).get(lang)
        return _("not given", lang) if int(key) == 0 else f"{int(key)} – {name}" if name else str(key)
    return str(key)


def show_transactions(transactions: pd.DataFrame | None, table: pd.DataFrame | None, lang: str) -> None:
    """The Upload page's section on an IATI file's transactions (nothing when it has none)."""
    if transactions is None or transactions.empty:
        return
    st.subheader(_("Commitments and disbursements in this file", lang))
    st.caption(
        _(
            "{n} transactions in euros, by type as IATI names them ({total} in all); transactions in other "
            "currencies are listed in the report and not added. Published, they are stored with the version and "
            "shown on the 'Commitments & disbursements' page.",
            lang,
            n=len(transactions),
            total=eur(int(transactions["value_eur"].sum()), lang),
        )
    )
    show_tables(transactions_tables(transactions, table, lang), "iati_transactions")


def show_tables(tables: dict[str, pd.DataFrame], key: str, captions: dict[str, str] | None = None) -> None:
    """Lay out :func:`transactions_tables`' tables (year, window, country, objective), euros localised.

    ``key`` prefixes the widgets' keys; ``captions`` gives an optional heading per table.
    """
    for by in ("year", "window", "country", "objective"):
        frame = tables[by]
        if captions and by in captions:
            st.markdown(f"**{captions[by]}**")
        money = {c: st.column_config.NumberColumn(c, format="localized") for c in frame.columns[1:]}
        st.dataframe(frame, hide_index=True, column_config=money, key=f"{key}_{by}")
