"""pandera schemas for the allocation tables, and the cell-level report of their failures.

* :class:`AllocationInput` checks the table parsed from an uploaded sheet. Every rule of
  ``docs/TEMPLATE.md`` is a named check whose name is the rule id of the finding; the
  table is validated lazily so that every failure is reported at once.
* :class:`AllocationWarnings` holds the soft rules (reported, not blocking).
* :class:`Allocation` is the clean, published table (after dialogue rounds are derived).
* :class:`ProjectCountry`, :class:`ProjectObjective`, :class:`ProjectDomain` are the long
  tables derived from it.

Columns are referenced as ``Schema.column`` wherever code needs their names.
"""

from __future__ import annotations

import copy
import re
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Index, Series

from domain import refdata
from domain.findings import Finding
from domain.i18n import N_

#: EUTF references: T05-EUTF-<window>-<country or REG>-<number> (EUTF project pages, DW
#: compilation), e.g. T05-EUTF-SAH-ML-01, T05-EUTF-HoA-ET-12, T05-EUTF-SAH-REG-04; a
#: contract adds its number to its decision's (EUTF monitoring platform export, Dec 2021):
#: T05-EUTF-HOA-SO-03-12, T05-EUTF-REG-NAFR-02-01.
REFERENCE_PATTERN = re.compile(r"^T\d{2}-EUTF-(SAH|HOA|NOA|REG)-[A-Z]{2,4}-\d{1,3}(-\d{1,3})?$", re.IGNORECASE)
#: Record types of the decision -> contract hierarchy.
RECORD_TYPES = ("decision", "contract")


def _launch() -> pd.Timestamp:
    return pd.Timestamp(refdata.EUTF_LAUNCH)


def _today() -> pd.Timestamp:
    return pd.Timestamp(date.today())


_reference_key = refdata.reference_key


def record_key(df: pd.DataFrame) -> pd.Series:
    """Reference key per record type: a contract may not repeat a contract's reference, nor a decision a decision's."""
    kind = df["record_type"].astype("string").fillna("decision") if "record_type" in df else "decision"
    return kind + "|" + _reference_key(df["reference"])


def _non_empty(lists: pd.Series) -> pd.Series:
    """True where a list cell holds at least one item."""
    return lists.map(len, na_action="ignore").fillna(1).astype(int) > 0


def _all_in(lists: pd.Series, allowed) -> pd.Series:
    """True where every item of a list cell is in ``allowed`` (an empty list and a missing cell pass).

    Each distinct list object is checked once: equal cells share one list (the parse and the
    store's read-back cache them), so a million rows hold a few hundred lists, not a million
    to explode (1M rows: 0.1 s and 100 MB less). Cells that are not shared are checked alike.
    """
    cells = lists.to_numpy(dtype=object)
    codes, uniques = pd.factorize(np.fromiter(map(id, cells), dtype=np.int64, count=len(cells)))
    first = np.empty(len(uniques), dtype=np.int64)  # the first cell holding each object
    first[codes[::-1]] = np.arange(len(cells) - 1, -1, -1)
    return pd.Series(_each_in(cells[first], allowed)[codes], index=lists.index)


def _each_in(cells: np.ndarray, allowed) -> np.ndarray:
    """:func:`_all_in` of an ``object`` array of cells, one by one (bool array)."""
    series = pd.Series(cells, dtype=object)
    items_ok = series.explode().isin(list(allowed)).groupby(level=0).all()
    empty = series.map(len, na_action="ignore").eq(0).fillna(False).astype(bool)
    return (items_ok | empty | series.isna()).to_numpy(dtype=bool)


#: Rows per slice where a check makes a Python object per cell (``str.extract``): bounded memory at 1M rows.
CHECK_SLICE = 100_000


