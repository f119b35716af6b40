"""The commitments & disbursements page: a version's IATI transactions beside the approved amounts."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from domain.fmt import eur
from domain.i18n import _
from etl.iati_map import for_records


@dataclass(frozen=True)
class Commitments:
    """The transactions of the projects shown.

    Attributes:
        shown: the stored transactions (:func:`etl.iati_map.transactions_frame` columns, value_eur ``Int64``
            EUR) of the decisions and contracts shown.
        caption: how many of the version's transactions that is, and their amount (text).
    """

    shown: pd.DataFrame
    caption: str


def commitments(records: pd.DataFrame, stored: pd.DataFrame, lang: str) -> Commitments:
    """The page's model.

    Args:
        records: the decisions and contracts shown (the filtered dataset's ``records``).
        stored: the version's transactions in euros (``store.versions.Store.transactions``).
        lang: ``en`` or ``fr``.
    """
    shown = for_records(stored, records)
    return Commitments(
        shown,
        _(
            "{n} of the version's {total_n} transactions belong to the projects shown: {total} in all.",
            lang,
            n=len(shown),
            total_n=len(stored),
            total=eur(int(shown["value_eur"].sum()), lang),
        ),
    )
