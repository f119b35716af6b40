"""The Results page: what the decisions shown report against their targets, indicator by indicator."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from charts.figures import coverage_bar
from domain.findings import Finding
from domain.fmt import eur, pct, quantity
from domain.i18n import _
from downloads.tables import STANDARD, to_csv
from etl import catalog
from etl.results import RESULTS_AS_OF, export_rows

#: The date of the results export (shown in the page's source lines).
AS_OF = RESULTS_AS_OF
#: Indicators drawn in the coverage chart (the most reported).
TOP = 15


@dataclass(frozen=True)
class Indicators:
    """The indicators of one result type (or all), as shown.

    Attributes:
        top: the :data:`TOP` most reported numeric indicators (:func:`etl.results.summarise` rows) with
            ``share`` (of the amount shown, text); empty when none.
        figure: their coverage chart, or None; summary: its text; columns: its table's columns.
        table: every indicator of the type (text and int columns, labelled in ``lang``).
        csv: the table to download (:func:`etl.results.export_rows` as CSV bytes, cells inert).
        file_name: the download's file name.
    """

    top: pd.DataFrame
    figure: go.Figure | None
    summary: str
    columns: dict
    table: pd.DataFrame
    csv: bytes
    file_name: str


def kinds(summary: pd.DataFrame, lang: str) -> list[str]:
    """The result types to choose from: "All indicators" first, then the EUTF ones, then the others."""
    return [
        _("All indicators", lang),
        *sorted(summary["result_type"].unique(), key=lambda k: (not k.startswith("EUTF"), k)),
    ]


def counts(findings: tuple[Finding, ...] | list[Finding]) -> dict[str, int]:
    """The values not counted: ``unreadable`` (not a number or a percentage) and ``repeated`` (rows counted once)."""
    return {
        "unreadable": sum(1 for f in findings if f.rule == "result-value-unreadable"),
        "repeated": sum(1 for f in findings if f.rule == "result-row-repeated"),
    }


def findings_table(findings, lang: str) -> pd.DataFrame:
    """The values not counted: Row, Cell, Rule, Message (labelled in ``lang``)."""
    return pd.DataFrame(
        {
            _("Row", lang): [f.row for f in findings],
            _("Cell", lang): [f.cell or "–" for f in findings],
            _("Rule", lang): [f.rule for f in findings],
            _("Message", lang): [f.message_in(lang) for f in findings],
        }
    )


def indicators(
    summary: pd.DataFrame, kind: str, total: int, lang: str, footer: str, name: str, number: int
) -> Indicators:
    """The page's chart, table and download for the result type chosen.

    Args:
        summary: :func:`etl.results.summarise` over the decisions shown (target, actual exact ``Decimal``).
        kind: the type chosen (one of :func:`kinds`; the first is all of them).
        total: the amount of the decisions shown (EUR).
        lang: ``en`` or ``fr``.
        footer: the chart's source lines.
        name: the dataset's name (for the download's file name).
        number: the version's number (idem).
    """
    shown = summary if kind == kinds(summary, lang)[0] else summary[summary["result_type"] == kind]
    top = shown[shown["unit"] == "number"].head(TOP)
    figure, text = None, ""
    if not top.empty:
        figure = coverage_bar(
            top,
            list(top["indicator"]),
            total,
            lang,
            footer,
            _("Share of the decisions' amount reporting each indicator (15 most reported)", lang),
        )
        text = _(
            "The most reported indicator, '{indicator}', is reported by {n} decisions holding {share} of the amount "
            "shown.",
            lang,
            indicator=top.iloc[0]["indicator"],
            n=int(top.iloc[0]["n_decisions"]),
            share=pct(int(top.iloc[0]["coverage_eur"]), total, lang),
        )
    units = {"number": _("number", lang), "percent": _("percentage (not summed)", lang)}
    return Indicators(
        top=top.assign(share=[pct(int(v), total, lang) for v in top["coverage_eur"]]),
        figure=figure,
        summary=text,
        columns={
            "indicator": (_("Indicator", lang), "text"),
            "n_decisions": (_("Decisions", lang), "int"),
            "coverage_eur": (_("Coverage (EUR)", lang), "eur"),
            "share": (_("Share of the amount shown", lang), "text"),
        },
        table=pd.DataFrame(
            {
                _("Indicator", lang): shown["indicator"],
                _("Result type", lang): shown["result_type"],
                _("Unit", lang): shown["unit"].map(units),
                _("Target (sum)", lang): [quantity(v, lang) for v in shown["target"]],
                _("Actual (sum)", lang): [quantity(v, lang) for v in shown["actual"]],
                _("Targets counted", lang): shown["n_target"],
                _("Actuals counted", lang): shown["n_actual"],
                _("Decisions and contracts reporting", lang): shown["n_records"],
                _("Decisions", lang): shown["n_decisions"],
                _("Coverage (EUR)", lang): [eur(v, lang) for v in shown["coverage_eur"]],
                _("Share of the amount shown", lang): [pct(int(v), total, lang) for v in shown["coverage_eur"]],
            }
        ),
        csv=to_csv(export_rows(shown).rename(columns=csv_headers(lang)), STANDARD),
        file_name=f"eutf-results-{catalog.dataset_slug(name)}-v{number}.csv",
    )


def csv_headers(lang: str) -> dict[str, str]:
    """The download's headers in ``lang``, the page table's words (:func:`etl.results.export_rows` column -> header).

    The sums are written as exact text with ``.`` as the decimal mark, whatever the language.
    """
    return {
        "result_type": _("Result type", lang),
        "indicator": _("Indicator", lang),
        "unit": _("Unit", lang),
        "target_sum": _("Target (sum)", lang),
        "actual_sum": _("Actual (sum)", lang),
        "n_target": _("Targets counted", lang),
        "n_actual": _("Actuals counted", lang),
        "n_records": _("Decisions and contracts reporting", lang),
        "n_decisions": _("Decisions", lang),
        "coverage_eur": _("Coverage (EUR)", lang),
    }


def total(decisions: pd.DataFrame) -> int:
    """The amount of the decisions shown (EUR)."""
    return int(decisions["amount_eur"].sum())
