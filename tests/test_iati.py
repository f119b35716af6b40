"""IATI activity XML in and out: the standard's own tests, the worked example, our rules, the round trip."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from streamlit.testing.v1 import AppTest

from cli.__main__ import main
from dashboard.iati import transactions_tables
from downloads.iati import to_iati
from downloads.tables import About
from etl import catalog
from etl.iati import is_iati, read_iati, schema
from etl.iati_map import transactions_by
from etl.read import Limits
from store.auth import hash_password
from store.db import make_engine
from store.versions import Store
from validation.pipeline import load_bytes, load_path

IATI = Path(__file__).parent / "iati"
APP = str(Path(__file__).resolve().parents[1] / "app.py")
PASSWORD = "correct horse battery staple"
SHOULD_PASS = sorted((IATI / "should-pass").glob("*.xml"))
SHOULD_FAIL = sorted((IATI / "should-fail").glob("*.xml"))
ABOUT = About(
    dataset="Mali",
    version="v1",
    filters=("country = ML",),
    sources=("shipped workbook",),
    citation="c",
    exported_at=datetime(2026, 12, 5, 12, 0, tzinfo=UTC),
)


def test_the_standard_suite_is_shipped():
    assert len(SHOULD_PASS) == 39
    assert len(SHOULD_FAIL) == 150


@pytest.mark.parametrize("path", SHOULD_PASS, ids=lambda p: p.name)
def test_should_pass_files_import_or_get_precise_findings(path):
    result = load_path(path)
    assert result.source_format is not None
    assert result.source_format.key == "iati"
    rules = {f.rule for f in result.report}
    assert not rules & {"iati-schema", "iati-xml-malformed", "iati-root"}  # the schema accepts them
    for finding in result.report:  # every finding says where: the XML line of the activity or element
        assert finding.line, finding
        assert f"line {finding.line}" in finding.where()


@pytest.mark.parametrize("path", SHOULD_FAIL, ids=lambda p: p.name)
def test_should_fail_files_get_a_finding_with_the_line_and_why(path):
    result = load_path(path)
    assert result.dataset is None
    errors = [f for f in result.report.errors if f.rule == "iati-schema"]
    assert errors, result.report.text()
    lines = path.read_text(encoding="utf-8").splitlines()
    for f in errors:
        assert 0 < f.line <= len(lines)
        assert f.extra["kind"] != "other", f.message  # every violation of the suite is said in plain words
    # the element the file's name is about is named (budget_09-two-period-end -> budget/period-end[2])
    topic = path.stem.split("_")[0] if "_" in path.stem else None
    if topic:
        assert any(topic in f.message for f in errors), [f.message for f in errors]


def test_should_fail_examples_say_why_in_plain_words():
    first = {
        p.stem: next(f for f in load_path(p).report.errors if f.rule == "iati-schema")
        for p in SHOULD_FAIL
        if p.stem
        in {"budget_09-two-period-end", "17-bad-hierarchy", "budget_04-missing-attribute-period-start-iso-date"}
    }
    assert first["budget_09-two-period-end"].line == 22
    assert first["budget_09-two-period-end"].message.startswith("<budget/period-end[2]> is not allowed here")
    assert first["17-bad-hierarchy"].message == (
        "'string' in the attribute 'hierarchy' of <iati-activity> is not a valid whole number."
    )
    missing = first["budget_04-missing-attribute-period-start-iso-date"]
    assert missing.message == "<budget/period-start> lacks its required attribute 'iso-date'."
    assert missing.message_in("fr") != missing.message


def test_worked_example_values():
    read = read_iati((IATI / "samples" / "worked-example.xml").read_bytes())
    (activity,) = read.activities
    assert activity.identifier == "http://www.example.org/activities/12345.xml"
    assert activity.title("en") == "Worked example of an activity report"
    assert activity.title("fr") == "Exemple artificiel d'un rapport d'activité"
    assert activity.default_currency == "GBP"
    assert [(s.code, s.percentage) for s in activity.countries] == [("HT", None)]
    assert activity.sectors == []  # the worked example gives none
    assert [(b.period_start, b.period_end, b.money.value, b.money.currency) for b in activity.budgets] == [
        (date(2011, 4, 1), date(2012, 3, 31), Decimal(250000), "GBP"),
        (date(2012, 4, 1), date(2013, 3, 31), Decimal(750000), "GBP"),
    ]
    assert [
        (t.type, t.date, t.money.value, t.money.currency, t.provider, t.receiver) for t in activity.transactions
    ] == [
        ("contribution", date(2010, 4, 1), Decimal(1000000), "GBP", "DFID", None),
        ("disbursement", None, Decimal(500000), "GBP", None, "UNICEF"),
    ]
    assert activity.related == [("sibling", "http://example.org/activities/54321.xml", 36)]
    assert activity.dates == {"start": date(2010, 4, 1), "completion": date(2011, 3, 31)}


def test_worked_example_findings_name_why_it_is_not_imported():
    result = load_path(IATI / "samples" / "worked-example.xml")
    assert result.dataset is None
    by_rule = {f.rule: f for f in result.report}
    assert by_rule["iati-root"].line == 4  # a lone <iati-activity>, from the drafts before IATI 1
    assert by_rule["iati-schema"].line == 6  # the extension element before iati-identifier
    gbp = [f for f in result.report if f.rule == "iati-currency-not-eur"]
    assert [(f.line, f.extra["value"], f.extra["currency"]) for f in gbp] == [
        (45, "250000", "GBP"),  # the two budgets
        (51, "750000", "GBP"),
        (57, "1000000", "GBP"),  # and the two transactions: never added to euros
        (64, "500000", "GBP"),
    ]
    assert by_rule["iati-no-eur-budget"].severity == "error"  # GBP is never added to euros
    assert by_rule["reference-pattern"].line == 4


def _activity(identifier: str, body: str = "", attrs: str = 'default-currency="EUR"') -> str:
    return f"""
  <iati-activity {attrs}>
    <iati-identifier>{identifier}</iati-identifier>
    <reporting-org ref="XI-IATI-EC_DEVCO" type="15"><narrative>European Commission</narrative></reporting-org>
    <title>
      <narrative xml:lang="en">Title {identifier}</narrative><narrative xml:lang="fr">Titre {identifier}</narrative>
    </title>
    <description><narrative>d</narrative></description>
    <participating-org role="1" ref="XI-IATI-EC_DEVCO"><narrative>EUTF</narrative></participating-org>
    <participating-org role="4"><narrative>Expertise France</narrative></participating-org>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2017-01-01"/>
    <activity-date type="3" iso-date="2020-12-31"/>
    {body}
  </iati-activity>"""


def _file(*activities: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">'
        + "".join(activities)
        + "\n</iati-activities>\n"
    ).encode()


BUDGET = (
    '<budget type="1" status="2"><period-start iso-date="2017-01-01"/><period-end iso-date="2017-12-31"/>'
    '<value value-date="2017-01-01">{v}</value></budget>'
)


def test_an_ec_file_imports_onto_the_model():
    decision = _activity(
        "XI-IATI-EC_DEVCO_T05-EUTF-SAH-ML-04",
        '<recipient-country code="ML" percentage="100"/><sector vocabulary="1" code="15190"/>'
        + BUDGET.format(v="20000000")
        + BUDGET.replace('type="1"', 'type="2"').format(v="29500000")  # the revised budget of the same period
        + '<budget type="1" status="2"><period-start iso-date="2018-01-01"/><period-end iso-date="2018-12-31"/>'
        '<value currency="USD" value-date="2018-01-01">1000000</value></budget>',
    )
    contract = _activity(
        "XI-IATI-EC_DEVCO_T05-EUTF-SAH-ML-04-01",
        '<recipient-country code="ML"/>'
        + BUDGET.format(v="1500000.50")
        + '<related-activity ref="XI-IATI-EC_DEVCO_T05-EUTF-SAH-ML-04" type="1"/>',
        attrs='default-currency="EUR" hierarchy="2"',
    )
    result = load_bytes(_file(decision, contract), "ec.xml", lang="fr")
    assert not [f for f in result.report if f.rule == "iati-schema"]
    assert result.dataset is not None, result.report.text()
    row = result.dataset.allocations.iloc[0]
    assert row["reference"] == "T05-EUTF-SAH-ML-04"
    assert row["title"] == "Titre XI-IATI-EC_DEVCO_T05-EUTF-SAH-ML-04"  # the chosen language's narrative
    assert row["window"] == "SAH"
    assert row["scope"] == "national"
    assert list(row["countries"]) == ["ML"]
    assert row["implementing_partner"] == "Expertise France"
    assert row["amount_eur"] == 29_500_000  # the revised budget; the USD budget is never added
    usd = next(f for f in result.report if f.rule == "iati-currency-not-eur")
    assert usd.extra == {"currency": "USD", "value": "1000000"}
    (contract_row,) = result.dataset.contracts.itertuples()
    assert contract_row.parent_reference == "T05-EUTF-SAH-ML-04"
    assert contract_row.amount_eur == 1_500_001
    assert any(f.rule == "amount-rounded-to-euro" for f in result.report)


def test_own_rules_percentages_dates_parent_currency():
    data = _file(
        _activity(
            "T05-EUTF-SAH-REG-90",
            '<recipient-country code="ML" percentage="60"/><recipient-country code="NE" percentage="30"/>'
            '<sector vocabulary="1" code="15190" percentage="50"/><sector vocabulary="1" code="15110" percentage="40"/>'
            + BUDGET.format(v="1000")
            + '<transaction><transaction-type code="3"/><transaction-date iso-date="2021-06-30"/>'
            '<value value-date="2021-06-30">10</value></transaction>'
            '<related-activity ref="T05-EUTF-SAH-REG-89" type="1"/>',
        )
    )
    result = load_bytes(data, "rules.xml")
    found = {f.rule: f for f in result.report}
    assert found["iati-percentages-not-100"].extra == {"total": "90"}
    sector = [f for f in result.report if f.rule == "iati-percentages-not-100"][1]
    assert "vocabulary 1" in sector.message
    assert sector.extra == {"total": "90"}
    outside = found["iati-transaction-outside-dates"]
    assert "2021-06-30" in outside.message
    assert "2017-01-01 to 2020-12-31" in outside.message
    assert found["iati-parent-missing"].extra == {"parent": "T05-EUTF-SAH-REG-89"}
    assert "contract-parent-missing" not in found  # said once, with the related-activity's line
    lines = data.decode().splitlines()
    assert "related-activity" in lines[found["iati-parent-missing"].line - 1]
    assert "transaction" in lines[outside.line - 1] or "value" in lines[outside.line - 1]


def test_activity_read_is_read_once_and_freed():
    data = _file(*(_activity(f"T05-EUTF-SAH-ML-{n}", BUDGET.format(v="1")) for n in range(1, 6)))
    read = read_iati(data)
    assert [a.identifier for a in read.activities] == [f"T05-EUTF-SAH-ML-{n}" for n in range(1, 6)]
    assert not [f for f in read.findings if f.rule == "iati-schema"]


def test_recognised_by_content_not_extension():
    data = _file(_activity("T05-EUTF-SAH-ML-01", BUDGET.format(v="5")))
    assert is_iati(data)
    assert is_iati(b"\xef\xbb\xbf<!-- c -->\n" + data.split(b"\n", 1)[1])
    assert not is_iati(b"reference;title\nT05;x\n")
    result = load_bytes(data, "allocations.csv")  # a misleading name
    assert result.source_format is not None
    assert result.source_format.key == "iati"


@pytest.mark.parametrize(
    "payload",
    [
        b'<?xml version="1.0"?><!DOCTYPE iati-activities [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<iati-activities>&b;</iati-activities>",
        b'<?xml version="1.0"?><!DOCTYPE iati-activities SYSTEM "http://example.org/x.dtd"><iati-activities/>',
        b'<?xml version="1.0"?>\n<!DOCTYPE iati-activities [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<iati-activities>&x;</iati-activities>",
    ],
)
def test_dtd_and_entities_are_refused_before_parsing(payload):
    result = load_bytes(payload, "evil.xml")
    assert [f.rule for f in result.report] == ["unsafe-xml-dtd"]
    assert result.dataset is None
    assert result.table is None


def test_malformed_xml_names_its_line():
    result = load_bytes(
        b'<?xml version="1.0"?>\n<iati-activities version="2.03">\n<iati-activity>\n</iati-activities>', "cut.xml"
    )
    (finding,) = result.report
    assert finding.rule == "iati-xml-malformed"
    assert finding.line == 4
    assert "line 4" in finding.message


def test_more_activities_than_the_limit_are_refused_not_cut():
    data = _file(*(_activity(f"T05-EUTF-SAH-ML-{n}", BUDGET.format(v="1")) for n in range(1, 4)))
    result = load_bytes(data, "many.xml", limits=Limits(max_rows=2))
    assert [f.rule for f in result.report.errors] == ["too-many-rows"]
    assert result.dataset is None
    assert result.table is None


def test_schema_imports_resolve_to_the_shipped_files():
    assert schema().validate(etree.parse(str(SHOULD_PASS[0])))  # xml.xsd from data/iati, nothing fetched


def test_findings_say_line_in_french():
    result = load_path(SHOULD_FAIL[0])
    finding = next(f for f in result.report.errors if f.rule == "iati-schema")
    assert finding.where("fr").endswith(f"ligne {finding.line}")
    assert result.report.to_frame("fr")["line"].notna().all()


# --- export ---------------------------------------------------------------------------------


def _records_key(dataset):
    return dataset.records.sort_values(["record_type", "reference"]).reset_index(drop=True)


@pytest.mark.parametrize(
    "path",
    [
        catalog.ALLOCATIONS_XLSX,
        catalog.PUBLIC_DATA_DIR / catalog.PUBLIC_EXPORTS[0].file_name,
        catalog.PUBLIC_DATA_DIR / catalog.PUBLIC_EXPORTS[1].file_name,
    ],
    ids=["mali", "portfolio", "decisions-and-contracts"],
)
def test_export_validates_and_the_round_trip_is_identical(path):
    original = load_path(path).dataset
    xml = to_iati(original.records, ABOUT, fallback_date=date(2026, 11, 30))
    doc = etree.fromstring(xml)
    assert schema().validate(doc), schema().error_log
    assert len(doc.findall("iati-activity")) == len(original.records)
    back = load_bytes(xml, "export.xml")
    assert back.report.ok, back.report.text()
    assert int(back.dataset.allocations["amount_eur"].sum()) == int(original.allocations["amount_eur"].sum())
    a, b = _records_key(original), _records_key(back.dataset)
    assert a.dtypes.equals(b.dtypes)
    assert a.astype(str).equals(b.astype(str))
    assert back.transactions.empty  # none in the sources, none invented (with transactions: test_iati_transactions)
    filled = doc.findall("iati-activity/activity-date")
    assert {d.get("{urn:eutf-dashboard:allocation}date-basis") for d in filled} <= {"approval-date", "version-date"}
    assert len(filled) == len(original.records)  # each filled date marked (the sources give no start date)


def test_export_content_mali():
    original = load_path(catalog.ALLOCATIONS_XLSX).dataset
    doc = etree.fromstring(to_iati(original.records, ABOUT, fallback_date=date(2026, 11, 30)))
    budgets = [int(v.text) for v in doc.iterfind("iati-activity/budget/value")]
    assert sum(budgets) == 145_100_000
    assert {v.get("currency") for v in doc.iterfind(".//budget/value")} == {"EUR"}
    ml01 = next(a for a in doc.iterfind("iati-activity") if a.findtext("iati-identifier") == "T05-EUTF-SAH-ML-01")
    assert ml01.find("budget/value").text == "20000000"
    ext = ml01.find("{urn:eutf-dashboard:allocation}allocation")
    assert ext.get("amount-basis") == "inferred"  # the inferred amount stays marked as such
    assert [c.get("code") for c in ml01.iterfind("recipient-country")] == ["ML"]
    assert ml01.find("recipient-country").get("percentage") == "100"
    reporting = ml01.find("reporting-org")
    assert reporting.get("ref") == "XI-IATI-EC_DEVCO"
    assert reporting.get("secondary-reporter") == "1"
    assert "Mali, v1" in reporting.findtext("narrative")
    comment = doc.xpath("comment()")[0].text
    assert "Filters: country = ML" in comment
    assert "shipped workbook" in comment
    regional = [a for a in doc.iterfind("iati-activity") if a.find("activity-scope").get("code") == "2"]
    assert len(regional) == 3  # the three regional initiatives, countries listed without an invented split
    assert all(c.get("percentage") is None for a in regional for c in a.iterfind("recipient-country"))


def test_export_decisions_list_their_contracts():
    original = load_path(catalog.PUBLIC_DATA_DIR / catalog.PUBLIC_EXPORTS[1].file_name).dataset
    doc = etree.fromstring(to_iati(original.records, ABOUT))
    activities = {a.findtext("iati-identifier"): a for a in doc.iterfind("iati-activity")}
    parent = original.contracts["parent_reference"].iloc[0]
    children = [r.get("ref") for r in activities[parent].iterfind("related-activity") if r.get("type") == "2"]
    expected = original.contracts_of({parent})["reference"].tolist()
    assert sorted(children) == sorted(expected)
    assert children
    child = activities[expected[0]]
    assert child.get("hierarchy") == "2"
    assert [(r.get("type"), r.get("ref")) for r in child.iterfind("related-activity")] == [("1", parent)]


# --- command line -----------------------------------------------------------------------------


def test_cli_exports_a_filtered_view_as_iati(tmp_path, capsys):
    out = tmp_path / "mali.xml"
    args = ["export", "--format", "iati", "--filter", "country=ML", "--filter", "scope=national", "--out", str(out)]
    assert main(args) == 0
    assert "6 rows, 91 500 000 EUR" in capsys.readouterr().out
    doc = etree.parse(str(out))
    assert schema().validate(doc), schema().error_log
    assert sum(int(v.text) for v in doc.iterfind("iati-activity/budget/value")) == 91_500_000
    comment = doc.xpath("/iati-activities/comment()")[0].text
    assert "countries: ML" in comment
    assert "scopes: national" in comment


def test_cli_validates_an_iati_file_with_lines(capsys):
    assert main(["validate", str(IATI / "should-fail" / "budget_09-two-period-end.xml")]) == 1
    out = capsys.readouterr().out
    assert "line 22" in out
    assert "iati-schema" in out


# --- the Upload page --------------------------------------------------------------------------


@pytest.fixture
def store_url(db_url, monkeypatch):
    """A store whose version 1 is the shipped Mali dataset, on each engine."""
    monkeypatch.setenv("EUTF_DATABASE_URL", db_url)
    base = load_path(catalog.ALLOCATIONS_XLSX)
    Store(make_engine(db_url)).publish(
        base.dataset.records, base=None, by="test", file_name="base.xlsx", file_sha256=base.sha256, comment="base"
    )
    return db_url


def _signed_in_upload_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.secrets["analyst"] = {"password_hash": hash_password(PASSWORD, iterations=1000), "name": "Test analyst"}
    at.run()
    at.switch_page("pages/upload.py").run()
    at.text_input(key="analyst_password").set_value(PASSWORD)
    at.button(key="sign_in_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_upload_page_reads_an_iati_export_and_publishes_it(store_url):
    original = load_path(catalog.ALLOCATIONS_XLSX).dataset
    xml = to_iati(original.records, ABOUT)
    at = _signed_in_upload_page()
    at.file_uploader[0].set_value(("mali.xml", xml, "application/xml"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("IATI activity file" in i.value for i in at.info)
    assert not at.error
    assert any("The file is ready to publish." in s.value for s in at.success)
    at.text_input(key="publish_comment").set_value("the IATI export, back").run()
    at.button(key="publish").click().run()
    assert not at.exception, [e.value for e in at.exception]
    store = Store(make_engine(store_url))
    assert store.latest_number() == 2
    assert store.info(2).total_eur == 145_100_000


def test_upload_page_shows_the_xml_line_of_each_problem_in_french(store_url):
    at = _signed_in_upload_page("fr")
    path = IATI / "should-fail" / "budget_09-two-period-end.xml"
    at.file_uploader[0].set_value((path.name, path.read_bytes(), "application/xml"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    schema_table = next(d.value for d in at.dataframe if "Ligne" in d.value.columns and (d.value["Ligne"] == 22).any())
    row = schema_table[schema_table["Ligne"] == 22].iloc[0]
    assert row["Problème"].startswith("<budget/period-end[2]> n’est pas permis ici")
    assert not [b for b in at.button if b.key == "publish"]
    assert Store(make_engine(store_url)).latest_number() == 1


# --- transactions -----------------------------------------------------------------------------


def _transaction(code: str, when: str, value: str, currency: str = "") -> str:
    attrs = f' currency="{currency}"' if currency else ""
    return (
        f'<transaction><transaction-type code="{code}"/><transaction-date iso-date="{when}"/>'
        f'<value{attrs} value-date="{when}">{value}</value></transaction>'
    )


TRANSACTION_ACTIVITIES = (
    _activity(
        "XI-IATI-EC_DEVCO_T05-EUTF-SAH-ML-04",
        '<recipient-country code="ML"/>'
        + BUDGET.format(v="29500000")
        + _transaction("2", "2017-03-01", "29500000")
        + _transaction("3", "2017-06-30", "5000000")
        + _transaction("3", "2018-06-30", "7250000")
        + _transaction("3", "2019-01-15", "1000000", "USD"),
    ),
    _activity(
        "XI-IATI-EC_DEVCO_T05-EUTF-HOA-ET-12",
        '<recipient-country code="ET"/>'
        + BUDGET.format(v="10000000")
        + _transaction("2", "2017-09-01", "10000000")
        + _transaction("4", "2018-02-01", "2500000"),
    ),
)
TRANSACTIONS = _file(*TRANSACTION_ACTIVITIES)


def _sums_from_xml(data: bytes) -> dict[tuple[str, str], int]:
    """(year, transaction type) -> EUR sum, computed from the XML with lxml alone."""
    sums: dict[tuple[str, str], int] = {}
    for t in etree.fromstring(data).iterfind("iati-activity/transaction"):
        value = t.find("value")
        if value.get("currency", "EUR") != "EUR":
            continue
        key = (t.find("transaction-date").get("iso-date")[:4], t.find("transaction-type").get("code"))
        sums[key] = sums.get(key, 0) + int(value.text)
    return sums


def test_transactions_by_year_and_window():
    result = load_bytes(TRANSACTIONS, "tx.xml")
    assert result.dataset is not None, result.report.text()
    usd = [f for f in result.report if f.rule == "iati-currency-not-eur"]
    assert [(f.extra["currency"], f.extra["value"]) for f in usd] == [("USD", "1000000")]
    by_year = transactions_by(result.transactions, result.table, "year").set_index("year")
    for (year, code), total in _sums_from_xml(TRANSACTIONS).items():
        assert by_year.at[int(year), code] == total
    by_window = transactions_by(result.transactions, result.table, "window").set_index("window")
    assert by_window.at["SAH", "3"] == 12_250_000
    assert by_window.at["HOA", "4"] == 2_500_000
    assert list(by_window.columns) == ["2", "3", "4"]  # IATI's order: commitment, disbursement, expenditure


def test_upload_page_shows_commitments_and_disbursements(store_url):
    at = _signed_in_upload_page()
    at.file_uploader[0].set_value(("tx.xml", TRANSACTIONS, "application/xml"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(s.value == "Commitments and disbursements in this file" for s in at.subheader)
    by_year = next(d.value for d in at.dataframe if "Year" in d.value.columns).set_index("Year")
    sums = _sums_from_xml(TRANSACTIONS)
    assert by_year.at["2017", "Outgoing Commitment (EUR)"] == sums[("2017", "2")] == 39_500_000
    assert by_year.at["2018", "Disbursement (EUR)"] == sums[("2018", "3")] == 7_250_000
    assert by_year.at["2018", "Expenditure (EUR)"] == sums[("2018", "4")]
    by_window = next(d.value for d in at.dataframe if "EUTF window" in d.value.columns).set_index("EUTF window")
    assert by_window.at["Sahel & Lake Chad", "Approved (budgets, EUR)"] == 29_500_000
    assert by_window.at["Sahel & Lake Chad", "Disbursement (EUR)"] == 12_250_000


def test_hostile_values_in_the_dashboards_own_element_are_reported_not_raised():
    hostile = (
        '<eutf:allocation xmlns:eutf="urn:eutf-dashboard:allocation" objectives="1 x ²" valletta-domains="9" '
        'approval-date="11/12/2016" dialogue-round="²" amount-basis="guessed" window="ZZZ" record-type="memo"/>'
    )
    data = _file(_activity("T05-EUTF-SAH-ML-09", '<recipient-country code="ML"/>' + BUDGET.format(v="1") + hostile))
    result = load_bytes(data, "hostile.xml")
    assert result.dataset is None
    rules = {f.rule for f in result.report.errors}
    assert {"objective-invalid", "domain-invalid", "date-not-a-date", "window-invalid", "record-type-invalid"} <= rules
    assert all(f.line for f in result.report)


@pytest.mark.parametrize("value", ["1e999999999", "1" * 25, "2000000000000"])
def test_huge_values_are_bounded_and_reported(value):
    data = _file(
        _activity(
            "T05-EUTF-SAH-ML-09",
            '<recipient-country code="ML"/>' + BUDGET.format(v=value) + _transaction("3", "2018-01-01", value),
        )
    )
    result = load_bytes(data, "huge.xml")  # returns at once: no billion-digit integer is ever built
    assert result.dataset is None
    rules = {f.rule for f in result.report.errors}
    assert rules & {"iati-schema", "amount-too-large", "iati-no-eur-budget"}
    if value == "2000000000000":  # a valid decimal, over 10^12 EUR
        assert [f.line for f in result.report.errors if f.rule == "amount-too-large"]
        assert result.transactions.empty


def test_transactions_by_country_and_objective_follow_the_counting_rules():
    regional = _activity(
        "T05-EUTF-SAH-REG-07",
        '<recipient-country code="ML"/><recipient-country code="NE"/>'
        + BUDGET.format(v="9000000")
        + _transaction("3", "2018-01-01", "1000001")
        + '<eutf:allocation xmlns:eutf="urn:eutf-dashboard:allocation" objectives="1 3" scope="regional"/>',
    )
    data = _file(
        regional, *TRANSACTIONS.decode().split('<iati-activities version="2.03">')[1].split("</iati-activities>")[:1]
    )
    result = load_bytes(data, "tx.xml")
    by_country = transactions_by(result.transactions, result.table, "country").set_index("country")
    assert by_country.at["regional", "3"] == 1_000_001  # never apportioned to Mali and Niger
    assert by_country.at["ML", "3"] == 12_250_000
    assert by_country.at["ET", "4"] == 2_500_000
    by_objective = transactions_by(result.transactions, result.table, "objective").set_index("objective")
    assert by_objective.at[1, "3"] == 500_001  # split equally, the remainder euro to the first objective
    assert by_objective.at[3, "3"] == 500_000
    assert by_objective.at[0, "3"] == 12_250_000  # objective not given
    assert int(by_objective["3"].sum()) == int(result.transactions.query("transaction_type == '3'")["value_eur"].sum())
    tables = transactions_tables(result.transactions, result.table, "fr")
    objectives = tables["objective"].set_index("Objectif stratégique")
    assert objectives.at["1 – Développement économique et emploi", "Approuvé (budgets, EUR)"] == 4_500_000
    assert tables["country"].set_index("Pays").at["Multi-pays (régional)", "Décaissement (EUR)"] == 1_000_001


def test_transaction_tables_never_raise_on_a_refused_file():
    hostile = '<eutf:allocation xmlns:eutf="urn:eutf-dashboard:allocation" objectives="9" window="ZZZ"/>'
    data = _file(
        _activity(
            "T05-EUTF-SAH-XX-01",
            '<recipient-country code="QQ"/>' + BUDGET.format(v="5") + _transaction("3", "2018-01-01", "5") + hostile,
        )
    )
    result = load_bytes(data, "bad.xml")
    assert result.dataset is None
    tables = transactions_tables(result.transactions, result.table, "en")
    assert tables["objective"].iloc[0, 0] == "9"
    assert tables["country"].iloc[0, 0] == "QQ"
