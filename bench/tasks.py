"""One benchmark task per call, run in a fresh process by :mod:`bench.__main__`.

``python -m bench.tasks TASK ROWS`` prints one JSON line: ``{"seconds": ..., "cpu": ..., "peak_mb": ...}``
(wall time and CPU time of the measured part, the CPU of every thread of the process; peak resident
memory of the whole process). pandas and pandera are imported before the clock starts, for every task:
they are the libraries both sides of a comparison load (the plain ingest and ours), so the figures
compare the work, not the imports (cold starts measure those: :mod:`bench.cold`).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import OUT, workbook
from domain.dataset import DEFAULT_DATASET

ROOT = Path(__file__).resolve().parents[1]
BIG = {"max_upload_bytes": 2**34, "max_member_bytes": 2**34, "max_total_bytes": 2**35, "max_rows": 2_000_000}


def _limits():
    from etl.read import Limits

    return Limits(**BIG)


def _load(n: int):
    from validation.pipeline import load_bytes

    data = workbook(n).read_bytes()
    return load_bytes(data, f"allocations_{n}.xlsx", limits=_limits())


def _clean(n: int):
    """The clean allocation table of the ``n``-row workbook: ingested once, then cached in bench/out.

    For the tasks that measure what comes after the ingest (exports, publish, pages).
    """
    import pandas as pd

    cached = workbook(n).with_suffix(".clean.pkl")
    if not cached.exists():
        result = _load(n)
        assert result.dataset is not None, result.report.text()[:2000]
        tmp = cached.with_suffix(".tmp")
        result.dataset.allocations.to_pickle(tmp)
        tmp.rename(cached)
    return pd.read_pickle(cached)  # noqa: S301 - our own file, written just above


def fastexcel_read(n: int) -> None:
    """Baseline: fastexcel's raw read of the sheet into pandas."""
    import fastexcel

    fastexcel.read_excel(workbook(n)).load_sheet("Allocations").to_pandas()


def openpyxl_read(n: int) -> None:
    """Baseline: pandas' default reader (openpyxl)."""
    import pandas as pd

    pd.read_excel(workbook(n), engine="openpyxl")


def pandas_pandera_ingest(n: int) -> None:
    """Baseline: the plain way a user would write it (issue 19), with the same columns.

    ``pandas.read_excel(engine="calamine")``, the template's French headers renamed, a few casts
    (amounts to ``Int64`` euros, lists split on ``;``, the round and the date typed) and a pandera
    schema with the template's main rules, validated lazily. No cell-level findings,
    hidden rows, merges, formulas, derived rounds or long tables: what ours does on top.
    """
    import pandas as pd
    import pandera.pandas as pa

    from domain import refdata
    from domain.template import COLUMNS

    text = pa.Column("string")
    plain = pa.DataFrameSchema(
        {
            "reference": pa.Column("string", [pa.Check.str_matches(r"^T\d{2}-EUTF-[A-Z]{3}-")], unique=True),
            "title": text,
            "window": pa.Column("string", pa.Check.isin(list(refdata.WINDOWS))),
            "scope": pa.Column("string", pa.Check.isin(["national", "régional", "regional"])),  # as typed in French
            "countries": pa.Column(
                object, pa.Check(lambda s: s.map(lambda codes: bool(codes) and all(len(c) == 2 for c in codes)))
            ),
            "theme": pa.Column("string", nullable=True),
            "amount_eur": pa.Column("Int64", pa.Check.in_range(0, 10**12)),
            "approval_date": pa.Column("datetime64[ns]", nullable=True),
            "dialogue_round": pa.Column("Int64", pa.Check.ge(1), nullable=True),
            "implementing_partner": pa.Column("string", nullable=True),
        }
    )

    frame = pd.read_excel(workbook(n), engine="calamine", sheet_name="Allocations")
    frame = frame.rename(columns={c.fr: c.name for c in COLUMNS})
    for column in ("countries", "objectives", "valletta_domains"):
        frame[column] = frame[column].fillna("").astype(str).str.split(";")
    for column in ("reference", "title", "window", "scope", "theme", "implementing_partner", "source"):
        frame[column] = frame[column].astype("string")
    frame["amount_eur"] = pd.to_numeric(frame["amount_eur"]).round().astype("Int64")
    frame["dialogue_round"] = pd.to_numeric(frame["dialogue_round"]).astype("Int64")
    frame["approval_date"] = pd.to_datetime(frame["approval_date"]).astype("datetime64[ns]")
    plain.validate(frame, lazy=True)


