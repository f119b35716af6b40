"""Render a validation report: every finding at once, grouped by rule, with downloads."""

from __future__ import annotations

import csv
import io

import pandas as pd
import streamlit as st

from dashboard.sidebar import language
from dashboard.widgets import md_escape
from domain.findings import Report
from domain.i18n import N_, _, ngettext
from domain.inert import neutralize
from downloads.workbooks import annotated_copy

_LEVELS = (N_("error"), N_("warning"), N_("info"))  # the levels, translated in the report's headings
_ORDER = {"error": 0, "warning": 1, "info": 2}
_ICON = {"error": ":material/error:", "warning": ":material/warning:", "info": ":material/info:"}
#: Each rule's name, for the report's headings (the rule id stays beside it, for reference).
RULE_TITLES: dict[str, str] = {
    "upload-too-large": N_("File too large"),
    "empty-file": N_("Empty file"),
    "not-an-xlsx": N_("Not an Excel workbook"),
    "password-protected": N_("Protected by a password"),
    "strict-ooxml": N_("Strict Open XML workbook"),
    "unsafe-xml-dtd": N_("Unsafe XML inside the file"),
    "archive-too-large": N_("Archive that unpacks too large"),
    "file-corrupt": N_("Damaged file"),
    "csv-encoding": N_("Text file not in UTF-8"),
    "too-many-rows": N_("Too many rows"),
    "sheet-not-found": N_("No allocation sheet"),
    "hidden-sheet": N_("Hidden sheet"),
    "header-not-found": N_("No header row"),
    "required-column-missing": N_("Required column missing"),
    "column-duplicate": N_("Column given twice"),
    "no-rows": N_("No data row"),
    "column-unknown": N_("Unknown column"),
    "formula-not-computed": N_("Formula without a computed value"),
    "merged-cells-filled": N_("Merged cells filled in"),
    "merged-cells-key-column": N_("Merged cells in a key column"),
    "hidden-rows-included": N_("Hidden rows included"),
    "autofilter-active": N_("Filter left on in the sheet"),
    "placeholder-as-missing": N_("Placeholder read as missing"),
    "number-text-converted": N_("Number typed as text"),
    "date-serial-number": N_("Date typed as a number"),
    "date-not-a-date": N_("Not a date"),
    "amount-not-a-number": N_("Amount that is not a number"),
    "amount-not-whole-euros": N_("Amount with cents"),
    "amount-ambiguous": N_("Ambiguous amount"),
    "amount-missing": N_("Amount missing"),
    "amount-too-large": N_("Amount too large"),
    "amount-zero": N_("Amount of zero"),
    "amount-implausible": N_("Implausible amount"),
    "amount-negative": N_("Negative amount"),
    "reference-missing": N_("Reference missing"),
    "reference-pattern": N_("Reference not in the EUTF form"),
    "reference-duplicate": N_("Reference repeated"),
    "title-missing": N_("Title missing"),
    "window-invalid": N_("Unknown EUTF window"),
    "scope-invalid": N_("Unknown scope"),
    "countries-missing": N_("Countries missing"),
    "country-invalid": N_("Unknown country code"),
    "national-needs-one-country": N_("National project without exactly one country"),
    "regional-with-one-country": N_("Regional initiative with one country"),
    "objectives-missing": N_("Strategic objectives missing"),
    "objective-invalid": N_("Unknown strategic objective"),
    "domain-invalid": N_("Unknown Valletta domain"),
    "basis-invalid": N_("Unknown amount basis"),
    "round-invalid": N_("Unknown dialogue round"),
    "date-missing": N_("Approval date missing"),
    "date-in-future": N_("Date in the future"),
    "date-before-eutf-launch": N_("Date before the EUTF was set up"),
    "window-reference-mismatch": N_("Window and reference disagree"),
    "reconciliation-gap": N_("Control total not met"),
    "record-type-invalid": N_("Unknown record type"),
    "record-type-inferred": N_("Record type derived"),
    "contracts-exceed-decision": N_("Contracts above their decision's budget"),
    "contract-parent-inferred": N_("Contract's decision derived"),
    "contract-parent-missing": N_("Contract's decision missing"),
    "amount-scientific-notation": N_("Amount in scientific notation"),
    "amount-rounded-to-euro": N_("Amount rounded to the euro"),
    "reference-normalised": N_("Reference tidied"),
    "objective-code-ignored": N_("Objective code ignored"),
    "dates-not-in-export": N_("No dates in the export"),
    "row-excluded": N_("Rows left out"),
    "check-failed": N_("The check itself failed"),
    "country-reference-mismatch": N_("Country and reference disagree"),
    "document-link-invalid": N_("Document link not a web address"),
    "result-row-repeated": N_("Result row repeated"),
    "result-value-unreadable": N_("Result value unreadable"),
    "results-header-not-found": N_("Not a results export"),
    "round-before-approval": N_("Dialogue round before the approval"),
    "round-later-than-date": N_("Dialogue round later than the date gives"),
    "round-unknown": N_("No such High-Level Dialogue"),
    "sheet-ambiguous": N_("Two sheets hold the template"),
    "text-too-long": N_("Text longer than a cell holds"),
    "round-none": N_("No dialogue round, as the file states"),
    "value-not-given": N_("Value stated as not given"),
    "iati-currency-not-eur": N_("Amount not in euros"),
    "iati-no-eur-budget": N_("No budget in euros"),
    "iati-parent-missing": N_("Parent activity missing"),
    "iati-percentages-not-100": N_("Percentages not adding up to 100"),
    "iati-root": N_("Not an IATI activity file"),
    "iati-schema": N_("Not valid against the IATI schema"),
    "iati-transaction-outside-dates": N_("Transaction outside the activity's dates"),
    "iati-version": N_("IATI version not 2.01–2.03"),
    "iati-xml-malformed": N_("XML cut short or damaged"),
}


