"""Shared fixtures: paths to the handed cases and the public data (both in the repository), the shipped dataset, and the
store's databases on both engines.

Store tests take the ``db_url`` fixture: each runs once on SQLite (a file in ``tmp_path``) and
once on PostgreSQL (a fresh schema in a database made for this test session and dropped after).
PostgreSQL is the server at ``EUTF_TEST_POSTGRES_URL`` (default: trust auth on
``127.0.0.1:5432``, database ``test``). When it does not answer, its tests are skipped with the
reason, the run's header and summary say which engines were tested, and with
``EUTF_REQUIRE_POSTGRES=1`` (as ``.ci/run`` sets) they fail instead.
"""

from __future__ import annotations

import itertools
import os
import secrets
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
#: The bad inputs found in the wild, each with the outcome it must get (tests/cases/README.md).
CASES_DIR = ROOT / "tests" / "cases"
#: The public EUTF files the app seeds (data/SOURCES.md).
PUBLIC_DATA = ROOT / "data" / "public"

POSTGRES_URL = os.environ.get("EUTF_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("EUTF_REQUIRE_POSTGRES", "") not in ("", "0")
ENGINES = ("sqlite", "postgresql")


@cache
def postgres_problem() -> str | None:
    """None when the test PostgreSQL server answers, else why not (checked once per run)."""
    import psycopg

    url = make_url(POSTGRES_URL)
    try:
        with psycopg.connect(url.set(drivername="postgresql").render_as_string(False), connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"no PostgreSQL at {url.render_as_string(hide_password=True)}: {str(exc).strip().splitlines()[0]}"


def _admin(database_url: str):
    import psycopg

    return psycopg.connect(
        make_url(database_url).set(drivername="postgresql").render_as_string(False), autocommit=True, connect_timeout=5
    )


@pytest.fixture(scope="session")
def postgres_database():
    """A PostgreSQL database made for this test session (dropped after): its SQLAlchemy URL."""
    problem = postgres_problem()
    if problem:
        if REQUIRE_POSTGRES:
            pytest.fail(f"EUTF_REQUIRE_POSTGRES is set but there is {problem}")
        pytest.skip(problem)
    name = f"eutf_test_{os.getpid()}_{secrets.token_hex(4)}"
    with _admin(POSTGRES_URL) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(False)
    with _admin(POSTGRES_URL) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


_schemas = itertools.count(1)


@pytest.fixture(params=ENGINES)
def db_url(request, tmp_path):
    """An empty store database on each engine: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    database = request.getfixturevalue("postgres_database")
    schema = f"t{next(_schemas)}"
    with _admin(database) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    # every connection of this URL works in that schema only (tables and alembic_version)
    return make_url(database).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)


@pytest.fixture(scope="session")
def shipped():
    """The shipped workbook loaded through the full pipeline."""
    from etl.catalog import ALLOCATIONS_XLSX
    from validation.pipeline import load_path

    return load_path(ALLOCATIONS_XLSX)


@pytest.fixture(autouse=True, scope="session")
def _test_database(tmp_path_factory):
    """Every test session gets its own SQLite store (never the developer's var/eutf.sqlite)."""
    path = tmp_path_factory.mktemp("store") / "eutf.sqlite"
    os.environ["EUTF_DATABASE_URL"] = f"sqlite:///{path}"
    yield
    os.environ.pop("EUTF_DATABASE_URL", None)


# --- which engines were tested: said at the start and at the end of every run ---------------

_outcomes: Counter = Counter()


def pytest_report_header(config):
    problem = postgres_problem()
    postgres = f"postgresql ({make_url(POSTGRES_URL).render_as_string(hide_password=True)})"
    if problem:
        postgres = f"postgresql NOT AVAILABLE, {'its tests fail' if REQUIRE_POSTGRES else 'its tests skip'} ({problem})"
    return f"store engines: sqlite, {postgres}"


def pytest_runtest_logreport(report):
    engine = next((e for e in ENGINES if f"[{e}" in report.nodeid), None)
    if engine and (report.when == "call" or report.outcome != "passed"):
        _outcomes[engine, report.outcome] += 1


def pytest_terminal_summary(terminalreporter):
    lines = []
    for engine in ENGINES:
        counts = ", ".join(
            f"{_outcomes[engine, o]} {o}" for o in ("passed", "failed", "skipped") if _outcomes[engine, o]
        )
        lines.append(f"{engine}: {counts or 'no test ran'}")
    terminalreporter.write_sep("=", "store tests by engine: " + "; ".join(lines))
