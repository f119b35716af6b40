"""Import policies: what an import leaves out or adds to its report beyond the table's rules.

The rules a table must follow are :mod:`validation.schemas`; these are the decisions
taken on a table that follows them, or on a public export that does not always:

* :func:`exclude_rows`: which rows of a public EUTF export are left out of the import
  (not EUTF records: no or malformed reference, no amount, no title, a repeated
  reference beside its most complete row, :func:`kept_twin`), reported with one
  ``row-excluded`` warning and each row's reason;
* :func:`contract_overruns`: a ``contracts-exceed-decision`` warning for each decision
  whose contracts add up to more than its budget.

:mod:`validation.pipeline` applies them, in this order, to every file it loads.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from domain.dataset import Dataset
from domain.findings import Finding
from domain.i18n import N_, Money, Text
from domain.refdata import reference_key
from etl.layouts import SourceFormat
from validation.schemas import record_key


def exclude_rows(
    findings: list[Finding], frame: pd.DataFrame, source_format: SourceFormat
) -> tuple[list[Finding], list[int]]:
    """Leave out the rows of a public export that are not EUTF records, saying so.

    Rows with an error of a rule in ``source_format.excluded`` (no or malformed reference,
    no amount, no title, a repeated reference beside its most complete row) are not imported; their
    findings become warnings that say so, as do any other errors on those rows, and one
    ``row-excluded`` finding gives their number and amount.

    Args:
        findings: every finding so far (reading, parsing, the table's checks); a finding's
            ``row`` is an Excel row number of ``frame``.
        frame: the normalized table (:attr:`etl.normalize.Normalized.frame`), indexed by
            Excel row (``int64``); the columns read here are ``amount_eur`` (``Int64``, EUR),
            ``record_type`` (``string``, missing = decision), ``reference``, ``title``,
            ``implementing_partner``, ``parent_reference`` (``string``), ``approval_date``
            (``datetime64[ns]``) and ``countries`` (lists), the last five to choose which of
            the rows sharing a reference is kept (:func:`kept_twin`).
        source_format: the public export recognised (:mod:`etl.layouts`); its ``excluded``
            rules are those whose rows are left out, its ``label`` names it in the message.

    Returns:
        ``(findings, excluded)``: the findings to report, in order (the errors of excluded
        rows and of kept duplicate references as warnings saying so, other findings on
        excluded rows dropped, one ``row-excluded`` warning added at the end whose extra
        holds ``rows`` and ``amount_eur``, the sum in EUR as an int), and the excluded Excel
        rows, sorted.
    """
    excluded: set[int] = set()
    for f in findings:
        if f.severity != "error" or f.rule not in source_format.excluded or f.row is None:
            continue
        if f.rule == "reference-duplicate" and f.row == kept_twin(frame, f.row):
            continue  # the most complete row with the reference is kept
        excluded.add(f.row)
    out = []
    for f in findings:
        if f.row in excluded and f.severity != "error":
            continue  # what would have been derived or counted for a row that is not imported
        if f.row in excluded and f.severity == "error":
            amount = frame.at[f.row, "amount_eur"] if f.row in frame.index else pd.NA
            if pd.isna(amount):
                f = f.extended(N_("The row is not imported (no amount)."))
            else:
                f = f.extended(N_("The row is not imported (its {amount} are not counted)."), amount=Money(amount))
            f = replace(f, level="warning")
        elif f.rule == "reference-duplicate" and f.severity == "error" and f.row not in excluded:
            f = f.extended(
                N_("This row is kept: the most complete of the rows with this reference (the first, if equally so).")
            )
            f = replace(f, level="warning")
        out.append(f)
    if excluded:
        out.append(_excluded_summary(sorted(excluded), frame, source_format))
    return out, sorted(excluded)


def _excluded_summary(excluded: list[int], frame: pd.DataFrame, source_format: SourceFormat) -> Finding:
    """The ``row-excluded`` warning: how many rows (``excluded``, sorted Excel rows) are left out, and their amount."""
    amounts = frame.loc[excluded, "amount_eur"]
    kinds = frame.loc[excluded, "record_type"].fillna("decision").value_counts()
    template = N_(
        "Rows of the {source} not imported: {n} (rows {rows}); {amount} in all are not counted. Each is listed "
        "with its reason."
    )
    if "contract" in kinds:
        template = N_(
            "Rows of the {source} not imported: {n}, {decisions} read as decisions and {contracts} as contracts "
            "(rows {rows}); {amount} in all are not counted. Each is listed with its reason."
        )
    params = {
        "source": Text(source_format.label),
        "n": len(excluded),
        "rows": ", ".join(str(r) for r in excluded),
        "amount": Money(amounts.sum()),
        "decisions": int(kinds.get("decision", 0)),
        "contracts": int(kinds.get("contract", 0)),
    }
    return Finding.of(
        "row-excluded",
        template,
        params,
        extra={"rows": excluded, "amount_eur": int(amounts.sum())},
    )


def contract_overruns(dataset: Dataset, amount_letter: str | None) -> list[Finding]:
    """A ``contracts-exceed-decision`` warning for each decision whose contracts add up to more than its budget.

    Args:
        dataset: the clean dataset; ``allocations`` (decisions) indexed by Excel row with
            ``reference`` (``string``) and ``amount_eur`` (``Int64``, EUR), ``contracts``
            with ``parent_reference`` (``string``) and ``amount_eur`` (``Int64``, EUR).
            Contracts are matched to decisions by reference ignoring spaces and case
            (:func:`domain.refdata.reference_key`).
        amount_letter: the letter of the amount column in the file, for the findings' cell
            (None: no cell named).

    Returns:
        One finding per decision over budget, in the allocations' order; its extra holds
        ``contracted_eur`` and ``budget_eur`` (ints, EUR). Empty when there is no contract.
    """
    if dataset.contracts.empty:
        return []
    keys = reference_key(dataset.contracts["parent_reference"])
    sums = dataset.contracts.groupby(keys)["amount_eur"].sum()
    findings = []
    for row, reference, budget in zip(
        dataset.allocations.index, dataset.allocations["reference"], dataset.allocations["amount_eur"], strict=True
    ):
        contracted = int(sums.get(reference.strip().casefold(), 0))
        if contracted <= int(budget):
            continue
        findings.append(
            Finding.of(
                "contracts-exceed-decision",
                N_(
                    "The contracts under '{reference}' total {contracted}, more than its budget of {budget} (by "
                    "{excess})."
                ),
                {
                    "reference": reference,
                    "contracted": Money(contracted),
                    "budget": Money(budget),
                    "excess": Money(contracted - int(budget)),
                },
                cell=f"{amount_letter}{row}" if amount_letter else None,
                column="amount_eur",
                row=row,
                extra={"contracted_eur": contracted, "budget_eur": int(budget)},
            )
        )
    return findings


def kept_twin(frame: pd.DataFrame, row: int) -> int:
    """Of the rows sharing ``row``'s record type and reference, the one kept: the most fields filled, then the first.

    Args:
        frame: the normalized table, indexed by Excel row; the fields counted are
            ``title``, ``implementing_partner``, ``parent_reference``, ``amount_eur`` and
            ``approval_date`` (when present, each 1 when not missing) and ``countries``
            (1 when the list is not empty).
        row: an Excel row of ``frame``.

    Returns:
        The Excel row kept (``row`` itself when it has no twin).

    Raises:
        KeyError: when ``row`` is not in ``frame``.
    """
    rows = twins(frame, row)
    fields = ["title", "implementing_partner", "parent_reference", "amount_eur", "approval_date"]

    def filled(r: int) -> int:
        item = frame.loc[r]
        return sum(pd.notna(item[c]) for c in fields if c in frame) + bool(len(item["countries"]))

    return min(rows, key=lambda r: (-filled(r), r))


def twins(frame: pd.DataFrame, row: int) -> list[int]:
    """Rows whose record type and reference (ignoring spaces and case) equal those of ``row``.

    Args:
        frame: the normalized table, indexed by Excel row, with ``record_type`` and
            ``reference`` (:func:`validation.schemas.record_key`).
        row: an Excel row of ``frame``.

    Returns:
        The Excel rows, ``row`` included, in the frame's order.

    Raises:
        KeyError: when ``row`` is not in ``frame``.
    """
    key = record_key(frame)
    return list(frame.index[key == key.loc[row]])
