"""Findings: every problem found in an allocation file, as data.

A :class:`Finding` names the file, sheet, cell, column and rule, in plain words, with
what to do. The readers, the schema checks and the reconciliation all return findings;
the upload page renders them, the CLI prints them, and the report can be downloaded.
Nothing here renders or raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

import pandas as pd
from babel.numbers import format_decimal

from domain.fmt import plain_eur, short_date
from domain.i18n import N_, Count, Money, Text, _

Level = Literal["error", "warning", "info"]

#: Rule ids with their level and what the user should do. The ids are those of
#: ``tests/cases/expected.json`` where a case names one.
RULES: dict[str, tuple[Level, str]] = {
    # the file as a whole
    "upload-too-large": ("error", N_("Split the workbook or remove unused sheets, then upload it again.")),
    "empty-file": ("error", N_("Choose the workbook that holds the allocations.")),
    "not-an-xlsx": ("error", N_("Open the file in Excel or LibreOffice and save it as .xlsx (Excel Workbook).")),
    "password-protected": (
        "error",
        N_("Remove the password (File > Info > Protect Workbook), save, and upload it again."),
    ),
    "strict-ooxml": ("error", N_("Save it again as 'Excel Workbook (.xlsx)', not 'Strict Open XML Spreadsheet'.")),
    "unsafe-xml-dtd": (
        "error",
        N_("The file was not made by a spreadsheet program; open and save it in Excel, or ask who sent it."),
    ),
    "archive-too-large": (
        "error",
        N_(
            "The file expands to far more than a workbook of allocations; save a copy holding only the allocation "
            "sheet."
        ),
    ),
    "file-corrupt": (
        "error",
        N_("Open the file in Excel or LibreOffice, save it again as .xlsx, and upload that copy."),
    ),
    "check-failed": (
        "error",
        N_("Send the file to the dashboard's maintainers: the server's log says what failed."),
    ),
    "csv-encoding": ("error", N_("Save the CSV as 'CSV UTF-8 (comma delimited)'.")),
    "too-many-rows": ("error", N_("Split the table: this dashboard reads at most the row limit stated.")),
    # sheet and header
    "sheet-not-found": (
        "error",
        N_("Name the sheet 'Allocations' (or 'Projets'/'Projects') or put the template's headers on it."),
    ),
    "hidden-sheet": ("warning", N_("Check that the hidden sheet holds nothing that should be published.")),
    "sheet-ambiguous": (
        "warning",
        N_("Check that the sheet read is the one to publish; delete or rename the other, or move it to another file."),
    ),
    "header-not-found": (
        "error",
        N_("Put the template's header row (Référence, Intitulé, ...) above the data, within the first 20 rows."),
    ),
    "required-column-missing": ("error", N_("Add the column with one of the headers shown, as in the template.")),
    "column-duplicate": ("error", N_("Keep one column for each field; delete or rename the other.")),
    "no-rows": ("error", N_("Add one row per project under the header row.")),
    "column-unknown": ("info", N_("This column is not part of the template and is ignored.")),
    # cells
    "formula-not-computed": (
        "error",
        N_("Open the file in Excel or LibreOffice, let it calculate, and save; or paste the amounts as values."),
    ),
    "merged-cells-filled": (
        "warning",
        N_("Unmerge the cells and type the value on every row; each row was given the merged value."),
    ),
    "merged-cells-key-column": ("error", N_("Unmerge these cells: each project needs its own reference and amount.")),
    "hidden-rows-included": (
        "warning",
        N_("These rows are hidden in Excel but are imported; delete them if they are not allocations."),
    ),
    "autofilter-active": ("warning", N_("A filter is active: rows you do not see in Excel are imported too.")),
    "placeholder-as-missing": ("warning", N_("Leave the cell empty when the value is unknown.")),
    "number-text-converted": ("info", N_("Read as an amount in euros.")),
    "value-not-given": (
        "info",
        N_("Counted as not given (country not given, objective not given, date unknown), as the file states."),
    ),
    "round-none": ("info", N_("No dialogue round is derived from the approval date for this project.")),
    "date-serial-number": ("warning", N_("Format the cell as a date (dd/mm/yyyy) so that it reads as one.")),
    "date-not-a-date": ("error", N_("Type the date as dd/mm/yyyy (e.g. 14/01/2016) or as an Excel date.")),
    "amount-not-a-number": (
        "error",
        N_("Type the amount in euros (e.g. 13 500 000 or 13,5 M€); the EU contribution is required."),
    ),
    "amount-not-whole-euros": ("error", N_("Amounts are whole euros: round to the euro as in the decision.")),
    "amount-ambiguous": ("error", N_("Write the amount without ambiguity, e.g. 1 500 or 1,5 M€.")),
    "amount-missing": ("error", N_("The EU contribution is required: type the amount in euros.")),
    "amount-too-large": ("error", N_("Check the amount: it may have extra digits, be in cents, or be another figure.")),
    "amount-zero": ("warning", N_("Check the amount: an allocation of 0 EUR is probably a blank or a slip.")),
    "amount-implausible": ("warning", N_("Check the amount: it may have extra digits or be in cents.")),
    "amount-negative": ("error", N_("An allocation is a positive amount; record a reduction as a new, lower amount.")),
    "reference-missing": ("error", N_("Every project needs its EUTF reference, e.g. T05-EUTF-SAH-ML-01.")),
    "reference-pattern": (
        "error",
        N_("Use the EUTF reference form T05-EUTF-<window>-<country>-<number>, e.g. T05-EUTF-SAH-ML-01."),
    ),
    "reference-duplicate": (
        "error",
        N_("References must be unique (spaces and case are ignored): merge or correct these rows."),
    ),
    "title-missing": ("error", N_("Type the project's title.")),
    "window-invalid": ("error", N_("Use SAH (Sahel & Lake Chad), HOA (Horn of Africa), NOA (North of Africa) or REG.")),
    "scope-invalid": ("error", N_("Use national or régional/regional.")),
    "countries-missing": ("error", N_("Give the country or countries, as ISO codes (ML) or names, separated by ';'.")),
    "country-invalid": ("error", N_("Use ISO 3166 codes (ML, BF, NE...) or country names, separated by ';'.")),
    "national-needs-one-country": (
        "error",
        N_("A national project has exactly one country; a multi-country project is regional (régional)."),
    ),
    "regional-with-one-country": (
        "warning",
        N_("A regional project usually covers several countries; check the list or the scope."),
    ),
    "objectives-missing": ("error", N_("Give the EUTF strategic objective(s), 1 to 4, separated by ';'.")),
    "objective-invalid": ("error", N_("EUTF strategic objectives are numbered 1 to 4.")),
    "domain-invalid": ("error", N_("Valletta Action Plan domains are numbered 1 to 5.")),
    "basis-invalid": ("error", N_("Use sourcé/sourced or inféré/inferred.")),
    "round-invalid": (
        "error",
        N_("Give the High-Level Dialogue number (1, 2, ...) or leave it empty to derive it from the date."),
    ),
    "text-too-long": ("error", N_("Shorten the text: keep the details in the source document and cite it.")),
    "round-unknown": ("error", N_("Give the number of a High-Level Dialogue that took place, or leave it empty.")),
    "round-before-approval": (
        "error",
        N_("Correct the approval date or the dialogue round; leave the round empty to derive it from the date."),
    ),
    "round-later-than-date": (
        "warning",
        N_("Check the round: leave it empty to count the project from the dialogue its approval date gives."),
    ),
    "date-missing": ("error", N_("Give the approval date, or leave it empty and give the dialogue round.")),
    "date-in-future": ("error", N_("An approval date cannot be in the future: check the year.")),
    "date-before-eutf-launch": ("error", N_("The EUTF was launched on 12 November 2015: check the year.")),
    "window-reference-mismatch": ("warning", N_("The window differs from the one in the reference; check both.")),
    "country-reference-mismatch": (
        "warning",
        N_("The reference names a country the row does not list; check the reference and the countries."),
    ),
    "reconciliation-gap": ("warning", N_("Check the amounts against the communiqué before publishing.")),
    # decisions and contracts
    "record-type-invalid": ("error", N_("Use décision/decision or contrat/contract (empty means decision).")),
    "record-type-inferred": ("warning", N_("Fill in the record type (decision or contract) in the source export.")),
    "contracts-exceed-decision": (
        "warning",
        N_(
            "Check the decision's budget (a top-up missing from it?) and its contracts (one counted twice?); the "
            "totals count the budget."
        ),
    ),
    "contract-parent-inferred": ("warning", N_("Correct the contract's parent decision in the source export.")),
    "contract-parent-missing": (
        "warning",
        N_(
            "The contract is kept but not counted in any total (totals count decision budgets); "
            "add its decision or correct the parent reference."
        ),
    ),
    # public EUTF exports (etl.layouts)
    "amount-scientific-notation": ("warning", N_("Export the amounts as plain numbers; this one was read exactly.")),
    "amount-rounded-to-euro": ("warning", N_("The dashboard counts whole euros; check the amount in the decision.")),
    "reference-normalised": ("warning", N_("Correct the reference in the source (dashes and spaces).")),
    "objective-code-ignored": ("warning", N_("Use the codes TFP.1 to TFP.4 for the EUTF strategic objectives.")),
    "dates-not-in-export": ("info", N_("Use the project list (adoption dates) for a view by date or dialogue round.")),
    "row-excluded": (
        "warning",
        N_("The row is not imported and its amount is not counted; correct it in the source to include it."),
    ),
    # results indicators (etl/results.py)
    "results-header-not-found": (
        "error",
        N_("Use the results export's header: iati_id, result_type, title, period_start, period_end, target, actual."),
    ),
    "result-value-unreadable": (
        "warning",
        N_("Write the value as a plain number (1250 or 12.5) or a percentage (80%); it is not counted until then."),
    ),
    "result-row-repeated": ("warning", N_("Remove the repeated row from the export; it is counted once.")),
    "document-link-invalid": ("warning", N_("Give the document's full web address, starting with https://.")),
    # IATI activity files (etl.iati, etl.iati_map)
    "iati-xml-malformed": (
        "error",
        N_("Export the file again from the tool that made it: it may have been cut short or edited by hand."),
    ),
    "iati-root": (
        "error",
        N_('Export the activities as an IATI 2.03 activity file (<iati-activities version="2.03">).'),
    ),
    "iati-version": ("warning", N_("Check that the file is IATI 2.01 to 2.03; older files may be read incompletely.")),
    "iati-schema": (
        "error",
        N_(
            "Correct the element as the IATI 2.03 activity standard defines it, or export the file again from its tool."
        ),
    ),
    "iati-percentages-not-100": (
        "warning",
        N_("Correct the percentages in the source so that they add up to 100; they are not used in any total."),
    ),
    "iati-transaction-outside-dates": ("warning", N_("Check the transaction's date and the activity's dates.")),
    "iati-parent-missing": (
        "warning",
        N_(
            "The activity is kept as a contract under a missing decision and counted in no total; add its parent "
            "activity to the file or correct the related-activity reference."
        ),
    ),
    "iati-currency-not-eur": (
        "warning",
        N_("Amounts in other currencies are never added to euros; give the budget in EUR to count it."),
    ),
    "iati-no-eur-budget": (
        "error",
        N_("Give the activity a budget in EUR (value currency or the activity's default-currency EUR)."),
    ),
}


@dataclass(frozen=True)
class Finding:
    """One problem in an input file.

    Attributes:
        rule: rule id, a key of :data:`RULES`.
        message: what is wrong, in plain words (without the advice).
        level: ``error`` (blocks publishing), ``warning`` (needs confirming) or ``info``.
        file: the uploaded file's name.
        sheet: worksheet name (None for CSV or whole-file findings).
        cell: Excel A1 reference (``H7``) or range (``C2:C10``), or None.
        column: internal column name (``amount_eur``), or None.
        header: the column header as typed in the file, or None.
        value: the raw cell value as typed (dates as ISO text), or None.
        row: Excel row number, or None.
        extra: rule-specific facts (e.g. ``gap_eur`` for a reconciliation gap).
        template: the message's English text before its ``{placeholders}`` were filled, when it
            is in the message catalogue (:mod:`domain.i18n`), so that it can be shown in French; a tuple
            of such texts when the message is made of several sentences (joined by a space).
        params: the placeholders' values. Numbers other than ``value`` (the cell as typed) are
            formatted for the language shown (``1,048,576`` / ``1 048 576``).
        line: the XML line, for findings in an IATI activity file (:mod:`etl.iati`), or None.
    """

    rule: str
    message: str
    level: Level | None = None
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    column: str | None = None
    header: str | None = None
    value: Any = None
    row: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    template: str | tuple[str, ...] | None = field(default=None, compare=False)
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    line: int | None = None

    @classmethod
    def of(
        cls, rule: str, template: str | tuple[str, ...], /, params: dict[str, Any] | None = None, **fields
    ) -> Finding:
        """A finding whose message is ``template`` (English, marked ``N_`` for the catalogue) filled with ``params``.

        ``fields`` are the other attributes (``sheet``, ``cell``, ``level``...). The message is
        kept in English and shown in another language by :meth:`message_in`.
        """
        params = params or {}
        return cls(rule, fill(template, params, "en"), template=template, params=params, **fields)

    def extended(self, template: str, /, **params: Any) -> Finding:
        """This finding with one more sentence (``template``, in the catalogue) after its message.

        A finding without a template stays in English (its text may hold braces from the cells).
        """
        merged = {**self.params, **params}
        message = f"{self.message} {fill(template, merged, 'en')}"
        if self.template is None:
            return replace(self, message=message)
        parts = self.template if isinstance(self.template, tuple) else (self.template,)
        return replace(self, message=message, template=(*parts, template), params=merged)

    def message_in(self, lang: str) -> str:
        """The message in ``lang`` (``en``/``fr``); the English message when it has no template or was changed since."""
        if self.template is None or fill(self.template, self.params, "en") != self.message:
            return self.message
        return fill(self.template, self.params, lang)

    def advice_in(self, lang: str) -> str:
        """What the user should do about it, in ``lang``."""
        return _(self.advice, lang) if self.advice else ""

    @property
    def severity(self) -> Level:
        """The finding's level: its own, else the rule's default."""
        return self.level or RULES.get(self.rule, ("error", ""))[0]

    @property
    def advice(self) -> str:
        """What the user should do about it."""
        return RULES.get(self.rule, ("error", ""))[1]

    def where(self, lang: str = "en") -> str:
        """Location in words: ``file, sheet 'Allocations', cell H7`` (``feuille « Allocations », cellule H7``)."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(_("sheet '{sheet}'", lang, sheet=self.sheet))
        if self.cell:
            cell = N_("cell {cell}") if ":" not in self.cell else N_("cells {cell}")
            parts.append(_(cell, lang, cell=self.cell))
        elif self.line:
            parts.append(_("line {line}", lang, line=self.line))
        elif self.row:
            parts.append(_("row {row}", lang, row=self.row))
        return ", ".join(parts)

    def text(self) -> str:
        """One line for the CLI: ``ERROR [rule] where: message. Advice``."""
        where = self.where()
        head = f"{self.severity.upper()} [{self.rule}]"
        return f"{head} {where + ': ' if where else ''}{self.message} {self.advice}".strip()