def _reference_part(references: pd.Series, pattern: str) -> pd.Series:
    """The group of ``pattern`` in each reference stripped and upper-cased (NA where it does not match).

    ``str.extract`` makes a Python text per cell: it runs :data:`CHECK_SLICE` rows at a time,
    so that a million-row table does not hold a million of them at once (1M rows: 300 MB less
    at the peak of :func:`check_allocations`). Same values, dtype and index as one call.
    """

    def part(s: pd.Series) -> pd.Series:
        return s.str.strip().str.upper().str.extract(pattern, expand=False)

    if len(references) <= CHECK_SLICE:
        return part(references)
    return pd.concat([part(references.iloc[i : i + CHECK_SLICE]) for i in range(0, len(references), CHECK_SLICE)])


class AllocationInput(pa.DataFrameModel):
    """The allocation table as parsed from a sheet, indexed by Excel row.

    Money in integer euros (``Int64``); dates as ``datetime64[ns]``; list columns hold
    Python lists (ISO 3166-1 alpha-2 codes, objective and domain numbers).
    """

    row: Index[int] = pa.Field(check_name=False)
    reference: Series[pd.StringDtype] = pa.Field(nullable=True)
    title: Series[pd.StringDtype] = pa.Field(nullable=True)
    window: Series[pd.StringDtype] = pa.Field(nullable=True)
    scope: Series[pd.StringDtype] = pa.Field(nullable=True)
    countries: Series[object]
    objectives: Series[object]
    valletta_domains: Series[object]
    theme: Series[pd.StringDtype] = pa.Field(nullable=True)
    amount_eur: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    amount_basis: Series[pd.StringDtype] = pa.Field(isin=list(refdata.AMOUNT_BASES))
    approval_date: Series[pd.Timestamp] = pa.Field(nullable=True)
    dialogue_round: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    implementing_partner: Series[pd.StringDtype] = pa.Field(nullable=True)
    source: Series[pd.StringDtype] = pa.Field(nullable=True)
    record_type: Series[pd.StringDtype] = pa.Field(nullable=True)
    parent_reference: Series[pd.StringDtype] = pa.Field(nullable=True)

    class Config:
        strict = "filter"
        coerce = False

    @pa.check("record_type", name="record-type-invalid")
    def _record_type_known(cls, s: Series[str]) -> Series[bool]:
        return s.isin(list(RECORD_TYPES))

    @pa.check("reference", name="reference-missing", ignore_na=False)
    def _reference_present(cls, s: Series[str]) -> Series[bool]:
        return s.notna()

    @pa.check("reference", name="reference-pattern")
    def _reference_pattern(cls, s: Series[str]) -> Series[bool]:
        return s.str.strip().str.fullmatch(REFERENCE_PATTERN.pattern, case=False)

    @pa.check("title", name="title-missing", ignore_na=False)
    def _title_present(cls, s: Series[str]) -> Series[bool]:
        return s.notna()

    @pa.check("window", name="window-invalid", ignore_na=False)
    def _window_known(cls, s: Series[str]) -> Series[bool]:
        return s.isin(list(refdata.WINDOWS)).fillna(False)

    @pa.check("scope", name="scope-invalid", ignore_na=False)
    def _scope_known(cls, s: Series[str]) -> Series[bool]:
        return s.isin(list(refdata.SCOPES)).fillna(False)

    # The list checks are vectorised (one pass over the exploded lists), not element-wise:
    # 100 000 rows in ~50 ms instead of ~1 s; the failure cases are the same cells.
    @pa.check("countries", name="countries-missing")
    def _countries_present(cls, s: Series[object]) -> Series[bool]:
        return _non_empty(s)

    @pa.check("countries", name="country-invalid")
    def _countries_known(cls, s: Series[object]) -> Series[bool]:
        return _all_in(s, refdata.iso_alpha2_codes())

    @pa.check("objectives", name="objectives-missing")
    def _objectives_present(cls, s: Series[object]) -> Series[bool]:
        return _non_empty(s)

    @pa.check("objectives", name="objective-invalid")
    def _objectives_known(cls, s: Series[object]) -> Series[bool]:
        return _all_in(s, refdata.OBJECTIVES)

    @pa.check("valletta_domains", name="domain-invalid")
    def _domains_known(cls, s: Series[object]) -> Series[bool]:
        return _all_in(s, refdata.VALLETTA_DOMAINS)

    @pa.check("amount_eur", name="amount-negative")
    def _amount_not_negative(cls, s: Series[int]) -> Series[bool]:
        return s >= 0

    @pa.check("approval_date", name="date-before-eutf-launch")
    def _after_launch(cls, s: Series) -> Series[bool]:
        return s >= _launch()

    @pa.check("approval_date", name="date-in-future")
    def _not_future(cls, s: Series) -> Series[bool]:
        return s <= _today()

    @pa.dataframe_check(name="reference-duplicate")
    def _unique_reference(cls, df: pd.DataFrame) -> Series[bool]:
        key = record_key(df)
        return ~(key.notna() & key.duplicated(keep=False))

    @pa.dataframe_check(name="national-needs-one-country")
    def _national_one_country(cls, df: pd.DataFrame) -> Series[bool]:
        n = df["countries"].map(len)
        return ~((df["scope"] == "national").fillna(False) & (n > 1))

    @pa.dataframe_check(name="date-missing")
    def _date_or_round(cls, df: pd.DataFrame) -> Series[bool]:
        return df["approval_date"].notna() | df["dialogue_round"].notna()


