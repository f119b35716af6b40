"""The versioned store's tables and engine (SQLAlchemy Core; SQLite by default, PostgreSQL-ready).

Only portable SQL is used: integer keys, ``BigInteger`` euros, ``Date``/``DateTime`` columns,
a unique constraint that decides publish races. Nothing is ever updated or deleted.

The database is chosen by ``EUTF_DATABASE_URL`` (or ``DATABASE_URL``); the default is the
SQLite file ``var/eutf.sqlite`` beside the app.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine

DEFAULT_SQLITE = Path(__file__).resolve().parent.parent / "var" / "eutf.sqlite"

metadata = MetaData()

datasets = Table(
    "dataset",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

versions = Table(
    "version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", Integer, ForeignKey("dataset.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("base_number", Integer),
    Column("restored_from", Integer),
    Column("published_at", DateTime(timezone=True), nullable=False),
    Column("published_by", String(200), nullable=False),
    Column("file_name", String(500), nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("total_eur", BigInteger, nullable=False),
    Column("national_eur", BigInteger, nullable=False),
    Column("regional_eur", BigInteger, nullable=False),
    Column("n_warnings", Integer, nullable=False),
    Column("comment", Text, nullable=False),
    # one version number per dataset: the constraint that makes the second of two
    # concurrent publishes fail instead of both landing
    UniqueConstraint("dataset_id", "number", name="uq_version_number"),
)

allocations = Table(
    "allocation",
    metadata,
    Column("version_id", Integer, ForeignKey("version.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("source_row", Integer, nullable=False),
    Column("reference", String(100), nullable=False),
    Column("title", Text, nullable=False),
    Column("window", String(3), nullable=False),
    Column("scope", String(10), nullable=False),
    Column("countries", Text, nullable=False),
    Column("objectives", Text, nullable=False),
    Column("valletta_domains", Text, nullable=False),
    Column("theme", Text),
    Column("amount_eur", BigInteger, nullable=False),
    Column("amount_basis", String(10), nullable=False),
    Column("approval_date", Date),
    Column("dialogue_round", Integer),
    Column("round_basis", String(10)),
    Column("implementing_partner", Text),
    Column("source", Text),
    Column("record_type", String(10), nullable=False, server_default="decision"),
    Column("parent_reference", String(100)),
)


def database_url() -> str:
    """The configured database URL: ``EUTF_DATABASE_URL``, ``DATABASE_URL``, else the SQLite default."""
    return os.environ.get("EUTF_DATABASE_URL") or os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"


def make_engine(url: str | None = None) -> Engine:
    """Create an engine and the tables if missing.

    SQLite files get their folder created, foreign keys on, and a busy timeout so that two
    writers wait for each other instead of failing at once.

    Raises:
        sqlalchemy.exc.OperationalError: when the database cannot be reached.
    """
    url = url or database_url()
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30} if url.startswith("sqlite") else {})
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    metadata.create_all(engine)
    return engine
