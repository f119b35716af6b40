"""Filter a dataset by the dashboard's shared filters. Pure: returns new frames.

Filters combine with AND across fields and OR within a field. A project matches a
country when it covers it (a national project in it, or a regional initiative that
includes it); it matches an objective or a domain when it lists it, and a DAC sector when its
IATI file lists that code (vocabulary 1, among the decision's own sectors).
"""

from __future__ import annotations

from dataclasses import fields

import pandas as pd

from domain.dataset import Dataset
from domain.filters import NO_ROUND, UNDATED, Filters
from domain.refdata import reference_key
from etl.codelists import DAC_5

_MARKS = r"[\u0300-\u036f]"


def _has_any(lists: pd.Series, wanted: tuple) -> pd.Series:
    chosen = set(wanted)
    return lists.map(lambda values: bool(chosen.intersection(values)))


def _folded(series: pd.Series) -> pd.Series:
    # accents are dropped (é -> e) but every other character is kept, so that a search for
    # "œ" or "中文" looks for those characters instead of for the empty string
    return series.fillna("").astype(str).str.normalize("NFKD").str.replace(_MARKS, "", regex=True).str.casefold()


def partners_of(text) -> list[str]:
    """The implementing partners named in a cell: ``;``-separated, trimmed (``[]`` when blank)."""
    if text is None or text is pd.NA or (isinstance(text, float) and text != text):
        return []
    return [p.strip() for p in str(text).split(";") if p.strip()]


def round_buckets(allocations: pd.DataFrame) -> pd.Series:
    """Each project's dialogue bucket (int Series, same index): where the dialogue charts and filter put it.

    The High-Level Dialogue number when it has one; else :data:`NO_ROUND` when it has an
    approval date (approved after the last dated dialogue), or :data:`UNDATED` when it has
    none (it has no place in time: kept apart, never taken for a late approval).
    """
    rounds = allocations["dialogue_round"]
    bucket = rounds.fillna(NO_ROUND).astype(int)
    return bucket.mask(rounds.isna() & allocations["approval_date"].isna(), UNDATED)


def decisions_listing(sectors: pd.DataFrame, codes: tuple[str, ...]) -> set[str]:
    """The reference keys (:func:`domain.refdata.reference_key`) of the decisions listing one of ``codes``.

    Only DAC 5-digit codes (vocabulary 1) of decisions count: a contract's sectors are its own.
    """
    dac = sectors[(sectors["vocabulary"] == DAC_5) & (sectors["record_type"] == "decision")]
    listing = dac["code"].isin(codes).fillna(False).to_numpy(dtype=bool)
    return set(reference_key(dac["reference"][listing]).dropna())


def mask(allocations: pd.DataFrame, filters: Filters, sectors: pd.DataFrame | None = None) -> pd.Series:
    """Boolean Series (same index as ``allocations``): True for the rows the filters keep.

    ``sectors`` (:attr:`domain.dataset.Dataset.sectors`) is what a sector filter matches against;
    without it no decision lists a sector.
    """
    keep = pd.Series(True, index=allocations.index)
    if filters.windows:
        keep &= allocations["window"].isin(filters.windows).fillna(False)
    if filters.scopes:
        keep &= allocations["scope"].isin(filters.scopes).fillna(False)
    if filters.countries:
        keep &= _has_any(allocations["countries"], filters.countries)
    if filters.objectives:
        keep &= _has_any(allocations["objectives"].map(lambda o: o or [0]), filters.objectives)
    if filters.domains:
        domains = allocations["valletta_domains"].map(lambda d: d or [0])
        keep &= _has_any(domains, filters.domains)
    if filters.rounds:
        keep &= round_buckets(allocations).isin(filters.rounds)
    if filters.partners:
        keep &= _has_any(allocations["implementing_partner"].map(partners_of), filters.partners)
    if filters.themes:
        keep &= allocations["theme"].isin(filters.themes).fillna(False)
    if filters.sectors:
        listing = decisions_listing(sectors, filters.sectors) if sectors is not None else set()
        keep &= reference_key(allocations["reference"]).isin(listing).fillna(False).to_numpy(dtype=bool)
    if filters.approved_from or filters.approved_to:
        dates = allocations["approval_date"]
        in_range = pd.Series(True, index=allocations.index)
        if filters.approved_from:
            in_range &= dates >= pd.Timestamp(filters.approved_from)
        if filters.approved_to:
            in_range &= dates <= pd.Timestamp(filters.approved_to)
        keep &= in_range.fillna(False) | (dates.isna() & filters.include_undated)
    if filters.amount_min is not None:
        keep &= (allocations["amount_eur"] >= filters.amount_min).fillna(False)
    if filters.amount_max is not None:
        keep &= (allocations["amount_eur"] <= filters.amount_max).fillna(False)
    if filters.text.strip():
        needle = _folded(pd.Series([filters.text.strip()])).iloc[0]
        haystack = _folded(allocations["reference"])
        for column in ("title", "theme", "implementing_partner", "source"):
            haystack = haystack + " " + _folded(allocations[column])
        keep &= haystack.str.contains(needle, regex=False)
    return keep


def describe(filters: Filters, labels: dict[str, str] | None = None) -> list[str]:
    """One line per filter set, e.g. ``scope: national``; for captions and export About sheets.

    Args:
        filters: the filters.
        labels: optional display names of the fields (default: the field names).
    """
    labels = labels or {}
    lines = []
    for f in fields(filters):
        value = getattr(filters, f.name)
        if f.name == "include_undated" or value in (None, (), ""):
            continue
        text = ", ".join(str(v) for v in value) if isinstance(value, tuple) else str(value)
        lines.append(f"{labels.get(f.name, f.name)}: {text}")
    if (filters.approved_from or filters.approved_to) and filters.include_undated:
        lines.append("projects with an unknown approval date are kept")
    return lines


def apply(dataset: Dataset, filters: Filters) -> Dataset:
    """The dataset restricted to the projects the filters keep (long tables follow).

    Returns the same object when no filter is set.
    """
    if not filters.active:
        return dataset
    allocations = dataset.allocations[mask(dataset.allocations, filters, dataset.sectors)]
    refs = set(allocations["reference"])
    contracts = dataset.contracts_of(refs)
    kept = set(reference_key(pd.concat([allocations["reference"], contracts["reference"]])).dropna())
    sectors = dataset.sectors
    return Dataset(
        allocations=allocations,
        countries=dataset.countries[dataset.countries["reference"].isin(refs)],
        objectives=dataset.objectives[dataset.objectives["reference"].isin(refs)],
        domains=dataset.domains[dataset.domains["reference"].isin(refs)],
        contracts=contracts,
        sectors=sectors[reference_key(sectors["reference"]).isin(kept).fillna(False).to_numpy(dtype=bool)],
    )
