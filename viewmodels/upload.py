"""The Upload page's view model: what a checked file (:class:`validation.pipeline.LoadResult`) shows. No Streamlit.

Amounts are integer euros (EUR); texts are in the interface language.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.diff import Diff, diff
from domain.fmt import count, eur
from domain.i18n import _, ngettext
from etl.catalog import dataset_title
from store.versions import VersionInfo
from validation.pipeline import LoadResult

__all__ = ["dataset_title"]  # the datasets' names in the language, for the target chooser


def reading_text(file_name: str, rows: int, lang: str) -> str:
    """The progress bar's text while a file is read: ``Reading mali.xlsx: 12,000 rows…``."""
    return _("Reading {file}: {n} rows…", lang, file=file_name, n=count(rows, lang))


def reading_share(rows: int) -> float:
    """How far the progress bar goes after ``rows`` rows (never full before the end)."""
    return min(0.95, rows / 100_000)


@dataclass(frozen=True)
class Summary:
    """What a checked file is, as the page says it.

    Attributes:
        recognised: the public export it was recognised as (its label in the language), or None.
        sheet: the sheet read and its header's row, in words; None for a CSV or XML file.
        n_decisions: its decisions (0 when it has errors).
        amount_eur: their EU contribution (EUR).
        n_contracts: its contracts (0: none).
        contracted_eur: their amount (EUR), inside the decisions' budgets.
        contracts_text: the line on decisions and contracts, when there are contracts; else None.
        n_warnings: the warnings an analyst confirms before publishing.
        publishable: whether it can be published (no error).
    """

    recognised: str | None
    sheet: str | None
    n_decisions: int
    amount_eur: int
    n_contracts: int
    contracted_eur: int
    contracts_text: str | None
    n_warnings: int
    publishable: bool


def summary(result: LoadResult, lang: str, escape=str) -> Summary:
    """The summary of a checked file; ``escape`` makes the file's own text (its sheet's name) safe for markdown."""
    dataset = result.dataset
    decisions = dataset.allocations if dataset is not None else None
    contracts = dataset.contracts if dataset is not None else None
    n_decisions = len(decisions) if decisions is not None else 0
    amount = int(decisions["amount_eur"].sum()) if n_decisions else 0
    n_contracts = len(contracts) if contracts is not None else 0
    contracted = int(contracts["amount_eur"].sum()) if n_contracts else 0
    return Summary(
        recognised=_(result.source_format.label, lang) if result.source_format is not None else None,
        sheet=(
            _(
                "Read the sheet '{sheet}' (header on row {row}).",
                lang,
                sheet=escape(result.sheet),
                row=result.header_row,
            )
            if result.sheet is not None and result.header_row is not None
            else None
        ),
        n_decisions=n_decisions,
        amount_eur=amount,
        n_contracts=n_contracts,
        contracted_eur=contracted,
        contracts_text=(
            _(
                "{n} decisions ({amount}) and {n_contracts} contracts ({contracted}, inside their decisions' budgets, "
                "never added to the totals).",
                lang,
                n=n_decisions,
                amount=eur(amount, lang),
                n_contracts=n_contracts,
                contracted=eur(contracted, lang),
            )
            if n_contracts
            else None
        ),
        n_warnings=len(result.report.warnings),
        publishable=dataset is not None,
    )


def target_options(names: list[str], suggested: str, new_dataset: str) -> list[str]:
    """The datasets a file can be published into: the existing ones, the suggested one if new, then ``new_dataset``."""
    return [*names, *([suggested] if suggested not in names else []), new_dataset]


def changes(current: pd.DataFrame, result: LoadResult) -> Diff:
    """What the file changes against the published version's decisions (:func:`analysis.diff.diff`)."""
    return diff(current, result.dataset.allocations)


def published_text(info: VersionInfo, dataset: str, lang: str) -> str:
    """What the page says after a publish."""
    return ngettext(
        "Published version {version} of '{dataset}': {n} project, {total}. Every page now shows it; the previous "
        "version is kept in the history.",
        "Published version {version} of '{dataset}': {n} projects, {total}. Every page now shows it; the previous "
        "version is kept in the history.",
        info.row_count,
        lang,
        version=info.number,
        dataset=dataset,
        total=eur(info.total_eur, lang),
    )
