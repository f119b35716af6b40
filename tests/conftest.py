"""Shared fixtures: paths to the handed cases and shared data, the shipped dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CASES_DIR = SHARED / "cases"
SHARED_DATA = SHARED / "data"

needs_shared = pytest.mark.skipif(
    not CASES_DIR.is_dir(), reason="../shared is not beside the checkout (the handed cases and shared data live there)"
)


@pytest.fixture(scope="session")
def shipped():
    """The shipped workbook loaded through the full pipeline."""
    from etl.catalog import ALLOCATIONS_XLSX
    from etl.pipeline import load_path

    return load_path(ALLOCATIONS_XLSX)


@pytest.fixture(autouse=True, scope="session")
def _test_database(tmp_path_factory):
    """Every test session gets its own SQLite store (never the developer's var/eutf.sqlite)."""
    import os

    path = tmp_path_factory.mktemp("store") / "eutf.sqlite"
    os.environ["EUTF_DATABASE_URL"] = f"sqlite:///{path}"
    yield
    os.environ.pop("EUTF_DATABASE_URL", None)
