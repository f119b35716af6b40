"""Results indicators of the EUTF monitoring platform: targets and actuals per decision or contract.

The file is ``data/public/published/EUTF_akvo_results.csv`` (Akvo RSR IATI export of 17 Dec
2021, compiled by Deutsche Welle; ``data/SOURCES.md``): one row per record (decision or
contract, ``iati_id``), indicator (``title``, as published) and period, with the ``target``
and the ``actual`` value as the implementing partner typed them.

Counting rules (the only place they live; the Results page states them):

* **Never across indicators**: values are summed per indicator *as published* (its result
  type and title) and per **unit**. The file has no unit column: a value written with ``%``
  is a percentage, a plain number a count. An indicator reported in both units gives two
  lines; percentages are never summed (a sum of percentages means nothing), only counted.
* **Each value once** (like each euro once): a decision's own value already covers its
  contracts (the monitoring platform aggregates contracts into their decision: 189 migrants
  under ``T05-EUTF-NOA-LY-12`` are the 189 of its contract ``-01``), so for each indicator a
  contract's value is added only when its decision reports no value of that indicator in that
  unit. A row repeated exactly (same record, indicator, period and values) counts once and is
  reported.
* **Unreadable values** (``yes``, ``2350/650``, ``0,6``) are reported with their row and column
  and not counted; ``NULL`` and placeholders (``N/A``) are read as empty.
* **Coverage**: how many decisions/contracts report the indicator, and the amount of the
  decisions concerned (a decision counts once, whether it or its contracts report), beside the
  total of the decisions shown.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from domain.findings import Finding
from domain.i18n import N_, Text
from etl import catalog
from etl.parse import is_placeholder

#: The results export shipped with the dashboard (``data/SOURCES.md``).
RESULTS_CSV = catalog.PUBLIC_DATA_DIR / "published" / "EUTF_akvo_results.csv"
#: As of when the monitoring platform's figures are (the export's date).
RESULTS_AS_OF = "2021-12-17"
#: Headers the export must carry.
REQUIRED_HEADERS = ("iati_id", "result_type", "title", "target", "actual")

_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?$")
_PERCENT = re.compile(r"^([-+]?\d+(\.\d+)?)\s*%$")
#: What the export writes for "no value".
_NULLS = frozenset({"null", "none"})

#: The two values' names in messages.
_COLUMN_WORDS = {"target": N_("target"), "actual": N_("actual value")}
#: Units a value can be read in.
UNITS = ("number", "percent")


def parse_value(raw: str | None) -> tuple[Decimal | None, str | None, bool]:
    """Read one target or actual.

    ``"3794.00"`` -> (3794.00, ``number``); ``"80%"`` -> (80, ``percent``); blank, ``NULL``
    or a placeholder -> (None, None); anything else -> (None, None) and True (unreadable).

    Returns:
        ``(value, unit, unreadable)``; the value is an exact :class:`~decimal.Decimal`.
    """
    text = (raw or "").strip()
    if not text or text.casefold() in _NULLS or is_placeholder(text):
        return None, None, False
    if _NUMBER.match(text):
        return Decimal(text), "number", False
    if match := _PERCENT.match(text):
        return Decimal(match.group(1)), "percent", False
    return None, None, True


@dataclass
class Results:
    """The results export as read.

    Attributes:
        frame: one row per row of the file kept, indexed by its row number in the file (the
            header is row 1; ``row``, int). Columns: reference (``iati_id`` as published,
            trimmed), result_type, indicator (the title as published), period_start,
            period_end (ISO text or None), target, actual (exact ``Decimal`` or None),
            target_unit, actual_unit (``number``/``percent`` or None).
        findings: unreadable values and repeated rows, each naming its row and column.
        file_name, sha256: the file read, for provenance.
    """

    frame: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    file_name: str = ""
    sha256: str = ""


_COLUMNS = ("reference", "result_type", "indicator", "period_start", "period_end", "target", "actual")


def read_results(path: Path | str = RESULTS_CSV) -> Results:
    """Read the results export (UTF-8 CSV as published).

    Returns:
        A :class:`Results`. A file without the export's headers gives an empty frame and one
        ``results-header-not-found`` error. Never raises for bad content.

    Raises:
        FileNotFoundError: when the file is absent (a broken installation).
    """
    path = Path(path)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    headers = [h.strip() for h in (reader.fieldnames or [])]
    empty = pd.DataFrame(columns=[*_COLUMNS, "target_unit", "actual_unit"], index=pd.Index([], name="row"))
    if not set(REQUIRED_HEADERS) <= set(headers):
        finding = Finding.of(
            "results-header-not-found",
            N_("The results export's header ({headers}) is not on the first row."),
            {"headers": ", ".join(REQUIRED_HEADERS)},
            file=path.name,
        )
        return Results(empty, [finding], path.name, digest)
    letters = {h: _letter(i) for i, h in enumerate(headers)}
    records, rows, findings = [], [], []
    seen: dict[tuple, int] = {}
    for row, raw in enumerate(reader, start=2):
        raw = {(k or "").strip(): v for k, v in raw.items()}
        values = {}
        for column in ("target", "actual"):
            value, unit, unreadable = parse_value(raw.get(column))
            values[column], values[f"{column}_unit"] = value, unit
            if unreadable:
                findings.append(
                    Finding.of(
                        "result-value-unreadable",
                        N_(
                            "The {column} '{value}' of the indicator '{indicator}' ({reference}) is neither a number "
                            "nor a percentage; it is not counted."
                        ),
                        {
                            "column": Text(_COLUMN_WORDS[column]),
                            "value": raw.get(column),
                            "indicator": raw.get("title"),
                            "reference": raw.get("iati_id"),
                        },
                        file=path.name,
                        cell=f"{letters[column]}{row}",
                        column=column,
                        header=column,
                        value=raw.get(column),
                        row=row,
                    )
                )
        record = (
            (raw.get("iati_id") or "").strip(),
            (raw.get("result_type") or "").strip(),
            (raw.get("title") or "").strip(),
            (raw.get("period_start") or "").strip() or None,
            (raw.get("period_end") or "").strip() or None,
            values["target"],
            values["actual"],
            values["target_unit"],
            values["actual_unit"],
        )
        key = (record[0].casefold(), *record[1:5], raw.get("target"), raw.get("actual"))
        if key in seen:
            findings.append(
                Finding.of(
                    "result-row-repeated",
                    N_(
                        "Row {row} repeats row {first} (same record {reference}, indicator, period and values); it "
                        "is counted once."
                    ),
                    {"row": row, "first": seen[key], "reference": record[0]},
                    file=path.name,
                    row=row,
                    extra={"first": seen[key]},
                )
            )
            continue
        seen[key] = row
        records.append(record)
        rows.append(row)
    frame = pd.DataFrame.from_records(
        records, columns=[*_COLUMNS, "target_unit", "actual_unit"], index=pd.Index(rows, name="row", dtype="int64")
    )
    return Results(frame, findings, path.name, digest)


def _letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based index (``0`` -> ``A``)."""
    from openpyxl.utils.cell import get_column_letter

    return get_column_letter(index + 1)


