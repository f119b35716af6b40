"""Publish, list, read and restore immutable versions of an allocation dataset.

Every publish is one transaction that adds a version and its rows, or nothing: a failure
midway leaves the store exactly as before. A publish names the version it was prepared
against (``base``); when another version was published since, it raises
:class:`PublishConflict` and nothing is written. Versions are never updated or deleted; a
restore publishes an old version's rows again as a new version.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pandas as pd
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from domain import memory
from domain.dataset import DEFAULT_DATASET, SECTOR_COLUMNS
from domain.i18n import N_, _
from store.db import allocations, datasets, iati_sectors, iati_transactions, versions
from validation.reconcile import totals
from validation.schemas import Allocation

#: Who published a dataset's first version when the app seeded it (shown translated: :func:`publisher`).
SEED_PUBLISHER = N_("system (first start)")


def publisher(who: str, lang: str) -> str:
    """Who published a version, as shown in ``lang``: the app's own seeding is named in that language."""
    return _(who, lang) if who == SEED_PUBLISHER else who


class StoreError(Exception):
    """A publish or read that cannot be done; the message says why in plain words."""


class PublishConflict(StoreError):
    """Another version was published after the one this publish was prepared against.

    Attributes:
        base: the version the publish was prepared against (None: an empty store).
        latest: the version now published.
    """

    def __init__(self, base: int | None, latest: int | None):
        super().__init__(
            f"Version {latest} was published after the version {base} this file was checked against. "
            "Nothing was published: review the changes against the new version and publish again."
        )
        self.base = base
        self.latest = latest


@dataclass(frozen=True)
class VersionInfo:
    """One published version: who, when, which file, how much (EUR)."""

    number: int
    published_at: datetime
    published_by: str
    file_name: str
    file_sha256: str
    row_count: int
    total_eur: int
    national_eur: int
    regional_eur: int
    n_warnings: int
    comment: str
    base_number: int | None
    restored_from: int | None


_LIST_COLUMNS = ("countries", "objectives", "valletta_domains")


#: Rows sent to the database per INSERT (bounded memory for a million-row version).
INSERT_BATCH = 10_000


def _column_values(table: pd.DataFrame, column: str) -> list:
    """One column of a clean table as the database stores it (lists ``;``-joined, NULL for missing)."""
    series = table[column]
    if column in _LIST_COLUMNS:
        return [";".join(str(v) for v in value) for value in series]
    if column == "approval_date":
        return [None if pd.isna(value) else value.date() for value in series]
    if column in {"amount_eur", "dialogue_round"}:
        return [None if value is pd.NA else int(value) for value in series.astype(object)]
    return [None if pd.isna(value) else str(value) for value in series.astype(object)]


def _to_rows(table: pd.DataFrame, version_id: int, batch: int = INSERT_BATCH) -> Iterator[list[dict]]:
    """The rows of a version, ``batch`` at a time, column by column (no per-row Series)."""
    names = [c for c in allocations.columns.keys() if c not in ("version_id", "position", "source_row")]  # noqa: SIM118
    for start in range(0, len(table), batch):
        part = table.iloc[start : start + batch]
        columns = {name: _column_values(part, name) for name in names}
        yield [
            {"version_id": version_id, "position": start + i, "source_row": int(source_row)}
            | {name: columns[name][i] for name in names}
            for i, source_row in enumerate(part.index)
        ]


#: Rows fetched from the database at a time when a version is read back (bounded memory).
READ_BATCH = 50_000
#: The clean table's columns, in order (:class:`validation.schemas.Allocation`).
_CLEAN = list(Allocation.to_schema().columns)


def _lists(values, split, cache: dict) -> list:
    """The list of each stored ``;``-joined text; equal texts give the same list object (never mutate one)."""
    out = []
    for v in values:
        items = cache.get(v)
        if items is None:
            items = cache[v] = split(v) if v else []
        out.append(items)
    return out


