"""Cached access to the published data: the one place where Streamlit caches data.

* one store (engine + pool) per process (``st.cache_resource``), seeded with the shipped
  workbook on first start;
* the latest version number, cached for :data:`LATEST_TTL_SECONDS` so that a version
  published by another process shows within that time (a publish here clears it at once);
* each version's dataset, cached by (database, dataset, version number): versions are
  immutable, so these entries never go stale, and every session shares the same objects;
* nothing is cached from a failed read: when the database is away, the next rerun tries
  again, and the pool replaces dead connections (``pool_pre_ping``), so the pages come back
  by themselves when it returns (see :func:`database_reachable`).

Filtered views (:func:`view`) are cached per (database, dataset, version, filters, arguments);
cached objects are never mutated. Every ``st.cache_*`` of the app is in this module.

Streamlit runs a full garbage collection (``gc.collect(2)``) after every script run
(``runner.postScriptGC``): it walks every object the process holds, the imported libraries and
the cached versions included (~0.1 CPU-s, most of a session's cost). :func:`settle_heap` moves
what lives for the whole process out of the collector's sight (``gc.freeze``) once the first run
has imported and cached it, and again when a version is loaded: each run's collection then
walks only what was made since.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from streamlit import runtime

from analysis.compare import compare_amounts
from analysis.filtering import apply
from dashboard.choices import CHOICES
from domain.dataset import DEFAULT_DATASET, Dataset
from domain.filters import Filters
from etl import catalog, documents, results
from seed.public import seed_if_empty, seed_public_exports
from store.db import database_url, make_engine
from store.versions import Store, StoreError, VersionInfo, dataset_names
from validation.pipeline import dataset_of
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
        """Short version label for captions and chart footers: ``v3 · 30 Nov 2026 · file · sha256 44c824a6``.

        The date in the interface language (:func:`domain.fmt.short_date`), never ``30/11/2026``.
        """
        from dashboard.sidebar import language
        from domain.fmt import short_date

        when = short_date(self.info.published_at, language())
        return f"v{self.info.number} · {when} · {self.info.file_name} · sha256 {self.info.file_sha256[:8]}"


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    s = Store(make_engine(url), DEFAULT_DATASET)
    seed_if_empty(s)
    seed_public_exports(s.engine)
    return s


def store(dataset: str | None = None) -> Store:
    """The store of a dataset (default: the one chosen in the sidebar) in the configured database.

    One pooled engine per process and database URL; on first start the Mali dataset is
    seeded with the shipped workbook and the public EUTF exports, where they lie beside
    the project (:func:`etl.catalog.public_data_dir`), with theirs.
    """
    base = _store(database_url())
    name = dataset or current_dataset()
    return base if name == base.dataset else Store(base.engine, name)


def database_reachable() -> bool:
    """Whether the store answers now (never cached): opens it if needed, then ``SELECT 1``."""
    try:
        with _store(database_url()).engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (SQLAlchemyError, StoreError, OSError):
        return False
    return True


@st.cache_data(ttl=LATEST_TTL_SECONDS, show_spinner=False)
def _datasets(url: str) -> list[str]:
    return dataset_names(_store(url).engine)


def datasets() -> list[str]:
    """Names of the published datasets, the Mali communiqué's first."""
    return _datasets(database_url())


def export_dataset(source_format) -> str | None:
    """The dataset a public EUTF export is published under (:data:`etl.catalog.PUBLIC_EXPORTS`), or None."""
    return catalog.dataset_for_format(source_format)


def current_dataset() -> str:
    """The dataset chosen in the sidebar (``?dataset=`` slug), else the Mali communiqué's."""
    slug = st.session_state.get("dataset")
    names = {catalog.dataset_slug(n): n for n in datasets()}
    return names.get(slug, DEFAULT_DATASET)


@st.cache_data(ttl=LATEST_TTL_SECONDS, show_spinner=False)
def _latest(url: str, dataset: str) -> int:
    return store(dataset).latest_number() or 0


def latest_number() -> int:
    """The latest published version's number of the current dataset (0 when it has none)."""
    return _latest(database_url(), current_dataset())


@st.cache_data(ttl=LATEST_TTL_SECONDS, show_spinner=False)
def _versions(url: str, dataset: str) -> list[VersionInfo]:
    return store(dataset).versions()


def version_list() -> list[VersionInfo]:
    """Every version of the current dataset, newest first."""
    return _versions(database_url(), current_dataset())


@st.cache_data(max_entries=1)
def calendar() -> pd.DataFrame:
    """The dialogue calendar (see :func:`etl.catalog.load_calendar`)."""
    return catalog.load_calendar()


