"""Allocations by OECD DAC sector (5-digit purpose code), from the sectors an IATI file gives.

The split rule, stated wherever the chart is shown: a decision counts once, in full, across its DAC
5-digit sectors (vocabulary 1; other vocabularies are not counted here). One sector: the whole
amount. Several with percentages: the amount split by those percentages (relative to their sum,
when a file's do not add up to 100, which the import reported), to the euro, the remaining euros
going one at a time to the largest fractional parts (the first listed on a tie). Several without
percentages (or only some with one): an equal split, the remaining euros to the first listed.
Decisions without a DAC sector make a row of their own, so that the rows always add up to the
total. Contracts are never counted (they are inside their decisions' budgets).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from domain.refdata import reference_key
from etl.codelists import DAC_5
from etl.derive import equal_split

#: How a decision's amount reached a sector: ``whole`` (its only sector), ``percentage`` or ``equal``.
SPLITS = ("whole", "percentage", "equal")


def percentage_split(amount: int, percentages: list[Decimal]) -> list[int]:
    """Split ``amount`` (EUR) by ``percentages`` (relative to their sum) into integer shares that sum to it.

    Largest remainder: each share is the floor of its exact part, then the remaining euros go one
    at a time to the largest fractional parts, the first listed on a tie.
    ``percentage_split(100, [Decimal(50), Decimal(25), Decimal(25)]) == [50, 25, 25]``;
    ``percentage_split(10, [Decimal(1)] * 3) == [4, 3, 3]``.

    Raises:
        ValueError: when the percentages are empty or add up to zero or less.
    """
    total = sum(percentages, Decimal(0))
    if not percentages or total <= 0:
        raise ValueError("percentages must be given and add up to more than zero")
    exact = [Decimal(int(amount)) * p / total for p in percentages]
    shares = [int(e) for e in exact]  # floor: amounts are never negative here
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: int(amount) - sum(shares)]:
        shares[i] += 1
    return shares


def listed_codes(allocations: pd.DataFrame, sectors: pd.DataFrame) -> list[str]:
    """The DAC 5-digit codes (vocabulary 1) the decisions of ``allocations`` list, sorted: the sector filter's."""
    dac = sectors[(sectors["vocabulary"] == DAC_5) & (sectors["record_type"] == "decision")]
    if dac.empty:  # every workbook: no set of a million references for nothing (1M rows: 250 MB)
        return []
    dac_keys = reference_key(dac["reference"])
    # the decisions' keys that a sector names: a set as small as the sectors, not as the decisions
    named = reference_key(allocations["reference"])
    named = set(named[named.isin(set(dac_keys.dropna())).fillna(False).to_numpy(dtype=bool)].dropna())
    listed = dac_keys.isin(named).fillna(False).to_numpy(dtype=bool)
    return sorted(set(dac["code"][listed].dropna()))


def sector_shares(allocations: pd.DataFrame, sectors: pd.DataFrame) -> pd.DataFrame:
    """Each decision's amount over its DAC 5-digit sectors, by the rule of this module.

    Args:
        allocations: decisions (:class:`validation.schemas.Allocation`: reference, amount_eur ``Int64``).
        sectors: a version's sectors (:func:`etl.iati_map.sectors_frame` / :meth:`store.versions.Store.sectors`).

    Returns:
        One row per (decision, sector), decisions in table order, sectors in file order; a decision
        without a DAC sector has one row with a missing code. Columns: reference (``string``),
        code (``string``, missing for "no sector given"), amount_eur (``Int64``, EUR, the share),
        split (``string``: one of :data:`SPLITS`, missing for "no sector given").
    """
    dac = sectors[(sectors["vocabulary"] == DAC_5) & (sectors["record_type"] == "decision")]
    listed: dict[str, list[tuple[str, Decimal | None]]] = {}
    for key, code, share in zip(reference_key(dac["reference"]), dac["code"], dac["percentage"], strict=True):
        listed.setdefault(key, []).append((str(code), share))
    records = []
    for reference, key, amount in zip(
        allocations["reference"], reference_key(allocations["reference"]), allocations["amount_eur"], strict=True
    ):
        amount = 0 if pd.isna(amount) else int(amount)
        entries = listed.get(key, [])
        if not entries:
            records.append((reference, None, amount, None))
            continue
        codes = [code for code, _ in entries]
        given = [share for _, share in entries]
        if len(entries) == 1:
            shares, split = [amount], "whole"
        elif all(s is not None for s in given) and sum(given, Decimal(0)) > 0:
            shares, split = percentage_split(amount, given), "percentage"
        else:
            shares, split = equal_split(amount, len(entries)), "equal"
        records += [(reference, code, share, split) for code, share in zip(codes, shares, strict=True)]
    frame = pd.DataFrame.from_records(records, columns=["reference", "code", "amount_eur", "split"])
    return frame.astype({"reference": "string", "code": "string", "amount_eur": "Int64", "split": "string"})


def by_sector(allocations: pd.DataFrame, sectors: pd.DataFrame) -> pd.DataFrame:
    """Allocations by DAC 5-digit sector, largest first, then "no sector given".

    Returns:
        Columns code (``string``, missing for "no sector given"), amount_eur (``Int64``, EUR, the
        shares: the rows add up to the decisions' total), split_eur (``Int64``, EUR, the part that
        comes from splitting a decision over several sectors), n_projects (int, decisions listing it).
    """
    shares = sector_shares(allocations, sectors)
    shares = shares.assign(split_eur=shares["amount_eur"].where(shares["split"].isin(["percentage", "equal"]), 0))
    key = shares["code"].fillna("\uffff")
    table = (
        shares.groupby(key, sort=False)
        .agg(amount_eur=("amount_eur", "sum"), split_eur=("split_eur", "sum"), n_projects=("reference", "nunique"))
        .reset_index()
        .rename(columns={"index": "code"})
    )
    table = table.sort_values(["amount_eur", "code"], ascending=[False, True], kind="stable")
    table = pd.concat([table[table["code"] != "\uffff"], table[table["code"] == "\uffff"]], ignore_index=True)
    table["code"] = table["code"].replace("\uffff", pd.NA).astype("string")
    return table.astype({"amount_eur": "Int64", "split_eur": "Int64", "n_projects": "int64"})