def _frame_of(rows: list, caches: dict[str, dict]) -> pd.DataFrame:
    """The typed frame of a batch of ``(source_row, *clean columns)`` rows (see :data:`_CLEAN`)."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * (len(_CLEAN) + 1)
    out = pd.DataFrame(index=pd.Index(pd.array(columns[0], dtype="int64"), name="row"))
    for column, values in zip(_CLEAN, columns[1:], strict=True):
        if column == "countries":
            out[column] = _lists(values, lambda v: v.split(";"), caches[column])
        elif column in {"objectives", "valletta_domains"}:
            out[column] = _lists(values, lambda v: [int(x) for x in v.split(";")], caches[column])
        elif column in {"amount_eur", "dialogue_round"}:
            out[column] = pd.array([None if v is None else int(v) for v in values], dtype="Int64")
        elif column == "approval_date":
            out[column] = pd.to_datetime(pd.Series(values, index=out.index, dtype="object")).astype("datetime64[ns]")
        else:
            out[column] = pd.array(values, dtype="string")
    return out


def _from_batches(batches) -> pd.DataFrame:
    """The clean table of a version from its rows, :data:`READ_BATCH` at a time, as :class:`Allocation`.

    Each batch becomes typed columns at once (never a million dicts or Python rows at a time);
    list cells with the same stored text share one list object.
    """
    caches: dict[str, dict] = {c: {} for c in _LIST_COLUMNS}
    parts = [_frame_of(rows, caches) for rows in batches]
    frame = pd.concat(parts) if len(parts) > 1 else parts[0] if parts else _frame_of([], caches)
    del parts
    memory.release()  # the batches' rows and columns, just freed
    clean = Allocation.validate(frame, inplace=True)
    memory.release()  # the checks' intermediate arrays
    return clean


def _info(row) -> VersionInfo:
    published_at = row.published_at
    if published_at.tzinfo is None:  # SQLite keeps no zone: stored as UTC
        published_at = published_at.replace(tzinfo=UTC)
    return VersionInfo(
        number=row.number,
        published_at=published_at,
        published_by=row.published_by,
        file_name=row.file_name,
        file_sha256=row.file_sha256,
        row_count=row.row_count,
        total_eur=int(row.total_eur),
        national_eur=int(row.national_eur),
        regional_eur=int(row.regional_eur),
        n_warnings=row.n_warnings,
        comment=row.comment,
        base_number=row.base_number,
        restored_from=row.restored_from,
    )


class Store:
    """The versions of one named dataset in a database.

    Args:
        engine: from :func:`store.db.make_engine`.
        dataset: the dataset's name (default: the Mali communiqué dataset).
    """

    def __init__(self, engine: Engine, dataset: str = DEFAULT_DATASET):
        self.engine = engine
        self.dataset = dataset

    # --- reading ------------------------------------------------------------------------

    def _dataset_id(self, conn: Connection) -> int | None:
        return conn.execute(select(datasets.c.id).where(datasets.c.name == self.dataset)).scalar()

    def latest_number(self) -> int | None:
        """The newest version's number, or None for an empty store."""
        with self.engine.connect() as conn:
            return self._latest(conn)

    def _latest(self, conn: Connection) -> int | None:
        dataset_id = self._dataset_id(conn)
        if dataset_id is None:
            return None
        return conn.execute(select(func.max(versions.c.number)).where(versions.c.dataset_id == dataset_id)).scalar()

    def versions(self) -> list[VersionInfo]:
        """Every version, newest first."""
        with self.engine.connect() as conn:
            dataset_id = self._dataset_id(conn)
            if dataset_id is None:
                return []
            rows = conn.execute(
                select(versions).where(versions.c.dataset_id == dataset_id).order_by(versions.c.number.desc())
            ).all()
        return [_info(r) for r in rows]

    def info(self, number: int) -> VersionInfo:
        """One version's record.

        Raises:
            StoreError: when there is no such version.
        """
        match = [v for v in self.versions() if v.number == number]
        if not match:
            raise StoreError(f"There is no version {number} of '{self.dataset}'.")
        return match[0]

    def _version_id(self, conn: Connection, number: int | None) -> int:
        """The row id of version ``number`` (default: the latest) of this dataset.

        Raises:
            StoreError: when the store is empty or the version does not exist.
        """
        dataset_id = self._dataset_id(conn)
        number = self._latest(conn) if number is None else number
        version_id = conn.execute(
            select(versions.c.id).where(versions.c.dataset_id == dataset_id, versions.c.number == number)
        ).scalar()
        if version_id is None:
            raise StoreError(f"There is no version {number} of '{self.dataset}'.")
        return version_id

    def table(self, number: int | None = None) -> pd.DataFrame:
        """The allocation table of a version (default: the latest), as :class:`Allocation`.

        Raises:
            StoreError: when the store is empty or the version does not exist.
        """
        with self.engine.connect() as conn:
            version_id = self._version_id(conn, number)
            rows = conn.execute(
                select(allocations.c.source_row, *(allocations.c[c] for c in _CLEAN))
                .where(allocations.c.version_id == version_id)
                .order_by(allocations.c.position)
                .execution_options(yield_per=READ_BATCH)  # a server-side cursor on PostgreSQL
            )
            return _from_batches(rows.partitions())

    def transactions(self, number: int | None = None) -> pd.DataFrame:
        """The IATI transactions in euros stored with a version (default: the latest), in file order.

        Returns:
            The frame :func:`etl.iati_map.transactions_frame` gives (``line`` ``Int64``, the XML
            line in the published file; ``reference``, ``record_type``, ``transaction_type``
            ``string``; ``date`` ``datetime64[ns]``; ``value_eur`` ``Int64``, EUR); empty, with
            these columns, for a version published without transactions.

        Raises:
            StoreError: when the store is empty or the version does not exist.
        """
        return transactions_of(self._side_rows(iati_transactions, TRANSACTION_COLUMNS, number))

    def sectors(self, number: int | None = None) -> pd.DataFrame:
        """The IATI sectors stored with a version (default: the latest), in file order.

        Returns:
            The frame :func:`etl.iati_map.sectors_frame` gives (``line`` ``Int64``; ``reference``,
            ``record_type``, ``vocabulary``, ``code`` ``string``; ``percentage`` ``object``,
            :class:`~decimal.Decimal` or None); empty, with these columns, for a version published
            without sectors (every workbook, every version published before migration 0004).

        Raises:
            StoreError: when the store is empty or the version does not exist.
        """
        return sectors_of(self._side_rows(iati_sectors, SECTOR_COLUMNS, number))

    def _side_rows(self, table, columns: tuple[str, ...], number: int | None) -> list:
        """A version's rows of a side table (transactions, sectors): ``columns`` of each, in file order."""
        with self.engine.connect() as conn:
            version_id = self._version_id(conn, number)
            return conn.execute(
                select(*(table.c[c] for c in columns))
                .where(table.c.version_id == version_id)
                .order_by(table.c.position)
            ).all()

    # --- writing ------------------------------------------------------------------------

    def publish(
        self,
        table: pd.DataFrame,
        *,
        base: int | None,
        by: str,
        file_name: str,
        file_sha256: str,
        comment: str = "",
        n_warnings: int = 0,
        restored_from: int | None = None,
        transactions: pd.DataFrame | None = None,
        sectors: pd.DataFrame | None = None,
    ) -> VersionInfo:
        """Publish a clean allocation table as the next version, in one transaction.

        Args:
            table: :class:`validation.schemas.Allocation` (validated again here).
            base: the version the table was checked against (None for an empty store).
            by: who publishes (user name or e-mail).
            file_name: the uploaded file's name.
            file_sha256: the SHA-256 of its bytes.
            comment: why.
            n_warnings: warnings the publisher confirmed.
            restored_from: the old version whose rows these are, for a restore.
            transactions: an IATI file's transactions in euros
                (:func:`etl.iati_map.transactions_frame`: ``line``, ``reference``, ``record_type``,
                ``transaction_type``, ``date``, ``value_eur`` ``Int64``), stored with the version in
                the same transaction; None or empty: the version has none.
            sectors: an IATI file's sectors (:func:`etl.iati_map.sectors_frame`), stored likewise.

        Returns:
            The new version's record.

        Raises:
            PublishConflict: another version was published since ``base``; nothing written.
            pandera.errors.SchemaError: the table is not a clean allocation table.
        """
        clean = Allocation.validate(table)
        is_decision = (clean["record_type"] == "decision").to_numpy(dtype=bool)
        # contracts are inside their decisions' budgets; a file of decisions only is not copied by a mask
        decisions = clean if is_decision.all() else clean[is_decision]
        by_scope = totals(decisions)  # the one rule for national and regional totals
        national, regional = by_scope["national"][1], by_scope["regional"][1]
        now = datetime.now(UTC)
        try:
            with self.engine.begin() as conn:
                dataset_id = self._dataset_id(conn)
                if dataset_id is None:
                    dataset_id = conn.execute(
                        insert(datasets).values(name=self.dataset, created_at=now).returning(datasets.c.id)
                    ).scalar_one()
                latest = self._latest(conn)
                if latest != base:
                    raise PublishConflict(base, latest)
                number = (latest or 0) + 1
                version_id = conn.execute(
                    insert(versions)
                    .values(
                        dataset_id=dataset_id,
                        number=number,
                        base_number=base,
                        restored_from=restored_from,
                        published_at=now,
                        published_by=by,
                        file_name=file_name,
                        file_sha256=file_sha256,
                        row_count=len(decisions),
                        total_eur=national + regional,
                        national_eur=national,
                        regional_eur=regional,
                        n_warnings=n_warnings,
                        comment=comment,
                    )
                    .returning(versions.c.id)
                ).scalar_one()
                for rows in _to_rows(clean, version_id):
                    _insert_rows(conn, rows)
                for rows in _side_rows(transactions, version_id, TRANSACTION_COLUMNS, _transaction_row):
                    _insert_transactions(conn, rows)
                for rows in _side_rows(sectors, version_id, SECTOR_COLUMNS, _sector_row):
                    conn.execute(insert(iati_sectors), rows)
        except IntegrityError as exc:  # a concurrent publish took the same number
            raise PublishConflict(base, self.latest_number()) from exc
        return self.info(number)

    def restore(self, number: int, *, base: int | None, by: str, comment: str = "") -> VersionInfo:
        """Publish version ``number``'s rows again as a new version (nothing is deleted).

        Raises:
            StoreError: no such version.
            PublishConflict: as :meth:`publish`.
        """
        old = self.info(number)
        return self.publish(
            self.table(number),
            base=base,
            by=by,
            file_name=old.file_name,
            file_sha256=old.file_sha256,
            comment=comment or f"Restore of version {number}",
            n_warnings=old.n_warnings,
            restored_from=number,
            transactions=self.transactions(number),
            sectors=self.sectors(number),
        )