def attach(results: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """Link each result row to the decision of a dataset it belongs to.

    A row's record is the decision itself, one of its contracts in the dataset (by
    ``parent_reference``), or, for a dataset without contracts (the project list), a contract
    whose reference extends the decision's (``T05-EUTF-NOA-LY-12-01`` -> ``T05-EUTF-NOA-LY-12``).
    References are matched ignoring case and surrounding spaces.

    Args:
        results: :attr:`Results.frame`.
        records: a dataset's decisions, and contracts if it has any (columns reference,
            record_type, parent_reference).

    Returns:
        ``results`` with two more columns: decision (the dataset's decision reference, or
        None when the record is not in the dataset) and level (``decision``/``contract``/None).
    """
    types = records["record_type"].fillna("decision") if "record_type" in records else "decision"
    is_decision = pd.Series(types == "decision", index=records.index)
    decisions = {str(r).strip().casefold(): r for r in records.loc[is_decision, "reference"]}
    parents: dict[str, str] = {}
    if "parent_reference" in records:
        for reference, parent in zip(
            records.loc[~is_decision, "reference"], records.loc[~is_decision, "parent_reference"], strict=True
        ):
            if isinstance(parent, str) and parent.strip().casefold() in decisions:
                parents[str(reference).strip().casefold()] = decisions[parent.strip().casefold()]
    decision_of, level_of = [], []
    for reference in results["reference"]:
        key = str(reference).strip().casefold()
        if key in decisions:
            decision_of.append(decisions[key])
            level_of.append("decision")
        elif key in parents:
            decision_of.append(parents[key])
            level_of.append("contract")
        elif key.rsplit("-", 1)[0] in decisions and not parents:
            decision_of.append(decisions[key.rsplit("-", 1)[0]])
            level_of.append("contract")
        else:
            decision_of.append(None)
            level_of.append(None)
    return results.assign(decision=decision_of, level=level_of)


SUMMARY_COLUMNS = (
    "result_type",
    "indicator",
    "unit",
    "target",
    "actual",
    "n_target",
    "n_actual",
    "n_records",
    "n_decisions",
    "coverage_eur",
)


def summarise(attached: pd.DataFrame, decisions: pd.DataFrame) -> pd.DataFrame:
    """Target and actual per indicator and unit, over the decisions shown.

    Args:
        attached: :func:`attach` of the results; rows whose decision is not among
            ``decisions`` are left out (the filters of the page).
        decisions: the decisions shown (columns reference, amount_eur ``Int64`` EUR).

    Returns:
        One row per (result_type, indicator, unit) with at least one value, largest coverage
        first. Columns: result_type, indicator (as published), unit (``number``/``percent``);
        target, actual (``Decimal`` sums counted once per the module's rule; None for
        percentages and where no value is given); n_target, n_actual (values counted);
        n_records (decisions and contracts reporting a value); n_decisions (decisions
        concerned); coverage_eur (``Int64``, EUR: their amounts, each decision once).
    """
    amounts = dict(zip(decisions["reference"], decisions["amount_eur"], strict=True))
    shown = attached[attached["decision"].isin(amounts.keys())]
    long = []
    for column in ("target", "actual"):
        part = shown[shown[f"{column}_unit"].notna()]
        long.append(
            pd.DataFrame(
                {
                    "result_type": part["result_type"],
                    "indicator": part["indicator"],
                    "unit": part[f"{column}_unit"],
                    "which": column,
                    "value": part[column],
                    "reference": part["reference"].str.casefold(),
                    "decision": part["decision"],
                    "level": part["level"],
                }
            )
        )
    values = pd.concat(long)
    keys = ["result_type", "indicator", "unit"]
    if values.empty:
        table = pd.DataFrame(columns=list(SUMMARY_COLUMNS))
    else:
        values["is_decision"] = values["level"] == "decision"
        # a decision's own value covers its contracts': theirs count only where it gives none
        covered = values.groupby([*keys, "which", "decision"], sort=False)["is_decision"].transform("any")
        counted = values[values["is_decision"] | ~covered]
        sums = {}
        for which in ("target", "actual"):
            part = counted[counted["which"] == which].groupby(keys, sort=False)["value"]
            sums[f"n_{which}"] = part.size()
            sums[which] = part.agg(lambda v: sum(v, Decimal(0)))
        groups = values.groupby(keys, sort=False)
        concerned = values.drop_duplicates([*keys, "decision"])
        coverage = concerned.assign(amount=concerned["decision"].map(lambda d: int(amounts[d])))
        table = pd.DataFrame(
            {
                **sums,
                "n_records": groups["reference"].nunique(),
                "n_decisions": groups["decision"].nunique(),
                "coverage_eur": coverage.groupby(keys, sort=False)["amount"].sum(),
            }
        ).reset_index()
        for which in ("target", "actual"):
            table[f"n_{which}"] = table[f"n_{which}"].fillna(0)
            table[which] = [
                v if unit == "number" and n else None
                for v, unit, n in zip(table[which], table["unit"], table[f"n_{which}"], strict=True)
            ]
        table = table[list(SUMMARY_COLUMNS)]
    table["coverage_eur"] = table["coverage_eur"].astype("Int64")
    for column in ("n_target", "n_actual", "n_records", "n_decisions"):
        table[column] = table[column].astype("int64")
    return table.sort_values(["n_decisions", "indicator"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def of_decision(attached: pd.DataFrame, reference: str) -> pd.DataFrame:
    """The result rows of one decision and its contracts, in file order (columns of :func:`attach`)."""
    return attached[attached["decision"] == reference]


def export_rows(summary: pd.DataFrame, decimal: str = ".") -> pd.DataFrame:
    """The summary as rows to download (:func:`downloads.tables.to_csv`): values as exact text, never floats.

    Args:
        summary: :func:`summarise`.
        decimal: the decimal mark of the CSV profile (``.`` or ``,``).

    Returns:
        Columns result_type, indicator, unit (text), target_sum, actual_sum (the exact sums as
        text, empty for percentages and where nothing is counted), n_target, n_actual,
        n_records, n_decisions (int), coverage_eur (``Int64``, EUR).
    """

    def text(value) -> str | None:
        return None if value is None else str(value).replace(".", decimal)

    out = summary[["result_type", "indicator", "unit"]].copy()
    out["target_sum"] = [text(v) for v in summary["target"]]
    out["actual_sum"] = [text(v) for v in summary["actual"]]
    for column in ("n_target", "n_actual", "n_records", "n_decisions", "coverage_eur"):
        out[column] = summary[column]
    return out


#: The source line of the Results sheet of an export (About sheet), in the message catalogue.
EXPORT_SOURCE = N_(
    "Results sheet: the targets and actual values reported for these decisions and their contracts, one row each "
    "as published in {file} (EUTF monitoring platform, {date}); never summed there"
)

#: Columns of the result rows an allocation export carries (:func:`rows_of`), in order.
ROW_COLUMNS = (
    "decision",
    "reference",
    "level",
    "result_type",
    "indicator",
    "period_start",
    "period_end",
    "target",
    "target_unit",
    "actual",
    "actual_unit",
    "file_row",
)


def rows_of(attached: pd.DataFrame, decisions: list[str]) -> pd.DataFrame:
    """The result rows of some decisions and their contracts, as an export carries them.

    The rows are the file's, value by value (exact, never summed): an export of decisions
    gives each its reported targets and actuals; the sums are the Results page's. Rows with
    neither a target nor an actual are left out, as on the project page.

    Args:
        attached: :func:`attach` of the results to the dataset's records.
        decisions: the exported decisions' references, in the export's order.

    Returns:
        Columns :data:`ROW_COLUMNS`: decision (the dataset's reference), reference (the
        record reporting: the decision or one of its contracts), level (``decision`` /
        ``contract``), result_type and indicator (as published), period_start, period_end (ISO
        text or None), target, actual (exact ``Decimal`` or None), target_unit, actual_unit
        (``number``/``percent`` or None), file_row (its row in the results file, int). Decision
        by decision in the given order, each decision's rows in file order.
    """
    order = {reference: i for i, reference in enumerate(decisions)}
    valued = attached["target_unit"].notna() | attached["actual_unit"].notna()  # as the project page shows them
    part = attached[attached["decision"].isin(order.keys()) & valued]
    part = part.assign(file_row=part.index.to_numpy(dtype="int64"), _order=part["decision"].map(order))
    part = part.sort_values(["_order", "file_row"], kind="stable")
    return part[list(ROW_COLUMNS)].reset_index(drop=True)