@dataclass(frozen=True)
class Report:
    """All findings of one validation run, in the order found."""

    findings: tuple[Finding, ...] = ()

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Report:
        """Build a report, dropping exact repeats of the same rule on the same cell."""
        seen: set[tuple[str, str | None, int | None, str]] = set()
        kept = []
        for f in findings:
            key = (f.rule, f.cell, f.row or f.line, f.message)
            if key in seen:
                continue
            seen.add(key)
            kept.append(f)
        return cls(tuple(kept))

    def __add__(self, other: Report) -> Report:
        return Report.of((*self.findings, *other.findings))

    def __iter__(self):
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def at(self, level: Level) -> list[Finding]:
        """Findings of one level."""
        return [f for f in self.findings if f.severity == level]

    @property
    def errors(self) -> list[Finding]:
        """Findings that block publishing."""
        return self.at("error")

    @property
    def warnings(self) -> list[Finding]:
        """Findings that need an explicit confirmation before publishing."""
        return self.at("warning")

    @property
    def ok(self) -> bool:
        """True when nothing blocks publishing."""
        return not self.errors

    def text(self) -> str:
        """The whole report as plain text (English), errors first."""
        order = {"error": 0, "warning": 1, "info": 2}
        lines = [f.text() for f in sorted(self.findings, key=lambda f: order[f.severity])]
        counts = f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        return "\n".join([*lines, counts])

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """The report as a table, one row per finding, messages and advice in ``lang`` (``en``/``fr``).

        Columns (all ``str`` except ``row`` and ``line``, ``Int64``): level, rule, file, sheet,
        cell, column, header, value, message, advice, row, line (an IATI file's XML line).
        Levels and rule ids stay English codes.
        """
        records = [
            {
                "level": f.severity,
                "rule": f.rule,
                "file": f.file,
                "sheet": f.sheet,
                "cell": f.cell,
                "column": f.column,
                "header": f.header,
                "value": None if f.value is None else str(as_typed(f.value)),
                "message": f.message_in(lang),
                "advice": f.advice_in(lang),
                "row": f.row,
                "line": f.line,
            }
            for f in self.findings
        ]
        columns = [
            *("level", "rule", "file", "sheet", "cell", "column", "header", "value", "message", "advice", "row", "line")
        ]
        frame = pd.DataFrame.from_records(records, columns=columns)
        return frame.astype(
            {c: "string" for c in columns if c not in ("row", "line")} | {"row": "Int64", "line": "Int64"}
        )


