"""The versioned store: immutable versions, atomic publish, conflicts, restore, diff, migrations.

Every test that takes ``store`` or ``db_url`` runs on SQLite and on PostgreSQL (see conftest).
"""

from __future__ import annotations

import threading

import pandas as pd
import pandera.pandas as pa
import pytest

import store.versions as versions_module
from analysis.diff import diff
from etl.catalog import ALLOCATIONS_XLSX
from seed.public import seed_if_empty
from store.db import HEAD_REVISION, allocations, make_engine, versions
from store.versions import PublishConflict, Store, StoreError
from tests.builders import rows, xlsx_bytes
from validation.pipeline import load_bytes


@pytest.fixture
def store(db_url):
    s = Store(make_engine(db_url))
    seed_if_empty(s)
    yield s
    s.engine.dispose()


def _table(**changes) -> pd.DataFrame:
    result = load_bytes(xlsx_bytes(rows(**changes)), "update.xlsx")
    assert result.dataset is not None, result.report.text()
    return result.dataset.allocations


def _rows(store: Store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        return len(conn.execute(versions.select()).all()), len(conn.execute(allocations.select()).all())


def test_seed_is_version_one_and_round_trips(store):
    assert store.latest_number() == 1
    info = store.info(1)
    assert (info.row_count, info.total_eur, info.national_eur, info.regional_eur) == (
        9,
        145_100_000,
        91_500_000,
        53_600_000,
    )
    assert info.published_by == "system (first start)"
    shipped = load_bytes(ALLOCATIONS_XLSX.read_bytes(), "x").dataset.allocations
    pd.testing.assert_frame_equal(store.table(1), shipped)
    assert seed_if_empty(store) is None, "seeding twice does nothing"


def test_a_version_read_back_in_batches_is_the_same_table(store, monkeypatch):
    """Read a few rows at a time (as a million rows are): the same frame; equal list cells share one list."""
    whole = store.table(1)
    monkeypatch.setattr(versions_module, "READ_BATCH", 2)
    batched = store.table(1)
    pd.testing.assert_frame_equal(batched, whole)
    assert batched["countries"].tolist() == whole["countries"].tolist()
    ml = [cell for cell in batched["countries"] if cell == ["ML"]]
    assert len(ml) > 1
    assert all(cell is ml[0] for cell in ml)


def test_publish_adds_a_version_and_keeps_the_old_one(store):
    info = store.publish(
        _table(H5=13_500_000), base=1, by="analyst", file_name="u.xlsx", file_sha256="ab" * 32, comment="top-up"
    )
    assert info.number == 2
    assert info.total_eur == 145_600_000
    assert store.table(2).set_index("reference").at["T05-EUTF-SAH-ML-04", "amount_eur"] == 13_500_000
    assert store.table(1).set_index("reference").at["T05-EUTF-SAH-ML-04", "amount_eur"] == 13_000_000
    assert [v.number for v in store.versions()] == [2, 1]
    assert store.info(2).base_number == 1


def test_publish_is_atomic_under_a_failure_midway(store, monkeypatch):
    before = _rows(store)

    def half_then_fail(conn, rows_):
        conn.execute(allocations.insert(), rows_[: len(rows_) // 2])
        raise RuntimeError("disk full")

    monkeypatch.setattr(versions_module, "_insert_rows", half_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        store.publish(_table(H5=1), base=1, by="a", file_name="f", file_sha256="0" * 64)
    assert _rows(store) == before
    assert store.latest_number() == 1


def test_second_publish_from_the_same_base_is_a_conflict(store):
    store.publish(_table(H5=13_500_000), base=1, by="first", file_name="a.xlsx", file_sha256="a" * 64)
    with pytest.raises(PublishConflict) as conflict:
        store.publish(_table(H6=6_500_000), base=1, by="second", file_name="b.xlsx", file_sha256="b" * 64)
    assert (conflict.value.base, conflict.value.latest) == (1, 2)
    assert "Nothing was published" in str(conflict.value)
    assert [v.published_by for v in store.versions()] == ["first", "system (first start)"]
    # the second analyst reviews the new diff and publishes on top: nothing is lost
    info = store.publish(_table(H6=6_500_000), base=2, by="second", file_name="b.xlsx", file_sha256="b" * 64)
    assert info.number == 3


def test_concurrent_publishes_one_wins(db_url):
    url = db_url
    seed_if_empty(Store(make_engine(url)))
    outcomes = []
    barrier = threading.Barrier(2)

    def publish(who):
        s = Store(make_engine(url))
        table = _table(H5=13_000_001 if who == "a" else 13_000_002)
        barrier.wait()
        try:
            outcomes.append(("ok", s.publish(table, base=1, by=who, file_name=who, file_sha256=who * 64).number))
        except PublishConflict:
            outcomes.append(("conflict", None))

    threads = [threading.Thread(target=publish, args=(w,)) for w in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o[0] for o in outcomes) == ["conflict", "ok"]
    assert Store(make_engine(url)).latest_number() == 2


def test_restore_publishes_the_old_rows_again(store):
    store.publish(_table(H5=13_500_000), base=1, by="a", file_name="u.xlsx", file_sha256="c" * 64)
    info = store.restore(1, base=2, by="b")
    assert (info.number, info.restored_from) == (3, 1)
    assert info.comment == "Restore of version 1"
    pd.testing.assert_frame_equal(store.table(3), store.table(1))
    assert len(store.versions()) == 3, "nothing is deleted"


def test_restore_of_a_missing_version(store):
    with pytest.raises(StoreError, match="no version 7"):
        store.restore(7, base=1, by="b")


def test_an_invalid_table_is_never_stored(store):
    bad = store.table(1).assign(amount_eur=pd.array([-1] * 9, dtype="Int64"))
    with pytest.raises(pa.errors.SchemaError):
        store.publish(bad, base=1, by="a", file_name="f", file_sha256="0" * 64)
    assert store.latest_number() == 1


def test_diff_names_added_removed_and_changed(store):
    old = store.table(1)
    new = _table(H5=13_500_000, A10="T05-EUTF-SAH-REG-05")
    change = diff(old, new)
    assert list(change.added["reference"]) == ["T05-EUTF-SAH-REG-05"]
    assert list(change.removed["reference"]) == ["T05-EUTF-SAH-REG-04"]
    amount = change.changed[change.changed["field"] == "amount_eur"]
    assert amount.to_dict("records") == [
        {
            "reference": "T05-EUTF-SAH-ML-04",
            "field": "amount_eur",
            "old": 13_000_000,
            "new": 13_500_000,
            "delta_eur": 500_000,
        }
    ]
    assert change.totals.at["national", "delta_eur"] == 500_000
    assert diff(old, old).empty


def test_a_project_after_the_last_dialogue_round_trips(store):
    from datetime import datetime

    table = _table(I8=datetime(2018, 3, 1), M8=None)  # REG-01 approved after the last dated dialogue
    assert table.set_index("reference")["dialogue_round"].isna().sum() == 1
    info = store.publish(table, base=1, by="a", file_name="late.xlsx", file_sha256="d" * 64)
    back = store.table(info.number)
    pd.testing.assert_frame_equal(back, table)


def test_the_migrations_build_exactly_the_tables_the_code_uses(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from store.db import MIGRATIONS, metadata, schema_revision

    engine = make_engine(db_url)
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert schema_revision(engine) == head
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    make_engine(db_url)  # a second start finds nothing to do
    assert schema_revision(engine) == head
    engine.dispose()


def test_a_store_made_before_migrations_is_stamped_and_kept(db_url):
    from store.db import BASELINE_REVISION, metadata, schema_revision

    legacy = make_engine(db_url, migrate=False)
    metadata.create_all(legacy)  # how the store was made before Alembic
    seed_if_empty(Store(legacy))
    assert schema_revision(legacy) is None
    engine = make_engine(db_url)
    assert BASELINE_REVISION == "0001"
    assert schema_revision(engine) == HEAD_REVISION == "0004"  # stamped with the baseline, then migrated
    s = Store(engine)
    assert (s.latest_number(), s.info(1).total_eur) == (1, 145_100_000)
    assert len(s.table(1)) == 9
    legacy.dispose()
    engine.dispose()


def test_a_store_of_the_first_revision_gains_record_types_and_keeps_its_rows(db_url):
    from sqlalchemy import text

    from store.db import schema_revision, upgrade

    engine = make_engine(db_url, migrate=False)
    upgrade(engine, "0001")  # the schema before decisions and contracts
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO dataset (id, name, created_at) VALUES (1, 'Mali — joint communiqué of 11 Dec 2016', "
                "'2026-11-30 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO version (id, dataset_id, number, published_at, published_by, file_name, file_sha256, "
                "row_count, total_eur, national_eur, regional_eur, n_warnings, comment) VALUES (1, 1, 1, "
                "'2026-11-30 00:00:00', 'old', 'old.xlsx', :sha, 1, 20000000, 20000000, 0, 0, 'before 0002')"
            ),
            {"sha": "e" * 64},
        )
        conn.execute(
            text(
                'INSERT INTO allocation (version_id, position, source_row, reference, title, "window", scope, '
                "countries, objectives, valletta_domains, amount_eur, amount_basis, dialogue_round) VALUES "
                "(1, 0, 2, 'T05-EUTF-SAH-ML-01', 'Résilience', 'SAH', 'national', 'ML', '2', '', 20000000, "
                "'inferred', 1)"
            )
        )
    assert schema_revision(engine) == "0001"
    upgrade(engine)
    assert schema_revision(engine) == HEAD_REVISION  # and on to the newest
    old = Store(engine).table(1)
    assert old["record_type"].tolist() == ["decision"]
    assert old["parent_reference"].isna().all()
    assert int(old["amount_eur"].sum()) == 20_000_000
    engine.dispose()
