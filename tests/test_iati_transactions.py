"""IATI transactions stored with a version, shown beside the approved amounts, exported; filled dates marked."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from lxml import etree
from sqlalchemy import func, select, text
from streamlit.testing.v1 import AppTest

from cli.__main__ import main
from domain import refdata
from domain.i18n import _
from downloads.iati import to_iati
from etl.iati import DATE_BASIS, EUTF_NS, read_iati, schema
from etl.iati_map import measures_by
from store import versions as versions_module
from store.db import HEAD_REVISION, iati_transactions, make_engine, schema_revision, upgrade
from store.versions import Store
from tests.test_iati import ABOUT, APP, BUDGET, _activity, _file, _signed_in_upload_page, _transaction, store_url
from validation.pipeline import load_bytes

__all__ = ["store_url"]  # the fixture, shared with test_iati

EUTF = f'xmlns:eutf="{EUTF_NS}"'


def _own(objectives: str, **attrs: str) -> str:
    more = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f'<eutf:allocation {EUTF} objectives="{objectives}" valletta-domains="1"{more}/>'


#: A decision in Mali (objectives 1 and 3), a multi-country decision (objective 2) and a contract
#: of the first, with commitments, disbursements (one odd euro, one in USD) and an expenditure.
FILE = _file(
    _activity(
        "XI-IATI-EC_DEVCO_T05-EUTF-SAH-ML-04",
        '<activity-scope code="4"/><recipient-country code="ML" percentage="100"/>'
        + BUDGET.format(v="29500000")
        + _transaction("2", "2017-03-01", "29500000")
        + _transaction("3", "2017-06-30", "5000001")
        + _transaction("3", "2018-06-30", "7250000")
        + _transaction("3", "2019-01-15", "1000000", "USD")
        + _own("1 3", approval_date="2016-12-11"),
    ),
    _activity(
        "XI-IATI-EC_DEVCO_T05-EUTF-HOA-REG-12",
        '<activity-scope code="2"/><recipient-country code="ET" percentage="50"/>'
        '<recipient-country code="SO" percentage="50"/>'
        + BUDGET.format(v="10000000")
        + _transaction("2", "2017-09-01", "10000000")
        + _transaction("4", "2018-02-01", "2500000")
        + _own("2"),
    ),
    _activity(
        "XI-IATI-EC_DEVCO_T05-EUTF-SAH-ML-04-01",
        '<activity-scope code="4"/><recipient-country code="ML" percentage="100"/>'
        + BUDGET.format(v="4000000")
        + _transaction("3", "2018-03-01", "3000000")
        + '<related-activity ref="XI-IATI-EC_DEVCO_T05-EUTF-SAH-ML-04" type="1"/>'
        + _own("1 3"),
        attrs='default-currency="EUR" hierarchy="2"',
    ),
)
COLUMNS = ["reference", "record_type", "transaction_type", "date", "value_eur"]


def _loaded():
    result = load_bytes(FILE, "tx.xml")
    assert result.dataset is not None, result.report.text()
    return result


def _publish(store: Store, result, base=None, transactions=True):
    return store.publish(
        result.dataset.records,
        base=base,
        by="test",
        file_name="tx.xml",
        file_sha256=result.sha256,
        comment="IATI",
        transactions=result.transactions if transactions else None,
    )


def _same_transactions(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal values and dtypes but for the XML line (which a new file changes)."""
    left, right = a[COLUMNS].reset_index(drop=True), b[COLUMNS].reset_index(drop=True)
    assert left.dtypes.equals(right.dtypes), (left.dtypes, right.dtypes)
    pd.testing.assert_frame_equal(left, right)


# --- the store ---------------------------------------------------------------------------------


