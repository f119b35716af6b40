"""Run the benchmarks and write ``bench/results.md``: every figure as a ratio to a baseline
measured in the same run, median of ``BENCH_RUNS`` runs (default 5), with peak memory.

Each measurement runs in a fresh process (``python -m bench.tasks``), so that caches and
memory of one do not help or burden another.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.generate import workbook

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
OUT = Path(__file__).resolve().parent / "results.md"
PAGES = ("overview", "themes", "regions", "rounds", "explorer", "sources", "history")


def measure(task: str, n: int, *extra: str, runs: int = RUNS) -> dict:
    """Median wall and CPU seconds and max peak memory (MB) of ``runs`` fresh-process runs.

    ``cpu`` is None for a task that reports its wall time only (page reruns, cold starts).
    """
    seconds, cpus, peaks = [], [], []
    for _ in range(runs):
        done = subprocess.run(  # noqa: S603 - fixed module and arguments
            [sys.executable, "-m", "bench.tasks", task, str(n), *extra],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            print(done.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"bench task {task} {n} {' '.join(extra)} failed")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        seconds.append(result["seconds"])
        cpus.append(result.get("cpu"))
        peaks.append(result["peak_mb"])
    cpu = statistics.median(cpus) if None not in cpus else None
    print(
        f"  {task} {n} {' '.join(extra)}: {statistics.median(seconds):.3f} s"
        f"{f', CPU {cpu:.3f} s' if cpu is not None else ''}, {max(peaks):.0f} MB",
        flush=True,
    )
    return {"seconds": statistics.median(seconds), "cpu": cpu, "peak_mb": max(peaks), "runs": runs}


def _runs(result: dict) -> str:
    return f" ({result['runs']} run{'s' if result['runs'] > 1 else ''})"


def row(what: str, ours: dict, base: dict | None, base_name: str, target: float | None, clock: str = "seconds") -> str:
    """A table row: what, ours, baseline, ratio, target, verdict.

    ``clock`` is ``"seconds"`` (wall) or ``"cpu"`` (CPU seconds of the process's threads: the
    issue's ingest and export targets are CPU ratios); the ratio is taken on that clock.
    """
    unit = " CPU-s" if clock == "cpu" else " s"
    ratio = ours[clock] / base[clock] if base else None
    verdict = "" if target is None or ratio is None else ("met" if ratio <= target else "**missed**")
    return (
        f"| {what} | {ours[clock]:.2f}{unit}{_runs(ours)} "
        f"| {ours['peak_mb']:.0f} MB | "
        f"{(base_name + ': ' + format(base[clock], '.2f') + unit + _runs(base)) if base else '–'} | "
        f"{f'{ratio:.2f}×' if ratio is not None else '–'} | {f'≤ {target:.2g}×' if target else '–'} | {verdict} |"
    )


def main() -> None:
    """Generate the workbooks, run every measurement, write the table."""
    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    for n in (10_000, 100_000, 1_000_000):
        print(f"workbook {n}: {workbook(n)}", flush=True)
    lines = []
    print("ingest", flush=True)
    fast = measure("fastexcel_read", 100_000)
    ours = measure("ingest", 100_000)
    slow = measure("openpyxl_read", 100_000)
    plain = measure("pandas_pandera_ingest", 100_000)
    lines.append(row("ingest + validate, 100k rows", ours, plain, "plain pandas + pandera ingest", 0.8, "cpu"))
    lines.append(row("ingest + validate, 100k rows", ours, fast, "fastexcel raw read", 2, "cpu"))
    lines.append(row("ingest + validate, 100k rows", ours, slow, "pandas openpyxl read", None, "cpu"))
    small = measure("ingest", 10_000)
    lines.append(
        row("ingest + validate, 10k rows", small, measure("fastexcel_read", 10_000), "fastexcel raw read", None, "cpu")
    )
    print("pages", flush=True)
    # one process per page (the 100k-row store is built once), the median of 5 reruns inside it
    bare = measure("page_rerun", 100_000, "bare", runs=1)
    for page in PAGES:
        rerun = measure("page_rerun", 100_000, page, runs=1)
        lines.append(row(f"rerun of {page}, 100k rows (median of 5 reruns)", rerun, bare, "bare page rerun", 4))
    # the same pages on the shipped 9-row dataset: what a rerun costs whatever the data's size
    for page in PAGES:
        rerun = measure("page_rerun", 0, page, runs=1)
        lines.append(row(f"rerun of {page}, shipped 9 rows (median of 5 reruns)", rerun, bare, "bare page rerun", None))
    print("cold start", flush=True)
    from bench import cold

    lines.append(cold.row(cold.measure(RUNS)))
    bare_cold = measure("cold_start", 0, "bare")
    lines.append(
        row(
            "first run of the app in a warm process (AppTest, imports before the clock; store seeded)",
            measure("cold_start", 0, "app"),
            bare_cold,
            "bare page",
            None,
        )
    )
    lines.append(
        row("first start ever (seeds an empty store)", measure("cold_start", 0, "first"), bare_cold, "bare page", None)
    )
    print("many viewers", flush=True)
    from bench import browser, nginx_pair
    from bench.viewers import measure_all as viewers

    lines.extend(viewers())
    print("many viewers through nginx, two instances on PostgreSQL", flush=True)
    lines.extend(nginx_pair.measure_all())
    print("exports and publish", flush=True)
    lines.append(
        row(
            "XLSX export, 100k rows",
            measure("xlsx_export", 100_000),
            measure("to_excel_baseline", 100_000),
            "to_excel(openpyxl)",
            0.3,
            "cpu",
        )
    )
    lines.append(row("CSV export (French Excel), 100k rows", measure("csv_export", 100_000), None, "", None))
    lines.append(row("publish 100k rows into SQLite", measure("publish", 100_000), None, "", None))
    lines.append(
        row(
            "python -m cli publish, 100k rows (one read)",
            measure("cli_publish", 100_000),
            ours,
            "ingest + validate",
            None,
        )
    )
    print("1M rows", flush=True)
    million = measure("browse_1m", 1_000_000, runs=1)
    lines.append(
        f"| ingest, publish and browse 1M rows (1 run) | {million['seconds']:.1f} s "
        f"| {million['peak_mb']:.0f} MB | – | – | ≤ 1 200 MB "
        f"| {'met' if million['peak_mb'] <= 1200 else '**missed**'} |"
    )
    print("one real browser", flush=True)
    browser_lines = browser.measure_all()
    load_end = os.getloadavg()[0]
    header = [
        "# Benchmark results",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; {time.perf_counter() - started:.0f} s in all. "
        f"Times are medians of {RUNS} runs in fresh processes unless the row says otherwise; memory is the "
        "largest peak resident memory (VmHWM) of those processes. Load average (1 min) at the start "
        f"{load_start:.1f}, at the end {load_end:.1f}"
        + (
            f": above the {os.cpu_count()} cores, other work was running at the same time and every figure is "
            "slower than on an idle machine."
            if max(load_start, load_end) > (os.cpu_count() or 1)
            else f" (at most the {os.cpu_count()} cores: nothing else was competing for them)."
        ),
        "",
        "| measure | ours | peak memory | baseline | ratio | target | |",
        "|---|---|---|---|---|---|---|",
    ]
    # the notes below the table (where the time goes) are kept
    notes = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
    notes = notes[notes.index("\n## ") :] if "\n## " in notes else ""
    browser_table = [
        "",
        "One real browser (Debian chromium driven by Playwright, `bench/browser.py`): navigation to the last chart "
        "or grid drawn, median of the navigations per page, the two sizes served side by side and alternated; the "
        "wait condition is written in `bench/browser.py`.",
        "",
        "| page | shipped 9 rows | 100 000 rows | ratio | target | |",
        "|---|---|---|---|---|---|",
        *browser_lines,
    ]
    OUT.write_text("\n".join([*header, *lines, *browser_table, ""]) + notes, encoding="utf-8")
    print(OUT.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
