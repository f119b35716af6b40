"""The versioned store's tables, settings and engine (SQLAlchemy Core; SQLite or PostgreSQL).

Only portable SQL is used: integer keys, ``BigInteger`` euros, ``Date``/``DateTime`` columns,
a unique constraint that decides publish races. Nothing is ever updated or deleted. The schema
is created and migrated by Alembic (``store/migrations``), the same scripts for both engines;
``metadata`` below is what the newest migration produces.

The database is chosen, first match wins, by ``EUTF_DATABASE_URL``, ``DATABASE_URL``, the
``[database] url`` entry of ``.streamlit/secrets.toml``; the default is the SQLite file
``var/eutf.sqlite`` beside the app. PostgreSQL URLs use psycopg 3:
``postgresql+psycopg://user:password@host:5432/name``.
"""

from __future__ import annotations

import os
import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Connection, Engine

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "var" / "eutf.sqlite"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The first migration: the schema as ``metadata.create_all`` made it before Alembic.
BASELINE_REVISION = "0001"
#: The newest migration of ``store/migrations/versions`` (a test checks it against Alembic's
#: head): a store already there starts without importing Alembic.
HEAD_REVISION = "0004"
#: Read in this order, a later file overriding an earlier one, as Streamlit reads its secrets.
SECRETS_FILES = (Path.home() / ".streamlit" / "secrets.toml", ROOT / ".streamlit" / "secrets.toml")
#: Serialises schema upgrades of instances that start at the same time (PostgreSQL advisory lock key).
MIGRATION_LOCK_KEY = 0x45555446  # "EUTF"
# Alembic's ``context``/``op`` are module-level proxies: one migration at a time per process.
_MIGRATING = threading.Lock()


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

