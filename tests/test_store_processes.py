"""The store shared by separate processes (dashboard instances, the CLI), on both engines.

Each test starts real processes (``forkserver``) with their own engines: two publishes from the
same base, readers during a publish, a publish killed midway, instances migrating together.
On PostgreSQL the tests also watch the server (``pg_stat_activity``) to be sure the race
really happened inside the database.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest
from sqlalchemy import create_engine, func, select, text

from seed.public import seed_if_empty
from store.db import allocations, make_engine, versions
from store.versions import Store
from tests import store_processes as work

# a fresh interpreter per process, as separate instances are, forked from one that imported
# pandas and the store once (a few seconds saved per process)
MP = multiprocessing.get_context("forkserver")
MP.set_forkserver_preload(["tests.store_processes"])
TIMEOUT = 120


@pytest.fixture
def seeded(db_url):
    """A store whose version 1 is the shipped workbook (nine projects, 145 100 000 EUR)."""
    s = Store(make_engine(db_url))
    seed_if_empty(s)
    yield db_url
    s.engine.dispose()


def _start(target, *args, **kwargs):
    process = MP.Process(target=target, args=args, kwargs=kwargs, daemon=True)
    process.start()
    return process


def _until(predicate, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.05)


def _server(url: str, sql: str):
    """One scalar from PostgreSQL about this test's database (its sessions, locks)."""
    engine = create_engine(url, poolclass=None)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def _waiting_on_locks(url: str) -> int:
    return _server(
        url,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    )


def _idle_in_transaction(url: str) -> int:
    return _server(
        url,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()",
    )


