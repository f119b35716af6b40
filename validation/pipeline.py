"""read -> normalize -> validate -> derive: from an allocation file's bytes to a clean dataset.

This is the one path every allocation file takes: the shipped workbook, an analyst's
upload and the CLI. It never raises for bad input; the :class:`LoadResult` says what
was found, and holds a dataset only when nothing blocks publishing. What is left out of
an import or added to its report beyond the table's rules (the rows of a public export
that are not EUTF records, contracts over their decision's budget) is decided by
:mod:`validation.policies`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from domain import memory
from domain.dataset import Dataset, no_sectors
from domain.findings import Finding, Report, with_file
from domain.i18n import N_
from etl import catalog
from etl.derive import project_countries, project_domains, project_objectives, with_rounds
from etl.iati import is_iati, read_iati
from etl.iati_map import IATI_FORMAT, located, sectors_frame, to_normalized, transactions_frame
from etl.layouts import SourceFormat, header_score
from etl.normalize import normalize
from etl.read import DEFAULT_LIMITS, Limits, read_upload, too_large
from validation.policies import contract_overruns, exclude_rows
from validation.reconcile import Line, gap_findings, reconcile
from validation.schemas import (
    ALLOCATION_AFTER_INPUT,
    Allocation,
    ProjectCountry,
    ProjectDomain,
    ProjectObjective,
    check_allocations,
    check_rounds,
    check_text_lengths,
    checked_allocations,
)


def dataset_of(records: pd.DataFrame, sectors: pd.DataFrame | None = None, *, input_checked: bool = False) -> Dataset:
    """Split a clean record table into decisions and contracts, build the long tables, validate all.

    Args:
        records: :class:`validation.schemas.Allocation` (decisions and contracts).
        sectors: the sectors an IATI file gives (:func:`etl.iati_map.sectors_frame`,
            :meth:`store.versions.Store.sectors`), kept as they are; None (or empty) for none.
        input_checked: True when every row of ``records`` already passed
            :class:`validation.schemas.AllocationInput` with no failure case
            (:func:`validation.schemas.checked_allocations`; rounds derived since, rows left out):
            those rules are not run a second time, the rest of :class:`Allocation` is.

    Raises:
        pandera.errors.SchemaError: when the table is not clean.
    """
    schema = ALLOCATION_AFTER_INPUT if input_checked else Allocation.to_schema()
    clean = schema.validate(records)  # a copy: the caller's frame is not shared
    contract = (clean["record_type"] == "contract").to_numpy(dtype=bool)
    # a file of decisions only (the usual case) keeps its one copy: no second one by a mask
    decisions, contracts = (clean[~contract], clean[contract]) if contract.any() else (clean, clean.iloc[0:0])
    dataset = Dataset(
        allocations=decisions,
        countries=ProjectCountry.validate(project_countries(decisions), inplace=True),
        objectives=ProjectObjective.validate(project_objectives(decisions), inplace=True),
        domains=ProjectDomain.validate(project_domains(decisions), inplace=True),
        contracts=contracts,
        sectors=no_sectors() if sectors is None else sectors,
    )
    memory.release()  # the checks' and the long tables' intermediate frames
    return dataset


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
        source_format: the public EUTF export recognised (:mod:`etl.layouts`), or None.
        excluded_rows: rows of a public export left out of the import (reported).
        transactions: an IATI file's transactions in euros (:func:`etl.iati_map.transactions_frame`),
            else None; shown at upload and stored with the version when published
            (:meth:`store.versions.Store.publish`).
        sectors: an IATI file's sectors as written (:func:`etl.iati_map.sectors_frame`), else None;
            stored with the version like the transactions.
    """

    report: Report
    dataset: Dataset | None
    table: pd.DataFrame | None
    reconciliation: list[Line] = field(default_factory=list)
    filename: str = ""
    sha256: str = ""
    sheet: str | None = None
    header_row: int | None = None
    source_format: SourceFormat | None = None
    excluded_rows: tuple[int, ...] = ()
    transactions: pd.DataFrame | None = None
    sectors: pd.DataFrame | None = None


def load_bytes(
    data: bytes,
    filename: str,
    *,
    calendar: pd.DataFrame | None = None,
    control: pd.DataFrame | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Callable[[int], None] | None = None,
    lang: str = "en",
) -> LoadResult:
    """Read, validate and derive one allocation file (a workbook, a CSV or an IATI activity file).

    Args:
        data: the file's bytes (read once by the caller).
        filename: for messages only.
        calendar: dialogue calendar (default: :func:`etl.catalog.load_calendar`).
        control: control totals (default: :func:`etl.catalog.load_control_totals`);
            reconciliation gaps are warnings.
        limits: size and row bounds.
        progress: called with the number of rows read so far.
        lang: the language of the titles taken from an IATI file's narratives (``en``/``fr``).

    Returns:
        A :class:`LoadResult`; ``dataset`` is None when any finding is an error. Never raises
        for bad input: a failure of the check itself (a fault of the dashboard) is a
        ``check-failed`` error finding naming the file, its traceback logged for the maintainers.
    """
    try:
        return _load_bytes(
            data, filename, calendar=calendar, control=control, limits=limits, progress=progress, lang=lang
        )
    except Exception as exc:  # the last guard: a message on the page and in the CLI, never a traceback
        logging.getLogger(__name__).exception("checking %s failed", filename)
        finding = Finding.of(
            "check-failed",
            N_(
                "The file could not be checked ({error}): a fault of the dashboard, not necessarily of the file. "
                "Nothing was published."
            ),
            {"error": type(exc).__name__},
            file=filename,
        )
        digest = hashlib.sha256(data).hexdigest()
        return LoadResult(Report.of([finding]), None, None, filename=filename, sha256=digest)


