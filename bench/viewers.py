"""Many viewers at once, measured at the server: sessions opened over Streamlit's own WebSocket.

A viewer here is what a browser tab is to the server: a WebSocket to ``/_stcore/stream`` that
sends one ``BackMsg`` asking for a script run (the protobuf messages shipped in the streamlit
wheel) and reads ``ForwardMsg`` frames until ``script_finished``. No browser renders anything,
so the two cores measure the server alone (20 Chromium contexts took 101-122 CPU-seconds for
the server's ~5, issue 19).

For each page measured, a fresh ``streamlit run`` serves it on a free loopback port:

1. one warm-up session (the first run imports pandas, plotly and the app, and fills the
   caches), then the instance is *idle*: its resident memory is the reference for the peak;
2. ``SESSIONS`` sessions are opened at once; each reports the seconds from connecting to its
   ``script_finished`` message, and whether the run raised (an ``exception`` element in a
   delta) or never finished within ``TIMEOUT`` seconds (both count as errors);
3. the server's CPU seconds (user + system, from ``/proc/<pid>/stat``) over the burst are
   divided by the number of sessions; its peak memory is ``VmHWM`` from ``/proc/<pid>/status``.

The baseline is the bare one-chart page (``bench/bare_page.py``) under the same load.
Loopback only, bounded in count and time; the server is stopped at the end.

``python -m bench.viewers`` prints the table; :func:`measure_all` is what ``make bench`` calls.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Sessions opened at once (issue 19: 20).
SESSIONS = int(os.environ.get("BENCH_VIEWERS", "20"))
#: Seconds a session may take before it counts as an error.
TIMEOUT = 300.0


@dataclass(frozen=True)
class Burst:
    """What ``SESSIONS`` simultaneous viewers cost one server.

    Attributes:
        page: what was served (``bare``, or the app's page with its dataset size).
        seconds: connect-to-``script_finished`` time of each session (s), in completion order.
        errors: sessions that raised, were refused or did not finish within ``TIMEOUT``.
        cpu_per_session: the server's CPU seconds over the burst / sessions.
        idle_mb: the server's resident memory after the warm-up session (MB).
        peak_mb: the server's peak resident memory (VmHWM, MB) over its whole life.
    """

    page: str
    seconds: tuple[float, ...]
    errors: int
    cpu_per_session: float
    idle_mb: float
    peak_mb: float

    @property
    def p50(self) -> float:
        """Median connect-to-finished time (s)."""
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def p95(self) -> float:
        """95th percentile connect-to-finished time (s), nearest rank."""
        if not self.seconds:
            return float("nan")
        ordered = sorted(self.seconds)
        return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (its threads included), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _memory_mb(pid: int, key: str) -> float:
    """``VmRSS`` or ``VmHWM`` of a process, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith(key + ":"))) / 1024


async def _session(port: int, query: str) -> tuple[float, bool]:
    """Open one viewer's session; return (seconds to ``script_finished``, failed).

    A run failed when it raised (an ``exception`` element) or drew no plotly chart (every page
    measured draws at least one: a run that drew none did not show the page).
    """
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    start = time.perf_counter()
    back = BackMsg()
    back.rerun_script.query_string = query
    back.rerun_script.page_script_hash = ""
    raised, charts = False, 0
    async with connect(
        f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=2**28, open_timeout=TIMEOUT
    ) as ws:
        await ws.send(back.SerializeToString())
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element.WhichOneof("type")
                raised |= element == "exception"
                charts += element == "plotly_chart"
            if kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the app reran itself (st.rerun): the viewer waits for that run
                failed = msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR
                return time.perf_counter() - start, raised or failed or charts == 0


async def _burst(port: int, query: str, n: int) -> tuple[list[float], int]:
    async def one() -> tuple[float, bool] | None:
        try:
            return await asyncio.wait_for(_session(port, query), TIMEOUT)
        except (TimeoutError, OSError, Exception):  # refused, closed, timed out: an error
            return None

    results = await asyncio.gather(*(one() for _ in range(n)))
    seconds = [r[0] for r in results if r is not None and not r[1]]
    return seconds, n - len(seconds)