def ingest(n: int) -> None:
    """Ours: read + normalize + validate + derive, to the clean tables."""
    result = _load(n)
    assert result.dataset is not None, result.report.text()[:2000]


def xlsx_export(n: int):
    """Ours: the explorer's XLSX export (template columns, About sheet)."""
    from downloads.tables import TEMPLATE_COLUMNS, About, export_frame, to_xlsx

    frame = export_frame(_clean(n), list(TEMPLATE_COLUMNS), "en")
    start, cpu = time.perf_counter(), time.process_time()
    to_xlsx(frame, About("bench", "v1", (), ("bench",), "bench"))
    return time.perf_counter() - start, time.process_time() - cpu


def to_excel_baseline(n: int):
    """Baseline: ``DataFrame.to_excel(engine="openpyxl")`` of the same rows."""
    from downloads.tables import TEMPLATE_COLUMNS, export_frame

    frame = export_frame(_clean(n), list(TEMPLATE_COLUMNS), "en")
    start, cpu = time.perf_counter(), time.process_time()
    frame.to_excel(io.BytesIO(), engine="openpyxl", index=False)
    return time.perf_counter() - start, time.process_time() - cpu


def csv_export(n: int):
    """Ours: the French-Excel CSV export."""
    from downloads.tables import FRENCH_EXCEL, TEMPLATE_COLUMNS, export_frame, to_csv

    frame = export_frame(_clean(n), list(TEMPLATE_COLUMNS), "fr")
    start = time.perf_counter()
    to_csv(frame, FRENCH_EXCEL)
    return time.perf_counter() - start


def publish(n: int):
    """Ours: publish a version of ``n`` rows into a new SQLite store."""
    from store.db import make_engine
    from store.versions import Store

    table = _clean(n)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(make_engine(f"sqlite:///{folder}/bench.sqlite"))
        start = time.perf_counter()
        store.publish(table, base=None, by="bench", file_name="b.xlsx", file_sha256="0" * 64)
        return time.perf_counter() - start


def cli_publish(n: int):
    """Ours: ``python -m cli publish`` of the ``n``-row workbook into a new SQLite store, as an operator runs it.

    The whole command: the analyst credential, one read and validation of the file, the
    store's first use (seeding the shipped datasets), the publish. Before 5 December 2026 the
    command read and validated the file twice.
    """
    from cli.__main__ import main
    from store.auth import hash_password

    with tempfile.TemporaryDirectory() as folder:
        os.environ |= {
            "EUTF_DATABASE_URL": f"sqlite:///{folder}/cli.sqlite",
            "EUTF_PUBLIC_DATA": folder,  # the public exports are not seeded: the publish is measured
            "EUTF_ANALYST_PASSWORD_HASH": hash_password("bench password", iterations=1000),
            "EUTF_ANALYST_PASSWORD": "bench password",
        }
        path = workbook(n)
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            status = main(["publish", str(path), "--comment", "bench", "--accept-warnings"])
        elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"python -m cli publish ended with status {status}")
    return elapsed


def _store_with(n: int, folder: str, *, cached: bool = True) -> str:
    """A SQLite store in ``folder`` holding one published version of the ``n``-row workbook.

    With ``cached``, a copy of a store built once in bench/out (the page reruns); without,
    the workbook is ingested and published in this process (the 1M-row memory figure).
    """
    from store.db import make_engine
    from store.versions import Store

    url = f"sqlite:///{folder}/pages.sqlite"
    if not cached:
        result = _load(n)
        Store(make_engine(url)).publish(
            result.dataset.allocations, base=None, by="bench", file_name="b.xlsx", file_sha256="0" * 64
        )
        return url
    built = workbook(n).with_suffix(".store.sqlite")
    if not built.exists():
        tmp = built.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        engine = make_engine(f"sqlite:///{tmp}")
        Store(engine).publish(_clean(n), base=None, by="bench", file_name="b.xlsx", file_sha256="0" * 64)
        engine.dispose()
        tmp.rename(built)
    shutil.copyfile(built, f"{folder}/pages.sqlite")
    return url


RERUNS = 5


def _reruns(at) -> float:
    """Median of :data:`RERUNS` reruns that change nothing."""
    times = []
    for _ in range(RERUNS):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    assert not at.exception, [e.value for e in at.exception]
    return statistics.median(times)