def test_transactions_are_stored_with_the_version_and_read_back(db_url):
    result = _loaded()
    assert len(result.transactions) == 6  # the USD one is reported, never stored
    store = Store(make_engine(db_url), "IATI test")
    _publish(store, result)
    back = store.transactions(1)
    _same_transactions(back, result.transactions)
    assert back["line"].tolist() == result.transactions["line"].tolist()  # the line in the published file
    assert int(back["value_eur"].sum()) == 29_500_000 + 5_000_001 + 7_250_000 + 10_000_000 + 2_500_000 + 3_000_000
    # a version without transactions has none, with the same columns and dtypes
    _publish(store, result, base=1, transactions=False)
    none = store.transactions(2)
    assert none.empty
    assert none.dtypes.equals(back.dtypes)
    assert store.transactions(1).equals(back)  # the first version's are unchanged
    # a restore publishes the old version's transactions again
    store.restore(1, base=2, by="test")
    _same_transactions(store.transactions(3), result.transactions)
    assert store.transactions().equals(store.transactions(3))
    with pytest.raises(versions_module.StoreError):
        store.transactions(9)


def test_a_failure_while_writing_transactions_publishes_nothing(db_url, monkeypatch):
    result = _loaded()
    engine = make_engine(db_url)
    store = Store(engine, "IATI test")
    real = versions_module._insert_transactions

    def half_then_fail(conn, rows):
        real(conn, rows[:2])
        raise RuntimeError("the database went away")

    monkeypatch.setattr(versions_module, "_insert_transactions", half_then_fail)
    with pytest.raises(RuntimeError):
        _publish(store, result)
    assert store.latest_number() is None
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(iati_transactions)).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM allocation")).scalar() == 0


def test_a_store_of_revision_0002_gains_the_transaction_table_and_keeps_its_rows(db_url):
    engine = make_engine(db_url, migrate=False)
    upgrade(engine, "0002")  # the schema before transactions were stored
    with engine.begin() as conn:  # ids from the database's own sequences (PostgreSQL's must advance)
        conn.execute(
            text(
                "INSERT INTO dataset (name, created_at) VALUES ('Mali — joint communiqué of 11 Dec 2016', "
                "'2026-11-30 00:00:00')"
            )
        )
        dataset_id = conn.execute(text("SELECT id FROM dataset")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO version (dataset_id, number, published_at, published_by, file_name, file_sha256, "
                "row_count, total_eur, national_eur, regional_eur, n_warnings, comment) VALUES (:dataset, 1, "
                "'2026-11-30 00:00:00', 'old', 'old.xlsx', :sha, 1, 20000000, 20000000, 0, 0, 'before 0003')"
            ),
            {"sha": "e" * 64, "dataset": dataset_id},
        )
        version_id = conn.execute(text("SELECT id FROM version")).scalar_one()
        conn.execute(
            text(
                'INSERT INTO allocation (version_id, position, source_row, reference, title, "window", scope, '
                "countries, objectives, valletta_domains, amount_eur, amount_basis, dialogue_round, record_type, "
                "parent_reference) VALUES (:version, 0, 2, 'T05-EUTF-SAH-ML-01', 'Résilience', 'SAH', 'national', "
                "'ML', '2', '', 20000000, 'inferred', 1, 'decision', NULL)"
            ),
            {"version": version_id},
        )
    assert schema_revision(engine) == "0002"
    upgrade(engine)
    assert schema_revision(engine) == HEAD_REVISION == "0004"
    store = Store(engine)
    old = store.table(1)
    assert old["reference"].tolist() == ["T05-EUTF-SAH-ML-01"]
    assert int(old["amount_eur"].sum()) == 20_000_000
    assert store.transactions(1).empty  # a version from before has no transactions
    result = _loaded()
    _publish(store, result, base=1)
    _same_transactions(store.transactions(2), result.transactions)
    engine.dispose()