#: Above this an amount is almost surely a typing slip: the largest EUTF decision, after
#: top-ups, is T05-EUTF-HOA-REG-36 with 361 440 000 EUR (DW compilation of EUTF data, 2022).
LARGEST_PLAUSIBLE_EUR = 1_000_000_000


class AllocationWarnings(pa.DataFrameModel):
    """Soft rules: reported as warnings, publishing needs them confirmed."""

    class Config:
        strict = False

    @pa.dataframe_check(name="amount-zero")
    def _amount_not_zero(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["amount_eur"] == 0).fillna(False)

    @pa.dataframe_check(name="amount-implausible")
    def _amount_plausible(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["amount_eur"] > LARGEST_PLAUSIBLE_EUR).fillna(False)

    @pa.dataframe_check(name="regional-with-one-country")
    def _regional_several(cls, df: pd.DataFrame) -> Series[bool]:
        return ~((df["scope"] == "regional").fillna(False) & (df["countries"].map(len) == 1))

    @pa.dataframe_check(name="contract-parent-missing")
    def _contract_has_decision(cls, df: pd.DataFrame) -> Series[bool]:
        if "record_type" not in df:
            return pd.Series(True, index=df.index)
        contract = (df["record_type"] == "contract").fillna(False)
        if not contract.any():  # a file of decisions only: nothing to look up
            return pd.Series(True, index=df.index)
        is_decision = (df["record_type"] == "decision").fillna(False)
        eutf = df["reference"].str.strip().str.fullmatch(REFERENCE_PATTERN.pattern, case=False).fillna(False)
        decisions = set(_reference_key(df.loc[is_decision & eutf, "reference"]).dropna())
        parent = _reference_key(df["parent_reference"])
        return ~(contract & ~parent.isin(decisions).fillna(False))

    @pa.dataframe_check(name="window-reference-mismatch")
    def _window_matches_reference(cls, df: pd.DataFrame) -> Series[bool]:
        in_ref = _reference_part(df["reference"], r"^T\d{2}-EUTF-([A-Z]{3})-")
        return (in_ref.isna() | df["window"].isna() | (in_ref == df["window"])).fillna(True)

    @pa.dataframe_check(name="country-reference-mismatch")
    def _country_matches_reference(cls, df: pd.DataFrame) -> Series[bool]:
        """A national reference (``T05-EUTF-SAH-ML-…``) names a country the row lists, when it lists any."""
        in_ref = _reference_part(df["reference"], r"^T\d{2}-EUTF-[A-Z]{3}-([A-Z]{2})-")
        known = list(refdata.iso_alpha2_codes())
        lists = df["countries"].to_numpy()
        codes = in_ref.to_numpy(dtype=object, na_value=None)
        # only a known code in a row that lists countries can be missing from them (vectorised)
        rows = np.flatnonzero(in_ref.isin(known).fillna(False).to_numpy(dtype=bool) & (df["countries"].map(len) > 0))
        items = pd.Series(lists[rows], dtype=object).explode()
        at = items.index.to_numpy()
        listed = np.zeros(len(rows), dtype=bool)
        np.logical_or.at(listed, at, (items.to_numpy() == codes[rows][at]).astype(bool))
        ok = np.ones(len(df), dtype=bool)
        ok[rows] = listed
        return pd.Series(ok, index=df.index)


