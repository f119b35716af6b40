"""The domain's dataset: a validated allocation table split into decisions and contracts, with its long tables.

Built by :func:`validation.pipeline.dataset_of` (the one place a table is checked and split);
every layer above reads it. Imports nothing of the project but the reference data and the message catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from domain.i18n import N_
from domain.refdata import reference_key

#: Name of the default dataset, shown on every page (the nine projects of the joint communiqué).
DEFAULT_DATASET = N_("Mali — joint communiqué of 11 Dec 2016")

#: The columns of a version's sectors, in order (:func:`etl.iati_map.sectors_frame`, ``Store.sectors``).
SECTOR_COLUMNS = ("line", "reference", "record_type", "vocabulary", "code", "percentage")


def no_sectors() -> pd.DataFrame:
    """An empty sectors table with its columns and types (a dataset that gives no sectors: every workbook)."""
    return pd.DataFrame(
        {
            "line": pd.array([], dtype="Int64"),
            **{c: pd.array([], dtype="string") for c in ("reference", "record_type", "vocabulary", "code")},
            "percentage": pd.Series([], dtype="object"),
        }
    )


@dataclass(frozen=True)
class Dataset:
    """A validated allocation dataset and its long tables.

    Every total counts each euro once: ``allocations`` holds the decisions (the budgets
    approved), ``contracts`` the contracts that implement them, never added to the totals.

    Attributes:
        allocations: :class:`validation.schemas.Allocation`, one row per decision (project).
        countries: :class:`validation.schemas.ProjectCountry`.
        objectives: :class:`validation.schemas.ProjectObjective` (equal split, 0 = not given).
        domains: :class:`validation.schemas.ProjectDomain` (equal split, 0 = not reported).
        contracts: :class:`validation.schemas.Allocation` rows with ``record_type`` ``contract``
            and their ``parent_reference`` (empty for a file of decisions only).
        sectors: the sectors an IATI file gives, as written, one row per ``<sector>`` of a decision or
            a contract (:data:`SECTOR_COLUMNS`; :func:`etl.iati_map.sectors_frame`); empty for a
            dataset that gives none (every workbook and CSV, the shipped datasets).
    """

    allocations: pd.DataFrame
    countries: pd.DataFrame
    objectives: pd.DataFrame
    domains: pd.DataFrame
    contracts: pd.DataFrame
    sectors: pd.DataFrame = field(default_factory=no_sectors)

    def contracts_of(self, references: set[str]) -> pd.DataFrame:
        """The contracts whose decision is one of ``references`` (matched ignoring spaces and case)."""
        keys = {str(r).strip().casefold() for r in references}
        parent = reference_key(self.contracts["parent_reference"])
        return self.contracts[parent.isin(keys).fillna(False).to_numpy(dtype=bool)]

    @property
    def records(self) -> pd.DataFrame:
        """Decisions then contracts, in file order: the table a version stores."""
        return pd.concat([self.allocations, self.contracts]).sort_index()
