"""The same EUTF decision in several datasets: the amount approved then, and the amount later.

Datasets are never added together. They are only set side by side, reference by
reference, so that a 2016 approval amount (the Mali communiqué's dataset) can be read
beside the same decision's amount in January 2022 (after top-ups) or its December 2021
budget.
"""

from __future__ import annotations

import pandas as pd

from domain.dataset import Dataset
from domain.refdata import reference_key as _key


def compare_amounts(base_name: str, decisions: pd.DataFrame, others: dict[str, Dataset]) -> pd.DataFrame:
    """Each of ``decisions`` with its amount in every other dataset that holds it.

    References are matched ignoring spaces and case; contracts are not compared.

    Args:
        base_name: the name of the dataset shown.
        decisions: its decisions (:class:`validation.schemas.Allocation` rows), e.g. the
            whole ``Dataset.allocations`` or one project's row.
        others: dataset name -> clean dataset (the base's own name is skipped).

    Returns:
        One row per (reference of ``base`` found elsewhere, other dataset), in the base's
        order: reference (``string``), dataset (``string``, the other's name),
        base_eur, other_eur, change_eur (``Int64``, EUR: ``other - base``),
        base_basis, other_basis (``sourced``/``inferred``). Empty when no reference is
        shared.
    """
    rows = []
    keys = _key(decisions["reference"])
    for name, other in others.items():
        if name == base_name:
            continue
        theirs = other.allocations.assign(_key=_key(other.allocations["reference"])).drop_duplicates("_key")
        theirs = theirs.set_index("_key")
        for key, reference, amount, basis in zip(
            keys, decisions["reference"], decisions["amount_eur"], decisions["amount_basis"], strict=True
        ):
            if key not in theirs.index:
                continue
            found = theirs.loc[key]
            rows.append(
                {
                    "reference": reference,
                    "dataset": name,
                    "base_eur": int(amount),
                    "other_eur": int(found["amount_eur"]),
                    "change_eur": int(found["amount_eur"]) - int(amount),
                    "base_basis": basis,
                    "other_basis": found["amount_basis"],
                }
            )
    columns = ["reference", "dataset", "base_eur", "other_eur", "change_eur", "base_basis", "other_basis"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype(
        {
            "reference": "string",
            "dataset": "string",
            "base_eur": "Int64",
            "other_eur": "Int64",
            "change_eur": "Int64",
            "base_basis": "string",
            "other_basis": "string",
        }
    )