class Allocation(AllocationInput):
    """The clean, published allocation table: one row per EUTF decision (or contract).

    Columns: reference, title, window (SAH/HOA/NOA/REG), scope (national/regional),
    countries (list of ISO 3166-1 alpha-2), objectives (list of 1-4), valletta_domains
    (list of 1-5), theme, amount_eur (``Int64``, EUR, >= 0), amount_basis
    (sourced/inferred), approval_date (``datetime64[ns]``, may be missing when the round
    is given), dialogue_round (``Int64``; missing when after the last dated dialogue),
    round_basis (``typed``/``derived``/missing), implementing_partner, source,
    record_type (``decision``/``contract``), parent_reference (a contract's decision).
    Totals count decisions only (:class:`domain.dataset.Dataset` keeps contracts apart).
    """

    reference: Series[pd.StringDtype] = pa.Field(nullable=False)
    title: Series[pd.StringDtype] = pa.Field(nullable=False)
    window: Series[pd.StringDtype] = pa.Field(isin=list(refdata.WINDOWS))
    scope: Series[pd.StringDtype] = pa.Field(isin=list(refdata.SCOPES))
    amount_eur: Series[pd.Int64Dtype] = pa.Field(nullable=False, ge=0)
    round_basis: Series[pd.StringDtype] = pa.Field(nullable=True, isin=["typed", "derived"])
    record_type: Series[pd.StringDtype] = pa.Field(isin=list(RECORD_TYPES))

    class Config:
        strict = True

    # A public EUTF export may leave a row's countries or objectives out; the import reports
    # it (etl.layouts) and the row counts as "country not given" / "objective not given".
    @pa.check("countries", name="countries-missing")
    def _countries_present(cls, s: Series[object]) -> Series[bool]:
        return pd.Series(True, index=s.index)

    @pa.check("objectives", name="objectives-missing")
    def _objectives_present(cls, s: Series[object]) -> Series[bool]:
        return pd.Series(True, index=s.index)

    @pa.dataframe_check(name="date-missing")
    def _date_or_round(cls, df: pd.DataFrame) -> Series[bool]:
        return pd.Series(True, index=df.index)  # a public export may give no date (reported at import)


class ProjectCountry(pa.DataFrameModel):
    """Long table project x country: one row per (reference, country)."""

    reference: Series[pd.StringDtype]
    country: Series[pd.StringDtype] = pa.Field(isin=sorted(refdata.iso_alpha2_codes()))
    n_countries: Series[int] = pa.Field(ge=1)

    class Config:
        strict = True
        unique = ["reference", "country"]


class ProjectObjective(pa.DataFrameModel):
    """Long table project x EUTF strategic objective (0 = not given), with an equal integer split."""

    reference: Series[pd.StringDtype]
    objective: Series[int] = pa.Field(isin=[0, *refdata.OBJECTIVES])
    amount_share_eur: Series[pd.Int64Dtype] = pa.Field(ge=0)

    class Config:
        strict = True
        unique = ["reference", "objective"]


class ProjectDomain(pa.DataFrameModel):
    """Long table project x Valletta Action Plan domain (0 = not reported), with an equal split."""

    reference: Series[pd.StringDtype]
    domain: Series[int] = pa.Field(isin=[0, *refdata.VALLETTA_DOMAINS])
    amount_share_eur: Series[pd.Int64Dtype] = pa.Field(ge=0)

    class Config:
        strict = True
        unique = ["reference", "domain"]


# --- from pandera failures to cell findings -----------------------------------------------

