"""Cold start as a restarted server meets its first viewer: ``streamlit run`` started afresh, one
session opened over Streamlit's own WebSocket as soon as the server answers its health check, and
the clock stopped at that session's ``script_finished`` message.

Both sides start the same way (a new Python process, Streamlit's server, one viewer), so the
ratio counts what the app adds: its imports (pandas, pandera, SQLAlchemy, our modules), reading
the published version back from the store, and its first page. Two figures per start:

* **wall**: seconds from ``Popen`` to ``script_finished`` (what the first viewer waits);
* **CPU**: the server process's user + system CPU seconds at that moment, all threads, from
  ``/proc/<pid>/stat`` (less sensitive to other work on the machine than the wall clock).

The app runs on a copy of a store already seeded with the shipped workbook and the public
exports (:func:`bench.tasks._seeded_store`), as a restarted server finds it; the bare page is
``bench/bare_page.py`` (one plotly chart). The in-process first run (AppTest, imports done before
the clock) stays in ``python -m bench.tasks cold_start``.

``python -m bench.cold [runs]`` prints the medians; :func:`measure` is what ``make bench`` calls.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass

from bench.viewers import ROOT, _cpu_seconds, _free_port, _memory_mb, _serve, _session, _stop


@dataclass(frozen=True)
class Start:
    """One cold start: ``wall`` and ``cpu`` seconds to the first viewer's ``script_finished``,
    the server's peak resident memory then (``peak_mb``, MB), and whether the run failed."""

    wall: float
    cpu: float
    peak_mb: float
    failed: bool


def one_start(page: str) -> Start:
    """Start a fresh server for ``page`` (``app`` on a seeded store, or ``bare``) and time its first viewer.

    Raises:
        RuntimeError: when the server does not answer its health check within 120 s.
    """
    from bench.tasks import _seeded_store

    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        script = ROOT / "bench" / "bare_page.py" if page == "bare" else ROOT / "app.py"
        if page != "bare":
            env["EUTF_DATABASE_URL"] = _seeded_store(folder)
        port = _free_port()
        start = time.perf_counter()
        server = _serve(script, port, env, poll=0.02)
        try:
            _, failed = asyncio.run(_session(port, ""))
            wall = time.perf_counter() - start
            cpu = _cpu_seconds(server.pid)
            peak = _memory_mb(server.pid, "VmHWM")
        finally:
            _stop(server)
    return Start(wall, cpu, peak, failed)


def measure(runs: int = 5) -> dict[str, dict[str, float]]:
    """Median wall and CPU seconds, and the largest peak memory, of ``runs`` cold starts of the
    app and of the bare page, taken alternately (app, bare, app, …) so that a change of load
    touches both sides.

    Returns:
        ``{"app": {...}, "bare": {...}}``, each with ``wall``, ``cpu`` (s, medians), ``peak_mb``
        (MB, max), ``runs`` and ``failed`` (runs that raised or drew no chart).

    Raises:
        RuntimeError: when a server does not start.
    """
    starts: dict[str, list[Start]] = {"app": [], "bare": []}
    for _ in range(runs):
        for page in starts:
            starts[page].append(one_start(page))
    return {
        page: {
            "wall": statistics.median(s.wall for s in done),
            "cpu": statistics.median(s.cpu for s in done),
            "peak_mb": max(s.peak_mb for s in done),
            "runs": len(done),
            "failed": sum(s.failed for s in done),
        }
        for page, done in starts.items()
    }


def row(result: dict[str, dict[str, float]], target: float = 2.0) -> str:
    """The results-table row: the app's cold start against the bare page's (target: CPU ≤ ``target``×)."""
    app, bare = result["app"], result["bare"]
    ratio = app["cpu"] / bare["cpu"]
    met = ratio <= target and not app["failed"]
    return (
        f"| cold start of the server, first viewer (store seeded) | CPU {app['cpu']:.2f} s, wall {app['wall']:.2f} s "
        f"({app['runs']} runs{', ' + str(app['failed']) + ' failed' if app['failed'] else ''}) "
        f"| {app['peak_mb']:.0f} MB | bare page: CPU {bare['cpu']:.2f} s, wall {bare['wall']:.2f} s "
        f"| {ratio:.2f}× CPU ({app['wall'] / bare['wall']:.2f}× wall) | ≤ {target:g}× "
        f"| {'met' if met else '**missed**'} |"
    )


if __name__ == "__main__":
    print(row(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 5)))
