"""One real browser, one viewer: navigation to the last chart drawn, 100 000 rows against 9 rows.

Issue 19: "time from navigation to the last chart drawn at 100k rows ≤ 1.2× the same page on
the 9-row dataset". Headless Debian Chromium (``/usr/bin/chromium``) driven by Playwright's sync
API, as ``tests/test_browser.py`` drives it.

Two ``streamlit run`` servers on free loopback ports, started together: one on the seeded store
(the shipped 9 rows and public exports), one on a store holding one 100 000-row version (both
the SQLite copies ``bench/viewers.py`` uses). One browser, one tab at 1400×1600. For each page
(Overview, Regions, Explorer):

1. a warm-up navigation on each server, waited until the page is *settled*: every count of
   :data:`COUNTED` unchanged for :data:`QUIET` seconds with no running indicator, at least
   one chart or grid drawn; those counts are the page's *expected* counts
   on that server (written in the row);
2. then ``RUNS`` timed navigations on each server, alternated (9 rows, 100k, 9 rows, ...) so
   that both sizes meet the same load. A navigation's time runs from the call of ``page.goto``
   (a new session: the app reloads) to the first moment (polled every 50 ms in the page
   through Playwright's ``wait_for_function``) when **all** of:

   - no ``[data-testid="stStatusWidget"]`` (Streamlit's "running" indicator) is in the page,
     no element is ``[data-stale="true"]`` and no ``[data-testid="stSkeleton"]`` is left;
   - the number of ``.js-plotly-plot`` elements equals the expected count, each of them holds
     a ``.main-svg`` (plotly drew it), and there are at least as many ``.main-svg`` as expected;
   - the number of ``.choroplethlocation`` paths (map countries, Regions) is at least the
     expected count (plotly draws a map's countries after its offline topojson loaded);
   - the number of ``[data-testid="stDataFrame"]`` grids equals the expected count and they
     hold at least the expected number of ``canvas`` elements (a grid draws its cells on
     canvases; one below the fold may have none yet, hence a count, not one per grid): the
     Explorer, which draws no chart, is timed to its data grid drawn.

The figure is the median of the ``RUNS`` navigations. Loopback only, bounded in time (60 s a
navigation); both servers and the browser are stopped at the end, also on error.

``python -m bench.browser`` prints the table; :func:`measure_all` returns its rows.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.viewers import _free_port, _serve, _stop

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
#: Timed navigations per page and dataset size (``BENCH_BROWSER_RUNS``, default 5); the figure is their median.
RUNS = int(os.environ.get("BENCH_BROWSER_RUNS", "5"))
#: The pages measured: (menu title, URL path).
PAGES = (("Overview", "overview"), ("Regions", "regions"), ("Explorer", "explorer"))
#: Seconds the warm-up's counts must stay unchanged (and nothing run) to call the page settled.
QUIET = 2.0
#: Milliseconds a navigation may take before the measurement fails.
TIMEOUT_MS = 60_000
#: What is counted on a settled page; a timed navigation waits for these counts.
COUNTED = {
    "charts": ".js-plotly-plot",
    "drawn": ".js-plotly-plot .main-svg",
    "countries": ".js-plotly-plot .choroplethlocation",
    "grids": '[data-testid="stDataFrame"]',
    "grids_drawn": '[data-testid="stDataFrame"] canvas',
}

_COUNTS_JS = """(counted) => {
    const busy = !!(document.querySelector('[data-testid="stStatusWidget"]')
        || document.querySelector('[data-stale="true"]')
        || document.querySelector('[data-testid="stSkeleton"]'));
    const counts = {};
    for (const [name, selector] of Object.entries(counted)) {
        counts[name] = document.querySelectorAll(selector).length;
    }
    return {busy, counts};
}"""

#: The written condition of a finished navigation (module docstring), given the expected counts.
DONE_JS = """(expected) => {
    if (document.querySelector('[data-testid="stStatusWidget"]')
        || document.querySelector('[data-stale="true"]')
        || document.querySelector('[data-testid="stSkeleton"]')) return false;
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    if (plots.length !== expected.charts) return false;
    if (!plots.every((p) => p.querySelector('.main-svg'))) return false;
    if (document.querySelectorAll('.js-plotly-plot .choroplethlocation').length < expected.countries) return false;
    if (document.querySelectorAll('.js-plotly-plot .main-svg').length < expected.drawn) return false;
    if (document.querySelectorAll('.js-plotly-plot .choroplethlocation').length < expected.countries) return false;
    if (document.querySelectorAll('[data-testid="stDataFrame"]').length !== expected.grids) return false;
    return document.querySelectorAll('[data-testid="stDataFrame"] canvas').length >= expected.grids_drawn;
}"""


@dataclass(frozen=True)
class PageTimes:
    """One page's navigations on both dataset sizes.

    Attributes:
        title: the page's menu title.
        small: seconds of each timed navigation on the 9-row store.
        large: the same on the 100 000-row store.
        expected_small: the counts (:data:`COUNTED`) the 9-row navigations waited for.
        expected_large: the same on 100 000 rows.
    """

    title: str
    small: tuple[float, ...]
    large: tuple[float, ...]
    expected_small: dict[str, int]
    expected_large: dict[str, int]

    @property
    def ratio(self) -> float:
        """Median at 100k rows / median at 9 rows."""
        return statistics.median(self.large) / statistics.median(self.small)


def missing() -> str | None:
    """Why the browser figures cannot be measured here (None: chromium and Playwright are there)."""
    if not Path(CHROMIUM).exists():
        return f"chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (requirements-dev.txt)"
    return None


def _settle(page, url: str) -> dict[str, int]:
    """Navigate to ``url`` and wait until the page is settled; return its counts."""
    page.goto(url, timeout=TIMEOUT_MS)
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        state = page.evaluate(_COUNTS_JS, COUNTED)
        if state["busy"] or state["counts"] != last:
            last, since = state["counts"], time.monotonic()
        elif time.monotonic() - since >= QUIET and last["drawn"] + last["grids_drawn"] >= 1:
            return last
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not settle within {TIMEOUT_MS / 1000:.0f} s (last counts {last})")


def _timed(page, url: str, expected: dict[str, int]) -> float:
    """Seconds from ``page.goto(url)`` to :data:`DONE_JS` true."""
    start = time.perf_counter()
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_function(DONE_JS, arg=expected, timeout=TIMEOUT_MS, polling=50)
    seconds = time.perf_counter() - start
    after = page.evaluate(_COUNTS_JS, COUNTED)["counts"]
    if after["charts"] != expected["charts"] or after["grids"] != expected["grids"]:
        raise RuntimeError(f"{url}: counts changed after the condition held: {after} (expected {expected})")
    return seconds


def measure(runs: int = RUNS) -> list[PageTimes]:
    """Time each page of :data:`PAGES` on the 9-row and the 100 000-row store (module docstring).

    Raises:
        RuntimeError: when a server does not start or a page does not finish within 60 s.
    """
    from playwright.sync_api import sync_playwright

    from bench.tasks import _seeded_store, _store_with

    results = []
    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="eutf-browser-"))
        small_dir, large_dir = Path(folder, "small"), Path(folder, "large")
        small_dir.mkdir()
        large_dir.mkdir()
        env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        bases = {}
        for size, url in (("small", _seeded_store(str(small_dir))), ("large", _store_with(100_000, str(large_dir)))):
            port = _free_port()
            server = _serve(ROOT / "app.py", port, {**env, "EUTF_DATABASE_URL": url})
            stack.callback(_stop, server)
            bases[size] = f"http://127.0.0.1:{port}"
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        stack.callback(browser.close)
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        for title, path in PAGES:
            expected = {size: _settle(page, f"{base}/{path}") for size, base in bases.items()}
            times: dict[str, list[float]] = {"small": [], "large": []}
            for _ in range(runs):
                for size, base in bases.items():
                    times[size].append(_timed(page, f"{base}/{path}", expected[size]))
            results.append(
                PageTimes(title, tuple(times["small"]), tuple(times["large"]), expected["small"], expected["large"])
            )
            print(f"  browser {title}: {results[-1]}", flush=True)
    return results


def _counts(expected: dict[str, int]) -> str:
    text = f"{expected['charts']} charts"
    if expected["countries"]:
        text += f", ≥ {expected['countries']} map countries"
    return text + f", {expected['grids']} grids"


def row(times: PageTimes) -> str:
    """A results-table row: page, 9-row median, 100k median, ratio, target ≤ 1.2×."""
    small, large = statistics.median(times.small), statistics.median(times.large)
    return (
        f"| real browser, navigation to the last chart drawn: {times.title} "
        f"| 9 rows: {small:.2f} s (waited for {_counts(times.expected_small)}) "
        f"| 100 000 rows: {large:.2f} s (waited for {_counts(times.expected_large)}) "
        f"| {times.ratio:.2f}× | ≤ 1.2× | {'met' if times.ratio <= 1.2 else '**missed**'} |"
    )


def not_measured(reason: str) -> list[str]:
    """The rows when chromium or Playwright is missing."""
    return [
        f"| real browser, navigation to the last chart drawn: {title} | not measured: {reason} | | | ≤ 1.2× "
        "| not measured |"
        for title, _ in PAGES
    ]


def measure_all() -> list[str]:
    """Each page of :data:`PAGES`: median of ``RUNS`` navigations on 9 and on 100 000 rows."""
    reason = missing()
    if reason:
        print(f"  browser: not measured: {reason}", flush=True)
        return not_measured(reason)
    return [row(times) for times in measure()]


if __name__ == "__main__":
    if not shutil.which("streamlit", path=str(Path(sys.executable).parent)):
        raise SystemExit("run from the project's virtualenv (make bench)")
    print(f"load average {os.getloadavg()}", flush=True)
    print("\n".join(measure_all()))
    print(f"load average {os.getloadavg()}", flush=True)
