"""read -> normalize -> validate -> derive: from an allocation file's bytes to a clean dataset.

This is the one path every allocation file takes: the shipped workbook, an analyst's
upload and the CLI. It never raises for bad input; the :class:`LoadResult` says what
was found, and holds a dataset only when nothing blocks publishing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl import catalog
from etl.derive import project_countries, project_domains, project_objectives, with_rounds
from etl.normalize import normalize
from etl.read import DEFAULT_LIMITS, Limits, read_upload
from etl.template import header_score
from validation.findings import Report, with_file
from validation.reconcile import Line, gap_findings, reconcile
from validation.schemas import Allocation, ProjectCountry, ProjectDomain, ProjectObjective, check_allocations


@dataclass(frozen=True)
class Dataset:
    """A validated allocation dataset and its long tables.

    Attributes:
        allocations: :class:`validation.schemas.Allocation`, one row per project.
        countries: :class:`validation.schemas.ProjectCountry`.
        objectives: :class:`validation.schemas.ProjectObjective` (equal split).
        domains: :class:`validation.schemas.ProjectDomain` (equal split, 0 = not reported).
    """

    allocations: pd.DataFrame
    countries: pd.DataFrame
    objectives: pd.DataFrame
    domains: pd.DataFrame

    @classmethod
    def from_allocations(cls, allocations: pd.DataFrame) -> Dataset:
        """Build the long tables from a clean allocation table and validate all four."""
        clean = Allocation.validate(allocations)
        return cls(
            allocations=clean,
            countries=ProjectCountry.validate(project_countries(clean)),
            objectives=ProjectObjective.validate(project_objectives(clean)),
            domains=ProjectDomain.validate(project_domains(clean)),
        )


@dataclass
class LoadResult:
    """What loading one file gave.

    Attributes:
        report: every finding, errors first in importance.
        dataset: the clean dataset, or None when the report has errors.
        table: the parsed table (even with errors, for the preview), rounds derived.
        reconciliation: control totals against the table (empty when it has errors).
        filename, sha256: the file's name and the SHA-256 of its bytes.
        sheet, header_row: where the table was found.
    """

    report: Report
    dataset: Dataset | None
    table: pd.DataFrame | None
    reconciliation: list[Line] = field(default_factory=list)
    filename: str = ""
    sha256: str = ""
    sheet: str | None = None
    header_row: int | None = None


def load_bytes(
    data: bytes,
    filename: str,
    *,
    calendar: pd.DataFrame | None = None,
    control: pd.DataFrame | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Callable[[int], None] | None = None,
) -> LoadResult:
    """Read, validate and derive one allocation file.

    Args:
        data: the file's bytes (read once by the caller).
        filename: for messages only.
        calendar: dialogue calendar (default: :func:`etl.catalog.load_calendar`).
        control: control totals (default: :func:`etl.catalog.load_control_totals`);
            reconciliation gaps are warnings.
        limits: size and row bounds.
        progress: called with the number of rows read so far.

    Returns:
        A :class:`LoadResult`; ``dataset`` is None when any finding is an error.
    """
    calendar = catalog.load_calendar() if calendar is None else calendar
    control = catalog.load_control_totals() if control is None else control
    digest = hashlib.sha256(data).hexdigest()
    read = read_upload(data, filename, limits=limits, header_matcher=header_score, progress=progress)
    findings = list(read.findings)
    if read.grid is None:
        return LoadResult(Report.of(with_file(findings, filename)), None, None, filename=filename, sha256=digest)
    sheet = read.grid.sheet
    normalized = normalize(read.grid)
    del read  # the grid's cells (a large sheet's largest copy) are not needed past this point
    findings += normalized.findings
    findings += check_allocations(normalized)
    header_row = normalized.header_row
    table = with_rounds(normalized.frame, calendar) if not normalized.frame.empty else None
    del normalized  # and its raw cell values, kept for the findings only
    lines: list[Line] = []
    dataset = None
    if not any(f.severity == "error" for f in findings) and table is not None:
        lines = reconcile(table, control)
        findings += gap_findings(lines)
        dataset = Dataset.from_allocations(table)
    report = Report.of(with_file(findings, filename))
    return LoadResult(
        report,
        dataset if report.ok else None,
        table,
        lines,
        filename=filename,
        sha256=digest,
        sheet=sheet,
        header_row=header_row,
    )


def load_path(path: Path | str, **kwargs) -> LoadResult:
    """:func:`load_bytes` on a file path (the path's name is used in messages)."""
    path = Path(path)
    return load_bytes(path.read_bytes(), path.name, **kwargs)
