"""DAC sectors of an IATI file: read as written, stored with the version, split by the stated rule."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import text

from analysis.sectors import by_sector, percentage_split, sector_shares
from etl.codelists import dac_sectors, sector_name
from store.db import HEAD_REVISION, make_engine, schema_revision, upgrade
from store.versions import Store
from tests.test_iati import BUDGET, _activity, _file
from validation.pipeline import load_bytes


def _sector(code: str, percentage: str | None = None, vocabulary: str = "1") -> str:
    share = f' percentage="{percentage}"' if percentage is not None else ""
    return f'<sector vocabulary="{vocabulary}" code="{code}"{share}/>'


#: Three decisions and a contract: 60/40 over two DAC sectors (an odd euro to place), three sectors
#: without percentages, no sector at all; the contract's sector is never counted.
FILE = _file(
    _activity(
        "XI-IATI-EC_DEVCO_T05-EUTF-SAH-ML-04",
        '<activity-scope code="4"/><recipient-country code="ML" percentage="100"/>'
        + _sector("15190", "60")
        + _sector("16020", "40")
        + _sector("152", vocabulary="2")  # a DAC 3-digit category: another vocabulary, not counted here
        + BUDGET.format(v="10000001"),
    ),
    _activity(
        "XI-IATI-EC_DEVCO_T05-EUTF-SAH-NE-07",
        '<activity-scope code="4"/><recipient-country code="NE" percentage="100"/>'
        + _sector("11330")
        + _sector("16020")
        + _sector("72010")
        + BUDGET.format(v="10"),
    ),
    _activity(
        "XI-IATI-EC_DEVCO_T05-EUTF-SAH-BF-02",
        '<activity-scope code="4"/><recipient-country code="BF" percentage="100"/>' + BUDGET.format(v="5000000"),
    ),
    _activity(
        "XI-IATI-EC_DEVCO_T05-EUTF-SAH-ML-04-01",
        '<activity-scope code="4"/><recipient-country code="ML" percentage="100"/>'
        + _sector("15190")
        + BUDGET.format(v="4000000")
        + '<related-activity ref="XI-IATI-EC_DEVCO_T05-EUTF-SAH-ML-04" type="1"/>',
    ),
)


@pytest.fixture(scope="module")
def loaded():
    result = load_bytes(FILE, "sectors.xml")
    assert result.dataset is not None, result.report.text()
    return result


def test_the_sectors_are_read_as_written(loaded):
    sectors = loaded.sectors
    assert sectors["code"].tolist() == ["15190", "16020", "152", "11330", "16020", "72010", "15190"]
    assert sectors["vocabulary"].tolist() == ["1", "1", "2", "1", "1", "1", "1"]
    assert sectors["percentage"].tolist() == [Decimal(60), Decimal(40), None, None, None, None, None]
    assert sectors["record_type"].tolist() == ["decision"] * 6 + ["contract"]
    assert sectors["reference"].iloc[0] == "T05-EUTF-SAH-ML-04"


def test_the_split_rule_counts_each_decision_once_to_the_euro(loaded):
    decisions = loaded.dataset.allocations
    shares = sector_shares(decisions, loaded.sectors)
    assert shares.to_dict("records") == [
        {"reference": "T05-EUTF-SAH-ML-04", "code": "15190", "amount_eur": 6_000_001, "split": "percentage"},
        {"reference": "T05-EUTF-SAH-ML-04", "code": "16020", "amount_eur": 4_000_000, "split": "percentage"},
        {"reference": "T05-EUTF-SAH-NE-07", "code": "11330", "amount_eur": 4, "split": "equal"},
        {"reference": "T05-EUTF-SAH-NE-07", "code": "16020", "amount_eur": 3, "split": "equal"},
        {"reference": "T05-EUTF-SAH-NE-07", "code": "72010", "amount_eur": 3, "split": "equal"},
        {"reference": "T05-EUTF-SAH-BF-02", "code": None, "amount_eur": 5_000_000, "split": None},
    ]
    table = by_sector(decisions, loaded.sectors)
    assert table["code"].tolist()[:3] == ["15190", "16020", "11330"]
    assert table["code"].isna().tolist()[-1], "no sector given comes last"
    assert int(table["amount_eur"].sum()) == int(decisions["amount_eur"].sum()) == 15_000_011
    row = table.set_index(table["code"].fillna("none")).loc["16020"]
    assert (int(row["amount_eur"]), int(row["split_eur"]), int(row["n_projects"])) == (4_000_003, 4_000_003, 2)


@pytest.mark.parametrize(
    ("amount", "percentages", "shares"),
    [
        (100, ["50", "25", "25"], [50, 25, 25]),
        (10, ["1", "1", "1"], [4, 3, 3]),
        (10_000_001, ["60", "40"], [6_000_001, 4_000_000]),
        (7, ["33.33", "33.33", "33.34"], [2, 2, 3]),
        (1_000, ["30", "30"], [500, 500]),  # relative to their sum when it is not 100 (reported at import)
    ],
)
def test_percentage_split_sums_to_the_amount(amount, percentages, shares):
    got = percentage_split(amount, [Decimal(p) for p in percentages])
    assert got == shares
    assert sum(got) == amount


def test_percentage_split_refuses_no_percentages():
    with pytest.raises(ValueError, match="percentages"):
        percentage_split(10, [])


def test_sector_names_come_from_the_shipped_codelist():
    assert len(dac_sectors()) == 325
    assert (
        sector_name("15190", "en")
        == "15190 – Facilitation of orderly, safe, regular and responsible migration and mobility"
    )
    assert sector_name("15190", "fr").startswith("15190 – ")
    assert sector_name("15190", "fr") != sector_name("15190", "en")
    assert sector_name("99999", "en") == "99999"


def test_the_sectors_are_stored_with_the_version_and_carried_by_a_restore(db_url, loaded):
    store = Store(make_engine(db_url), "EUTF — IATI sectors")
    first = store.publish(
        loaded.dataset.records,
        base=None,
        by="analyst",
        file_name="sectors.xml",
        file_sha256=loaded.sha256,
        sectors=loaded.sectors,
    )
    stored = store.sectors(first.number)
    pd.testing.assert_frame_equal(
        stored.drop(columns="line"), loaded.sectors.drop(columns="line").reset_index(drop=True), check_dtype=False
    )
    assert stored["line"].tolist() == loaded.sectors["line"].tolist()
    restored = store.restore(first.number, base=first.number, by="analyst")
    assert store.sectors(restored.number)["code"].tolist() == loaded.sectors["code"].tolist()
    assert store.sectors(restored.number)["percentage"].tolist()[:2] == [Decimal(60), Decimal(40)]


def test_a_workbook_version_has_no_sectors(db_url):
    from seed.public import seed_if_empty

    store = Store(make_engine(db_url))
    seed_if_empty(store)
    assert store.sectors().empty
    assert list(store.sectors().columns) == ["line", "reference", "record_type", "vocabulary", "code", "percentage"]


def test_a_store_of_revision_0003_gains_the_sector_table(db_url):
    engine = make_engine(db_url, migrate=False)
    upgrade(engine, "0003")
    assert schema_revision(engine) == "0003"
    upgrade(engine)
    assert schema_revision(engine) == HEAD_REVISION == "0004"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM iati_sector")).scalar_one() == 0
