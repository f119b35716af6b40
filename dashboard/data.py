"""Cached access to the published data: the one place where Streamlit caches data.

* one store (engine + pool) per process (``st.cache_resource``), seeded with the shipped
  workbook on first start;
* the latest version number, cached for :data:`LATEST_TTL_SECONDS` so that a version
  published by another process shows within that time (a publish here clears it at once);
* each version's dataset, cached by (database, dataset, version number): versions are
  immutable, so these entries never go stale;
* nothing is cached from a failed read: when the database is away, the next rerun tries
  again, and the pool replaces dead connections (``pool_pre_ping``), so the pages come back
  by themselves when it returns (see :func:`database_reachable`).

Filtering happens outside the caches, on each rerun; cached objects are never mutated.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from etl import catalog
from etl.pipeline import Dataset
from store.db import database_url, make_engine
from store.versions import Store, StoreError, VersionInfo
from validation.reconcile import Line, reconcile

#: How long a session may show the previous version after another process publishes.
LATEST_TTL_SECONDS = 10


@dataclass(frozen=True)
class Published:
    """The dataset the pages show, with what they need to say where it comes from.

    Attributes:
        dataset: the clean dataset.
        name: the dataset's name (e.g. "Mali — joint communiqué of 11 Dec 2016").
        info: the version's record (number, who, when, file, sha256, totals).
        is_latest: False when the user chose an older version.
        reconciliation: control totals against the whole version (unfiltered).
    """

    dataset: Dataset
    name: str
    info: VersionInfo
    is_latest: bool
    reconciliation: tuple[Line, ...]

    @property
    def version(self) -> str:
        """Short version label for captions and chart footers: ``v3 · 30/11/2026 · sha256 44c824a6``."""
        when = self.info.published_at.strftime("%d/%m/%Y")
        return f"v{self.info.number} · {when} · {self.info.file_name} · sha256 {self.info.file_sha256[:8]}"


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    s = Store(make_engine(url), catalog.DEFAULT_DATASET)
    s.seed_if_empty()
    return s


def store() -> Store:
    """The store of the configured database, seeded with version 1 on first start.

    One pooled engine per process and database URL.
    """
    return _store(database_url())


def database_reachable() -> bool:
    """Whether the store answers now (never cached): opens it if needed, then ``SELECT 1``."""
    try:
        with store().engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (SQLAlchemyError, StoreError, OSError):
        return False
    return True


@st.cache_data(ttl=LATEST_TTL_SECONDS, show_spinner=False)
def _latest(url: str) -> int:
    return _store(url).latest_number() or 0


def latest_number() -> int:
    """The latest published version's number."""
    return _latest(database_url())


@st.cache_data(ttl=LATEST_TTL_SECONDS, show_spinner=False)
def _versions(url: str) -> list[VersionInfo]:
    return _store(url).versions()


def version_list() -> list[VersionInfo]:
    """Every version, newest first."""
    return _versions(database_url())


@st.cache_data(max_entries=1)
def calendar() -> pd.DataFrame:
    """The dialogue calendar (see :func:`etl.catalog.load_calendar`)."""
    return catalog.load_calendar()


@st.cache_data(max_entries=1)
def control_totals() -> pd.DataFrame:
    """The control totals (see :func:`etl.catalog.load_control_totals`)."""
    return catalog.load_control_totals()


@st.cache_data(max_entries=16, show_spinner=False)
def _version(url: str, dataset: str, number: int) -> tuple[Dataset, VersionInfo, tuple[Line, ...]]:
    s = _store(url)
    table = s.table(number)
    return Dataset.from_allocations(table), s.info(number), tuple(reconcile(table, control_totals()))


def published(number: int | None = None) -> Published:
    """The published dataset: version ``number``, or the latest.

    Raises:
        store.versions.StoreError: when that version does not exist.
    """
    latest = latest_number()
    chosen = latest if number is None else number
    dataset, info, lines = _version(database_url(), catalog.DEFAULT_DATASET, chosen)
    return Published(dataset, catalog.DEFAULT_DATASET, info, chosen == latest, lines)


def refresh_after_publish() -> None:
    """Forget the cached latest version so that every page shows a new publish at once."""
    _latest.clear()
    _versions.clear()
