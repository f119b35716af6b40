"""Exports of an allocation table: CSV (standard and French Excel), XLSX with an About sheet, JSON.

Pure: the explorer page and ``python -m etl export`` call the same functions.

Exports follow the template's columns and spellings, so an exported file uploads again
unchanged. Formula injection is impossible: text that a spreadsheet would read as a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return, or a full-width form) is
prefixed with ``'`` in CSV and written as a quote-prefixed text cell in XLSX; numbers stay
numbers (the rule is :mod:`etl.inert`, shared by every download).
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
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from etl import refdata
from etl.inert import formula_like, make_inert, neutralize
from etl.template import BY_NAME, CLEAN_COLUMNS

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
#: Columns of a dataset with contracts (:func:`etl.aggregate.contracted_by_decision`), added by the caller.
CONTRACT_COLUMNS: dict[str, dict[str, str]] = {
    "n_contracts": {"fr": "Contrats", "en": "Contracts"},
    "contracted_eur": {"fr": "Montant contracté (EUR)", "en": "Contracted (EUR)"},
}


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
        "Total (EUR)", "National (EUR)", "Regional (EUR)", "Sources", "Suggested citation", "Note",
    ),
    "fr": (
        "À propos de cet export", "Jeu de données", "Version", "Exporté (UTC)", "Filtres", "aucun (tous les projets)",
        "Lignes", "Total (EUR)", "National (EUR)", "Régional (EUR)", "Sources", "Citation suggérée", "Note",
    ),
}  # fmt: skip


def to_xlsx(frame: pd.DataFrame, about: About) -> bytes:
    """XLSX bytes: sheet ``Allocations`` and sheet ``About`` (``À propos`` in French).

    ``Allocations`` has a styled, frozen header, an AutoFilter, fitted widths, a euro number
    format, real dates, and text cells for text (never formulas).

    Written in openpyxl's write-only mode (streamed, bounded memory).
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Allocations")
    lang = about.lang
    columns = list(frame.columns)
    widths = [len(header(c, lang)) + 2 for c in columns]
    values = frame.astype(object)
    for i, column in enumerate(columns):
        sample = values[column].head(500).map(lambda v: len(str(v)) if v is not None else 0)
        widths[i] = min(60, max(widths[i], int(sample.max()) + 2 if len(sample) else 0))
        if column == "amount_eur":
            widths[i] = max(widths[i], 16)
        ws.column_dimensions[get_column_letter(i + 1)].width = widths[i]
    ws.freeze_panes = "A2"
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1F4E79")
    head = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=header(column, lang))
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        head.append(cell)
    ws.append(head)
    date_format = "DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD"

    # One styled cell per styled column, given each row's value: openpyxl serialises a row
    # as soon as it is appended, and creating and styling 200 000 cells cost a tenth of the export.
    amount_cell = WriteOnlyCell(ws)
    amount_cell.number_format = '#,##0 "€"'
    day_cell = WriteOnlyCell(ws)
    day_cell.number_format = date_format

    def amount(value):
        amount_cell.value = int(value)
        return amount_cell

    def day(value):
        day_cell.value = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
        return day_cell

    def text(value):
        if not formula_like(value):  # openpyxl writes other text as text already
            return value
        cell = WriteOnlyCell(ws, value=value)
        make_inert(cell)  # a text cell, never a formula, kept as text by Excel
        return cell

    # Only the cells that need a style or a forced type become cell objects (write-only
    # mode is fastest with plain values).
    writers = [
        amount if c in ("amount_eur", "contracted_eur") else day if c == "approval_date" else None for c in columns
    ]
    for row in values.itertuples(index=False):
        cells = []
        for writer, value in zip(writers, row, strict=True):
            if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
                cells.append(None)
            elif writer is not None:
                cells.append(writer(value))
            elif isinstance(value, str):
                cells.append(text(value))
            else:
                cells.append(value)
        ws.append(cells)
    last = get_column_letter(max(len(columns), 1))
    ws.auto_filter.ref = f"A1:{last}{len(frame) + 1}"
    _about_sheet(wb, frame, about)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _about_sheet(wb: Workbook, frame: pd.DataFrame, about: About) -> None:
    labels = _ABOUT_LABELS[about.lang]
    ws = wb.create_sheet("À propos" if about.lang == "fr" else "About")
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 110
    title = WriteOnlyCell(ws, value=labels[0])
    title.font = Font(bold=True, size=14)
    ws.append([title])

    def line(key: str, value, money: bool = False) -> None:
        k = WriteOnlyCell(ws, value=key)
        k.font = Font(bold=True)
        v = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            v.data_type = "s"
            make_inert(v)
        elif money:
            v.number_format = '#,##0 "€"'
        ws.append([k, v])

    amounts = frame["amount_eur"] if "amount_eur" in frame else pd.Series(dtype="Int64")
    scopes = frame["scope"] if "scope" in frame else pd.Series(dtype="string")
    line(labels[1], about.dataset)
    line(labels[2], about.version)
    line(labels[3], about.exported_at.strftime("%Y-%m-%d %H:%M:%S"))
    filters = about.filters or (labels[5],)
    for i, text in enumerate(filters):
        line(labels[4] if i == 0 else "", text)
    line(labels[6], len(frame))
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
