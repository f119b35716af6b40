"""Cached loading of the published dataset: the one place where Streamlit caches data.

The expensive load (read + validate + derive) is cached by the file's content hash;
filtering happens outside the cache, on each rerun. Cached objects are never mutated.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from etl import catalog
from etl.pipeline import Dataset, LoadResult, load_bytes
from validation.reconcile import Line


@dataclass(frozen=True)
class Published:
    """The dataset the pages show, with what they need to say where it comes from.

    Attributes:
        dataset: the clean dataset.
        name: the dataset's name (e.g. "Mali — joint communiqué of 11 Dec 2016").
        version: a short version label shown on every chart.
        filename, sha256: the workbook it was loaded from.
        reconciliation: control totals against the whole dataset (unfiltered).
    """

    dataset: Dataset
    name: str
    version: str
    filename: str
    sha256: str
    reconciliation: tuple[Line, ...]


@st.cache_data(max_entries=8, show_spinner=False)
def _load(digest: str, data: bytes, filename: str) -> LoadResult:  # digest keys the cache cheaply
    return load_bytes(data, filename, calendar=calendar(), control=control_totals())


@st.cache_data(max_entries=1)
def calendar() -> pd.DataFrame:
    """The dialogue calendar (see :func:`etl.catalog.load_calendar`)."""
    return catalog.load_calendar()


@st.cache_data(max_entries=1)
def control_totals() -> pd.DataFrame:
    """The control totals (see :func:`etl.catalog.load_control_totals`)."""
    return catalog.load_control_totals()


def published(path: Path = catalog.ALLOCATIONS_XLSX) -> Published | LoadResult:
    """The published dataset, or the :class:`LoadResult` explaining why it cannot be shown."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    result = _load(digest, data, path.name)
    if result.dataset is None:
        return result
    return Published(
        dataset=result.dataset,
        name=catalog.DEFAULT_DATASET,
        version=f"{path.name} · sha256 {digest[:8]}",
        filename=path.name,
        sha256=digest,
        reconciliation=tuple(result.reconciliation),
    )
