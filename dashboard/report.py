"""Render a validation report: every finding at once, grouped by rule, with downloads."""

from __future__ import annotations

import csv
import io

import pandas as pd
import streamlit as st

from dashboard.filters import language
from dashboard.ui import md_escape
from etl.inert import neutralize
from etl.workbooks import annotated_copy
from i18n import N_, _, ngettext
from validation.findings import Report

_LEVELS = (N_("error"), N_("warning"), N_("info"))  # the levels, translated in the report's headings
_ORDER = {"error": 0, "warning": 1, "info": 2}
_ICON = {"error": ":material/error:", "warning": ":material/warning:", "info": ":material/info:"}


def report_csv(report: Report, lang: str = "en") -> bytes:
    """The report as CSV bytes (UTF-8 with BOM, so Excel shows accents), messages and advice in ``lang``.

    The columns of :meth:`validation.findings.Report.to_frame`. Values echo the file's cells
    as typed; any text that a spreadsheet would evaluate is prefixed with ``'``
    (:func:`etl.inert.neutralize`), so the report can be opened safely.
    """
    frame = report.to_frame(lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # a CR or LF inside a value is quoted
    writer.writerow(frame.columns)
    for record in frame.astype(object).itertuples(index=False):
        writer.writerow(["" if pd.isna(v) else neutralize(v) if isinstance(v, str) else v for v in record])
    return buffer.getvalue().encode("utf-8-sig")


def show_report(report: Report, data: bytes, filename: str, key: str) -> None:
    """Summary line, one expander per rule (errors first) listing each cell, and downloads."""
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
        label = f"{_(level, lang).upper()} · {rule} · {len(rows)}"
        with st.expander(label, expanded=level == "error", icon=_ICON[level]):
            st.text(rows["advice"].iloc[0])
            where = ["line"] if rows["line"].notna().any() else ["sheet", "cell", "header"]  # an IATI file's XML line
            st.dataframe(
                rows[[*where, "value", "message"]].rename(
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
