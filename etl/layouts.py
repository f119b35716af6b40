"""The public EUTF exports read beside the allocation workbook, mapped onto its columns.

Four formats are recognised by their header row (``data/SOURCES.md``): the two files as the
public has them (``data/public/published/``) and the two hand-normalised copies made of them
earlier (still recognised, so that a copy kept by an analyst still imports):

* the **projects database as published** (``EUTF-Projects-Database-2022-01.csv``, headers
  ``ProjectID``, ``ProjectBudget``, ``ProjectLocation``...): country names and themes in words
  separated by commas, several implementers in one cell, ``Region`` for the window, action
  document links (``ProjectLinks``);
* the **monitoring platform export as published** (``EUTF_projects_akvo.csv``, headers
  ``iati_id``, ``prefix``, ``budget``, ``recipient_country``, ``project_parent``...): IATI
  record prefixes ``DEC``/``CTR``, ISO 3166 codes and ``TFP.n`` codes separated by commas,
  amounts such as ``2.4e+07``;
* the **project list** in its old normalised layout (``eutf_all_projects_normalized.csv``,
  no longer shipped): the projects database with English snake-case headers and ``;`` lists;
* the **decisions and contracts** in their old normalised layout
  (``eutf_akvo_2021-12_normalized.csv``, no longer shipped): the monitoring export with
  ``record_type``/``parent`` columns and ``;`` lists.

A file as published and its normalised copy share a ``family``: they feed the same dataset
(:func:`etl.catalog.dataset_for_format`) and give the same rows
(``tests/test_portfolio.py``).

They go through the same path as an analyst's workbook (:func:`validation.pipeline.load_bytes`);
this module only says how their headers map onto ``docs/TEMPLATE.md``, which columns
are derived rather than read, how their machine-written numbers are read, and which
template rules are reported as warnings because the export simply lacks the field.
Every derivation is reported or stated in the method notes; nothing is filled in silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import pandas as pd

from domain import refdata
from domain.findings import Finding
from domain.i18n import N_, Text
from domain.refdata import fold
from domain.template import header_score as template_header_score
from etl.parse import MAX_AMOUNT_EUR, Parsed, parse_text

#: Machine-written numbers: ``24000000``, ``14952505.5``, ``2.4e+07`` (never grouped).
_MACHINE_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$")
#: Dashes and spaces typed inside references: ``T05-EUTF-NOA-TN–03``, ``T05-EUTF- SAH-ML-13``.
_REFERENCE_NOISE = re.compile(r"\s*[-\u2010-\u2015\u2212]\s*")
#: The window segment of an EUTF reference (``T05-EUTF-HoA-...`` -> ``HOA``).
_WINDOW_IN_REFERENCE = re.compile(r"^T\d{2}-EUTF-(SAH|HOA|NOA|REG)-", re.IGNORECASE)
#: A contract reference: a decision reference followed by a contract number.
_CONTRACT_REFERENCE = re.compile(r"^T\d{2}-EUTF-[A-Z]{3}-[A-Z]{2,4}-\d{1,3}-\d{1,3}$", re.IGNORECASE)


@dataclass(frozen=True)
class SourceFormat:
    """One public export and how it maps onto the template.

    Attributes:
        key: short id (``eutf-projects`` or ``eutf-akvo``).
        label: what the file is, in plain words.
        signature: headers that must all be present for the format to be recognised
            (matched after :func:`domain.refdata.fold`, like every header).
        columns: header -> internal template column.
        ignored: header -> why the column is not read.
        derived: internal columns not in the file, derived by :func:`complete`.
        relaxed: template rules reported as warnings for this format, with what the
            dashboard does instead (the export lacks the field; the row is kept).
        excluded: rules that exclude the row from the import (reported) instead of
            refusing the file: rows that are not EUTF records at all.
        family: the key of the dataset family the format feeds (the project list and the
            projects database as published feed the same dataset); empty means ``key``.
        list_separators: characters that separate the items of a list cell (countries,
            objectives); ``;`` in the template, also ``,`` in the files as published.
        record_types: the format's own record type codes (``dec``/``ctr``, folded) -> the
            template's ``decision``/``contract``.
        contracts: True when the file holds decisions and their contracts.
    """

    key: str
    label: str
    signature: frozenset[str]
    columns: dict[str, str]
    ignored: dict[str, str]
    derived: frozenset[str]
    relaxed: dict[str, str] = field(default_factory=dict)
    excluded: frozenset[str] = frozenset(
        {"reference-missing", "reference-pattern", "reference-duplicate", "amount-missing", "title-missing"}
    )
    family: str = ""
    list_separators: str = ";"
    record_types: dict[str, str] = field(default_factory=dict)
    contracts: bool = False

    @property
    def dataset_family(self) -> str:
        """The key shared by the formats whose files feed the same dataset."""
        return self.family or self.key

    def column_for(self, header: object) -> str | None:
        """The internal column a header of this format maps to, or None."""
        folded = {fold(h): column for h, column in self.columns.items()}
        return None if header is None else folded.get(fold(str(header)))

    def why_ignored(self, header: object) -> str | None:
        """Why a header of this format is not read, or None when it is not one of its known columns."""
        folded = {fold(h): why for h, why in self.ignored.items()}
        return None if header is None else folded.get(fold(str(header)))


_RELAXED_COMMON = {
    "objectives-missing": N_(
        "The export gives no strategic objective for this row; it is counted under 'objective not given'."
    ),
    "countries-missing": N_(
        "The export names no country for this row; it is counted as multi-country (country not given)."
    ),
}

PROJECT_LIST = SourceFormat(
    key="eutf-projects",
    label=N_("EUTF project list (all windows, amounts as of January 2022)"),
    signature=frozenset(("reference", "window", "amount_eur", "adoption_date", "eutf_objective")),
    columns={
        "reference": "reference",
        "title": "title",
        "window": "window",
        "countries": "countries",
        "amount_eur": "amount_eur",
        "adoption_date": "approval_date",
        "implementing_partner": "implementing_partner",
        "eutf_objective": "objectives",
    },
    ignored={
        "start_date": N_("Implementation start dates are not part of the allocation model."),
        "end_date": N_("Implementation end dates are not part of the allocation model."),
    },
    derived=frozenset({"scope"}),
    relaxed={
        **_RELAXED_COMMON,
        "date-missing": N_(
            "The export gives no adoption date for this project; its date is shown as unknown and it has no "
            "dialogue round."
        ),
        "date-not-a-date": N_(
            "The export's adoption date cannot be read as a date; it is shown as unknown and the project has no "
            "dialogue round."
        ),
    },
)

DECISIONS_CONTRACTS = SourceFormat(
    key="eutf-akvo",
    label=N_("EUTF decisions and contracts (EUTF monitoring platform export, December 2021)"),
    signature=frozenset(("reference", "record_type", "parent", "budget_eur", "eutf_objective_codes")),
    columns={
        "reference": "reference",
        "record_type": "record_type",
        "parent": "parent_reference",
        "title": "title",
        "countries": "countries",
        "budget_eur": "amount_eur",
        "implementing_partner": "implementing_partner",
        "eutf_objective_codes": "objectives",
    },
    ignored={
        "eutf_objective": N_("The same objectives in words; the codes (TFP.1-TFP.4) are read."),
        "date_start": N_("Contract start dates are not approval dates."),
        "date_end": N_("Contract end dates are not part of the allocation model."),
    },
    derived=frozenset({"scope", "window", "approval_date"}),
    relaxed=_RELAXED_COMMON,
    contracts=True,
)

PROJECTS_DATABASE = SourceFormat(
    key="eutf-projects-database",
    label=N_("EUTF projects database as published (EUTF website, January 2022)"),
    signature=frozenset(("ProjectID", "ProjectBudget", "ProjectLocation", "ProjectAdoptionDate")),
    columns={
        "ProjectID": "reference",
        "ProjectTitle": "title",
        "Region": "window",
        "ProjectLocation": "countries",
        "ProjectBudget": "amount_eur",
        "ProjectAdoptionDate": "approval_date",
        "ProjectImplementor": "implementing_partner",
        "ProjectTheme": "objectives",
    },
    ignored={
        "ProjectStartDate": N_("Implementation start dates are not part of the allocation model."),
        "ProjectEndDate": N_("Implementation end dates are not part of the allocation model."),
        "ProjectLinks": N_("Links to the action documents are not part of the allocation model."),
        "Comments": N_("The compilers' comments are not part of the allocation model."),
        "multiple countries?": N_("Derived by the compilers; the scope is derived from the countries listed."),
        "DE implementing?": N_("Derived by the compilers (a German implementer); not part of the allocation model."),
    },
    derived=frozenset({"scope"}),
    relaxed=PROJECT_LIST.relaxed,
    family=PROJECT_LIST.key,
    list_separators=";,",
)

MONITORING_EXPORT = SourceFormat(
    key="eutf-akvo-published",
    label=N_("EUTF monitoring platform export as published (Akvo RSR IATI export, December 2021)"),
    signature=frozenset(("iati_id", "prefix", "budget", "recipient_country", "project_parent")),
    columns={
        "iati_id": "reference",
        "prefix": "record_type",
        "project_parent": "parent_reference",
        "title": "title",
        "recipient_country": "countries",
        "budget": "amount_eur",
        "partner_implementing": "implementing_partner",
        "topics": "objectives",
    },
    ignored={
        "summary": N_("The description of the action is not part of the allocation model."),
        "partner_funding": N_("The funding partner is the EUTF itself (IATI role 1)."),
        "partner_accountable": N_("Only implementing partners (IATI role 4) are read."),
        "partner_extending": N_("Only implementing partners (IATI role 4) are read."),
        "date_start": N_("Contract start dates are not approval dates."),
        "date_end": N_("Contract end dates are not part of the allocation model."),
        "location": N_("Sub-national locations are not part of the allocation model."),
        "location_code": N_("Sub-national locations are not part of the allocation model."),
        "oecd_purpose": N_("OECD DAC purpose codes are not part of the allocation model."),
        "links": N_("Links to documents are not part of the allocation model."),
        "project_child": N_("The same links as the children's parent, which is read."),
        "project_sibling": N_("Siblings share a parent, which is read."),
    },
    derived=frozenset({"scope", "window", "approval_date"}),
    relaxed=_RELAXED_COMMON,
    family=DECISIONS_CONTRACTS.key,
    list_separators=";,",
    record_types={"dec": "decision", "ctr": "contract"},
    contracts=True,
)

FORMATS: tuple[SourceFormat, ...] = (PROJECT_LIST, DECISIONS_CONTRACTS, PROJECTS_DATABASE, MONITORING_EXPORT)
BY_KEY: dict[str, SourceFormat] = {f.key: f for f in FORMATS}


def detect(header: Iterable[object]) -> SourceFormat | None:
    """The public format whose signature a header row carries, or None (the template)."""
    folded = {fold(str(h)) for h in header if h is not None}
    for source_format in FORMATS:
        if {fold(h) for h in source_format.signature} <= folded:
            return source_format
    return None


def header_score(row: tuple[object, ...]) -> int:
    """How strongly a row reads as a header row: template headers it names, or a public format's columns.

    A row carrying a public format's signature scores the number of that format's columns it
    names (the published files' headers, ``ProjectID`` or ``iati_id``, are not template headers).
    """
    score = template_header_score(row)
    source_format = detect(row)
    if source_format is not None:
        score = max(score, sum(1 for cell in row if source_format.column_for(cell)))
    return score


def parse_amount(raw: Any) -> Parsed:
    """Read a machine-written amount exactly into whole euros.

    ``24000000`` -> 24 000 000; ``2.4e+07`` -> 24 000 000 with rule
    ``amount-scientific-notation`` (exact: decimal arithmetic, no float);
    ``14952505.5`` -> 14 952 506 with rule ``amount-rounded-to-euro`` (half up; the
    dashboard counts whole euros). Anything else is ``amount-not-a-number``.

    Returns:
        A :class:`etl.parse.Parsed` whose value is an ``int`` (EUR) or None.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Parsed(None, "amount-missing")
    if isinstance(raw, bool):
        return Parsed(None, "amount-not-a-number")
    text = repr(raw) if isinstance(raw, float) else str(raw).strip()
    if not _MACHINE_NUMBER.match(text):
        return Parsed(None, "amount-not-a-number")
    try:
        exact = Decimal(text)
    except InvalidOperation:
        return Parsed(None, "amount-not-a-number")
    if abs(exact) > MAX_AMOUNT_EUR:
        return Parsed(None, "amount-too-large")
    whole = exact.to_integral_value(rounding=ROUND_HALF_UP)
    value = int(whole)
    if whole != exact:
        return Parsed(value, "amount-rounded-to-euro")
    if "e" in text.lower():
        return Parsed(value, "amount-scientific-notation")
    return Parsed(value)


def parse_reference(raw: Any) -> Parsed:
    """A reference with typing noise removed: en dashes and spaces around hyphens.

    ``T05-EUTF-NOA-TN–03`` -> ``T05-EUTF-NOA-TN-03`` with rule ``reference-normalised``.
    """
    parsed = parse_text(raw)
    if parsed.value is None:
        return Parsed(None)
    text = parsed.value
    cleaned = _REFERENCE_NOISE.sub("-", text)
    if cleaned != text and re.fullmatch(r"T\d{2}-EUTF-.*", cleaned, re.IGNORECASE):
        return Parsed(cleaned, "reference-normalised")
    return Parsed(text)


def record_type_code(token: str, source_format: SourceFormat | None = None) -> str | None:
    """``decision`` or ``contract`` for FR/EN spellings (and the format's own codes, ``DEC``/``CTR``), or None."""
    folded = fold(token)
    if source_format is not None and folded in source_format.record_types:
        return source_format.record_types[folded]
    if folded in {"decision", "decisions"}:
        return "decision"
    if folded in {"contract", "contrat", "contracts", "contrats"}:
        return "contract"
    return None


def window_from_reference(reference: object) -> str | None:
    """The EUTF window code written in a reference (``T05-EUTF-HoA-SO-03`` -> ``HOA``), or None."""
    if not isinstance(reference, str):
        return None
    match = _WINDOW_IN_REFERENCE.match(reference.strip())
    return match.group(1).upper() if match else None


def _link_contracts_by_reference(out: pd.DataFrame, cell: Any, sheet: str | None) -> list[Finding]:
    """Link a contract whose parent is empty or not a decision of the file to the decision its reference names.

    An EUTF contract reference is its decision's reference plus a contract number
    (``T05-EUTF-SAH-REG-13-01`` belongs to ``T05-EUTF-SAH-REG-13``). Where the export's
    parent is empty or names no decision of the file (``EU Trust Fund for Africa Results
    Framework``, ``T05-EUTF-NOA-LY-03, T05-EUTF-NOA-LY-02``) and that decision is in the file,
    the contract is linked to it and the link reported (``contract-parent-inferred``). Changes
    ``out`` in place.
    """
    is_decision = out["record_type"] == "decision"
    keys = refdata.reference_key(out["reference"])
    decisions = {
        k: ref
        for k, ref in zip(keys[is_decision], out.loc[is_decision, "reference"], strict=True)
        if isinstance(k, str) and _WINDOW_IN_REFERENCE.match(k.upper())
    }
    findings = []
    for row in out.index[out["record_type"] == "contract"]:
        reference = out.at[row, "reference"]
        if not isinstance(reference, str) or not _CONTRACT_REFERENCE.match(reference.strip()):
            continue
        parent = out.at[row, "parent_reference"]
        if isinstance(parent, str) and parent.strip().casefold() in decisions:
            continue
        own = reference.strip().rsplit("-", 1)[0].casefold()
        if own not in decisions:
            continue
        out.at[row, "parent_reference"] = decisions[own]
        if isinstance(parent, str):
            template = N_(
                "The parent decision names '{parent}', which is not a decision of the file; the contract's "
                "reference '{reference}' is that of decision '{decision}', which is in the file, so the contract "
                "is linked to it."
            )
        else:
            template = N_(
                "The parent decision is empty; the contract's reference '{reference}' is that of decision "
                "'{decision}', which is in the file, so the contract is linked to it."
            )
        findings.append(
            Finding.of(
                "contract-parent-inferred",
                template,
                {"parent": parent, "reference": reference, "decision": decisions[own]},
                sheet=sheet,
                cell=cell(row, "parent_reference"),
                column="parent_reference",
                row=row,
                value=parent if isinstance(parent, str) else None,
            )
        )
    return findings


def complete(
    frame: pd.DataFrame, source_format: SourceFormat | None, cell: Any, sheet: str | None
) -> tuple[pd.DataFrame, list[Finding]]:
    """Fill the columns a file does not carry, the same way for every format.

    * ``record_type``: blank means ``decision`` in the template. In the decisions and
      contracts export a blank type is read from the reference's form (a contract
      reference ends in a contract number) and reported (``record-type-inferred``);
      a decision's ``parent`` (the EUTF results framework) is not kept.
    * ``scope`` (public formats): ``national`` when exactly one country is listed,
      ``regional`` otherwise (several countries, or none given).
    * ``window`` (decisions and contracts export): the window written in the reference.
    * ``objectives`` (public formats): codes that are not strategic objectives
      (``TFP.0``, ``VAL.1``, ``HOA.OPE.SUB.1``) are dropped and reported
      (``objective-code-ignored``).

    Args:
        frame: the normalized table (:class:`etl.normalize.Normalized` ``frame``).
        source_format: the detected public format, or None for the template.
        cell: ``cell(row, column) -> "A1"`` for findings.
        sheet: sheet name for findings.

    Returns:
        The completed copy of the frame and the findings about what was derived.
    """
    out = frame.copy()
    findings: list[Finding] = []
    types = out["record_type"].astype("object")
    if source_format is not None and source_format.contracts:
        findings += _infer_record_types(out, types, cell, sheet)
    out["record_type"] = pd.array(types.fillna("decision"), dtype="string")
    decisions = (out["record_type"] == "decision").fillna(True)
    if (decisions & out["parent_reference"].notna()).any():  # the template's decisions name none: no rewrite
        out.loc[decisions, "parent_reference"] = pd.NA
    if source_format is not None and source_format.contracts:
        findings += _link_contracts_by_reference(out, cell, sheet)
    if source_format is None:
        return out, findings
    if "approval_date" in source_format.derived:
        findings.append(
            Finding.of(
                "dates-not-in-export",
                N_(
                    "The {source} has no approval dates: every date is shown as unknown and no row is placed in a "
                    "dialogue round."
                ),
                {"source": Text(source_format.label)},
                sheet=sheet,
            )
        )
    if "scope" in source_format.derived:
        n = out["countries"].map(len)
        out["scope"] = pd.array(["national" if k == 1 else "regional" for k in n], dtype="string")
    if "window" in source_format.derived:
        out["window"] = pd.array([window_from_reference(r) for r in out["reference"]], dtype="string")
    findings += _drop_unknown_objectives(out, cell, sheet)
    return out, findings


def _infer_record_types(out: pd.DataFrame, types: pd.Series, cell: Any, sheet: str | None) -> list[Finding]:
    """Give each blank record type of an EUTF reference the type its form says (in ``types``); report each.

    ``types`` is ``out["record_type"]`` as ``object`` (missing where blank), changed in place;
    rows whose reference is not an EUTF reference keep a blank type (they are left out).
    """
    findings = []
    for row in out.index[types.isna()]:
        reference = out.at[row, "reference"]
        if not isinstance(reference, str) or not _WINDOW_IN_REFERENCE.match(reference):
            continue  # not an EUTF reference: the row is reported and left out
        guess = "contract" if _CONTRACT_REFERENCE.match(str(reference)) else "decision"
        types.at[row] = guess
        template = (
            N_(
                "The record type is empty; '{reference}' has the form of a contract reference, so the row is "
                "read as a contract."
            )
            if guess == "contract"
            else N_(
                "The record type is empty; '{reference}' has the form of a decision reference, so the row is "
                "read as a decision."
            )
        )
        findings.append(
            Finding.of(
                "record-type-inferred",
                template,
                {"reference": reference},
                sheet=sheet,
                cell=cell(row, "record_type"),
                column="record_type",
                row=row,
                value=None,
            )
        )
    return findings


def _drop_unknown_objectives(out: pd.DataFrame, cell: Any, sheet: str | None) -> list[Finding]:
    """Drop from ``out["objectives"]`` (in place) the codes that are not strategic objectives; report each row."""
    findings = []
    for row, objectives in out["objectives"].items():
        unknown = [o for o in objectives if not (isinstance(o, int) and o in refdata.OBJECTIVES)]
        if not unknown:
            continue
        out.at[row, "objectives"] = [o for o in objectives if o not in unknown]
        findings.append(
            Finding.of(
                "objective-code-ignored",
                N_(
                    "{codes} is not one of the four EUTF strategic objectives (TFP.1-TFP.4); it is not counted under "
                    "any objective."
                ),
                {"codes": ", ".join(str(u) for u in unknown)},
                sheet=sheet,
                cell=cell(row, "objectives"),
                column="objectives",
                row=row,
                value="; ".join(str(u) for u in unknown),
            )
        )
    return findings