def dataset_names(engine: Engine) -> list[str]:
    """Names of the datasets that have at least one version: the default first, then by creation."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(datasets.c.name)
            .where(select(versions.c.id).where(versions.c.dataset_id == datasets.c.id).exists())
            .order_by(datasets.c.created_at, datasets.c.id)
        ).scalars()
        names = list(rows)
    return sorted(names, key=lambda n: n != DEFAULT_DATASET)


#: The columns of a version's transactions, in order (:func:`etl.iati_map.transactions_frame`).
TRANSACTION_COLUMNS = ("line", "reference", "record_type", "transaction_type", "date", "value_eur")


def transactions_of(rows: list) -> pd.DataFrame:
    """The typed transactions frame of stored rows, each :data:`TRANSACTION_COLUMNS` in order."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(TRANSACTION_COLUMNS)
    data = dict(zip(TRANSACTION_COLUMNS, columns, strict=True))
    return pd.DataFrame(
        {
            "line": pd.array([None if v is None else int(v) for v in data["line"]], dtype="Int64"),
            "reference": pd.array(data["reference"], dtype="string"),
            "record_type": pd.array(data["record_type"], dtype="string"),
            "transaction_type": pd.array(data["transaction_type"], dtype="string"),
            "date": pd.to_datetime(pd.Series(data["date"], dtype="object")).astype("datetime64[ns]"),
            "value_eur": pd.array([int(v) for v in data["value_eur"]], dtype="Int64"),
        }
    )