def _load_bytes(
    data: bytes,
    filename: str,
    *,
    calendar: pd.DataFrame | None,
    control: pd.DataFrame | None,
    limits: Limits,
    progress: Callable[[int], None] | None,
    lang: str,
) -> LoadResult:
    """:func:`load_bytes` without its last guard."""
    calendar = catalog.load_calendar() if calendar is None else calendar
    control = catalog.load_control_totals() if control is None else control
    digest = hashlib.sha256(data).hexdigest()
    if len(data) <= limits.max_upload_bytes and is_iati(data):  # recognised by content (etl.iati)
        return _load_iati(data, filename, digest, calendar, limits, lang)
    read = read_upload(data, filename, limits=limits, header_matcher=header_score, progress=progress)
    findings = list(read.findings)
    if read.grid is None:
        return LoadResult(Report.of(with_file(findings, filename)), None, None, filename=filename, sha256=digest)
    sheet = read.grid.sheet
    normalized = normalize(read.grid, consume=True)  # each column's cells let go once parsed
    del read  # the rest of the grid (formulas, merges) is not needed past this point
    memory.release()  # the parse's intermediate columns
    findings += normalized.findings
    table_findings, input_checked = checked_allocations(normalized)
    findings += table_findings
    findings += check_text_lengths(normalized)
    findings += check_rounds(normalized, calendar, control if normalized.source_format is None else None)
    source_format = normalized.source_format
    excluded: list[int] = []
    if source_format is not None and not normalized.frame.empty:
        findings, excluded = exclude_rows(findings, normalized.frame, source_format)
        control = control.iloc[0:0]  # the communiqué's totals are not this export's
    header_row = normalized.header_row
    amount_letter = normalized.letters.get("amount_eur")
    frame = normalized.frame.drop(index=excluded) if excluded else normalized.frame
    del normalized  # and its raw cell values, kept for the findings only
    memory.release()
    held = [frame]
    del frame  # _finish drops the last reference before the dataset is built
    return _finish(
        findings,
        held,
        calendar,
        control,
        filename,
        digest,
        sheet,
        header_row,
        source_format,
        excluded,
        amount_letter,
        input_checked=input_checked,
    )


def _load_iati(
    data: bytes, filename: str, digest: str, calendar: pd.DataFrame, limits: Limits, lang: str
) -> LoadResult:
    """An IATI activity file through the same checks as a workbook (:mod:`etl.iati`, :mod:`etl.iati_map`)."""
    read = read_iati(data, max_rows=limits.max_rows)
    normalized = to_normalized(read, lang)
    transactions, currency_findings = transactions_frame(read)
    findings = [*read.findings, *normalized.findings, *currency_findings]
    # a missing parent is said with the related-activity's line (iati-parent-missing)
    findings += [f for f in check_allocations(normalized) if f.rule != "contract-parent-missing"]
    empty = catalog.load_control_totals().iloc[0:0]  # the communiqué's totals are not an IATI file's
    held = [normalized.frame]
    result = _finish(located(findings), held, calendar, empty, filename, digest, None, None, IATI_FORMAT, [], None)
    sectors = sectors_frame(read)
    dataset = None if result.dataset is None else replace(result.dataset, sectors=sectors)
    return replace(result, dataset=dataset, transactions=transactions, sectors=sectors)


def _finish(
    findings: list[Finding],
    held: list[pd.DataFrame],
    calendar: pd.DataFrame,
    control: pd.DataFrame,
    filename: str,
    digest: str,
    sheet: str | None,
    header_row: int | None,
    source_format: SourceFormat | None,
    excluded: list[int],
    amount_letter: str | None,
    *,
    input_checked: bool = False,
) -> LoadResult:
    """Derive rounds, build the dataset when nothing blocks, reconcile: the end of :func:`load_bytes`.

    ``held`` is a one-item list holding the normalized table; it is emptied here, so that the
    caller keeps no reference to a large table while the dataset is built. ``input_checked``:
    see :func:`dataset_of`.
    """
    frame = held.pop()
    # public exports cover every country: only their projects in Mali have a Mali–EU dialogue round
    no_round = {f.row for f in findings if f.rule == "round-none" and f.row is not None}
    table = (
        with_rounds(frame, calendar, country="ML" if source_format is not None else None, no_round=no_round)
        if not frame.empty
        else None
    )
    del frame
    lines: list[Line] = []
    dataset = None
    if not any(f.severity == "error" for f in findings) and table is not None:
        dataset = dataset_of(table, input_checked=input_checked)
        findings += contract_overruns(dataset, amount_letter)
        lines = reconcile(dataset.allocations, control)
        findings += gap_findings(lines)
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
        source_format=source_format,
        excluded_rows=tuple(excluded),
    )


def load_path(path: Path | str, **kwargs) -> LoadResult:
    """:func:`load_bytes` on a file path (the path's name is used in messages).

    At most the upload limit (``limits.max_upload_bytes``) plus one byte is read: a larger
    file (or an endless one, such as a device) is refused without being read whole.

    Raises:
        OSError: when the file cannot be opened or read.
    """
    path = Path(path)
    limit = kwargs.get("limits", DEFAULT_LIMITS).max_upload_bytes
    with path.open("rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        size = max(path.stat().st_size, len(data))
        report = Report.of(with_file([too_large(size, limit)], path.name))
        return LoadResult(report, None, None, filename=path.name, sha256="")
    return load_bytes(data, path.name, **kwargs)