#: For a dataframe-wide check, the column whose cell the finding names.
_WIDE_CHECK_COLUMN = {
    "reference-duplicate": "reference",
    "national-needs-one-country": "countries",
    "regional-with-one-country": "countries",
    "date-missing": "approval_date",
    "amount-zero": "amount_eur",
    "amount-implausible": "amount_eur",
    "window-reference-mismatch": "window",
    "country-reference-mismatch": "countries",
    "contract-parent-missing": "parent_reference",
}

_MESSAGES = {
    "reference-missing": N_("The reference is empty."),
    "reference-pattern": N_("'{value}' is not an EUTF reference."),
    "reference-duplicate": N_("'{value}' is the same reference as cell {other} (ignoring spaces and case)."),
    "title-missing": N_("The title is empty."),
    "window-invalid": N_("'{value}' is not an EUTF window."),
    "scope-invalid": N_("'{value}' is not a scope."),
    "countries-missing": N_("No country is given."),
    "country-invalid": N_("'{value}' holds a country that is not an ISO 3166 code or a known country name ({bad})."),
    "national-needs-one-country": N_("The project is national but lists {n} countries ('{value}')."),
    "regional-with-one-country": N_("The project is regional (régional) but lists one country ('{value}')."),
    "objectives-missing": N_("No strategic objective is given."),
    "objective-invalid": N_("'{value}' holds an objective outside 1-4 ({bad})."),
    "domain-invalid": N_("'{value}' holds a Valletta domain outside 1-5 ({bad})."),
    "amount-negative": N_("The amount {value} is negative."),
    "amount-zero": N_("The amount is 0 EUR."),
    "amount-implausible": N_("The amount {value} is larger than any EUTF decision (the largest is 361 440 000 EUR)."),
    "date-before-eutf-launch": N_("The date {value} is before the EUTF's launch on 12 November 2015."),
    "date-in-future": N_("The date {value} is in the future."),
    "date-missing": N_("Neither an approval date nor a dialogue round is given."),
    "window-reference-mismatch": N_("The window '{value}' differs from the one in the reference '{reference}'."),
    "country-reference-mismatch": N_(
        "The country in the reference '{reference}' is not among the countries listed ('{value}')."
    ),
    "record-type-invalid": N_("'{value}' is not a record type (decision or contract)."),
    "contract-parent-missing": N_("The contract '{reference}' names the decision '{value}', which is not in the file."),
    "dialogue_round": N_("The dialogue round {value} is not a positive number."),
}


#: Messages for a rule whose cell is empty (rather than holding a wrong value).
_EMPTY = {
    "window-invalid": N_("The EUTF window is empty."),
    "scope-invalid": N_("The scope is empty."),
    "record-type-invalid": N_("The record type is empty."),
}


def _display(value: Any) -> Any:
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.date().isoformat()
    if isinstance(value, (date,)):
        return value.isoformat()
    if value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value


