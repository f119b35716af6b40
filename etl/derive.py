"""Derive the dialogue round of each allocation and the long tables used by the charts.

Pure functions on DataFrames; each returns a new frame.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection

import numpy as np
import pandas as pd


def dialogue_dates(calendar: pd.DataFrame) -> pd.Series:
    """Dated High-Level Dialogues: round number (int) -> date (``Timestamp``), in order."""
    dated = calendar[(calendar["kind"] == "high_level_dialogue") & calendar["date_start"].notna()]
    return pd.Series(dated["date_start"].to_numpy(), index=dated["dialogue_round"].astype(int)).sort_index()


def with_rounds(
    allocations: pd.DataFrame, calendar: pd.DataFrame, country: str | None = None, no_round: Collection[int] = ()
) -> pd.DataFrame:
    """Fill ``dialogue_round`` where blank: the first dated dialogue on or after the approval date.

    Args:
        allocations: the normalized allocation table (``dialogue_round`` as typed).
        calendar: :func:`etl.catalog.load_calendar`.
        country: when given (ISO alpha-2), rounds are derived only for the projects that
            list that country: the High-Level Dialogues are the Mali–EU dialogue's, so a
            project of the whole portfolio elsewhere was reported at none of them.
        no_round: index labels (rows) whose file states that no round applies (``none``,
            :data:`etl.parse.NO_ROUND`): none is derived for them.

    Returns:
        A copy with ``dialogue_round`` (``Int64``; missing when the approval date is after
        the last dated dialogue) and ``round_basis`` (``typed``/``derived``, ``string``).
    """
    dates = dialogue_dates(calendar)
    out = allocations.copy()
    typed = out["dialogue_round"].notna()
    approved = out["approval_date"]
    # the first dated dialogue on or after each approval date (vectorised)
    position = np.searchsorted(
        dates.to_numpy(dtype="datetime64[ns]"), approved.to_numpy(dtype="datetime64[ns]"), side="left"
    )
    found = approved.notna().to_numpy() & (position < len(dates))
    if country is not None:
        found &= out["countries"].map(lambda cs: country in cs).astype(bool).to_numpy()
    if len(no_round):
        found &= ~out.index.isin(list(no_round))
    rounds = dates.index.to_numpy()
    derived = pd.array([int(rounds[p]) if ok else pd.NA for p, ok in zip(position, found, strict=True)], dtype="Int64")
    out["dialogue_round"] = out["dialogue_round"].where(typed, pd.Series(derived, index=out.index))
    basis = pd.Series(pd.NA, index=out.index, dtype="string")
    basis[typed] = "typed"
    basis[~typed & out["dialogue_round"].notna()] = "derived"
    out["round_basis"] = basis
    return out


def equal_split(amount: int, n: int) -> list[int]:
    """Split an amount in euros into ``n`` integer shares that sum exactly to it.

    The remainder goes one euro at a time to the first shares:
    ``equal_split(10, 3) == [4, 3, 3]``.
    """
    base, remainder = divmod(int(amount), n)
    return [base + (1 if i < remainder else 0) for i in range(n)]


def project_countries(allocations: pd.DataFrame) -> pd.DataFrame:
    """Long table project x country.

    Returns:
        Columns reference (``string``), country (ISO 3166-1 alpha-2, ``string``),
        n_countries (int, the project's number of countries). Regional projects appear
        once per country covered; no amount is apportioned here.
    """
    lists = allocations["countries"].to_numpy()
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    project = np.repeat(np.arange(len(lists)), lengths)  # each item's project, in order
    items = np.fromiter(itertools.chain.from_iterable(lists), dtype=object, count=int(lengths.sum()))
    keep = ~pd.isna(items)  # as explode then notna: an empty list gives no row
    project, items = project[keep], items[keep]
    frame = pd.DataFrame(
        {
            # the references taken by position: no Python text per row (1M rows: 100 MB less)
            "reference": _take(allocations["reference"], project),
            "country": items,
            "n_countries": lengths[project],
        }
    )
    return frame.astype({"reference": "string", "country": "string", "n_countries": "int64"})


def _take(column: pd.Series, positions: np.ndarray):
    """The values of ``column`` at ``positions`` as an array of its own dtype (an Arrow ``string`` stays Arrow)."""
    return column.array.take(positions)


def _split_long(allocations: pd.DataFrame, column: str, key: str, empty_code: int | None) -> pd.DataFrame:
    """One row per (project, code), codes sorted, the amount split as :func:`equal_split` does (vectorised)."""
    lists = pd.Series(allocations[column].to_numpy(), dtype=object)
    frame = lists.explode().to_frame(key)  # the index: each project's position, in order
    if empty_code is not None:  # a project with no code gets ``empty_code``
        empty = lists.map(len).to_numpy() == 0
        frame.loc[empty[frame.index.to_numpy()], key] = empty_code
    frame = frame[frame[key].notna()]
    project = frame.index.to_numpy()
    codes = frame[key].astype("int64").to_numpy()
    order = np.lexsort((codes, project))  # by project, then code: each project's codes sorted
    project, codes = project[order], codes[order]
    n = np.bincount(project, minlength=len(lists))[project]
    position = np.arange(len(project)) - np.searchsorted(project, project, side="left")
    amount = allocations["amount_eur"].to_numpy(dtype="int64")[project]
    base, remainder = np.divmod(amount, n)
    # the remainder goes one euro at a time to the first shares, as in equal_split
    out = pd.DataFrame(
        {
            "reference": _take(allocations["reference"], project),
            key: codes,
            "amount_share_eur": base + (position < remainder),
        }
    )
    return out.astype({"reference": "string", key: "int64", "amount_share_eur": "Int64"})


def project_objectives(allocations: pd.DataFrame) -> pd.DataFrame:
    """Long table project x EUTF strategic objective.

    A project with several objectives has its amount split equally among them
    (:func:`equal_split`), so the shares of all rows sum to the total allocation. A
    project with none given (public EUTF exports) gets objective 0, "not given".

    Returns:
        Columns reference (``string``), objective (int 0-4), amount_share_eur (``Int64``, EUR).
    """
    return _split_long(allocations, "objectives", "objective", 0)


def project_domains(allocations: pd.DataFrame) -> pd.DataFrame:
    """Long table project x Valletta Action Plan domain, split equally like objectives.

    Projects with no domain reported get domain 0 ("not reported") so that the shares
    still sum to the total allocation.

    Returns:
        Columns reference (``string``), domain (int 0-5), amount_share_eur (``Int64``, EUR).
    """
    return _split_long(allocations, "valletta_domains", "domain", 0)