#: A version's IATI transactions in euros (:func:`etl.iati_map.transactions_frame`), stored with it
#: (migration 0003); a version of a file without transactions has none.
iati_transactions = Table(
    "iati_transaction",
    metadata,
    Column("version_id", Integer, ForeignKey("version.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("line", Integer),
    Column("reference", String(100), nullable=False),
    Column("record_type", String(10), nullable=False),
    Column("transaction_type", Text),
    Column("date", Date),
    Column("value_eur", BigInteger, nullable=False),
)
#: An IATI file's sectors, stored with the version (:func:`etl.iati_map.sectors_frame`; migration 0004).
iati_sectors = Table(
    "iati_sector",
    metadata,
    Column("version_id", Integer, ForeignKey("version.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("line", Integer),
    Column("reference", String(100), nullable=False),
    Column("record_type", String(10), nullable=False),
    Column("vocabulary", String(20), nullable=False),
    Column("code", String(100), nullable=False),
    Column("percentage", Numeric(9, 4)),
)


@dataclass(frozen=True)
class DatabaseSettings:
    """Where the store is and how many connections one process may hold.

    The pool figures apply to PostgreSQL; each dashboard process (instance) holds at most
    ``pool_size + max_overflow`` connections, so N instances need N times that on the server
    (PostgreSQL's default ``max_connections`` is 100).

    Attributes:
        url: the SQLAlchemy URL (``sqlite:///path`` or ``postgresql+psycopg://...``).
        pool_size: connections kept open per process (default 5).
        max_overflow: extra connections opened under load and closed after (default 5).
        pool_timeout: seconds a session waits for a free connection before an error (default 10).
        pool_recycle: seconds after which an idle connection is replaced (default 1800), shorter
            than the idle cut-off of firewalls and proxies between app and database.
        connect_timeout: seconds to wait for the server to answer a new connection (default 5),
            so that an unreachable database is reported in that time, not after TCP's minutes.
    """

    url: str
    pool_size: int = 5
    max_overflow: int = 5
    pool_timeout: int = 10
    pool_recycle: int = 1800
    connect_timeout: int = 5


_POOL_KEYS = ("pool_size", "max_overflow", "pool_timeout", "pool_recycle", "connect_timeout")


def _secrets_database(files: tuple[Path, ...]) -> dict:
    merged: dict = {}
    for path in files:
        if path.is_file():
            with path.open("rb") as handle:
                merged.update(tomllib.load(handle).get("database", {}))
    return merged


def normalize_url(url: str) -> str:
    """Give a bare PostgreSQL URL the psycopg 3 driver this project installs.

    ``postgres://`` and ``postgresql://`` (as hosting services set ``DATABASE_URL``) become
    ``postgresql+psycopg://``; any other URL is returned unchanged.
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def database_settings(
    environ: os._Environ | dict | None = None, secrets_files: tuple[Path, ...] = SECRETS_FILES
) -> DatabaseSettings:
    """The configured database and pool limits.

    Each value is taken from the environment first (``EUTF_DATABASE_URL``, then ``DATABASE_URL``;
    ``EUTF_DB_POOL_SIZE``, ``EUTF_DB_MAX_OVERFLOW``, ``EUTF_DB_POOL_TIMEOUT``,
    ``EUTF_DB_POOL_RECYCLE``, ``EUTF_DB_CONNECT_TIMEOUT``), then from the ``[database]`` table of
    the secrets files (``url``, ``pool_size``, ``max_overflow``, ``pool_timeout``,
    ``pool_recycle``, ``connect_timeout``), else the defaults of :class:`DatabaseSettings`.

    Raises:
        ValueError: a pool figure that is not a whole number >= 0 (naming where it was set).
    """
    environ = os.environ if environ is None else environ
    secrets = _secrets_database(secrets_files)
    url = environ.get("EUTF_DATABASE_URL") or environ.get("DATABASE_URL") or secrets.get("url")
    figures: dict[str, int] = {}
    for key in _POOL_KEYS:
        env_key = f"EUTF_DB_{key.upper()}"
        raw, where = (environ[env_key], env_key) if environ.get(env_key) else (secrets.get(key), f"[database] {key}")
        if raw is None:
            continue
        try:
            figures[key] = int(raw)
        except (TypeError, ValueError):
            figures[key] = -1
        if figures[key] < 0:
            raise ValueError(f"{where} = {raw!r}: give a whole number, 0 or more.")
    return DatabaseSettings(url=normalize_url(str(url)) if url else f"sqlite:///{DEFAULT_SQLITE}", **figures)


def database_url() -> str:
    """The configured database URL (see :func:`database_settings`)."""
    return database_settings().url


def make_engine(url: str | None = None, settings: DatabaseSettings | None = None, *, migrate: bool = True) -> Engine:
    """Create the engine (one pool) of the store and bring its schema to the newest migration.

    SQLite files get their folder created, foreign keys on, and a busy timeout so that two
    writers wait for each other instead of failing at once. PostgreSQL gets a bounded pool
    whose connections are checked before use (``pool_pre_ping``): after the server was down or
    restarted, dead connections are replaced instead of failing the next page.

    Args:
        url: the database (default: the configured one, :func:`database_settings`).
        settings: pool limits (default: the configured ones).
        migrate: run :func:`upgrade` (Alembic ``upgrade head``) before returning.

    Raises:
        sqlalchemy.exc.OperationalError: when the database cannot be reached.
    """
    settings = settings or database_settings()
    url = normalize_url(url or settings.url)
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    else:
        engine = create_engine(
            url,
            pool_size=settings.pool_size,
            max_overflow=settings.max_overflow,
            pool_timeout=settings.pool_timeout,
            pool_recycle=settings.pool_recycle,
            pool_pre_ping=True,
            connect_args={"connect_timeout": settings.connect_timeout},
        )
    if migrate and _revision_without_alembic(engine) != HEAD_REVISION:
        upgrade(engine)
    return engine


def _revision_without_alembic(engine: Engine) -> str | None:
    """The schema's revision read with one query (None when there is no ``alembic_version`` yet)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None


def _alembic_config(connection: Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the schema to ``revision`` (default: the newest), in one transaction.

    A database made before Alembic (the tables without ``alembic_version``) is first stamped
    with :data:`BASELINE_REVISION`. On PostgreSQL an advisory lock makes instances that start
    together migrate one after the other; the second finds nothing left to do. On a SQLite
    file, an exclusive lock on ``<file>.migrate.lock`` does the same for processes of this
    machine. Within one process, threads migrate one at a time (Alembic's context is
    process-global).

    Raises:
        sqlalchemy.exc.OperationalError: when the database cannot be reached.
    """
    from alembic import command

    with _MIGRATING, _file_lock(engine), engine.begin() as connection:
        command.upgrade(_alembic_config(connection), revision)


@contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """Hold an exclusive lock beside a SQLite file while migrating it (nothing for other databases)."""
    path = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return
    import fcntl

    with open(f"{path}.migrate.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def schema_revision(engine: Engine) -> str | None:
    """The schema's Alembic revision (None: no schema yet)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