def _whole(value: Any) -> Any:
    """A number cell read as ``7.0`` shown as Excel shows it, ``7``; any other value unchanged."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _failures(schema: type[pa.DataFrameModel], frame: pd.DataFrame) -> pd.DataFrame:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return exc.failure_cases
    return pd.DataFrame(columns=["column", "check", "index", "failure_case"])


def _cells_reported(normalized, relaxed: dict[str, Any]) -> set[str]:
    """The cells (A1) already reported while parsing, so that the checks do not report them again.

    Those reported as errors, as a public export's relaxed rules (kept, shown unknown), or
    stated in the file as not given by its source (``value-not-given``: an export of such a row).
    """
    return {
        f.cell
        for f in normalized.findings
        if f.cell and (f.severity == "error" or f.rule in relaxed or f.rule == "value-not-given")
    }


def _failure_cell(failure, dates_absent: bool) -> tuple[str, int, str] | None:
    """``(rule, excel_row, column)`` of one pandera failure case, or None when it is not reported per cell."""
    rule = str(failure.check).split("(")[0]
    if rule == "date-missing" and dates_absent:
        return None  # said once for the whole file (etl.layouts: dates-not-in-export)
    if failure.index is None or (isinstance(failure.index, float) and failure.index != failure.index):
        return None
    column = _WIDE_CHECK_COLUMN.get(rule, failure.column)
    if rule.startswith("greater_than_or_equal_to") and column == "dialogue_round":
        rule = "round-invalid"
    return rule, int(failure.index), column


def _failure_context(
    normalized, keys: pd.Series, rule: str, row: int, column: str, value: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The message parameters and the finding's extra for a failing cell (``keys``: the references' keys)."""
    frame = normalized.frame
    context: dict[str, Any] = {"value": value, "reference": frame.at[row, "reference"]}
    extra: dict[str, Any] = {}
    if rule in {"amount-negative", "amount-implausible"}:
        context["value"] = f"{int(frame.at[row, 'amount_eur']):,} EUR".replace(",", " ")
    if rule == "reference-duplicate":
        twins = [r for r in frame.index[keys == keys.loc[row]] if r != row]
        context["other"] = ", ".join(normalized.cell(r, "reference") or str(r) for r in twins)
        extra["duplicate_of"] = context["other"]
    if rule in {"national-needs-one-country", "regional-with-one-country"}:
        context["n"] = len(frame.at[row, "countries"])
        extra["scope_cell"] = normalized.cell(row, "scope")
    if rule in {"country-invalid", "objective-invalid", "domain-invalid"}:
        valid = {
            "country-invalid": refdata.iso_alpha2_codes(),
            "objective-invalid": set(refdata.OBJECTIVES),
            "domain-invalid": set(refdata.VALLETTA_DOMAINS),
        }[rule]
        context["bad"] = ", ".join(str(v) for v in frame.at[row, column] if v not in valid)
    context.setdefault("rule", rule)
    return context, extra


def _failure_template(rule: str, value: Any, level: str, relaxed: dict[str, Any]) -> tuple[Any, str]:
    """The message template of a failing cell and its level (a public export's relaxed rules are warnings)."""
    template = _MESSAGES.get(rule, N_("The value '{value}' breaks the rule {rule}."))
    if value is None and rule in _EMPTY:
        template = _EMPTY[rule]
    if rule == "contract-parent-missing" and value is None:
        template = N_("The contract '{reference}' names no decision.")
    if rule in relaxed:
        return (template, relaxed[rule]), "warning"
    return template, level


def check_allocations(normalized, *, file: str | None = None) -> list[Finding]:
    """Validate a :class:`etl.normalize.Normalized` table and name each failing cell.

    Cells that already have a parsing finding (e.g. ``amount-not-a-number``) are not
    reported a second time. Returns findings in sheet order (errors and warnings).
    """
    return checked_allocations(normalized, file=file)[0]


def checked_allocations(normalized, *, file: str | None = None) -> tuple[list[Finding], bool]:
    """:func:`check_allocations`, and whether the table broke none of :class:`AllocationInput`'s rules.

    The flag is True only when pandera found no failure case at all (reported or not): then
    every row of the table, and of any subset of its rows, passes the rules
    :class:`Allocation` inherits from :class:`AllocationInput`, and
    :func:`validation.pipeline.dataset_of` need not run them again (``input_checked``).
    """
    frame = normalized.frame
    if frame.empty:
        return [], False
    relaxed = normalized.source_format.relaxed if normalized.source_format else {}
    dates_absent = bool(normalized.source_format and "approval_date" in normalized.source_format.derived)
    already = _cells_reported(normalized, relaxed)
    findings: list[Finding] = []
    keys = _reference_key(frame["reference"])
    error_cells: set[tuple[int, str]] = set()
    input_clean = False
    for schema, level in ((AllocationInput, "error"), (AllocationWarnings, "warning")):
        failures = _failures(schema, frame)
        if schema is AllocationInput:
            input_clean = failures.empty
        seen: set[tuple[str, int]] = set()
        for failure in failures.itertuples(index=False):
            located = _failure_cell(failure, dates_absent)
            if located is None:
                continue
            rule, row, column = located
            if (rule, row) in seen:
                continue
            seen.add((rule, row))
            cell = normalized.cell(row, column)
            if cell in already:
                continue
            if level == "warning" and (row, column) in error_cells:
                continue
            value = _display(normalized.raw_value(row, column))
            context, extra = _failure_context(normalized, keys, rule, row, column, value)
            template, rule_level = _failure_template(rule, value, level, relaxed)
            findings.append(
                Finding.of(
                    rule,
                    template,
                    context,
                    level=rule_level,
                    file=file,
                    sheet=normalized.sheet,
                    cell=cell,
                    column=column,
                    header=normalized.headers.get(column),
                    value=value,
                    row=row,
                    extra=extra,
                )
            )
        error_cells |= {(f.row, f.column) for f in findings if f.severity == "error"}
    findings.sort(key=lambda f: (f.row or 0, f.cell or ""))
    return findings, input_clean


