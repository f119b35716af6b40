"""What changes between two versions of an allocation table.

Pure: used by the upload preview, the history page and the CLI alike.

Projects are matched by reference after trimming and case-folding (the uniqueness rule of
TEMPLATE.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from domain.template import CLEAN_COLUMNS
from validation.reconcile import totals as scope_totals

#: Fields compared between versions, in the template's order.
FIELDS = tuple(c for c in CLEAN_COLUMNS if c != "reference")


@dataclass(frozen=True)
class Diff:
    """The change from an old to a new allocation table.

    Attributes:
        added: rows of the new table whose reference is not in the old one.
        removed: rows of the old table whose reference is not in the new one.
        changed: one row per changed field: reference, field, old, new (``object``), and
            delta_eur (``Int64``, new - old, for ``amount_eur`` only).
        totals: rows ``all``/``national``/``regional``; columns old_n, new_n, old_eur,
            new_eur, delta_eur (``Int64``, EUR).
    """

    added: pd.DataFrame
    removed: pd.DataFrame
    changed: pd.DataFrame
    totals: pd.DataFrame

    @property
    def empty(self) -> bool:
        """True when nothing differs."""
        return self.added.empty and self.removed.empty and self.changed.empty


def _key(frame: pd.DataFrame) -> pd.Series:
    return frame["reference"].astype("string").str.strip().str.casefold()


def _same(a, b) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return list(a) == list(b)
    if pd.isna(a) and pd.isna(b):
        return True
    if pd.isna(a) or pd.isna(b):
        return False
    return a == b


def diff(old: pd.DataFrame, new: pd.DataFrame) -> Diff:
    """Compare two allocation tables (:class:`validation.schemas.Allocation` columns).

    Args:
        old: the published version (may be empty).
        new: the candidate or later version.
    """
    old_k, new_k = _key(old), _key(new)
    added = new[~new_k.isin(set(old_k))].reset_index(drop=True)
    removed = old[~old_k.isin(set(new_k))].reset_index(drop=True)
    old_by = old.assign(_k=old_k.to_numpy()).set_index("_k")
    rows = []
    for key, item in new.assign(_k=new_k.to_numpy()).set_index("_k").iterrows():
        if key not in old_by.index:
            continue
        before = old_by.loc[key]
        for field in FIELDS:
            if field not in item or field not in before:
                continue
            if not _same(before[field], item[field]):
                delta = int(item[field]) - int(before[field]) if field == "amount_eur" else None
                rows.append(
                    {
                        "reference": item["reference"],
                        "field": field,
                        "old": before[field],
                        "new": item[field],
                        "delta_eur": delta,
                    }
                )
    changed = pd.DataFrame(rows, columns=["reference", "field", "old", "new", "delta_eur"]).astype(
        {"delta_eur": "Int64", "reference": "string", "field": "string"}
    )
    old_t, new_t = scope_totals(old), scope_totals(new)
    totals = pd.DataFrame(
        [
            {
                "total": name,
                "old_n": old_t[name][0],
                "new_n": new_t[name][0],
                "old_eur": old_t[name][1],
                "new_eur": new_t[name][1],
                "delta_eur": new_t[name][1] - old_t[name][1],
            }
            for name in ("all", "national", "regional")
        ]
    ).set_index("total")
    return Diff(added, removed, changed, totals.astype("Int64"))
