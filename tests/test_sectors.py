"""DAC sectors of an IATI file: read as written, stored with the version, split by the stated rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from lxml import etree
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from analysis.filtering import apply, describe
from analysis.sectors import by_sector, percentage_split, sector_shares
from domain.filters import Filters
from domain.i18n import _
from downloads.iati import to_iati
from etl import catalog
from etl.codelists import SECTOR_SOURCE, dac_sectors, sector_name
from etl.iati import schema
from store.db import HEAD_REVISION, make_engine, schema_revision, upgrade
from store.versions import Store
from tests.test_iati import ABOUT, APP, BUDGET, _activity, _file, store_url
from validation.pipeline import dataset_of, load_bytes, load_path
from viewmodels.themes import themes_page

__all__ = ["store_url"]  # the fixture, shared with test_iati


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


# --- the app: the dataset's sectors, the facet, the Themes page's chart, the IATI export ---------------

ML, NE, BF = "T05-EUTF-SAH-ML-04", "T05-EUTF-SAH-NE-07", "T05-EUTF-SAH-BF-02"


def test_the_dataset_carries_the_files_sectors_and_a_workbook_none(loaded):
    assert loaded.dataset.sectors is loaded.sectors
    again = dataset_of(loaded.dataset.records, sectors=loaded.sectors)
    assert again.sectors["code"].tolist() == loaded.sectors["code"].tolist()
    shipped = load_path(catalog.ALLOCATIONS_XLSX).dataset
    assert shipped.sectors.empty
    assert list(shipped.sectors.columns) == list(loaded.sectors.columns)


@pytest.mark.parametrize(
    ("codes", "kept"),
    [
        (("15190",), [ML]),  # the contract's own 15190 does not bring in another decision
        (("16020",), [ML, NE]),
        (("11330",), [NE]),
        (("11330", "15190"), [ML, NE]),  # OR within the facet
        (("152",), []),  # a DAC 3-digit category (vocabulary 2) is not a 5-digit sector
    ],
)
def test_the_sector_filter_keeps_exactly_the_decisions_listing_the_code(loaded, codes, kept):
    view = apply(loaded.dataset, Filters(sectors=codes))
    assert view.allocations["reference"].tolist() == kept
    assert set(view.sectors["reference"]) <= {*kept, f"{ML}-01"}
    assert len(view.contracts) == (1 if ML in kept else 0)
    both = apply(loaded.dataset, Filters(sectors=codes, countries=("NE",)))  # AND across filters
    assert both.allocations["reference"].tolist() == [r for r in kept if r == NE]


def test_the_sector_filter_is_named_in_words():
    from dashboard.sidebar import described

    assert describe(Filters(sectors=("15190",))) == ["sectors: 15190"]
    assert described(Filters(sectors=("15190",)), "en") == [f"DAC sector: {sector_name('15190', 'en')}"]
    assert described(Filters(sectors=("15190",)), "fr")[0].endswith(sector_name("15190", "fr"))


def test_the_themes_view_model_splits_by_the_stated_rule(loaded):
    model = themes_page(loaded.dataset, True, "en", "footer", True)
    table = model.sectors.table
    assert model.sectors.codes == ["15190", "16020", "11330", "72010", None]  # largest first, then "none given"
    by_code = {(c if pd.notna(c) else None): row for c, row in zip(table["code"], table.itertuples(), strict=True)}
    # 60/40 of 10 000 001 EUR, the odd euro to the larger fractional part; 10 EUR equally over three sectors
    assert int(by_code["15190"].amount_eur) == 6_000_001
    assert int(by_code["16020"].amount_eur) == 4_000_000 + 3
    assert int(by_code["11330"].amount_eur) == 4
    assert int(by_code["72010"].amount_eur) == 3
    assert int(by_code[None].amount_eur) == 5_000_000
    assert int(by_code[None].split_eur) == 0
    assert int(by_code["15190"].split_eur) == 6_000_001
    assert int(table["amount_eur"].sum()) == model.total_eur == 15_000_011
    assert table["label"].tolist()[0] == sector_name("15190", "en")
    assert table["label"].tolist()[-1] == "No DAC sector given"
    assert SECTOR_SOURCE in model.sector_note
    assert "percentages" in model.sector_note
    assert model.sectors.figure.layout.title.text.startswith("By DAC sector (M€)")
    assert model.sectors.figure.layout.title.subtitle.text.endswith(f"Sector names: {SECTOR_SOURCE}")
    names = [trace.name for trace in model.sectors.figure.data]
    assert names == ["whole project", "share of a project split between sectors (computed)"]


def test_a_dataset_without_sectors_gets_one_caption_and_no_chart():
    shipped = load_path(catalog.ALLOCATIONS_XLSX).dataset
    for lang in ("en", "fr"):
        model = themes_page(shipped, False, lang, "footer", bool(len(shipped.sectors)))
        assert model.sectors is None
        assert model.sector_note == _("This dataset gives no DAC sectors: they come with IATI activity files.", lang)


def test_the_iati_export_writes_the_sectors_back_and_reuploads_to_the_same(loaded):
    xml = to_iati(loaded.dataset.records, ABOUT, fallback_date=date(2026, 11, 30), sectors=loaded.sectors)
    doc = etree.fromstring(xml)
    assert schema().validate(doc), schema().error_log
    first = doc.find("iati-activity")
    tags = [etree.QName(e).localname for e in first if isinstance(e.tag, str)]
    assert tags.index("recipient-country") < tags.index("sector") < tags.index("budget")
    assert [dict(e.attrib) for e in first.iterfind("sector")] == [
        {"vocabulary": "1", "code": "15190", "percentage": "60"},
        {"vocabulary": "1", "code": "16020", "percentage": "40"},
        {"vocabulary": "2", "code": "152"},
    ]
    back = load_bytes(xml, "export.xml")
    assert back.dataset is not None, back.report.text()
    columns = ["reference", "record_type", "vocabulary", "code", "percentage"]
    pd.testing.assert_frame_equal(back.sectors[columns], loaded.sectors[columns].reset_index(drop=True))
    # a filtered view carries only its activities' sectors
    view = apply(loaded.dataset, Filters(sectors=("11330",)))
    part = etree.fromstring(to_iati(view.records, ABOUT, sectors=view.sectors))
    assert [e.get("code") for e in part.iterfind("iati-activity/sector")] == ["11330", "16020", "72010"]


def _themes_page(lang: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/themes.py").run()  # straight there: the sidebar's filters are drawn on this run
    assert not at.exception, [e.value for e in at.exception]
    return at


def _publish(url: str, result) -> None:
    Store(make_engine(url)).publish(
        result.dataset.records,
        base=1,
        by="test",
        file_name="sectors.xml",
        file_sha256=result.sha256,
        sectors=result.sectors,
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_themes_page_shows_the_sector_chart_and_the_facet(store_url, loaded, lang):
    _publish(store_url, loaded)
    at = _themes_page(lang)
    head = _("DAC sector", lang)
    shown = next(d.value for d in at.dataframe if d.value.columns[0] == head).set_index(head)
    amount = _("Amount (EUR)", lang)
    assert shown.at[sector_name("15190", lang), amount] == 6_000_001
    assert shown.at[sector_name("16020", lang), amount] == 4_000_003
    assert shown.at[_("No DAC sector given", lang), amount] == 5_000_000
    assert int(shown[amount].sum()) == 15_000_011
    assert any(SECTOR_SOURCE in c.value for c in at.caption)
    facet = at.multiselect(key=f"_w_sector_{lang}")
    assert facet.label == head
    assert facet.options == [sector_name(c, lang) for c in ("11330", "15190", "16020", "72010")]


def test_a_sector_link_filters_the_themes_page(store_url, loaded):
    _publish(store_url, loaded)
    at = _themes_page("en", sector="11330")
    head = "DAC sector"
    shown = next(d.value for d in at.dataframe if d.value.columns[0] == head).set_index(head)
    assert shown["Amount (EUR)"].to_dict() == {
        sector_name("11330", "en"): 4,
        sector_name("16020", "en"): 3,
        sector_name("72010", "en"): 3,
    }
    assert any(sector_name("11330", "en") in w.value for w in at.warning)  # the filtered line names it


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_shipped_mali_dataset_says_it_gives_no_sectors(store_url, lang):
    at = _themes_page(lang)
    note = _("This dataset gives no DAC sectors: they come with IATI activity files.", lang)
    assert note in [c.value for c in at.caption]
    assert not any(d.value.columns[0] == _("DAC sector", lang) for d in at.dataframe)
    assert f"_w_sector_{lang}" not in [m.key for m in at.multiselect]


def test_the_cli_filters_by_sector_and_exports_the_stored_sectors(db_url, tmp_path, monkeypatch, loaded, capsys):
    from cli.__main__ import main

    monkeypatch.setenv("EUTF_DATABASE_URL", db_url)
    Store(make_engine(db_url), "IATI sectors").publish(
        loaded.dataset.records,
        base=None,
        by="test",
        file_name="sectors.xml",
        file_sha256=loaded.sha256,
        sectors=loaded.sectors,
    )
    out = tmp_path / "out.xml"
    args = ["export", "--format", "iati", "--dataset", "IATI sectors", "--out", str(out)]
    assert main([*args, "--filter", "sector=16020"]) == 0
    back = load_bytes(out.read_bytes(), "out.xml")
    assert back.dataset is not None, back.report.text()
    assert back.dataset.allocations["reference"].tolist() == [ML, NE]
    assert back.sectors["code"].tolist() == ["15190", "16020", "152", "11330", "16020", "72010", "15190"]
    assert main([*args, "--filter", "sector=99999"]) == 2  # a code no decision lists is refused, never "0 rows"
    assert "sector=99999 matches nothing" in capsys.readouterr().err