def _serve(script: Path, port: int, env: dict[str, str], poll: float = 0.3) -> subprocess.Popen:
    """Start ``streamlit run script`` on a loopback ``port`` and return once its health check answers
    (asked every ``poll`` seconds).

    Raises:
        RuntimeError: when it does not answer within 120 s.
    """
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
            "--server.address", "127.0.0.1", "--server.port", str(port),
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(poll)
    server.kill()
    raise RuntimeError(f"streamlit did not answer on port {port} within 120 s")


def _stop(process: subprocess.Popen) -> None:
    """Stop a server (or nginx) started for a measure: terminate, then kill after 20 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def measure(page: str, *, rows: int = 0, query: str = "", sessions: int = SESSIONS) -> Burst:
    """Serve ``page`` (``bare``, or ``app`` on the seeded 9-row store or a ``rows``-row store) and
    open ``sessions`` viewers at once after one warm-up viewer.

    Raises:
        RuntimeError: when the server does not start.
    """
    from bench.tasks import _seeded_store, _store_with

    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        if page == "bare":
            script = ROOT / "bench" / "bare_page.py"
        else:
            script = ROOT / "app.py"
            env["EUTF_DATABASE_URL"] = _store_with(rows, folder) if rows else _seeded_store(folder)
        port = _free_port()
        server = _serve(script, port, env)
        try:
            _, warm_errors = asyncio.run(_burst(port, query, 1))
            if warm_errors:
                raise RuntimeError(f"the warm-up session of {page} failed")
            idle_mb = _memory_mb(server.pid, "VmRSS")
            cpu_before = _cpu_seconds(server.pid)
            seconds, errors = asyncio.run(_burst(port, query, sessions))
            cpu = _cpu_seconds(server.pid) - cpu_before
            peak_mb = _memory_mb(server.pid, "VmHWM")
        finally:
            _stop(server)
    label = "bare one-chart page" if page == "bare" else f"Overview, {rows or 9} rows"
    return Burst(label, tuple(seconds), errors, cpu / sessions, idle_mb, peak_mb)


def row(burst: Burst, bare: Burst) -> str:
    """A results-table row: per-session server CPU against the bare page (target ≤ 3×), errors
    (target 0), peak memory against the idle instance (target ≤ 1.3×)."""
    cpu_ratio = burst.cpu_per_session / bare.cpu_per_session
    memory_ratio = burst.peak_mb / burst.idle_mb
    met = cpu_ratio <= 3 and burst.errors == 0 and memory_ratio <= 1.3
    return (
        f"| {SESSIONS} viewers at once: {burst.page} | {burst.cpu_per_session:.3f} CPU-s/session, "
        f"p50 {burst.p50:.2f} s, p95 {burst.p95:.2f} s, {burst.errors} errors "
        f"| {burst.peak_mb:.0f} MB (idle {burst.idle_mb:.0f} MB, {memory_ratio:.2f}×) "
        f"| bare page: {bare.cpu_per_session:.3f} CPU-s/session, p50 {bare.p50:.2f} s "
        f"| {cpu_ratio:.2f}× | CPU ≤ 3×, 0 errors, memory ≤ 1.3× idle | {'met' if met else '**missed**'} |"
    )


def measure_all() -> list[str]:
    """The bare page, then the app's Overview on the shipped 9 rows and on 100 000 rows."""
    bare = measure("bare")
    print(f"  viewers bare: {bare}", flush=True)
    lines = []
    for rows in (0, 100_000):
        burst = measure("app", rows=rows)
        print(f"  viewers app {rows}: {burst}", flush=True)
        lines.append(row(burst, bare))
    return lines


if __name__ == "__main__":
    if not shutil.which("streamlit", path=str(Path(sys.executable).parent)):
        raise SystemExit("run from the project's virtualenv (make bench)")
    print("\n".join(measure_all()))
