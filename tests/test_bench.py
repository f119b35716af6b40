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


def test_cold_start_bench_times_a_fresh_server_to_its_first_finished_run():
    """bench/cold.py starts ``streamlit run`` afresh and stops the clock at the first viewer's
    ``script_finished``: the bare page's start finishes with its chart, and costs the new process
    at least the import of Streamlit (CPU seconds, from /proc)."""
    from bench.cold import one_start, row

    start = one_start("bare")
    assert not start.failed
    assert 0.1 < start.cpu < 60
    assert start.cpu < start.wall * 2 + 1
    assert 0 < start.wall < 120
    assert start.peak_mb > 50

    bare = {"wall": 1.0, "cpu": 0.8, "peak_mb": 150, "runs": 5, "failed": 0}
    within = {"wall": 2.0, "cpu": 1.6, "peak_mb": 250, "runs": 5, "failed": 0}
    over = {**within, "cpu": 1.7}
    assert row({"app": within, "bare": bare}).endswith("| 2.00× CPU (2.00× wall) | ≤ 2× | met |")
    assert row({"app": over, "bare": bare}).endswith("| 2.12× CPU (2.00× wall) | ≤ 2× | **missed** |")
    assert "**missed**" in row({"app": {**within, "failed": 1}, "bare": bare})
