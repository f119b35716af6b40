"""Work done in separate processes by tests/test_store_processes.py (spawned, so importable).

Each function opens its own engine, as a dashboard instance or the CLI would, and reports
through a queue. ``pause_after`` makes a publish stop after inserting that many allocation
rows, inside its transaction, until ``resume`` is set (or the process is killed).
"""

from __future__ import annotations

import time

import store.versions as versions_module
from store.db import make_engine
from store.versions import PublishConflict, Store
from tests.builders import rows, xlsx_bytes
from validation.pipeline import load_bytes


def table(amount: int):
    """The builder's nine rows with ML-04 (cell H5) at ``amount`` EUR."""
    return load_bytes(xlsx_bytes(rows(H5=amount)), "update.xlsx").dataset.allocations


def publish(url, amount, who, base, results, started=None, go=None, pause_after=None, paused=None, resume=None):
    """Publish :func:`table` (``amount``) from ``base``: put (who, "ok", number) or (who, "conflict", base, latest).

    ``started`` is set just before the publish, which waits for ``go`` when given.
    """
    s = Store(make_engine(url))
    frame = table(amount)
    if pause_after is not None:
        insert = versions_module._insert_rows

        def insert_then_pause(conn, rows_):
            insert(conn, rows_[:pause_after])
            paused.set()
            resume.wait(120)
            insert(conn, rows_[pause_after:])

        versions_module._insert_rows = insert_then_pause
    if started is not None:
        started.set()
    if go is not None:
        go.wait(120)
    try:
        info = s.publish(frame, base=base, by=who, file_name=f"{who}.xlsx", file_sha256=who[0] * 64)
        results.put((who, "ok", info.number))
    except PublishConflict as conflict:
        results.put((who, "conflict", conflict.base, conflict.latest))


def read(url, results, times=1, until=None):
    """Read the latest version as the dashboard does, ``times`` times (or until version ``until`` shows).

    Puts (number, its record's total EUR and row count, {reference: amount} of its rows) each time;
    with ``until``, puts None after the last read (at most 2 000 reads).
    """
    s = Store(make_engine(url))
    for _ in range(times if until is None else 2_000):
        number = s.latest_number()
        info = s.info(number)
        frame = s.table(number)
        amounts = dict(zip(frame["reference"], frame["amount_eur"].astype(int), strict=True))
        results.put((number, info.total_eur, info.row_count, amounts))
        if until is not None and number >= until:
            break
        if until is not None:
            time.sleep(0.005)
    if until is not None:
        results.put(None)


def publish_many(url, amounts, results):
    """Publish one version per amount, each from the latest: put the numbers published."""
    s = Store(make_engine(url))
    frames = {a: table(a) for a in set(amounts)}
    numbers = []
    for amount in amounts:
        base = s.latest_number()
        numbers.append(s.publish(frames[amount], base=base, by="loop", file_name="l.xlsx", file_sha256="e" * 64).number)
    results.put(numbers)


def migrate(url, go, results):
    """Start an engine (schema upgrade included) when ``go`` is set: put the schema revision."""
    from store.db import schema_revision

    go.wait(120)
    results.put(schema_revision(make_engine(url)))