#: The most characters a spreadsheet cell holds (Excel's limit): a longer text cannot be exported to XLSX.
MAX_CELL_CHARS = 32_767


def check_text_lengths(normalized, *, file: str | None = None) -> list[Finding]:
    """Text cells longer than :data:`MAX_CELL_CHARS`, named by cell (errors, rule ``text-too-long``).

    Such a text would be stored, but no XLSX export (nor Excel) could hold it. Checks the
    ``string`` columns of ``normalized.frame`` (index = Excel row numbers), vectorised.
    """
    frame = normalized.frame
    findings = []
    for column in frame.columns:
        if str(frame[column].dtype) != "string":
            continue
        lengths = frame[column].str.len()
        for row in frame.index[(lengths > MAX_CELL_CHARS).fillna(False).to_numpy()]:
            text = frame.at[row, column]
            findings.append(
                Finding.of(
                    "text-too-long",
                    N_(
                        "The cell holds {length} characters; a spreadsheet cell holds at most {limit}, so no "
                        "export could hold it."
                    ),
                    {"length": len(text), "limit": MAX_CELL_CHARS},
                    file=file,
                    sheet=normalized.sheet,
                    cell=normalized.cell(row, column),
                    column=column,
                    header=normalized.headers.get(column),
                    value=text[:60] + "…",
                    row=row,
                    extra={"length": len(text)},
                )
            )
    return findings