def _apptest_rerun(script: str | None, n: int) -> float:
    """The median rerun time of a page whose first run is done (the store set up once)."""
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as folder:
        if script is None:  # the bare one-chart page
            at = AppTest.from_file(str(ROOT / "bench" / "bare_page.py"), default_timeout=600)
            at.run()
            return _reruns(at)
        os.environ["EUTF_DATABASE_URL"] = _store_with(n, folder) if n else _seeded_store(folder)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.run()
        at.switch_page(script).run()
        assert not at.exception, [e.value for e in at.exception]
        return _reruns(at)


def _seeded_store(folder: str) -> str:
    """A copy of a store already seeded with the shipped workbook and the public exports (shipped in
    ``data/public``), as a restarted server finds it."""
    import hashlib

    from etl import catalog
    from seed.public import seed_if_empty, seed_public_exports
    from store.db import make_engine
    from store.versions import Store

    # named by what it was seeded from, so that a change of the shipped files builds it anew
    sources = [catalog.ALLOCATIONS_XLSX, *(catalog.PUBLIC_DATA_DIR / e.file_name for e in catalog.PUBLIC_EXPORTS)]
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in sources)).hexdigest()[:12]
    built = OUT / f"seeded-{digest}.sqlite"
    if not built.exists():
        tmp = built.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        engine = make_engine(f"sqlite:///{tmp}")
        seed_if_empty(Store(engine, DEFAULT_DATASET))
        seed_public_exports(engine)
        engine.dispose()
        tmp.rename(built)
    shutil.copyfile(built, f"{folder}/cold.sqlite")
    return f"sqlite:///{folder}/cold.sqlite"


def _apptest_cold(script: str | None, seeded: bool = True) -> float:
    from streamlit.testing.v1 import AppTest

    path = ROOT / ("bench/bare_page.py" if script is None else "app.py")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["EUTF_DATABASE_URL"] = _seeded_store(folder) if seeded else f"sqlite:///{folder}/cold.sqlite"
        at = AppTest.from_file(str(path), default_timeout=600)
        start = time.perf_counter()
        at.run()
        return time.perf_counter() - start


def page_rerun(n: int, page: str = "overview"):
    """A page's rerun at ``n`` rows (AppTest; 0: the shipped 9-row dataset); ``bare`` is the one-chart baseline page."""
    return _apptest_rerun(None if page == "bare" else f"pages/{page}.py", n)


def cold_start(n: int, page: str = "app"):
    """The first run of the app on a seeded store (``app``), on an empty one (``first``, seeding
    included), or of the bare page (``bare``)."""
    return _apptest_cold(None if page == "bare" else "app", seeded=page != "first")


def browse_1m(n: int):
    """Ingest ``n`` rows, publish, and render the overview and explorer once (peak memory)."""
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        os.environ["EUTF_DATABASE_URL"] = _store_with(n, folder, cached=False)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=1200)
        at.run()
        at.switch_page("pages/explorer.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return time.perf_counter() - start


TASKS = {
    name: fn
    for name, fn in globals().items()
    if callable(fn) and not name.startswith("_") and fn.__module__ == __name__ and name != "workbook"
}


def _peak_mb() -> float:
    """This process's peak resident memory (MB): VmHWM, which starts afresh at ``exec``.

    ``ru_maxrss`` is not used where /proc is there: Linux carries the parent's peak into a
    child's, so every task run by ``python -m bench`` after it generated the 1M-row workbook
    read 525 MB.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024


def main(argv: list[str]) -> None:
    """Run one task and print its JSON line."""
    name, n = argv[0], int(argv[1])
    extra = argv[2:]
    workbook(n)  # generate (cached) before timing
    import pandas  # noqa: F401 - before the clock, for every task (module docstring)
    import pandera.pandas  # noqa: F401

    start, cpu = time.perf_counter(), time.process_time()
    measured = TASKS[name](n, *extra)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    if isinstance(measured, float):  # a task that times its own part: wall only
        wall, cpu = measured, None
    elif isinstance(measured, tuple):  # its own part: (wall, cpu)
        wall, cpu = measured
    print(json.dumps({"seconds": wall, "cpu": cpu, "peak_mb": _peak_mb()}))


if __name__ == "__main__":
    main(sys.argv[1:])