def _counts(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        counts = (
            conn.execute(select(func.count()).select_from(versions)).scalar(),
            conn.execute(select(func.count()).select_from(allocations)).scalar(),
        )
    engine.dispose()
    return counts


def _amounts(frame) -> dict[str, int]:
    return dict(zip(frame["reference"], frame["amount_eur"].astype(int), strict=True))


def _is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def test_two_publishes_from_the_same_base_one_wins_and_nothing_is_lost(seeded):
    results, paused, resume, started = MP.Queue(), MP.Event(), MP.Event(), MP.Event()
    alice = _start(work.publish, seeded, 13_000_001, "alice", 1, results, pause_after=4, paused=paused, resume=resume)
    assert paused.wait(TIMEOUT), "alice's publish reached its rows"
    bob = _start(work.publish, seeded, 13_000_002, "bob", 1, results, started=started)
    assert started.wait(TIMEOUT)
    if _is_postgres(seeded):
        # bob read version 1 as the latest and now waits on alice's uncommitted version 2
        _until(lambda: _waiting_on_locks(seeded) == 1, "bob's insert to wait on alice's")
    else:
        time.sleep(1)  # SQLite: bob waits on the file lock (busy timeout), invisible from here
    resume.set()
    alice.join(TIMEOUT)
    bob.join(TIMEOUT)
    outcomes = sorted(results.get(timeout=TIMEOUT) for _ in range(2))
    assert outcomes == [("alice", "ok", 2), ("bob", "conflict", 1, 2)]

    s = Store(make_engine(seeded))
    assert [v.published_by for v in s.versions()] == ["alice", "system (first start)"]
    assert s.table(2).set_index("reference").at["T05-EUTF-SAH-ML-04", "amount_eur"] == 13_000_001
    assert _counts(seeded) == (2, 18), "bob wrote no row"
    # bob reviews alice's version and publishes on top of it: his change lands as version 3
    info = s.publish(work.table(13_000_002), base=2, by="bob", file_name="bob.xlsx", file_sha256="b" * 64)
    assert info.number == 3
    s.engine.dispose()


def test_four_processes_racing_from_the_same_base_publish_exactly_once(seeded):
    results, go = MP.Queue(), MP.Event()
    starts = [MP.Event() for _ in range(4)]
    racers = [
        _start(work.publish, seeded, 13_000_000 + i, f"p{i}", 1, results, started=starts[i], go=go) for i in range(4)
    ]
    for started in starts:
        assert started.wait(TIMEOUT)
    go.set()
    for racer in racers:
        racer.join(TIMEOUT)
    outcomes = [results.get(timeout=TIMEOUT) for _ in racers]
    wins = [o for o in outcomes if o[1] == "ok"]
    assert len(wins) == 1
    assert wins[0][2] == 2
    assert sorted(o[1:] for o in outcomes if o[1] == "conflict") == [("conflict", 1, 2)] * 3
    assert _counts(seeded) == (2, 18)
    s = Store(make_engine(seeded))
    assert s.versions()[0].published_by == wins[0][0]
    s.engine.dispose()


def test_readers_during_a_publish_see_the_old_or_the_new_version_never_a_mix(seeded):
    s = Store(make_engine(seeded))
    old = _amounts(s.table(1))
    results, paused, resume = MP.Queue(), MP.Event(), MP.Event()
    writer = _start(work.publish, seeded, 13_000_001, "alice", 1, results, pause_after=4, paused=paused, resume=resume)
    assert paused.wait(TIMEOUT)
    _start(work.read, seeded, results).join(TIMEOUT)
    assert results.get(timeout=TIMEOUT) == (1, 145_100_000, 9, old), "mid-publish, others see version 1 whole"
    resume.set()
    writer.join(TIMEOUT)
    assert results.get(timeout=TIMEOUT) == ("alice", "ok", 2)
    new = _amounts(work.table(13_000_001))
    _start(work.read, seeded, results).join(TIMEOUT)
    assert results.get(timeout=TIMEOUT) == (2, sum(new.values()), 9, new)

    # then continuously: one process publishes six versions while two others keep reading
    x, y = _amounts(work.table(13_000_003)), _amounts(work.table(13_000_004))
    published, reads = MP.Queue(), MP.Queue()
    # the readers read until they see the last version: they started before the first publish,
    # so each sees at least the version before and the last one, whatever the scheduling
    readers = [_start(work.read, seeded, reads, until=8) for _ in range(2)]
    seen = [reads.get(timeout=TIMEOUT) for _ in readers]  # both have read version 2 before any publish
    assert {s[0] for s in seen} == {2}
    loop = _start(work.publish_many, seeded, [13_000_003, 13_000_004] * 3, published)
    assert published.get(timeout=TIMEOUT) == list(range(3, 9))
    loop.join(TIMEOUT)
    done = 0
    while done < len(readers):
        item = reads.get(timeout=TIMEOUT)
        if item is None:
            done += 1
        else:
            seen.append(item)
    for reader in readers:
        reader.join(TIMEOUT)
    for number, total, row_count, amounts in seen:
        assert amounts == (new if number == 2 else x if number % 2 else y), f"version {number} read whole"
        assert (sum(amounts.values()), len(amounts)) == (total, row_count), "rows agree with their version's record"
    assert len({s[0] for s in seen}) > 1, "the readers saw the versions change under them"
    s.engine.dispose()


def test_a_publish_killed_midway_leaves_the_store_as_before(seeded):
    s = Store(make_engine(seeded))
    before = _counts(seeded)
    results, paused, resume = MP.Queue(), MP.Event(), MP.Event()
    writer = _start(work.publish, seeded, 13_000_001, "alice", 1, results, pause_after=4, paused=paused, resume=resume)
    assert paused.wait(TIMEOUT), "the publish has inserted its version and four of its nine rows"
    if _is_postgres(seeded):
        assert _idle_in_transaction(seeded) == 1, "the publish's transaction is open on the server"
    os.kill(writer.pid, signal.SIGKILL)
    writer.join(TIMEOUT)
    assert writer.exitcode == -signal.SIGKILL
    if _is_postgres(seeded):
        _until(lambda: _idle_in_transaction(seeded) == 0, "the server to roll the dead publish back")
    assert _counts(seeded) == before
    assert s.latest_number() == 1
    assert [v.number for v in s.versions()] == [1]
    # the store is usable at once: the next publish from version 1 becomes version 2
    info = s.publish(work.table(13_000_002), base=1, by="bob", file_name="bob.xlsx", file_sha256="b" * 64)
    assert info.number == 2
    assert _counts(seeded) == (2, 18)
    s.engine.dispose()


def test_instances_starting_together_migrate_the_schema_once(db_url):
    from alembic.script import ScriptDirectory

    from store.db import MIGRATIONS

    results, go = MP.Queue(), MP.Event()
    starters = [_start(work.migrate, db_url, go, results) for _ in range(3)]
    time.sleep(2)  # let the three processes import and wait on `go`
    go.set()
    for starter in starters:
        starter.join(TIMEOUT)
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert [results.get(timeout=TIMEOUT) for _ in starters] == [head] * 3
    assert [p.exitcode for p in starters] == [0, 0, 0]