def check_rounds(
    normalized, calendar: pd.DataFrame, control: pd.DataFrame | None = None, *, file: str | None = None
) -> list[Finding]:
    """Typed dialogue rounds that cannot be true, or that drop a project from a reported total, named by cell.

    The round a project's approval date gives is the first dated High-Level Dialogue on or
    after it (:func:`etl.derive.with_rounds`). A typed round is checked against the
    calendar (``data/dialogue_calendar.csv``) and that date:

    * ``round-unknown`` (error): a round after the calendar's last dialogue; the project
      would count in no dialogue's total;
    * ``round-before-approval`` (error): a dialogue held before the project was approved
      (including any dated dialogue, for a project approved after the last dated one);
    * ``round-later-than-date`` (warning): a round later than the one the date gives, when
      that earlier dialogue reported a total that the project belongs to (``control``: a
      total of its scope or ``all``), so that it is left out of that total. A regional
      project approved before the 1st dialogue, which reported national projects only,
      may be typed at the 2nd.

    Both date findings name the round's cell and, in the message and ``extra["date_cell"]``,
    the date's cell.

    Args:
        normalized: :class:`etl.normalize.Normalized` (``dialogue_round`` ``Int64`` as typed,
            ``approval_date`` ``datetime64``, ``scope``; index = Excel row numbers).
        calendar: :func:`etl.catalog.load_calendar`.
        control: :func:`etl.catalog.load_control_totals` (``dialogue_round``, ``total``);
            None or empty: no ``round-later-than-date`` check.
        file: the file's name for the findings (the pipeline sets it later when None).
    """
    from etl.derive import dialogue_dates, with_rounds

    frame = normalized.frame
    if frame.empty or "dialogue_round" not in frame or frame["dialogue_round"].isna().all():
        return []
    known = calendar.loc[calendar["kind"] == "high_level_dialogue", "dialogue_round"].dropna().astype(int)
    last = int(known.max()) if len(known) else 0
    dates = dialogue_dates(calendar)
    last_dated = int(dates.index[-1]) if len(dates) else 0
    reported: set[tuple[int, str]] = set()
    if control is not None and len(control):
        reported = {(int(r), str(t)) for r, t in zip(control["dialogue_round"], control["total"], strict=True)}
    from_dates = with_rounds(frame.assign(dialogue_round=pd.array([pd.NA] * len(frame), dtype="Int64")), calendar)
    typed = frame["dialogue_round"]
    findings = []
    for row in frame.index[typed.notna()]:
        value = int(typed[row])
        approved = frame.at[row, "approval_date"]
        derived = from_dates.at[row, "dialogue_round"]
        base = {
            "file": file,
            "sheet": normalized.sheet,
            "cell": normalized.cell(row, "dialogue_round"),
            "column": "dialogue_round",
            "header": normalized.headers.get("dialogue_round"),
            "value": _whole(_display(normalized.raw_value(row, "dialogue_round"))),
            "row": row,
        }
        if value > last:
            findings.append(
                Finding.of(
                    "round-unknown",
                    N_(
                        "There is no High-Level Dialogue {round}: the calendar has {n} (the last is dialogue {last}); "
                        "the project would count in no dialogue's total."
                    ),
                    {"round": value, "n": len(known), "last": last},
                    **base,
                )
            )
            continue
        if pd.isna(approved):
            continue
        date_cell = normalized.cell(row, "approval_date")
        params = {"round": value, "date": approved.date(), "date_cell": date_cell}
        extra = {"date_cell": date_cell}
        before = value <= last_dated if pd.isna(derived) else value < int(derived)
        if before:
            params["held"] = dates[value].date() if value in dates.index else "?"
            findings.append(
                Finding.of(
                    "round-before-approval",
                    N_(
                        "Dialogue {round} was held on {held}, before the approval date {date} ({date_cell}): the "
                        "project cannot have been reported there."
                    ),
                    params,
                    extra=extra,
                    **base,
                )
            )
        elif pd.notna(derived) and value > int(derived):
            scope = str(frame.at[row, "scope"]) if "scope" in frame else ""
            if (int(derived), scope) in reported or (int(derived), "all") in reported:
                params |= {"derived": int(derived), "derived_date": dates[int(derived)].date()}
                findings.append(
                    Finding.of(
                        "round-later-than-date",
                        N_(
                            "The dialogue round {round} is later than the one the approval date {date} "
                            "({date_cell}) gives: dialogue {derived} ({derived_date}), whose reported total the "
                            "project is then left out of."
                        ),
                        params,
                        extra=extra,
                        **base,
                    )
                )
    return findings


# pandera 0.35 builds a model's checks from check infos it shares with subclasses: building
# a subclass's schema first (Allocation, when a stored version is read before any upload is
# checked) leaves the parent's checks named after their methods ("_reference_pattern")
# instead of the rule ids. Building the parents first keeps every rule id (regression test:
# tests/test_validation.py::test_rule_ids_survive_any_schema_build_order).
for _model in (AllocationInput, AllocationWarnings, Allocation):
    _model.to_schema()


def _without_input_rules() -> pa.DataFrameSchema:
    """:class:`Allocation` without the checks written as methods: its columns, dtypes, fields and strictness.

    The method checks are :class:`AllocationInput`'s rules and their pass-through overrides;
    what is left (nullability, ``isin``/``ge`` fields, strictness) is run on a table whose every
    row passed :class:`AllocationInput` (:func:`checked_allocations`).
    """
    schema = copy.deepcopy(Allocation.to_schema())  # the model's own schema is cached: not changed
    for name, column in schema.columns.items():
        methods = {c.name for c in Allocation.__checks__.get(name, [])}
        column.checks = [c for c in column.checks if c.name not in methods]
    wide = {c.name for c in Allocation.__root_checks__}
    schema.checks = [c for c in schema.checks if c.name not in wide]
    return schema


#: :class:`Allocation` for a table :class:`AllocationInput` already passed (see :func:`_without_input_rules`).
ALLOCATION_AFTER_INPUT = _without_input_rules()
