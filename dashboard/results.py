"""The results indicators for the pages: read once per process, summed per filtered dataset (Streamlit adapter).

The rules are :mod:`etl.results`'; this module only caches them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from etl import results
from etl.pipeline import Dataset


@st.cache_resource(show_spinner=False)
def shipped() -> results.Results:
    """The results export shipped in ``data/public/published`` (:func:`etl.results.read_results`), read once."""
    return results.read_results()


def summary(dataset: Dataset, sha256: str) -> pd.DataFrame:
    """:func:`etl.results.summarise` of the shipped results over a dataset's decisions.

    For :meth:`dashboard.ui.PageContext.view` (cached per version and filters); ``sha256`` names
    the results file so that a newer file is not served from the cache.
    """
    attached = results.attach(shipped().frame, dataset.records)
    return results.summarise(attached, dataset.allocations)


def of_decision(dataset: Dataset, reference: str, sha256: str) -> pd.DataFrame:
    """The result rows of one decision and its contracts (:func:`etl.results.of_decision`)."""
    return results.of_decision(results.attach(shipped().frame, dataset.records), reference)