@st.cache_data(max_entries=1)
def control_totals() -> pd.DataFrame:
    """The control totals (see :func:`etl.catalog.load_control_totals`)."""
    return catalog.load_control_totals()


# cache_resource, not cache_data: the same objects on every rerun, where cache_data would
# unpickle a copy of the whole version each time (0.5-1.5 s at 100 000 projects); nothing mutates them.
@st.cache_resource(max_entries=8, show_spinner=False)
def _version(url: str, dataset: str, number: int) -> tuple[Dataset, VersionInfo, tuple[Line, ...]]:
    s = store(dataset)
    # the version's sectors (an IATI file's; empty for every workbook) go with it, so that filters see them;
    # every rule of AllocationInput ran on these rows when they were published (Store.publish validates the
    # whole Allocation schema): not again; the columns, dtypes and value sets are still checked
    clean = dataset_of(s.table(number), sectors=s.sectors(number), input_checked=True)
    # the communiqué's control totals are those of the Mali dataset only
    control = control_totals() if dataset == DEFAULT_DATASET else control_totals().iloc[0:0]
    loaded = clean, s.info(number), tuple(reconcile(clean.allocations, control))
    if _in_server():  # a server's version lives as long as its cache entry: not walked by each run's GC
        settle_heap()
    return loaded


def _in_server() -> bool:
    """Whether this runs in a Streamlit server, not in an AppTest.

    An AppTest runs the app inside the test process (with a mock runtime), whose heap is not
    frozen behind its back.
    """
    return runtime.exists() and type(runtime.get_instance()) is runtime.Runtime


_SETTLING = threading.Lock()
_settled_once = False


def settle_heap() -> None:
    """Collect garbage, then freeze every object alive now out of the garbage collector's sight.

    Streamlit's collection after each script run (``runner.postScriptGC``) then walks only the
    objects made since: not the imported libraries nor the cached versions, which live as long
    as the process. What was frozen before is unfrozen and collected first, so an evicted cache
    entry's reference cycles are still freed at the next settle (reference counting frees the
    rest at once, frozen or not).
    """
    with _SETTLING:
        gc.unfreeze()
        gc.collect()
        gc.freeze()


def settle_heap_once() -> None:
    """:func:`settle_heap` at the end of a server process's first complete run (the app calls it last).

    By then the pages' libraries are imported and the shown version and its views cached.
    """
    global _settled_once
    if not _settled_once and _in_server():
        settle_heap()
        _settled_once = True


def published(number: int | None = None, dataset: str | None = None) -> Published:
    """A published dataset (default: the one chosen in the sidebar): version ``number``, or the latest.

    Raises:
        store.versions.StoreError: when that version does not exist.
    """
    name = dataset or current_dataset()
    latest = _latest(database_url(), name)
    chosen = latest if number is None else number
    clean, info, lines = _version(database_url(), name, chosen)
    return Published(clean, name, info, chosen == latest, lines)


@st.cache_resource(max_entries=4, show_spinner=False)
def import_report(file_name: str, sha256: str):
    """The import report of a public export, read again where it lies, if it is still the file published.

    Args:
        file_name: the export's file name (:data:`etl.catalog.PUBLIC_EXPORTS`).
        sha256: the SHA-256 of the file the version was published from.

    Returns:
        The :class:`domain.findings.Report`, or None when the file is absent or differs.
    """
    import hashlib

    from validation.pipeline import load_bytes

    folder = catalog.public_data_dir()
    path = folder / file_name if folder else None
    if path is None or not path.is_file():
        return None
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        return None
    return load_bytes(data, file_name).report


def latest_of_every_dataset() -> dict[str, Dataset]:
    """The latest version of each published dataset, by name (for side-by-side comparisons only)."""
    return {name: published(None, name).dataset for name in datasets()}


@st.cache_resource(max_entries=16, show_spinner=False)
def _comparison(
    url: str, name: str, number: int, latest: tuple, _decisions: pd.DataFrame, _others: dict
) -> pd.DataFrame:
    return compare_amounts(name, _decisions, _others)


def comparison_with_other_datasets(pub: Published) -> pd.DataFrame:
    """The version's decisions beside the same decisions in the latest version of every other dataset.

    :func:`analysis.compare.compare_amounts` of the whole version, computed once per (database,
    dataset, version, every dataset's latest version): a page's rerun does not match 100 000
    references again.
    """
    latest = {name: published(None, name) for name in datasets()}
    key = tuple(sorted((name, other.info.number) for name, other in latest.items()))
    others = {name: other.dataset for name, other in latest.items()}
    return _comparison(database_url(), pub.name, pub.info.number, key, pub.dataset.allocations, others)


