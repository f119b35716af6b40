"""Which database the store uses and the pool limits of one process."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import TimeoutError as PoolTimeout

from store.db import DEFAULT_SQLITE, DatabaseSettings, database_settings, make_engine


def _secrets(tmp_path, text: str):
    path = tmp_path / "secrets.toml"
    path.write_text(text, encoding="utf-8")
    return (path,)


def test_default_is_the_sqlite_file_beside_the_app(tmp_path):
    assert database_settings({}, ()) == DatabaseSettings(url=f"sqlite:///{DEFAULT_SQLITE}")


def test_environment_then_secrets_then_default(tmp_path):
    files = _secrets(tmp_path, '[database]\nurl = "postgresql://s@db/secret"\npool_size = 3\nmax_overflow = 0\n')
    assert database_settings({}, files).url == "postgresql+psycopg://s@db/secret"
    assert (database_settings({}, files).pool_size, database_settings({}, files).max_overflow) == (3, 0)
    env = {"DATABASE_URL": "postgres://d@db/plain", "EUTF_DB_POOL_SIZE": "8"}
    assert database_settings(env, files).url == "postgresql+psycopg://d@db/plain"
    assert database_settings(env, files).pool_size == 8, "the environment wins over the secrets file"
    env["EUTF_DATABASE_URL"] = "sqlite:///x.sqlite"
    assert database_settings(env, files).url == "sqlite:///x.sqlite"


def test_a_later_secrets_file_overrides_an_earlier_one(tmp_path):
    home = tmp_path / "home.toml"
    home.write_text('[database]\nurl = "sqlite:///home.sqlite"\npool_timeout = 4\n', encoding="utf-8")
    project = tmp_path / "project.toml"
    project.write_text('[database]\nurl = "sqlite:///project.sqlite"\n', encoding="utf-8")
    settings = database_settings({}, (home, project))
    assert (settings.url, settings.pool_timeout) == ("sqlite:///project.sqlite", 4)


@pytest.mark.parametrize(
    ("env", "message"),
    [({"EUTF_DB_POOL_SIZE": "five"}, "EUTF_DB_POOL_SIZE = 'five'"), ({"EUTF_DB_MAX_OVERFLOW": "-1"}, "-1")],
)
def test_a_bad_pool_figure_is_named(env, message):
    with pytest.raises(ValueError, match=message):
        database_settings(env, ())


def test_postgres_pool_limits_are_applied(postgres_database):
    limits = DatabaseSettings(url=postgres_database, pool_size=2, max_overflow=0, pool_timeout=1)
    engine = make_engine(postgres_database, limits)
    held = [engine.connect(), engine.connect()]
    with pytest.raises(PoolTimeout):
        engine.connect()  # a third session waits pool_timeout, then gets an error, not a third connection
    for conn in held:
        conn.close()
    with engine.connect():
        pass
    engine.dispose()


def test_head_revision_is_alembics_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from store.db import HEAD_REVISION, MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


def test_a_store_at_head_starts_without_alembic(tmp_path):
    """The first start migrates (Alembic); a restart on the migrated store reads one row and skips Alembic's import."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    script = "import sys; from store.db import make_engine, schema_revision; e = make_engine(sys.argv[1]); "
    script += "print('alembic' in sys.modules, schema_revision(e) if 'alembic' in sys.modules else '-')"

    def start() -> str:
        done = subprocess.run([sys.executable, "-c", script, url], cwd=ROOT, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    assert start() == "True 0004"  # migrated from nothing
    assert start() == "False -"  # already at head
