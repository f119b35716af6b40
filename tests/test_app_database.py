"""The dashboard when its database is away: a message on the page, then the figures again
when the database is back, in the same running app (no restart).

Each step opens the app afresh (a reload, a new session) in this one process, whose cached
engine and pool stay: AppTest re-runs the last page directly, not through app.py's frame,
when a pages/ folder exists, so a rerun of one AppTest would skip the frame under test. The
page's own 5-second re-check (a fragment with ``run_every``) does not run in AppTest.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from dashboard.cache import refresh_after_publish
from tests.conftest import _admin

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _run() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _total(at: AppTest) -> str | None:
    return next((m.value for m in at.metric if m.label == "Total allocated"), None)


def test_a_server_that_does_not_answer_is_a_message_not_a_traceback(monkeypatch):
    monkeypatch.setenv("EUTF_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:1/nothing_listens_here")
    at = _run()
    assert "cannot be reached" in at.error[0].value
    assert "checks again" in at.error[0].value
    assert _total(at) is None


def test_the_page_recovers_when_the_database_comes_back(postgres_database, monkeypatch):
    server = make_url(postgres_database)
    name = f"eutf_outage_{secrets.token_hex(4)}"
    monkeypatch.setenv("EUTF_DATABASE_URL", server.set(database=name).render_as_string(False))
    try:
        # first start with the database missing: a message, and no store is cached
        at = _run()
        assert "cannot be reached" in at.error[0].value
        with _admin(postgres_database) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        at = _run()
        assert not at.error
        assert _total(at) == "€145.1M", "migrated, seeded and shown on the next run"

        # the database goes away while the app runs (its pooled connections die with it)
        with _admin(postgres_database) as conn:
            conn.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            conn.execute(f'ALTER DATABASE "{name}" RENAME TO "{name}_away"')
        refresh_after_publish()  # as when the latest version's cache entry expires
        at = _run()
        assert "cannot be reached" in at.error[0].value

        # back: the same app, the same cached engine, shows the figures again
        with _admin(postgres_database) as conn:
            conn.execute(f'ALTER DATABASE "{name}_away" RENAME TO "{name}"')
        at = _run()
        assert not at.error
        assert _total(at) == "€145.1M"
    finally:
        with _admin(postgres_database) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'DROP DATABASE IF EXISTS "{name}_away" WITH (FORCE)')
