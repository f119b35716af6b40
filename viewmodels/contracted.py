"""What is contracted under a chart's rows, beside their budgets: columns shared by the Regions and Themes tables."""

from __future__ import annotations

import pandas as pd

from domain.fmt import pct
from domain.i18n import _


def with_contracted(table: pd.DataFrame, shares: pd.DataFrame, key: str, lang: str) -> tuple[pd.DataFrame, dict]:
    """A chart's table with what is contracted under its rows' decisions beside it, and those columns' labels.

    Args:
        table: the chart's table, keyed by ``key`` (its row order is kept).
        shares: :func:`analysis.aggregate.contracted_by` of the same data, keyed by ``key``.
        key: ``window``, ``bucket`` or ``objective``.
        lang: ``fr`` or ``en``.

    Returns:
        ``table`` with n_contracts, contracted_eur (``Int64``, EUR) and contracted_share_text
        (the share of the rows' budgets, formatted), and the column specs for ``dashboard.widgets.chart``
        (internal name -> (label, kind)).
    """
    beside = shares[[key, "n_contracts", "contracted_eur", "amount_eur"]].rename(columns={"amount_eur": "_budget"})
    merged = table.drop(columns=["n_contracts", "contracted_eur"], errors="ignore").merge(beside, on=key, how="left")
    merged["contracted_share_text"] = [
        pct(int(c), int(b), lang) if pd.notna(c) and pd.notna(b) else ""
        for c, b in zip(merged["contracted_eur"], merged["_budget"], strict=True)
    ]
    columns = {
        "n_contracts": (_("Contracts", lang), "int"),
        "contracted_eur": (_("Contracted (EUR)", lang), "eur"),
        "contracted_share_text": (_("Share contracted", lang), "text"),
    }
    return merged.drop(columns="_budget"), columns
