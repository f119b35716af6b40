"""Cached views of the published data, and long tables shown a page at a time.

A page's reruns that change nothing (a click elsewhere, a language switch back and forth)
must not filter, aggregate or build figures again. :func:`view` computes a function of the
filtered data once per (database, dataset, version, filters, arguments) and hands back the
same object afterwards, never a copy: versions are immutable, and callers never mutate what
they get. Long tables (100 000 projects) are shown :data:`PAGE_ROWS` rows at a time, so that
only the rows on screen are formatted and sent to the browser; downloads stay whole.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st

from analysis.filtering import apply
from dashboard.data import Published
from domain.dataset import Dataset
from domain.filters import Filters
from domain.i18n import _
from store.db import database_url

T = TypeVar("T")

#: Rows of a long table shown at once.
PAGE_ROWS = 500
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
    url: str, dataset: str, number: int, filters: Filters, name: str, args: tuple, _fn: Callable, _data: Dataset
) -> object:
    parameter = next(iter(inspect.signature(_fn).parameters))
    if parameter == "dataset":
        return _fn(_data, *args)
    if parameter == "allocations":
        return _fn(_data.allocations, *args)
    raise TypeError(f"{name}: the first parameter must be 'dataset' or 'allocations', not '{parameter}'")


def view(pub: Published, filters: Filters, fn: Callable[..., T], *args) -> T:
    """``fn`` of the filtered data, computed once per (database, dataset, version, filters, args).

    Args:
        pub: the published dataset.
        filters: the filters applied.
        fn: a pure function whose first parameter is named ``dataset`` (it gets the
            filtered :class:`domain.dataset.Dataset`) or ``allocations`` (its allocation
            table); it must depend on nothing but its arguments.
        *args: further arguments (hashable by Streamlit: text, numbers, small frames).

    Returns:
        What ``fn`` returns; the same object on every call with the same key. Never mutate it.

    Raises:
        TypeError: when ``fn``'s first parameter has another name.
    """
    name = f"{fn.__module__}.{fn.__qualname__}@{fn.__code__.co_filename}:{fn.__code__.co_firstlineno}"
    data = filtered(pub, filters)
    return _view(database_url(), pub.name, pub.info.number, filters, name, args, fn, data)  # type: ignore[return-value]


def page_of(frame: pd.DataFrame, key: str, lang: str = "en") -> pd.DataFrame:
    """The rows of ``frame`` on the page the user chose (all of them up to :data:`PAGE_ROWS`).

    Above :data:`PAGE_ROWS` rows, draws a page chooser (widget ``key``) and a caption
    saying which rows are shown.
    """
    if len(frame) <= PAGE_ROWS:
        return frame
    pages = -(-len(frame) // PAGE_ROWS)
    if st.session_state.get(key, 1) > pages:  # fewer rows since the last run (a filter)
        st.session_state[key] = pages
    number = st.number_input(
        _("Page (of {pages})", lang, pages=format(pages, ",").replace(",", "," if lang == "en" else "\u202f")),
        min_value=1,
        max_value=pages,
        value=1,
        step=1,
        key=key,
    )
    start = (int(number) - 1) * PAGE_ROWS
    stop = min(start + PAGE_ROWS, len(frame))
    shown = f"{start + 1:,} – {stop:,} / {len(frame):,}"
    st.caption(_("Rows {shown}", lang, shown=shown if lang == "en" else shown.replace(",", chr(0x202F))))
    return frame.iloc[start:stop]
