"""Exports of an allocation table: CSV (standard and French Excel), XLSX with an About sheet, JSON.

Pure: the explorer page and ``python -m cli export`` call the same functions.

Exports follow the template's columns and spellings, so an exported file uploads again
unchanged. Formula injection is impossible: text that a spreadsheet would read as a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return, or a full-width form) is
prefixed with ``'`` in CSV and written as a quote-prefixed text cell in XLSX; numbers stay
numbers (the rule is :mod:`domain.inert`, shared by every download).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pandas as pd
import xlsxwriter

from domain import refdata
from domain.inert import formula_like, neutralize
from domain.template import BY_NAME, CLEAN_COLUMNS

#: Columns that can be exported, in order: the template's, then label columns.
TEMPLATE_COLUMNS: tuple[str, ...] = CLEAN_COLUMNS
#: The explorer's columns until the user chooses others.
DEFAULT_COLUMNS: tuple[str, ...] = tuple(
    c for c in TEMPLATE_COLUMNS if c not in ("valletta_domains", "source", "record_type", "parent_reference")
)
LABEL_COLUMNS: dict[str, dict[str, str]] = {
    "window_name": {"fr": "Fenêtre (libellé)", "en": "Window name"},
    "country_names": {"fr": "Pays (noms)", "en": "Country names"},
    "objective_names": {"fr": "Objectifs (libellés)", "en": "Objective names"},
    "domain_names": {"fr": "Domaines PAV (libellés)", "en": "Valletta domain names"},
}
EXPORT_COLUMNS: tuple[str, ...] = TEMPLATE_COLUMNS + tuple(LABEL_COLUMNS)
#: Columns of a dataset with contracts (:func:`analysis.aggregate.contracted_by_decision`), added by the caller.
CONTRACT_COLUMNS: dict[str, dict[str, str]] = {
    "n_contracts": {"fr": "Contrats", "en": "Contracts"},
    "contracted_eur": {"fr": "Montant contracté (EUR)", "en": "Contracted (EUR)"},
}


#: The columns that say which rows are contracts and whose: added to an export that carries contract rows.
HIERARCHY_COLUMNS: tuple[str, ...] = ("record_type", "parent_reference")


def with_contract_rows(decisions: pd.DataFrame, contracts: pd.DataFrame) -> pd.DataFrame:
    """The rows of an export of decisions and contracts: each decision followed by its contracts.

    Contracts are rows of their own (record type ``contract``, their parent decision in
    ``parent_reference``), so that the file holds what the dataset holds and uploads again to
    it; their amounts are inside their decisions' budgets, never added to the totals (a
    reader sums the ``decision`` rows, as :func:`to_xlsx`'s About sheet does).

    Args:
        decisions: decision rows in the order to export (:class:`validation.schemas.Allocation`,
            possibly with the explorer's ``n_contracts``/``contracted_eur`` columns).
        contracts: :attr:`domain.dataset.Dataset.contracts` of those decisions (a filtered
            dataset's contracts are its kept decisions'); a contract whose parent is not among
            ``decisions`` (the export names no such decision) comes last, in its own order.

    Returns:
        ``decisions`` when there are no contracts; else the rows of both with the columns of
        ``decisions`` (contracts have none of the decision-only columns: missing there).
    """
    if contracts.empty:
        return decisions
    position = pd.Series(range(len(decisions)), index=refdata.reference_key(decisions["reference"]).to_numpy())
    position = position[~position.index.duplicated()]
    parent = refdata.reference_key(contracts["parent_reference"]).map(position).fillna(len(decisions))
    # the decision-only columns (the explorer's n_contracts, contracted_eur) are missing on contract rows,
    # in their own dtype: money stays Int64, never a float
    missing = [c for c in decisions.columns if c not in contracts.columns]
    whole = {c: "Int64" for c in missing if pd.api.types.is_integer_dtype(decisions[c].dtype)}
    beside = contracts.reindex(columns=decisions.columns).astype(whole)
    rows = pd.concat([decisions.astype(whole), beside], ignore_index=True)
    order = pd.DataFrame(
        {
            "position": [*range(len(decisions)), *parent.astype("int64").to_numpy()],
            "contract": [False] * len(decisions) + [True] * len(contracts),
        }
    )
    keep = order.sort_values(["position", "contract"], kind="stable").index
    return rows.loc[keep].reset_index(drop=True)


def columns_with_hierarchy(columns: Sequence[str]) -> list[str]:
    """``columns`` with :data:`HIERARCHY_COLUMNS` added at the end where missing (an export with contract rows)."""
    return [*columns, *(c for c in HIERARCHY_COLUMNS if c not in columns)]


@dataclass(frozen=True)
class Profile:
    """A CSV dialect for a kind of user.

    Attributes:
        name: ``standard`` or ``fr``.
        delimiter: field separator.
        decimal: decimal mark.
        date_format: strftime format.
        lang: language of headers and spellings (``régional`` vs ``regional``).
    """

    name: str
    delimiter: str
    decimal: str
    date_format: str
    lang: str


#: UTF-8 with BOM, ``,``, ``.`` decimals, ISO dates, English headers.
STANDARD = Profile("standard", ",", ".", "%Y-%m-%d", "en")
#: "French Excel": UTF-8 with BOM, ``;``, decimal comma, dd/mm/yyyy, French headers.
FRENCH_EXCEL = Profile("fr", ";", ",", "%d/%m/%Y", "fr")
PROFILES = {p.name: p for p in (STANDARD, FRENCH_EXCEL)}


def header(column: str, lang: str) -> str:
    """The header of an export column in French or English (the template's headers)."""
    if column in LABEL_COLUMNS:
        return LABEL_COLUMNS[column][lang]
    if column in CONTRACT_COLUMNS:
        return CONTRACT_COLUMNS[column][lang]
    if column not in BY_NAME:
        return column
    spec = BY_NAME[column]
    return spec.fr if lang == "fr" else spec.en


def export_frame(allocations: pd.DataFrame, columns: Sequence[str], lang: str) -> pd.DataFrame:
    """The rows to export, one per project, in the given order, with template spellings.

    Args:
        allocations: clean allocations (:class:`validation.schemas.Allocation`), already
            filtered and sorted.
        columns: internal names from :data:`EXPORT_COLUMNS`, and from
            :data:`CONTRACT_COLUMNS` when ``allocations`` carries them.
        lang: ``fr`` or ``en`` (scope spelling, label columns).

    Returns:
        Columns named by internal name: lists joined with ``;``; amount_eur and
        dialogue_round ``Int64``; approval_date ``datetime64[ns]``; text ``string``.
    """
    out = pd.DataFrame(index=allocations.index)
    for column in columns:
        if column in ("countries", "objectives", "valletta_domains"):
            out[column] = allocations[column].map(lambda v: ";".join(str(x) for x in v)).astype("string")
        elif column == "scope":
            out[column] = allocations[column].map(
                lambda s: "régional" if (s == "regional" and lang == "fr") else s, na_action="ignore"
            )
        elif column == "amount_basis":
            spell = {"sourced": "sourcé", "inferred": "inféré"} if lang == "fr" else {}
            out[column] = allocations[column].map(lambda b, spell=spell: spell.get(b, b), na_action="ignore")
        elif column == "record_type":
            spell = {"decision": "décision", "contract": "contrat"} if lang == "fr" else {}
            out[column] = allocations[column].map(lambda t, spell=spell: spell.get(t, t), na_action="ignore")
        elif column == "window_name":
            out[column] = allocations["window"].map(lambda w: refdata.WINDOWS.get(w, {}).get(lang, w))
        elif column == "country_names":
            out[column] = allocations["countries"].map(lambda cs: "; ".join(refdata.country_name(c, lang) for c in cs))
        elif column == "objective_names":
            out[column] = allocations["objectives"].map(lambda os_: "; ".join(refdata.OBJECTIVES[o][lang] for o in os_))
        elif column == "domain_names":
            out[column] = allocations["valletta_domains"].map(
                lambda ds: "; ".join(refdata.VALLETTA_DOMAINS[d][lang] for d in ds)
            )
        else:
            out[column] = allocations[column]
    return out.reset_index(drop=True)


#: What a file export writes where the dataset has no value that the template requires
#: (:data:`etl.parse.NOT_GIVEN`, :data:`etl.parse.NO_ROUND`): read back as the same absence.
NOT_GIVEN_TEXT = {"en": "not given", "fr": "non renseigné"}
NO_ROUND_TEXT = {"en": "none", "fr": "aucun"}


def stated_absences(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The export table as a file states it: what the dataset lacks said in words, so that it uploads again.

    A public EUTF export may give a record no country, no strategic objective or no approval
    date (``not given`` / ``non renseigné`` in those cells, where an empty cell would be a
    template error), and gives a High-Level Dialogue round only to the projects covering Mali
    (``none`` / ``aucun`` in the round cell of a dated project without one, where an empty cell
    would have a round derived from the date). An undated project without a round states its
    date as not given. Other cells are left as they are.

    Args:
        frame: :func:`export_frame` (internal column names).
        lang: ``fr`` or ``en``.

    Returns:
        A new frame; the columns changed are ``object`` (text beside dates or numbers).
    """
    out = frame.copy(deep=False)
    not_given = NOT_GIVEN_TEXT[lang]
    for column in ("countries", "objectives"):
        if column in out:
            out[column] = out[column].astype(object).mask(out[column].fillna("").eq("").to_numpy(), not_given)
    no_round = out["dialogue_round"].isna().to_numpy() if "dialogue_round" in out else [True] * len(out)
    if "approval_date" in out:
        undated = out["approval_date"].isna().to_numpy()
        out["approval_date"] = out["approval_date"].astype(object).mask(undated & no_round, not_given)
        if "dialogue_round" in out:
            out["dialogue_round"] = out["dialogue_round"].astype(object).mask(~undated & no_round, NO_ROUND_TEXT[lang])
    return out


def _csv_value(value, profile: Profile) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, pd.Timestamp | datetime | date):
        return "" if pd.isna(value) else value.strftime(profile.date_format)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text.replace(".", profile.decimal)
    return neutralize(str(value))


def to_csv(frame: pd.DataFrame, profile: Profile = STANDARD) -> bytes:
    """CSV bytes: UTF-8 with BOM, CRLF line ends, fields quoted only when needed.

    Args:
        frame: :func:`export_frame` (columns named by internal name).
        profile: :data:`STANDARD` or :data:`FRENCH_EXCEL`.
    """
    frame = stated_absences(frame, profile.lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=profile.delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([header(c, profile.lang) for c in frame.columns])
    for row in frame.astype(object).itertuples(index=False):
        writer.writerow([_csv_value(v, profile) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_json(frame: pd.DataFrame) -> bytes:
    """JSON records (UTF-8): internal column names; lists as arrays; dates ISO; amounts integers.

    Give it the English :func:`export_frame` (``lang="en"``): the JSON is for scripts, so its
    values (``regional``, ``inferred``) do not change with the interface's language.
    """
    records = []
    for row in frame.astype(object).itertuples(index=False):
        record = {}
        for column, value in zip(frame.columns, row, strict=True):
            if value is None or value is pd.NA or (isinstance(value, float) and value != value):
                value = None
            elif isinstance(value, pd.Timestamp | datetime | date):
                value = None if pd.isna(value) else value.strftime("%Y-%m-%d")
            elif column in ("countries",):
                value = value.split(";") if value else []
            elif column in ("objectives", "valletta_domains"):
                value = [int(x) for x in value.split(";")] if value else []
            record[column] = value
        records.append(record)
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")


@dataclass(frozen=True)
class About:
    """What the export's About sheet says.

    Attributes:
        dataset: the dataset's name.
        version: the version label (number, date, file, SHA-256).
        filters: one line per filter applied (empty: none).
        sources: where the figures come from.
        citation: the suggested citation.
        exported_at: export time (UTC).
        lang: ``fr`` or ``en``.
    """

    dataset: str
    version: str
    filters: tuple[str, ...]
    sources: tuple[str, ...]
    citation: str
    exported_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    lang: str = "en"


_ABOUT_LABELS = {
    "en": (
        "About this export", "Dataset", "Version", "Exported (UTC)", "Filters", "none (all projects)", "Rows",
        "Total (EUR)", "National (EUR)", "Regional (EUR)", "Sources", "Suggested citation", "Note", "Of which",
        "{d} decisions and {n} contracts (record type); the totals are the decisions' budgets, the contracts "
        "inside them",
    ),
    "fr": (
        "À propos de cet export", "Jeu de données", "Version", "Exporté (UTC)", "Filtres", "aucun (tous les projets)",
        "Lignes", "Total (EUR)", "National (EUR)", "Régional (EUR)", "Sources", "Citation suggérée", "Note", "Dont",
        "{d} décisions et {n} contrats (type de ligne) ; les totaux sont les budgets des décisions, les contrats "
        "en font partie",
    ),
}  # fmt: skip


#: Headers of the Results sheet (:data:`etl.results.ROW_COLUMNS`), in English and French.
RESULT_HEADERS: dict[str, dict[str, str]] = {
    "decision": {"en": "Decision", "fr": "Décision"},
    "reference": {"en": "Reported by", "fr": "Déclaré par"},
    "level": {"en": "Record type", "fr": "Type de ligne"},
    "result_type": {"en": "Result type", "fr": "Type de résultat"},
    "indicator": {"en": "Indicator (as published)", "fr": "Indicateur (tel que publié)"},
    "period_start": {"en": "Period start", "fr": "Début de période"},
    "period_end": {"en": "Period end", "fr": "Fin de période"},
    "target": {"en": "Target", "fr": "Cible"},
    "target_unit": {"en": "Target unit", "fr": "Unité de la cible"},
    "actual": {"en": "Actual", "fr": "Valeur atteinte"},
    "actual_unit": {"en": "Actual unit", "fr": "Unité de la valeur atteinte"},
    "file_row": {"en": "Row in the results file", "fr": "Ligne du fichier des résultats"},
}


def to_xlsx(frame: pd.DataFrame, about: About, results: pd.DataFrame | None = None) -> bytes:
    """XLSX bytes: sheet ``Allocations``, sheet ``Results`` when given, and sheet ``About`` (``À propos`` in French).

    ``results`` (:func:`etl.results.rows_of`) are the exported decisions' reported targets and
    actuals, one row per value as published (exact numbers, never summed); the upload path
    reads the ``Allocations`` sheet only, so the file still uploads again.

    ``Allocations`` has a styled, frozen header, an AutoFilter, fitted widths, a euro number
    format, real dates, and text cells for text (never formulas).

    Written by XlsxWriter in its ``constant_memory`` mode (rows streamed to a temporary file,
    bounded memory), with every text written as text (``write_string``: never a formula, a
    number or a link); openpyxl stays for reading.
    """
    lang = about.lang
    totals = frame
    frame = stated_absences(frame, lang)
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, _WORKBOOK_OPTIONS)
    styles = _Styles(wb, lang)
    ws = wb.add_worksheet("Allocations")
    columns = list(frame.columns)
    for i, column in enumerate(columns):
        sample = frame[column].head(500).astype(object).map(lambda v: 0 if v is None or v is pd.NA else len(str(v)))
        width = min(60, max(len(header(column, lang)) + 2, int(sample.max()) + 2 if len(sample) else 0))
        ws.set_column(i, i, max(width, 16) if column == "amount_eur" else width)
    ws.freeze_panes(1, 0)
    for i, column in enumerate(columns):
        ws.write_string(0, i, header(column, lang), styles.head_wrapped)
    number_formats = [
        styles.money if c in _MONEY_COLUMNS else styles.day if c == "approval_date" else None for c in columns
    ]
    _write_rows(ws, [_cell_values(totals[c], frame[c]) for c in columns], number_formats, styles.quoted)
    ws.autofilter(0, 0, len(frame), max(len(columns), 1) - 1)
    if results is not None:
        _results_sheet(wb, styles, results, lang)
    _about_sheet(wb, styles, totals, about)
    wb.close()
    return buffer.getvalue()


#: Rows streamed to a temporary file (bounded memory; its texts are inline strings); every text written as
#: text: never a number, a formula or a link (the values are typed before writing).
_WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}
_MONEY_COLUMNS = ("amount_eur", "contracted_eur")
#: Day 0 of Excel's 1900 date system (the serial of 1900-03-01 and later days; no earlier dates here).
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


class _Styles:
    """The cell formats of one export workbook (XlsxWriter formats belong to their workbook)."""

    def __init__(self, wb: xlsxwriter.Workbook, lang: str) -> None:
        head = {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79", "pattern": 1}
        self.head = wb.add_format(head)
        self.head_wrapped = wb.add_format({**head, "valign": "top", "text_wrap": True})
        self.money = wb.add_format({"num_format": '#,##0 "€"'})
        self.day = wb.add_format({"num_format": "DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD"})
        #: Excel's quote prefix: a text that starts like a formula stays text, even when edited (:mod:`domain.inert`).
        self.quoted = wb.add_format({"quote_prefix": True})
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.key = wb.add_format({"bold": True})


class _Quoted(str):
    """A text that starts like a formula (:func:`domain.inert.formula_like`): written with Excel's quote prefix."""

    __slots__ = ()


def _cell_values(column: pd.Series, stated: pd.Series | None = None) -> list:
    """The values of one column as the cells take them: ``None`` (no cell), ``str``, :class:`_Quoted`, numbers.

    Dates become Excel serial numbers (written with a date format), missing values and empty
    texts ``None``, formula-like texts :class:`_Quoted`. The conversion is done column by
    column, before the row loop, and each distinct text is tested once.

    Args:
        column: a typed column (:func:`export_frame`).
        stated: the same column with absences stated in words (:func:`stated_absences`): its
            texts replace the missing and empty values of ``column``.
    """
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        serials = (column - _EXCEL_EPOCH) / pd.Timedelta(days=1)
        out = serials.astype(object).where(serials.notna(), None)
    elif pd.api.types.is_string_dtype(column.dtype) and column.dtype != object:
        out = column.astype(object).where(column.notna() & column.ne(""), None)
    elif pd.api.types.is_integer_dtype(column.dtype) or pd.api.types.is_float_dtype(column.dtype):
        out = column.astype(object).where(column.notna(), None)  # Python ints (Int64) or floats
    else:
        out = pd.Series([_cell_value(v) for v in column.tolist()], index=column.index, dtype=object)
    if stated is not None and stated is not column:
        empty = column.isna().to_numpy().copy()
        if pd.api.types.is_string_dtype(column.dtype):
            empty |= column.astype(object).eq("").to_numpy(dtype=bool)
        said = empty & stated.notna().to_numpy()
        if said.any():
            out = out.where(~said, stated.astype(object))
    values = out.tolist()
    quoted = {v for v in set(values) if v.__class__ is str and formula_like(v)}
    return [_Quoted(v) if v in quoted else v for v in values] if quoted else values


def _cell_value(value):
    """One value of an ``object`` column as its cell takes it (see :func:`_cell_values`)."""
    if value is None or value is pd.NA or value is pd.NaT or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return None if value != value else value
    if isinstance(value, pd.Timestamp | datetime):
        return (pd.Timestamp(value).tz_localize(None) - _EXCEL_EPOCH) / pd.Timedelta(days=1)
    if isinstance(value, date):
        return float((value - _EXCEL_EPOCH.date()).days)
    if isinstance(value, bool):
        return int(value)
    return value  # int, numpy number, Decimal (written as a number)


def _write_rows(ws, columns: list[list], number_formats: list, quoted) -> None:
    """Write the rows below the header, given the cells of each column (:func:`_cell_values`).

    Texts are written as text cells, formula-like ones with the quote prefix; numbers with
    their column's number format (euros, dates).
    """
    string, number = ws.write_string, ws.write_number
    for r, row in enumerate(zip(*columns, strict=True), start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            kind = value.__class__
            if kind is str:
                string(r, c, value)
            elif kind is _Quoted:
                string(r, c, str(value), quoted)
            else:
                number(r, c, value, number_formats[c])


def _results_sheet(wb: xlsxwriter.Workbook, styles: _Styles, results: pd.DataFrame, lang: str) -> None:
    """The ``Results`` sheet (``Résultats``): one row per result row, text made inert, exact numbers."""
    ws = wb.add_worksheet("Résultats" if lang == "fr" else "Results")
    columns = [c for c in results.columns if c in RESULT_HEADERS]
    for i, column in enumerate(columns):
        ws.set_column(i, i, 60 if column == "indicator" else 24)
    ws.freeze_panes(1, 0)
    for i, column in enumerate(columns):
        ws.write_string(0, i, RESULT_HEADERS[column][lang], styles.head)
    _write_rows(ws, [_cell_values(results[c]) for c in columns], [None] * len(columns), styles.quoted)
    ws.autofilter(0, 0, len(results), max(len(columns), 1) - 1)


def _about_sheet(wb: xlsxwriter.Workbook, styles: _Styles, frame: pd.DataFrame, about: About) -> None:
    labels = _ABOUT_LABELS[about.lang]
    ws = wb.add_worksheet("À propos" if about.lang == "fr" else "About")
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 110)
    ws.write_string(0, 0, labels[0], styles.title)
    row = 0

    def line(key: str, value, money: bool = False) -> None:
        nonlocal row
        row += 1
        if key:
            ws.write_string(row, 0, key, styles.key)
        else:
            ws.write_blank(row, 0, None, styles.key)
        if isinstance(value, str):
            ws.write_string(row, 1, value, styles.quoted if formula_like(value) else None)
        else:
            ws.write_number(row, 1, value, styles.money if money else None)

    # contract rows are inside their decisions' budgets: the totals are the decisions'
    contract = None
    if "record_type" in frame:
        contract = frame["record_type"].isin(["contract", "contrat"]).fillna(False).to_numpy(dtype=bool)
    decisions = frame[~contract] if contract is not None else frame
    amounts = decisions["amount_eur"] if "amount_eur" in frame else pd.Series(dtype="Int64")
    scopes = decisions["scope"] if "scope" in frame else pd.Series(dtype="string")
    line(labels[1], about.dataset)
    line(labels[2], about.version)
    line(labels[3], about.exported_at.strftime("%Y-%m-%d %H:%M:%S"))
    filters = about.filters or (labels[5],)
    for i, text in enumerate(filters):
        line(labels[4] if i == 0 else "", text)
    line(labels[6], len(frame))
    if contract is not None and contract.any():
        n = int(contract.sum())
        line(labels[13], labels[14].format(n=n, d=len(frame) - n))
    if "amount_eur" in frame:
        line(labels[7], int(amounts.sum()), money=True)
        if "scope" in frame:
            line(labels[8], int(amounts[scopes == "national"].sum()), money=True)
            line(labels[9], int(amounts[scopes.isin(["regional", "régional"])].sum()), money=True)
    for i, text in enumerate(about.sources):
        line(labels[10] if i == 0 else "", text)
    line(labels[11], about.citation)


def file_name(dataset_slug: str, version: int, extension: str, on: date | None = None, suffix: str = "") -> str:
    """A file name that says what it holds: ``eutf-allocations_v3_2026-11-30.xlsx``."""
    on = on or datetime.now(UTC).date()
    slug = re.sub(r"[^a-z0-9]+", "-", dataset_slug.casefold()).strip("-")
    return f"{slug}_v{version}_{on.isoformat()}{suffix}.{extension}"
