"""Cached views and paged tables (dashboard/cache.py): computed once per filters, shown a page at a time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.cache import published, view
from dashboard.widgets import PAGE_ROWS
from domain.filters import Filters

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def test_a_view_is_computed_once_per_version_and_filters():
    pub = published()
    calls = []

    def count(allocations, tag):
        calls.append(tag)
        return len(allocations), int(allocations["amount_eur"].sum())

    assert view(pub, Filters(), count, "a", of="allocations") == (9, 145_100_000)
    assert view(pub, Filters(), count, "a", of="allocations") == (9, 145_100_000)
    assert calls == ["a"]
    regional = Filters(scopes=("regional",))
    assert view(pub, regional, count, "a", of="allocations")[1] == 53_600_000
    assert view(pub, regional, count, "b", of="allocations")[1] == 53_600_000
    assert view(pub, regional, count, "b", of="allocations") is view(
        pub, regional, count, "b", of="allocations"
    )  # the same object, never a copy
    assert calls == ["a", "a", "b"]


def test_a_view_gets_the_filtered_dataset_unless_asked_for_its_decisions():
    def size(data):
        return type(data).__name__, len(data.allocations) if hasattr(data, "allocations") else len(data)

    regional = Filters(scopes=("regional",))
    assert view(published(), regional, size) == ("Dataset", 3)
    assert view(published(), regional, size, of="allocations") == ("DataFrame", 3)


def _paged():
    import pandas as pd
    import streamlit as st

    from dashboard.widgets import page_of

    st.dataframe(page_of(pd.DataFrame({"n": range(1234)}), "rows_page"))


def test_a_long_table_is_shown_a_page_at_a_time():
    at = AppTest.from_function(_paged).run()
    assert not at.exception
    pager = at.number_input(key="rows_page")
    assert pager.label == "Page (of 3)"
    assert at.dataframe[0].value["n"].tolist() == list(range(PAGE_ROWS))
    assert at.caption[0].value == "Rows 1 – 500 / 1,234"
    pager.set_value(3).run()
    assert at.dataframe[0].value["n"].tolist() == list(range(1000, 1234))
    assert at.caption[0].value == "Rows 1,001 – 1,234 / 1,234"


@pytest.fixture
def large_store(tmp_path, monkeypatch):
    """A store whose latest version holds 1 200 generated projects (bench/generate.py)."""
    from bench.generate import workbook
    from bench.tasks import BIG
    from etl.read import Limits
    from store.db import make_engine
    from store.versions import Store
    from validation.pipeline import load_path

    result = load_path(workbook(1200, tmp_path / "w.xlsx"), limits=Limits(**BIG))
    assert result.dataset is not None
    url = f"sqlite:///{tmp_path}/large.sqlite"
    Store(make_engine(url)).publish(
        result.dataset.allocations, base=None, by="t", file_name="w.xlsx", file_sha256="0" * 64
    )
    monkeypatch.setitem(os.environ, "EUTF_DATABASE_URL", url)
    return result.dataset.allocations


def test_explorer_pages_a_large_table_but_counts_every_row(large_store):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/explorer.py").run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(d.value for d in at.dataframe if "view" in d.value.columns)
    assert len(table) == PAGE_ROWS
    assert at.number_input(key="explorer_page").label == "Page (of 3)"
    assert {m.label: m.value for m in at.metric}["Projects shown"] == "1200"
    largest = large_store.sort_values("amount_eur", ascending=False, kind="stable")
    assert table["amount_eur"].tolist() == largest["amount_eur"].head(PAGE_ROWS).tolist()
    assert any(c.value.startswith("1200 rows") for c in at.caption)
    at.number_input(key="explorer_page").set_value(3).run()
    table = next(d.value for d in at.dataframe if "view" in d.value.columns)
    assert table["amount_eur"].tolist() == largest["amount_eur"].iloc[1000:].tolist()


def test_filter_options_are_collected_once_per_version(monkeypatch):
    """The sidebar's options (every country, partner, round...) come from the whole version, once."""
    from dataclasses import replace

    from dashboard import cache as filters

    calls = []

    def counted(choice):
        return replace(choice, options=lambda data: calls.append(choice.key) or choice.options(data))

    monkeypatch.setattr(filters, "CHOICES", tuple(counted(c) for c in filters.CHOICES))
    filters._options.clear()
    pub = published()
    first = filters.options_of(pub)
    assert first["country"][:3] == ["BF", "BJ", "CI"]
    assert first["round"] == [1, 2]
    assert first["scope"] == ["national", "regional"]
    assert sorted(calls) == sorted(c.key for c in filters.CHOICES)
    assert filters.options_of(pub) is first  # the same object: nothing collected again on a rerun
    assert len(calls) == len(filters.CHOICES)
    filters._options.clear()
