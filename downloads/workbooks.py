"""Workbooks the dashboard writes for analysts, with openpyxl.

The empty template, and an annotated copy of an upload with its problems highlighted and commented.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from domain import refdata
from domain.findings import Finding
from domain.inert import make_inert
from domain.template import COLUMNS

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
ERROR_FILL = PatternFill("solid", fgColor="F4B6B6")
WARNING_FILL = PatternFill("solid", fgColor="FFE3A3")

TEMPLATE_README = [
    ("Modèle de classeur d'allocations EUTF / EUTF allocation workbook template", None),
    ("", None),
    (
        "Une ligne par projet",
        "Une ligne par décision EUTF (projet), feuille « Allocations ». One row per EUTF decision (project) on sheet 'Allocations'.",
    ),
    (
        "En-têtes",
        "Français ou anglais, dans n'importe quel ordre ; une ligne de titre au-dessus est permise. French or English headers, any order; a title row above is fine.",
    ),
    (
        "Référence",
        "Référence EUTF unique, p. ex. T05-EUTF-SAH-ML-01 (espaces et casse ignorés pour l'unicité). Unique EUTF reference.",
    ),
    ("Fenêtre", "SAH (Sahel et lac Tchad), HOA (Corne de l'Afrique), NOA (Afrique du Nord), REG (multi-fenêtres)."),
    ("Portée", "national (un seul pays) ou régional (plusieurs pays). national (one country) or regional (several)."),
    ("Pays", "Codes ISO 3166 (ML, BF…) ou noms, séparés par « ; ». ISO codes or names, ';'-separated."),
    (
        "Objectif(s) stratégique(s)",
        "1 emploi, 2 résilience, 3 gestion des migrations, 4 gouvernance ; séparés par « ; ».",
    ),
    (
        "Domaine(s) PAV",
        "Domaines du Plan d'action de La Valette, 1 à 5 ; facultatif. Valletta Action Plan domains 1-5; optional.",
    ),
    (
        "Montant UE (EUR)",
        "Montant exact en euros entiers : 13500000, « 13 500 000 », « 13 500 000,00 € » ou « 13,5 M€ ». Whole euros.",
    ),
    (
        "Base du montant",
        "sourcé (par défaut) ou inféré : dites quand un montant est déduit d'autres chiffres. sourced or inferred.",
    ),
    (
        "Date d'approbation",
        "jj/mm/aaaa, au plus tôt le 12/11/2015. Si aucune source ne la donne, laissez vide et indiquez le Dialogue : n'inventez jamais une date.",
    ),
    ("Dialogue", "Numéro du dialogue de haut niveau où l'allocation a été rapportée ; déduit de la date si vide."),
    ("Source", "Citation ou URL des chiffres de la ligne. Citation or URL for the row's figures."),
]


def _header_row(ws, headers: Sequence[str]) -> None:
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B2"


def _validations(ws, letters: dict[str, str], last_row: int = 2000) -> None:
    lists = {
        "window": ",".join(refdata.WINDOWS),
        "scope": "national,régional",
        "amount_basis": "sourcé,inféré",
    }
    for name, values in lists.items():
        if name in letters:
            validation = DataValidation(type="list", formula1=f'"{values}"', allow_blank=True)
            validation.error = f"Valeurs permises / allowed: {values}"
            validation.add(f"{letters[name]}2:{letters[name]}{last_row}")
            ws.add_data_validation(validation)
    if "amount_eur" in letters:
        amount = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        amount.error = "Montant en euros entiers, ≥ 0 / whole euros, >= 0"
        amount.add(f"{letters['amount_eur']}2:{letters['amount_eur']}{last_row}")
        ws.add_data_validation(amount)


def template_workbook(readme: Sequence[tuple[str, str | None]] = TEMPLATE_README) -> Workbook:
    """An empty allocation workbook following TEMPLATE.md.

    Sheet ``Allocations`` with the French headers and drop-down lists for coded columns,
    and a ``Lisez-moi`` sheet (``readme`` rows: key, text).
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "Allocations"
    _header_row(ws, [c.fr for c in COLUMNS])
    letters = {c.name: ws.cell(1, i).column_letter for i, c in enumerate(COLUMNS, start=1)}
    _validations(ws, letters)
    for i, column in enumerate(COLUMNS, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = 40 if column.name in {"title", "source"} else 16
    sheet = wb.create_sheet("Lisez-moi")
    for key, text in readme:
        sheet.append([key, text])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 120
    for row in sheet.iter_rows(min_row=3):
        row[0].font = Font(bold=True)
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    return wb


def template_bytes() -> bytes:
    """:func:`template_workbook` as .xlsx bytes."""
    buffer = io.BytesIO()
    template_workbook().save(buffer)
    return buffer.getvalue()


#: A drop-down's source that computes nothing: a quoted list ("SAH,HOA") or a plain range (Listes!$A$1:$A$4).
_PLAIN_SOURCE = re.compile(
    r'^(?:"[^"]*"|=?(?:(?:\'[^\']+\'|[A-Za-z_][\w.]*)!)?\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)$'
)


def _plain_list(validation: DataValidation) -> bool:
    """True for a drop-down list whose source is a literal list or a plain cell range (no function, no name)."""
    return (
        validation.type == "list" and bool(_PLAIN_SOURCE.match(validation.formula1 or "")) and not validation.formula2
    )


def _disarm(wb: Workbook) -> None:
    """Leave nothing in ``wb`` that a spreadsheet would evaluate (see :func:`annotated_copy`)."""
    for name in list(wb.defined_names):
        del wb.defined_names[name]
    for ws in wb.worksheets:
        for name in list(ws.defined_names):
            del ws.defined_names[name]
        ws.conditional_formatting = ConditionalFormattingList()
        ws.data_validations.dataValidation = [v for v in ws.data_validations.dataValidation if _plain_list(v)]
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or cell.data_type == "s":
                    make_inert(cell)


def annotated_copy(data: bytes, findings: Sequence[Finding], report: pd.DataFrame, lang: str = "en") -> bytes | None:
    """A copy of an uploaded .xlsx with its problems marked, in which nothing can run.

    Each finding's cells are highlighted (errors red, warnings amber) and commented with the
    rule and what to do, in ``lang`` (``en``/``fr``); a ``Rapport`` sheet lists the whole
    report (``report``, :meth:`domain.findings.Report.to_frame`).

    Nothing in the copy is evaluated when it is opened (:mod:`domain.inert`): formula cells
    become text cells showing the formula, text that starts like a formula (in the sheets
    and in the report) is a quote-prefixed text cell, and the parts of a workbook that hold
    formulas of their own (defined names, conditional formats, data validations other than
    drop-down lists of literal values or plain ranges) and macros and external links are left
    out.

    Returns None when the file cannot be opened as a workbook (e.g. a CSV upload).
    """
    try:
        wb = load_workbook(io.BytesIO(data), keep_vba=False, keep_links=False)
    except Exception:
        return None
    _disarm(wb)
    for finding in findings:
        if not finding.cell or not finding.sheet or finding.sheet not in wb.sheetnames or finding.severity == "info":
            continue
        ws = wb[finding.sheet]
        fill = ERROR_FILL if finding.severity == "error" else WARNING_FILL
        target = ws[finding.cell]
        cells = [c for row in target for c in row] if isinstance(target, tuple) else [target]
        for cell in cells:
            cell.fill = fill
        anchor = cells[0]
        if type(anchor).__name__ == "MergedCell":
            continue
        text = f"{finding.severity.upper()} [{finding.rule}] {finding.message_in(lang)}\n→ {finding.advice_in(lang)}"
        if anchor.comment:
            text = anchor.comment.text + "\n\n" + text
        anchor.comment = Comment(text[:30000], "EUTF dashboard", width=420, height=160)
    sheet = wb.create_sheet("Rapport")
    columns = ["level", "rule", "sheet", "cell", "header", "value", "message", "advice"]
    _header_row(sheet, columns)
    for record in report[columns].astype(object).where(report[columns].notna(), None).itertuples(index=False):
        sheet.append(list(record))
        for cell in sheet[sheet.max_row]:
            make_inert(cell)
    for letter, width in zip("ABCDEFGH", (9, 26, 14, 10, 22, 22, 70, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
