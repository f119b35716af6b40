"""Approvals over time: decisions by year of approval (adoption), the undated ones counted apart."""

from __future__ import annotations

import pandas as pd


def approvals_by_year(allocations: pd.DataFrame) -> pd.DataFrame:
    """Decisions and their amounts by year of approval; decisions without a date in a row of their own.

    A decision counts once, in the year of its approval date (for the public exports, the
    adoption date the EUTF website gives). Contracts are never counted (they spend decisions'
    budgets). Nothing is guessed for a decision without a date: it goes to the *undated* row,
    so that the years plus that row give the total.

    Args:
        allocations: a dataset's decisions (columns approval_date ``datetime64[ns]``,
            amount_eur ``Int64`` EUR, amount_basis).

    Returns:
        One row per year with at least one decision, in order, then the undated row when any.
        Columns: year (``Int64``; missing for the undated row), n_projects (int), amount_eur,
        inferred_eur (``Int64``, EUR; the part of the amount that is inferred, not read).
    """
    years = allocations["approval_date"].dt.year.astype("Int64")
    inferred = allocations["amount_eur"].where(allocations["amount_basis"] == "inferred", 0)
    frame = pd.DataFrame(
        {"year": years, "amount_eur": allocations["amount_eur"], "inferred_eur": inferred, "one": 1},
        index=allocations.index,
    )
    grouped = (
        frame.groupby("year", dropna=False, sort=True)
        .agg(n_projects=("one", "sum"), amount_eur=("amount_eur", "sum"), inferred_eur=("inferred_eur", "sum"))
        .reset_index()
    )
    grouped["year"] = grouped["year"].astype("Int64")
    grouped = pd.concat([grouped[grouped["year"].notna()], grouped[grouped["year"].isna()]], ignore_index=True)
    for column in ("amount_eur", "inferred_eur"):
        grouped[column] = grouped[column].astype("Int64")
    grouped["n_projects"] = grouped["n_projects"].astype("int64")
    return grouped[["year", "n_projects", "amount_eur", "inferred_eur"]]
