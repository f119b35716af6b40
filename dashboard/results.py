"""Results indicators and document links for the pages (Streamlit adapter).

The rules are :mod:`etl.results`' and :mod:`etl.documents`'; the files are read once per process
(:func:`dashboard.cache.shipped_results`, :func:`dashboard.cache.shipped_documents`); this module
lays out the project page's two sections.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.cache import shipped_documents, shipped_results
from domain.dataset import Dataset
from domain.fmt import quantity
from domain.i18n import _
from etl import documents, results


def summary(dataset: Dataset, sha256: str) -> pd.DataFrame:
    """:func:`etl.results.summarise` of the shipped results over a dataset's decisions.

    For :meth:`dashboard.widgets.PageContext.view` (cached per version and filters); ``sha256`` names
    the results file so that a newer file is not served from the cache.
    """
    attached = results.attach(shipped_results().frame, dataset.records)
    return results.summarise(attached, dataset.allocations)


def of_decision(dataset: Dataset, reference: str, sha256: str) -> pd.DataFrame:
    """The result rows of one decision and its contracts (:func:`etl.results.of_decision`)."""
    return results.of_decision(results.attach(shipped_results().frame, dataset.records), reference)


def reported_rows(dataset: Dataset, references: list[str]) -> pd.DataFrame:
    """The reported values of some decisions and their contracts, for an export (:func:`etl.results.rows_of`)."""
    return results.rows_of(results.attach(shipped_results().frame, dataset.records), references)


def show_for_decision(dataset: Dataset, reference: str, lang: str) -> None:
    """The project page's *Documents* and *Results reported* sections for one decision."""
    links = documents.of_decision(shipped_documents().frame, reference)
    st.subheader(_("Documents", lang))
    if links.empty:
        st.caption(_("The published files give no document link for this decision.", lang))
    else:
        st.caption(
            _(
                "Links as published in {files}: your browser opens them on the publisher's site; the dashboard "
                "itself fetches nothing.",
                lang,
                files=", ".join(sorted(set(links["file"]))),
            )
        )
        st.dataframe(
            pd.DataFrame(
                {_("Document", lang): links["label"], _("Link", lang): links["url"], _("File", lang): links["file"]}
            ),
            hide_index=True,
            column_config={_("Link", lang): st.column_config.LinkColumn(width="medium")},
        )
    source = shipped_results()
    rows = of_decision(dataset, reference, source.sha256)
    rows = rows[rows["target_unit"].notna() | rows["actual_unit"].notna()]
    st.subheader(_("Results reported", lang))
    if rows.empty:
        st.caption(_("No result with a value is reported for this decision or its contracts.", lang))
        return
    st.caption(
        _(
            "As reported by the implementing partners to the EUTF monitoring platform ({file}), for this decision and "
            "its contracts; a percentage is shown with %. Sums by indicator are on the Results page.",
            lang,
            file=source.file_name,
        )
    )
    st.dataframe(
        pd.DataFrame(
            {
                _("Record", lang): rows["reference"],
                _("Indicator", lang): rows["indicator"],
                _("Target", lang): [
                    quantity(v, lang) + ("%" if u == "percent" else "")
                    for v, u in zip(rows["target"], rows["target_unit"], strict=True)
                ],
                _("Actual", lang): [
                    quantity(v, lang) + ("%" if u == "percent" else "")
                    for v, u in zip(rows["actual"], rows["actual_unit"], strict=True)
                ],
                _("Result type", lang): rows["result_type"],
            }
        ),
        hide_index=True,
    )