def report_csv(report: Report, lang: str = "en") -> bytes:
    """The report as CSV bytes (UTF-8 with BOM, so Excel shows accents), messages and advice in ``lang``.

    The columns of :meth:`domain.findings.Report.to_frame`. Values echo the file's cells
    as typed; any text that a spreadsheet would evaluate is prefixed with ``'``
    (:func:`domain.inert.neutralize`), so the report can be opened safely.
    """
    frame = report.to_frame(lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # a CR or LF inside a value is quoted
    writer.writerow(frame.columns)
    for record in frame.astype(object).itertuples(index=False):
        writer.writerow(["" if pd.isna(v) else neutralize(v) if isinstance(v, str) else v for v in record])
    return buffer.getvalue().encode("utf-8-sig")


def show_report(report: Report, data: bytes, filename: str, key: str) -> None:
    """Summary line, one expander per rule (errors first; errors and warnings open) listing each cell, and downloads."""
    n_errors, n_warnings = len(report.errors), len(report.warnings)
    n_info = len(report.at("info"))
    lang = language()
    summary = (
        f"{md_escape(filename)}: "
        + ", ".join(
            (
                ngettext("{n} error", "{n} errors", n_errors, lang),
                ngettext("{n} warning", "{n} warnings", n_warnings, lang),
                ngettext("{n} note", "{n} notes", n_info, lang),
            )
        )
        + "."
    )
    if n_errors:
        st.error(
            summary + " " + _("Nothing can be published until every error is fixed.", lang), icon=":material/block:"
        )
    elif n_warnings:
        st.warning(summary + " " + _("Publishing needs you to confirm the warnings.", lang), icon=":material/warning:")
    else:
        st.success(summary + " " + _("The file is ready to publish.", lang), icon=":material/check_circle:")
    frame = report.to_frame(lang)
    groups = frame.groupby(["level", "rule"], sort=False)
    for (level, rule), rows in sorted(groups, key=lambda g: (_ORDER[g[0][0]], g[0][1])):
        name = _(RULE_TITLES[rule], lang) if rule in RULE_TITLES else rule
        label = f"{_(level, lang).upper()} · {name} ({rule}) · {len(rows)}"
        # errors and warnings open: publishing asks the analyst to confirm having read the warnings
        with st.expander(label, expanded=level in ("error", "warning"), icon=_ICON[level]):
            st.text(rows["advice"].iloc[0])
            where = ["line"] if rows["line"].notna().any() else ["sheet", "cell", "header"]  # an IATI file's XML line
            shown = rows[[*where, "value", "message"]].astype(object)
            st.dataframe(
                shown.where(shown.notna(), "").rename(
                    columns={
                        "line": _("Line", lang),
                        "sheet": _("Sheet", lang),
                        "cell": _("Cell", lang),
                        "header": _("Column", lang),
                        "value": _("Value as typed", lang),
                        "message": _("Problem", lang),
                    }
                ),
                hide_index=True,
            )
    if len(report):
        cols = st.columns(2)
        cols[0].download_button(
            _("Download the report (CSV)", lang),
            data=report_csv(report, lang),
            file_name=f"{filename.rsplit('.', 1)[0]}_report.csv",
            mime="text/csv",
            key=f"{key}_csv",
            icon=":material/download:",
        )
        if data[:2] == b"PK" and any(f.cell for f in report):
            cols[1].download_button(
                _("Download an annotated copy (.xlsx)", lang),
                data=lambda: annotated_copy(data, list(report), frame, lang) or b"",
                file_name=f"{filename.rsplit('.', 1)[0]}_annotated.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key=f"{key}_annotated",
                icon=":material/download:",
                help=_(
                    "Your workbook with the cells in question highlighted (errors red, warnings amber) and commented.",
                    lang,
                ),
            )
