"""Over time: decisions by year of approval (adoption) and under implementation (start -> end), undated apart."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from etl import catalog


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


#: Where implementation periods are read: the projects database as published (start and end dates per decision).
PERIOD_COLUMNS = ("ProjectID", "ProjectStartDate", "ProjectEndDate")


def read_periods(path: Path | None = None) -> pd.DataFrame:
    """Implementation start and end dates of each decision, as the projects database gives them.

    Args:
        path: the file (default: the projects database as published, :data:`etl.catalog.PUBLIC_EXPORTS`).

    Returns:
        One row per reference (the first row of a repeated reference), columns reference
        (``str``, normalised like the import: :func:`etl.layouts.parse_reference`), start, end
        (``datetime64[ns]``; NaT where the file gives no date or one that is not ``yyyy-mm-dd``).
        An empty frame when the file is absent or lacks the columns.
    """
    from etl.layouts import parse_reference

    path = path or (catalog.public_data_dir() or catalog.PUBLIC_DATA_DIR) / catalog.PUBLIC_EXPORTS[0].file_name
    empty = pd.DataFrame({"reference": [], "start": pd.Series([], dtype="datetime64[ns]"), "end": []})
    if not path.is_file():
        return empty.astype({"end": "datetime64[ns]"})
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not set(PERIOD_COLUMNS) <= set(reader.fieldnames or ()):
            return empty.astype({"end": "datetime64[ns]"})
        rows = [
            (parse_reference(r["ProjectID"]).value, r["ProjectStartDate"].strip(), r["ProjectEndDate"].strip())
            for r in reader
        ]
    frame = pd.DataFrame(rows, columns=["reference", "start", "end"]).dropna(subset=["reference"])
    for column in ("start", "end"):
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
    key = frame["reference"].str.strip().str.casefold()
    return frame[~key.duplicated()].reset_index(drop=True)


def running_by_year(allocations: pd.DataFrame, periods: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """How many decisions are under implementation each year, from their start and end dates.

    A decision with both dates counts in every calendar year from its start to its end (so
    the years overlap and are never added up). A decision with one date or none, or absent
    from the file of periods, is counted apart: nothing is guessed.

    Args:
        allocations: the decisions shown (column reference).
        periods: :func:`read_periods`.

    Returns:
        ``(table, apart)``: table has one row per year from the first start to the last end,
        columns year (int) and n_running (int); apart counts the decisions without a full
        period: ``start_only``, ``end_only``, ``neither``, ``not_in_file``.
    """
    dates = periods.assign(key=periods["reference"].str.strip().str.casefold()).set_index("key")
    keys = allocations["reference"].astype(str).str.strip().str.casefold()
    apart = {"start_only": 0, "end_only": 0, "neither": 0, "not_in_file": 0}
    counts: dict[int, int] = {}
    for key in keys:
        if key not in dates.index:
            apart["not_in_file"] += 1
            continue
        start, end = dates.at[key, "start"], dates.at[key, "end"]
        if pd.isna(start) or pd.isna(end):
            apart["start_only" if pd.notna(start) else "end_only" if pd.notna(end) else "neither"] += 1
            continue
        for year in range(start.year, end.year + 1):
            counts[year] = counts.get(year, 0) + 1
    years = range(min(counts), max(counts) + 1) if counts else range(0)
    table = pd.DataFrame({"year": list(years), "n_running": [counts.get(y, 0) for y in years]}, dtype="int64")
    return table, apart
