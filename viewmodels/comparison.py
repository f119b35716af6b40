"""The "same decision(s) in other datasets" section, shared by the project page and Sources & method."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.compare import compare_amounts
from domain.dataset import Dataset
from domain.fmt import eur
from domain.i18n import _
from etl.catalog import dataset_title


@dataclass(frozen=True)
class SameDecisions:
    """The section as shown.

    Attributes:
        heading: the section's title.
        caption: why the amounts differ (datasets are never added together).
        table: text columns: reference, other dataset, the amount in each (marked when inferred), and the
            other minus this (EUR, per locale). Empty (no row) when no other dataset holds the decisions.
    """

    heading: str
    caption: str
    table: pd.DataFrame

    @property
    def empty(self) -> bool:
        """True when no other dataset holds the decisions: the section is not shown."""
        return self.table.empty


def comparison_table(comparison: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`analysis.compare.compare_amounts`'s rows as shown (text columns, labelled in ``lang``)."""

    def amount(value: int, basis: str) -> str:
        return eur(value, lang) + (_(" (inferred)", lang) if basis == "inferred" else "")

    return pd.DataFrame(
        {
            _("Reference", lang): comparison["reference"],
            _("Other dataset", lang): [dataset_title(name, lang) for name in comparison["dataset"]],
            _("Amount in this dataset", lang): [
                amount(v, b) for v, b in zip(comparison["base_eur"], comparison["base_basis"], strict=True)
            ],
            _("Amount in the other", lang): [
                amount(v, b) for v, b in zip(comparison["other_eur"], comparison["other_basis"], strict=True)
            ],
            _("Other minus this", lang): [eur(v, lang) if v else _("same", lang) for v in comparison["change_eur"]],
        }
    )


def same_decisions(comparison: pd.DataFrame, lang: str, whole: bool) -> SameDecisions:
    """The section for a comparison already made (:func:`analysis.compare.compare_amounts`).

    Args:
        comparison: its rows (reference, dataset, base_eur, other_eur, change_eur ``Int64`` EUR, base_basis,
            other_basis).
        lang: ``en`` or ``fr``.
        whole: True for the whole version (Sources & method), False for one decision (its project page).
    """
    if whole:
        heading = _("The same decisions in other datasets", lang)
        caption = _(
            "Datasets are never added together; this table only sets the amounts side by side. Later datasets give "
            "amounts after top-ups: a change is what happened after approval, not an error in either.",
            lang,
        )
    else:
        heading = _("The same decision in other datasets", lang)
        caption = _(
            "Datasets are never added together. Later datasets give amounts after top-ups, so a difference is not an "
            "error: it is what changed after approval.",
            lang,
        )
    return SameDecisions(heading, caption, comparison_table(comparison, lang))


def same_decision(name: str, decision: pd.DataFrame, others: dict[str, Dataset], lang: str) -> SameDecisions:
    """The project page's section: one decision (a one-row allocations frame) in the other datasets.

    Args:
        name: the dataset shown.
        decision: the decision's row (:class:`validation.schemas.Allocation`).
        others: dataset name -> the latest version of each dataset.
        lang: ``en`` or ``fr``.
    """
    return same_decisions(compare_amounts(name, decision, others), lang, whole=False)
