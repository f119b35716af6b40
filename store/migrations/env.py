"""Alembic environment: migrates the connection :func:`store.db.upgrade` hands over.

Run through ``store.db.upgrade`` (the app at startup, ``python -m cli migrate``), or Alembic's own
command line from the project folder (``alembic revision --autogenerate -m ...``),
which connects to the configured database (:func:`store.db.database_settings`).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import inspect, text

from store.db import BASELINE_REVISION, MIGRATION_LOCK_KEY, make_engine, metadata


def _migrate(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # held until this transaction ends: instances starting together migrate in turn
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        migration = context.get_context()
        tables = inspect(connection).get_table_names()
        if "version" in tables and "alembic_version" not in tables:
            # made by metadata.create_all before migrations existed: that schema is the baseline
            migration.stamp(context.script, BASELINE_REVISION)
        context.run_migrations()


def _run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = make_engine(migrate=False)
    try:
        with engine.begin() as connection:
            _migrate(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported: run them against the database.")
_run()