def fill(template: str | tuple[str, ...], params: dict[str, Any], lang: str) -> str:
    """``template`` (one text or several sentences) translated into ``lang`` and filled with ``params``.

    Numbers among ``params`` (except ``value``, the cell as typed) are formatted for ``lang``
    with Babel (``1,048,576`` in English, ``1 048 576`` in French); :class:`domain.i18n.Money` values
    in euros (``55 000 000 EUR`` / ``55 000 000 €``); days as ``12 Jan 2016`` / ``12 janv. 2016``
    (never ``12/01/2016``); :class:`domain.i18n.Text` values are translated.
    """
    shown = {k: _shown(k, v, lang) for k, v in params.items()}
    parts = template if isinstance(template, tuple) else (template,)
    return " ".join(_(part, lang, **shown) for part in parts)


def as_typed(value: Any) -> Any:
    """A cell's value as a user typed it: a whole number read as a float (``42381.0``) is ``42381``.

    Spreadsheet readers hand every number over as a float; the user typed ``42381``. Other values
    are returned unchanged.
    """
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _shown(key: str, value: Any, lang: str) -> Any:
    if key == "value":
        return as_typed(value)
    if isinstance(value, Text):
        return _(value, lang)
    if isinstance(value, Count):
        return value.in_lang(lang)
    if isinstance(value, Money):
        return plain_eur(value, lang)
    if isinstance(value, date):  # 12 Jan 2016 / 12 janv. 2016, never 12/01/2016
        return short_date(value, lang)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_decimal(value, locale=lang)
    return value


def with_file(findings: Sequence[Finding], file: str) -> list[Finding]:
    """Return the findings with ``file`` set where it is missing."""
    return [f if f.file else replace(f, file=file) for f in findings]
