"""The benchmark's workbook writer: both readers get back exactly the rows generated."""

from __future__ import annotations

from datetime import datetime

import pytest

from bench.generate import rows, workbook
from domain.template import COLUMNS
from etl.read import read_upload


def _day(value):
    """A date as a date, whether a reader gives it as a date or as a datetime at midnight."""
    if isinstance(value, datetime):
        assert value.time() == datetime.min.time()
        return value.date()
    return value


@pytest.mark.parametrize("reader", ["fastexcel", "calamine", "openpyxl"])
def test_generated_workbook_reads_back_exactly(tmp_path, reader):
    path = workbook(300, tmp_path / "w.xlsx", seed=7)
    read = read_upload(path.read_bytes(), "w.xlsx", reader=reader)
    assert read.findings == []
    assert read.grid.sheet == "Allocations"
    expected = [[c.fr for c in COLUMNS], *rows(300, seed=7)]
    got = [[_day(v) for v in values] for _, values in read.grid.rows]
    trimmed = []
    for row in expected:
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        trimmed.append(row)
    assert got == trimmed  # amounts may come back as floats of the same value (8529000.0 == 8529000)
    assert [r for r, _ in read.grid.rows] == list(range(1, 302))


def test_generated_rows_depend_on_the_seed_only():
    assert list(rows(50, seed=1)) == list(rows(50, seed=1))
    assert list(rows(50, seed=1)) != list(rows(50, seed=2))


def test_viewers_bench_counts_finished_runs_and_failed_ones(tmp_path):
    """The many-viewers client (bench/viewers.py) speaks Streamlit's WebSocket protocol: runs of
    the bare page finish with their chart; a page that raises is counted as an error."""
    import asyncio
    import os

    from bench.viewers import ROOT, _burst, _free_port, _serve

    failing = tmp_path / "failing.py"
    failing.write_text("raise ValueError('broken page')\n")
    for script, ok in ((ROOT / "bench" / "bare_page.py", 3), (failing, 0)):
        port = _free_port()
        server = _serve(script, port, dict(os.environ))
        try:
            seconds, errors = asyncio.run(_burst(port, "", 3))
        finally:
            server.terminate()
            server.wait(timeout=20)
        assert (len(seconds), errors) == (ok, 3 - ok)
        assert all(0 < s < 60 for s in seconds)