def _side_rows(
    frame: pd.DataFrame | None, version_id: int, columns: tuple[str, ...], row_of, batch: int = INSERT_BATCH
) -> Iterator[list[dict]]:
    """A version's side table (an IATI file's transactions or sectors) as rows to insert, ``batch`` at a time.

    ``row_of`` turns one row's values (column -> Python value) into the table's columns; nothing is
    yielded for None or an empty frame.
    """
    if frame is None or frame.empty:
        return
    for start in range(0, len(frame), batch):
        part = frame.iloc[start : start + batch]
        values = {c: part[c].astype(object).tolist() for c in columns}
        yield [
            {"version_id": version_id, "position": start + i, **row_of({c: values[c][i] for c in columns})}
            for i in range(len(part))
        ]


def _transaction_row(v: dict) -> dict:
    return {
        "line": None if pd.isna(v["line"]) else int(v["line"]),
        "reference": str(v["reference"]),
        "record_type": str(v["record_type"]),
        "transaction_type": None if pd.isna(v["transaction_type"]) else str(v["transaction_type"]),
        "date": None if pd.isna(v["date"]) else pd.Timestamp(v["date"]).date(),
        "value_eur": int(v["value_eur"]),
    }


def _sector_row(v: dict) -> dict:
    return {
        "line": None if pd.isna(v["line"]) else int(v["line"]),
        **{c: str(v[c]) for c in ("reference", "record_type", "vocabulary", "code")},
        "percentage": None if v["percentage"] is None else Decimal(v["percentage"]),
    }


def sectors_of(rows: list) -> pd.DataFrame:
    """The typed sectors frame of stored rows, each :data:`SECTOR_COLUMNS` in order."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(SECTOR_COLUMNS)
    data = dict(zip(SECTOR_COLUMNS, columns, strict=True))
    return pd.DataFrame(
        {
            "line": pd.array([None if v is None else int(v) for v in data["line"]], dtype="Int64"),
            **{c: pd.array(data[c], dtype="string") for c in ("reference", "record_type", "vocabulary", "code")},
            "percentage": pd.Series(
                [None if v is None else Decimal(v).normalize() for v in data["percentage"]], dtype="object"
            ),
        }
    )


def _insert_transactions(conn: Connection, rows: list[dict]) -> None:
    """Insert a version's transactions (a seam for tests that inject a failure midway)."""
    if rows:
        conn.execute(insert(iati_transactions), rows)


def _insert_rows(conn: Connection, rows: list[dict]) -> None:
    """Insert a version's rows (a seam for tests that inject a failure midway)."""
    if rows:
        conn.execute(insert(allocations), rows)