def test_the_upload_page_publishes_an_iati_files_transactions(store_url):
    at = _signed_in_upload_page()
    at.file_uploader[0].set_value(("tx.xml", FILE, "application/xml"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.checkbox(key="confirm_warnings").check()
    at.text_input(key="publish_comment").set_value("with its transactions").run()
    at.button(key="publish").click().run()
    assert not at.exception, [e.value for e in at.exception]
    store = Store(make_engine(store_url))
    assert store.latest_number() == 2
    _same_transactions(store.transactions(2), _loaded().transactions)
    assert store.transactions(1).empty


def test_the_cli_publishes_an_iati_files_transactions(db_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EUTF_DATABASE_URL", db_url)
    path = tmp_path / "tx.xml"
    path.write_bytes(FILE)
    import cli.__main__ as cli

    monkeypatch.setattr(cli, "_analyst_credential", lambda: "cli analyst")
    argv = ["publish", str(path), "--dataset", "IATI test", "--comment", "IATI", "--accept-warnings"]
    assert main(argv) == 0, capsys.readouterr()
    _same_transactions(Store(make_engine(db_url), "IATI test").transactions(1), _loaded().transactions)


# --- the page ----------------------------------------------------------------------------------


def _expected_from_xml(data: bytes) -> dict[str, dict[tuple, int]]:
    """(key, measure) -> EUR, by year, window, country and objective, from the XML with lxml alone.

    A multi-country activity counts under ``regional``; an activity's transactions are split
    equally between its objectives, remainder euros to the first; ``approved`` is the decisions'
    budgets (activities without a parent), by year of the eutf approval date.
    """
    out: dict[str, dict[tuple, int]] = {"year": {}, "window": {}, "country": {}, "objective": {}}

    def add(by, key, measure, value):
        out[by][(key, measure)] = out[by].get((key, measure), 0) + value

    for activity in etree.fromstring(data).iterfind("iati-activity"):
        reference = activity.findtext("iati-identifier").rsplit("_", 1)[-1]
        window = reference.split("-")[2]
        countries = [c.get("code") for c in activity.iterfind("recipient-country")]
        country = countries[0] if len(countries) == 1 else "regional"
        own = activity.find(f"{{{EUTF_NS}}}allocation")
        objectives = [int(o) for o in own.get("objectives").split()]
        items = []
        for t in activity.iterfind("transaction"):
            value = t.find("value")
            if value.get("currency", activity.get("default-currency")) == "EUR":
                items.append((t.find("transaction-type").get("code"), t.find("transaction-date").get("iso-date")[:4]))
                items[-1] += (int(value.text),)
        if activity.find("related-activity[@type='1']") is None:
            approved = sum(int(v.text) for v in activity.iterfind("budget/value"))
            approval = own.get("approval-date")
            items.append(("approved", int(approval[:4]) if approval else None, approved))
        for measure, year, value in items:
            add("year", int(year) if year else None, measure, value)
            add("window", window, measure, value)
            add("country", country, measure, value)
            share, remainder = divmod(value, len(objectives))
            for n, objective in enumerate(objectives):
                add("objective", objective, measure, share + (1 if n < remainder else 0))
    return out


def _labels(by: str, key, lang: str) -> str:
    if by == "year":
        return str(key) if key is not None else _("no date", lang)
    if by == "window":
        return refdata.WINDOWS[key][lang]
    if by == "country":
        return _("Multi-country (regional)", lang) if key == "regional" else refdata.country_name(key, lang)
    return f"{key} – {refdata.OBJECTIVES[key][lang]}"


def _measure(code: str, lang: str) -> str:
    names = {"approved": "Approved (EUR)", "2": "Outgoing Commitment", "3": "Disbursement", "4": "Expenditure"}
    return _(names[code], lang) if code == "approved" else _(names[code], lang) + " (EUR)"


def _page(lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/commitments.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_page_shows_commitments_and_disbursements_equal_to_the_xml(store_url, lang):
    result = _loaded()
    _publish(Store(make_engine(store_url)), result, base=1)
    at = _page(lang)
    assert at.title[0].value == _("Commitments and disbursements", lang)
    expected = _expected_from_xml(FILE)
    heads = {"year": _("Year", lang), "window": _("EUTF window", lang), "country": _("Country", lang)}
    heads["objective"] = _("Strategic objective", lang)
    frames = {by: next(d.value for d in at.dataframe if d.value.columns[0] == head) for by, head in heads.items()}
    for by, sums in expected.items():
        shown = frames[by].set_index(heads[by])
        for (key, code), total in sums.items():
            assert shown.at[_labels(by, key, lang), _measure(code, lang)] == total, (by, key, code)
        # nothing else is shown: every figure of the table is one of the XML's sums (or 0)
        assert int(shown.to_numpy().sum()) == sum(sums.values())
    assert frames["year"].set_index(heads["year"]).at["2017", _measure("3", lang)] == 5_000_001
    assert frames["objective"].set_index(heads["objective"]).at[_labels("objective", 1, lang), _measure("3", lang)] == (
        2_500_001 + 3_625_000 + 1_500_000
    )


def test_a_version_without_transactions_says_so(store_url):
    for lang, words in (("en", "This version has no transactions"), ("fr", "Cette version n’a pas de transactions")):
        at = _page(lang)
        assert any(i.value.startswith(words) for i in at.info), [i.value for i in at.info]
        assert not at.dataframe


def test_measures_by_adds_up_to_the_transactions():
    result = _loaded()
    for by in ("year", "window", "country", "objective"):
        table = measures_by(result.transactions, result.dataset.records, by)
        for code in ("2", "3", "4"):
            assert int(table[code].sum()) == int(
                result.transactions.query("transaction_type == @code")["value_eur"].sum()
            )
        assert int(table["approved"].sum()) == 39_500_000  # the two decisions; the contract is inside the first
    # a transaction whose activity is not in the table keeps its euros, under a missing key, last
    stray = result.transactions.iloc[[0]].assign(reference="T05-EUTF-NOA-LY-99")
    table = measures_by(pd.concat([result.transactions, stray]), result.dataset.records, "window")
    assert table["window"].tolist()[:2] == ["HOA", "SAH"]
    assert pd.isna(table["window"].iloc[-1])
    assert table["2"].tolist() == [10_000_000, 29_500_000, 29_500_000]


# --- the export --------------------------------------------------------------------------------


def test_the_export_carries_the_transactions_and_the_round_trip_is_identical():
    result = _loaded()
    xml = to_iati(result.dataset.records, ABOUT, fallback_date=date(2026, 11, 30), transactions=result.transactions)
    doc = etree.fromstring(xml)
    assert schema().validate(doc), schema().error_log
    assert len(doc.findall("iati-activity/transaction")) == 6
    back = load_bytes(xml, "export.xml")
    assert back.dataset is not None, back.report.text()
    assert not [f for f in back.report if f.rule.startswith("iati-")], back.report.text()
    a = result.dataset.records.sort_values(["record_type", "reference"]).reset_index(drop=True)
    b = back.dataset.records.sort_values(["record_type", "reference"]).reset_index(drop=True)
    assert a.astype(str).equals(b.astype(str))
    _same_transactions(back.transactions, result.transactions)
    # a filtered view carries only its activities' transactions
    view = result.dataset.records[result.dataset.records["window"] == "HOA"]
    part = etree.fromstring(to_iati(view, ABOUT, transactions=result.transactions))
    assert [v.text for v in part.iterfind("iati-activity/transaction/value")] == ["10000000", "2500000"]


def test_the_cli_export_carries_the_stored_transactions(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("EUTF_DATABASE_URL", db_url)
    result = _loaded()
    _publish(Store(make_engine(db_url), "IATI test"), result)
    out = tmp_path / "out.xml"
    assert main(["export", "--format", "iati", "--dataset", "IATI test", "--out", str(out)]) == 0
    back = load_bytes(out.read_bytes(), "out.xml")
    _same_transactions(back.transactions, result.transactions)


def test_filled_dates_are_marked_in_the_xml_and_never_read_as_the_sources():
    result = _loaded()
    xml = to_iati(result.dataset.records, ABOUT, fallback_date=date(2026, 11, 30), transactions=result.transactions)
    doc = etree.fromstring(xml)
    assert schema().validate(doc), schema().error_log
    by_ref = {a.findtext("iati-identifier"): a for a in doc.iterfind("iati-activity")}
    known, unknown = by_ref["T05-EUTF-SAH-ML-04"], by_ref["T05-EUTF-HOA-REG-12"]
    # a known approval date stands in, marked as such; else the version's date, marked as not from the sources
    started = known.find("activity-date")
    assert (started.get("iso-date"), started.get(DATE_BASIS)) == ("2016-12-11", "approval-date")
    assert started.findtext("narrative").startswith("Not from the sources: the approval date stands in")
    started = unknown.find("activity-date")
    assert (started.get("iso-date"), started.get(DATE_BASIS)) == ("2026-11-30", "version-date")
    assert started.findtext("narrative").startswith("Not from the sources: the date of the data version")
    for part in ("budget/period-start", "budget/period-end", "budget/value"):
        assert unknown.find(part).get(DATE_BASIS) == "version-date", part
        assert known.find(part).get(DATE_BASIS) == "approval-date", part
    assert all(t.get(DATE_BASIS) is None for t in doc.iterfind("iati-activity/transaction/transaction-date"))
    # read back: no filled date is taken as an activity, budget or approval date of the source
    activities = {a.identifier: a for a in read_iati(xml).activities}
    assert all(a.dates == {} for a in activities.values())
    assert all(b.period_start is None and b.money.value_date is None for a in activities.values() for b in a.budgets)
    back = load_bytes(xml, "export.xml").dataset.records.set_index("reference")
    assert pd.isna(back.at["T05-EUTF-HOA-REG-12", "approval_date"])  # not 2026-11-30
    assert back.at["T05-EUTF-SAH-ML-04", "approval_date"] == pd.Timestamp("2016-12-11")  # the real one, kept
    # transactions before the filled start date raise no "outside the activity's dates" warning
    assert not [f for f in load_bytes(xml, "export.xml").report if f.rule == "iati-transaction-outside-dates"]


def test_a_transaction_without_date_gets_a_marked_filled_date_and_comes_back_undated():
    result = _loaded()
    undated = result.transactions.assign(date=pd.NaT).astype({"date": "datetime64[ns]"})
    xml = to_iati(result.dataset.records, ABOUT, fallback_date=date(2026, 11, 30), transactions=undated)
    doc = etree.fromstring(xml)
    assert schema().validate(doc), schema().error_log
    dates = doc.findall("iati-activity/transaction/transaction-date")
    assert {(d.get("iso-date"), d.get(DATE_BASIS)) for d in dates} == {("2026-11-30", "version-date")}
    _same_transactions(load_bytes(xml, "export.xml").transactions, undated)


def test_the_page_follows_the_filters(store_url):
    _publish(Store(make_engine(store_url)), _loaded(), base=1)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["window"] = "SAH"
    at.run()
    at.switch_page("pages/commitments.py").run()
    assert not at.exception, [e.value for e in at.exception]
    by_year = next(d.value for d in at.dataframe if d.value.columns[0] == "Year").set_index("Year")
    # the Mali decision and its contract; not the Horn of Africa decision's commitment or expenditure
    assert by_year["Disbursement (EUR)"].to_dict() == {"2016": 0, "2017": 5_000_001, "2018": 7_250_000 + 3_000_000}
    assert by_year.at["2016", "Approved (EUR)"] == 29_500_000  # approved in its year of approval
    assert int(by_year["Outgoing Commitment (EUR)"].sum()) == 29_500_000
    assert "Expenditure (EUR)" not in by_year.columns
    assert int(by_year["Approved (EUR)"].sum()) == 29_500_000
    assert any("4 of the version's 6 transactions" in c.value for c in at.caption), [c.value for c in at.caption]