def refresh_after_publish() -> None:
    """Forget the cached latest version so that every page shows a new publish at once."""
    _latest.clear()
    _versions.clear()
    _datasets.clear()


@st.cache_resource(max_entries=8, show_spinner=False)
def _transactions(url: str, dataset: str, number: int) -> pd.DataFrame:
    return store(dataset).transactions(number)


def sectors(pub: Published) -> pd.DataFrame:
    """The IATI sectors stored with a published version (:meth:`store.versions.Store.sectors`), as written.

    Loaded with the version (:attr:`domain.dataset.Dataset.sectors`), so cached per (database, dataset,
    version) like it; empty for a version published without sectors. Never mutate the frame returned.
    """
    return pub.dataset.sectors


def transactions(pub: Published) -> pd.DataFrame:
    """The IATI transactions in euros stored with a published version (:meth:`store.versions.Store.transactions`).

    Cached per (database, dataset, version): versions are immutable. Empty for a version
    published without transactions. Never mutate the frame returned.
    """
    return _transactions(database_url(), pub.name, pub.info.number)


# Cached views of the filtered data: a page's reruns that change nothing (a click elsewhere, a language
# switch back and forth) do not filter, aggregate or build figures again. Versions are immutable and
# callers never mutate what they get, so the same object is handed back, never a copy.

T = TypeVar("T")
#: What a cached view's function takes first: the filtered dataset or its decisions table.
Of = Literal["dataset", "allocations"]

#: Cached views kept per process (each holds at most a filtered copy of one version).
MAX_VIEWS = 128


@st.cache_resource(max_entries=MAX_VIEWS // 4, show_spinner=False)
def _filtered(url: str, dataset: str, number: int, filters: Filters, _pub: Published) -> Dataset:
    return apply(_pub.dataset, filters)


def filtered(pub: Published, filters: Filters) -> Dataset:
    """The published dataset under ``filters`` (:func:`analysis.filtering.apply`), computed once per filters."""
    if not filters.active:
        return pub.dataset
    return _filtered(database_url(), pub.name, pub.info.number, filters, pub)


@st.cache_resource(max_entries=MAX_VIEWS, show_spinner=False)
def _view(
    url: str,
    dataset: str,
    number: int,
    filters: Filters,
    name: str,
    args: tuple,
    of: str,
    _fn: Callable,
    _data: Dataset,
) -> object:
    return _fn(_data.allocations if of == "allocations" else _data, *args)


def view(pub: Published, filters: Filters, fn: Callable[..., T], *args, of: Of = "dataset") -> T:
    """``fn`` of the filtered data, computed once per (database, dataset, version, filters, args).

    Args:
        pub: the published dataset.
        filters: the filters applied.
        fn: a pure function of the filtered data and ``args``; it must depend on nothing else.
        *args: further arguments (hashable by Streamlit: text, numbers, small frames).
        of: what ``fn`` takes first: ``dataset`` (the filtered :class:`domain.dataset.Dataset`)
            or ``allocations`` (its decisions table, :class:`validation.schemas.Allocation`).

    Returns:
        What ``fn`` returns; the same object on every call with the same key. Never mutate it.
    """
    name = f"{fn.__module__}.{fn.__qualname__}@{fn.__code__.co_filename}:{fn.__code__.co_firstlineno}"
    data = filtered(pub, filters)
    return _view(database_url(), pub.name, pub.info.number, filters, name, args, of, fn, data)  # type: ignore[return-value]


@st.cache_resource(max_entries=32, show_spinner=False)
def _options(url: str, dataset: str, number: int, _data: Dataset) -> dict[str, list]:
    return {choice.key: choice.options(_data) for choice in CHOICES}


def options_of(pub: Published) -> dict[str, list]:
    """Each filter's options (URL key -> codes), from the whole (unfiltered) version.

    From the whole version so that a shared URL stays valid; computed once per (database,
    dataset, version), so that every implementing partner of a 1 000 000-row version is not
    collected again on each rerun. Never mutate them.
    """
    return _options(database_url(), pub.name, pub.info.number, pub.dataset)


@st.cache_resource(show_spinner=False)
def shipped_results() -> results.Results:
    """The results export shipped in ``data/public/published`` (:func:`etl.results.read_results`), read once."""
    return results.read_results()


@st.cache_resource(show_spinner=False)
def shipped_documents() -> documents.Documents:
    """The document links of the published files (:func:`etl.documents.read_documents`), read once."""
    return documents.read_documents()
