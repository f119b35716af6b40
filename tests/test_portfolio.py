"""The whole EUTF portfolio: the two public exports, as published, imported with their known totals and problems.

The expected figures are computed here from the CSV files as the public has them
(``data/public/published``; csv module and Decimal, not the project's reader), row by row,
with the rows the import must leave out named explicitly: the test states which rows are not
EUTF records, the code must find them.
"""

from __future__ import annotations

import csv
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from analysis import aggregate
from analysis.compare import compare_amounts
from analysis.filtering import apply
from domain.filters import Filters
from etl import catalog
from etl.layouts import parse_amount, parse_reference
from validation.pipeline import load_path

PUBLIC_DATA = catalog.PUBLIC_DATA_DIR
PROJECTS = PUBLIC_DATA / "published" / "EUTF-Projects-Database-2022-01.csv"
AKVO = PUBLIC_DATA / "published" / "EUTF_projects_akvo.csv"


def _euros(text: str) -> int:
    return int(Decimal(text).to_integral_value(rounding=ROUND_HALF_UP))


def _rows(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def projects():
    return load_path(PROJECTS)


@pytest.fixture(scope="module")
def akvo():
    return load_path(AKVO)


# --- the project list ----------------------------------------------------------------------


def test_project_list_imports_with_the_totals_of_the_csv(projects):
    rows = _rows(PROJECTS)
    assert len(rows) == 253
    raw_total = sum(Decimal(r["ProjectBudget"]) for r in rows)
    assert raw_total == Decimal("5256084987.34")
    # not EUTF records: a row with no EUTF reference ("YEP Programmes", 12 000 EUR) and the second
    # row of T05-EUTF-HOA-SO-03 (written T05-EUTF-HoA-SO-03, 55 000 000 EUR)
    seen: set[str] = set()
    kept = []
    for r in rows:
        key = r["ProjectID"].strip().casefold()
        if not key.startswith("t05-eutf-") or key in seen:
            continue
        seen.add(key)
        kept.append(r)
    assert len(kept) == 251
    expected_by_window = Counter()
    for r in kept:
        expected_by_window[r["Region"]] += _euros(r["ProjectBudget"])
    assert projects.report.ok
    dataset = projects.dataset
    assert len(dataset.allocations) == 251
    assert dataset.contracts.empty
    windows = aggregate.by_window(dataset).set_index("window")["amount_eur"].astype(int).to_dict()
    assert windows == dict(expected_by_window)
    assert windows == {"SAH": 1_980_031_392, "HOA": 2_208_216_379, "NOA": 851_017_427, "REG": 161_807_790}
    assert int(dataset.allocations["amount_eur"].sum()) == sum(expected_by_window.values()) == 5_201_072_988


def test_project_list_problems_are_reported_not_dropped(projects):
    report = projects.report
    counts = Counter(f.rule for f in report)
    # 63 rows lack an adoption date; 2 of them are left out (not EUTF records), 61 are kept with the date unknown
    assert sum(1 for r in _rows(PROJECTS) if not r["ProjectAdoptionDate"]) == 63
    assert counts["date-missing"] == 61
    assert all(f.severity == "warning" for f in report if f.rule == "date-missing")
    # one date is written 28.05.19 (two-digit year): reported, kept, shown unknown, not guessed
    unreadable = next(f for f in report if f.rule == "date-not-a-date")
    assert (unreadable.severity, unreadable.cell, unreadable.value) == ("warning", "G35", "28.05.19")
    assert "shown as unknown" in unreadable.message
    assert not any(f.rule == "date-missing" and f.row == 35 for f in report)  # said once
    assert counts["amount-rounded-to-euro"] == 8  # e.g. 14952505.5 for T05-EUTF-HOA-REG-19
    assert counts["countries-missing"] == 11  # 12 in the file, one of them the excluded "YEP Programmes" row
    assert counts["objectives-missing"] == 18
    normalised = {f.value for f in report if f.rule == "reference-normalised"}
    assert normalised == {"T05-EUTF-NOA-TN–02", "T05-EUTF-NOA-TN–03"}
    excluded = next(f for f in report if f.rule == "row-excluded")
    assert excluded.extra == {"rows": [71, 254], "amount_eur": 55_012_000}
    assert not any(f.row in (71, 254) and f.rule == "countries-missing" for f in report)  # left out, not counted
    duplicate = next(f for f in report if f.rule == "reference-duplicate" and f.cell == "A71")
    assert "not imported" in duplicate.message
    assert "55 000 000 EUR" in duplicate.message
    by_ref = projects.dataset.allocations.set_index("reference")
    assert by_ref.at["T05-EUTF-HOA-REG-19", "amount_eur"] == 14_952_506  # 14952505.5, half up
    assert by_ref.at["T05-EUTF-NOA-TN-02", "amount_eur"] == 5_700_000
    assert pd.isna(by_ref.at["T05-EUTF-SAH-ML-02", "approval_date"])
    assert by_ref.at["T05-EUTF-NOA-REG-08", "scope"] == "regional"  # no country listed: multi-country


def test_country_names_of_the_project_list_resolve(projects):
    covered = {c for cs in projects.dataset.allocations["countries"] for c in cs}
    assert {"MR", "TD", "CM", "GN", "GM", "CD", "TZ", "YE", "CI"} <= covered  # Mauritanie, Tchad, The Gambia...
    assert not any(f.rule == "country-invalid" for f in projects.report)


def test_multi_country_projects_are_counted_once(projects):
    dataset = projects.dataset
    total = int(dataset.allocations["amount_eur"].sum())
    buckets = aggregate.by_country_with_regional_bucket(dataset)
    assert int(buckets["amount_eur"].sum()) == total
    split = aggregate.by_country_split(dataset)
    assert int(split["amount_eur"].sum()) == total
    # T05-EUTF-SAH-REG-18 names 12 countries; each gets 1/12 of it, to the euro
    reg18 = dataset.allocations.set_index("reference").loc["T05-EUTF-SAH-REG-18"]
    assert len(reg18["countries"]) > 1
    assert split.set_index("bucket").at["NONE", "amount_eur"] == int(
        dataset.allocations.loc[dataset.allocations["countries"].map(len) == 0, "amount_eur"].sum()
    )


def test_the_2016_view_is_compared_not_mixed(projects):
    mali = load_path(catalog.ALLOCATIONS_XLSX).dataset
    comparison = compare_amounts("Mali", mali.allocations, {"Portfolio": projects.dataset}).set_index("reference")
    assert len(comparison) == 9  # the nine communiqué projects are all in the portfolio
    ml01 = comparison.loc["T05-EUTF-SAH-ML-01"]
    assert (ml01["base_eur"], ml01["other_eur"], ml01["base_basis"]) == (20_000_000, 25_000_000, "inferred")
    assert int(mali.allocations["amount_eur"].sum()) == 145_100_000  # the Mali view is unchanged


# --- decisions and contracts ---------------------------------------------------------------------


def test_decision_budgets_are_counted_once_never_with_their_contracts(akvo):
    rows = _rows(AKVO)
    assert len(rows) == 644  # 1 857 lines: descriptions run over several lines
    decisions = [r for r in rows if r["prefix"] == "DEC"]  # the IATI prefixes of the export
    contracts = [r for r in rows if r["prefix"] == "CTR"]
    assert (len(decisions), len(contracts)) == (247, 386)
    # three rows have no record type but a decision's reference form: T05-EUTF- SAH-ML-13,
    # T05-EUTF-NOA-TN–02 and –03 (dashes and spaces normalised, reported)
    untyped = [r for r in rows if not r["prefix"] and r["iati_id"] and r["iati_id"].count("-") <= 4]
    untyped = [r for r in untyped if r["iati_id"].startswith("T05")]
    expected = sum(_euros(r["budget"]) for r in decisions + untyped)
    assert akvo.report.ok
    dataset = akvo.dataset
    assert int(dataset.allocations["amount_eur"].sum()) == expected == 5_198_072_988
    assert len(dataset.allocations) == 250
    with_contracts = expected + int(dataset.contracts["amount_eur"].sum())
    assert int(aggregate.by_window(dataset)["amount_eur"].sum()) == expected != with_contracts


def test_contracts_are_shown_beside_their_decision(akvo):
    dataset = akvo.dataset
    table = aggregate.contracted_by_decision(dataset).set_index("reference")
    rows = _rows(AKVO)
    so03 = [r for r in rows if r["project_parent"] == "T05-EUTF-HOA-SO-03" and r["prefix"] == "CTR"]
    assert len(so03) == 13
    # T05-EUTF-HOA-SO-03-09 has no budget: left out, and said so
    unbudgeted = next(f for f in akvo.report if f.rule == "amount-missing")
    assert "not imported" in unbudgeted.message
    so03 = [r for r in so03 if r["budget"]]
    assert table.at["T05-EUTF-HOA-SO-03", "n_contracts"] == len(so03) == 12
    assert table.at["T05-EUTF-HOA-SO-03", "contracted_eur"] == sum(_euros(r["budget"]) for r in so03)
    assert table.at["T05-EUTF-HOA-SO-03", "amount_eur"] == 55_000_000
    drilled = apply(dataset, Filters(text="T05-EUTF-HOA-SO-03"))
    assert set(drilled.contracts["parent_reference"].str.upper()) == {"T05-EUTF-HOA-SO-03"}


def test_orphan_contracts_are_reported_and_counted_nowhere(akvo):
    reported = {f.row for f in akvo.report if f.rule == "contract-parent-missing"}
    orphans = aggregate.orphan_contracts(akvo.dataset)
    assert set(orphans.index) == reported
    # no parent, and no decision of the file whose reference theirs extends
    assert set(orphans["reference"]) == {"T05-EUTF-HoA-SO-03", "T05-EUTF-REG-HOA-02-13", "T05-EUTF-REG-NAFR-02-01"}
    linked = {f.value: f.message for f in akvo.report if f.rule == "contract-parent-inferred"}
    assert "T05-EUTF-NOA-LY-03, T05-EUTF-NOA-LY-02" in linked  # two parents named: its own reference decides
    parents = akvo.dataset.contracts.set_index("reference")["parent_reference"]
    assert parents["T05-EUTF-SAH-REG-13-01"] == "T05-EUTF-SAH-REG-13"  # the export named the results framework
    assert parents["T05-EUTF-NOA-LY-03-01"] == "T05-EUTF-NOA-LY-03"
    # T05-EUTF-HOA-SS-48-02 is in the file twice: the row naming its decision and partner is kept
    kept = akvo.dataset.contracts.set_index("reference").loc["T05-EUTF-HOA-SS-48-02"]
    assert kept["implementing_partner"] == "World Food Programme"
    contracted = int(aggregate.contracted_by_decision(akvo.dataset)["contracted_eur"].sum())
    assert contracted + int(orphans["amount_eur"].sum()) == int(akvo.dataset.contracts["amount_eur"].sum())


def test_akvo_mapping_problems_are_reported(akvo):
    report = akvo.report
    counts = Counter(f.rule for f in report)
    assert counts["amount-scientific-notation"] == 326  # 329 in the file, 3 on rows left out
    assert counts["dates-not-in-export"] == 1
    assert counts["date-missing"] == 0  # said once for the file, not 600 times
    assert {f.value for f in report if f.rule == "objective-code-ignored"} >= {"TFP.0", "VAL.1; HOA.OPE.1.1"}
    excluded = next(f for f in report if f.rule == "row-excluded")
    # the results-framework total row (4 600 000 000 EUR) is not an EUTF decision
    assert 644 in excluded.extra["rows"]
    by_ref = akvo.dataset.contracts.set_index("reference")
    assert by_ref.at["T05-EUTF-NOA-REG-13-01", "amount_eur"] == 24_000_000  # written 2.4e+07
    assert (akvo.dataset.allocations["window"] == "HOA").sum() == 94  # window read from the reference


@pytest.mark.parametrize(
    ("raw", "value", "rule"),
    [
        ("24000000", 24_000_000, None),
        ("2.4e+07", 24_000_000, "amount-scientific-notation"),
        ("1.2345678e+07", 12_345_678, "amount-scientific-notation"),
        ("14952505.5", 14_952_506, "amount-rounded-to-euro"),
        ("47695443.11", 47_695_443, "amount-rounded-to-euro"),
        ("13 500 000", None, "amount-not-a-number"),  # a machine export is never grouped
        ("", None, "amount-missing"),
        ("1e+20", None, "amount-too-large"),  # would overflow Int64
    ],
)
def test_machine_written_amounts_are_read_exactly(raw, value, rule):
    parsed = parse_amount(raw)
    assert (parsed.value, parsed.rule) == (value, rule)


def test_reference_noise_is_normalised_and_reported():
    assert parse_reference("T05-EUTF-NOA-TN–03").value == "T05-EUTF-NOA-TN-03"
    assert parse_reference("T05-EUTF- SAH-ML-13").rule == "reference-normalised"
    assert parse_reference("YEP Programmes").value == "YEP Programmes"  # not an EUTF reference: left as typed


@pytest.mark.parametrize("name", ["projects", "akvo"])
def test_every_finding_of_the_public_exports_is_in_french_too(name, request):
    """Hundreds of findings (rows left out, overruns, derived values): each from the catalogue, none in English."""
    report = request.getfixturevalue(name).report
    assert len(report) > 100
    untranslated = {f.rule: f.message for f in report if f.template is None or f.message_in("fr") == f.message}
    assert not untranslated
    excluded = next(f for f in report if f.rule == "row-excluded")
    assert excluded.message_in("fr").startswith("Lignes de la source")
    assert "\u00a0€" in excluded.message_in("fr")
    assert " EUR" in excluded.message


# --- the files as published: what the hand-made copies used to do, done by the import ------------


def test_the_published_files_are_recognised_by_their_header(projects, akvo):
    assert (projects.source_format.key, akvo.source_format.key) == ("eutf-projects-database", "eutf-akvo-published")
    assert catalog.dataset_for_format(projects.source_format) == catalog.PUBLIC_EXPORTS[0].dataset
    assert catalog.dataset_for_format(akvo.source_format) == catalog.PUBLIC_EXPORTS[1].dataset
    not_read = {f.header for f in projects.report if f.rule == "column-unknown"}
    assert not_read == {"ProjectStartDate", "ProjectEndDate", "ProjectLinks", "Comments", "multiple countries?",
                        "DE implementing?"}  # fmt: skip
    assert {f.header for f in akvo.report if f.rule == "column-unknown"} >= {"summary", "oecd_purpose", "links"}


def test_comma_separated_lists_and_several_partners_are_mapped(projects, akvo):
    """Country names and themes in words, separated by commas; several implementers in one cell."""
    by_ref = projects.dataset.allocations.set_index("reference")
    for r in _rows(PROJECTS):
        reference = parse_reference(r["ProjectID"]).value
        if reference not in by_ref.index or r["ProjectID"] == "T05-EUTF-HoA-SO-03":
            continue
        names = {n.strip() for n in r["ProjectLocation"].split(",") if n.strip()}
        assert len(by_ref.at[reference, "countries"]) == len(names), reference
        themes = {t.strip() for t in r["ProjectTheme"].split(",") if t.strip()}  # a repeated theme counts once
        assert len(by_ref.at[reference, "objectives"]) == len(themes), reference
    gar_si = by_ref.loc["T05-EUTF-SAH-REG-18"]
    assert gar_si["countries"] == ["BF", "ML", "MR", "NE", "TD"]  # "Mali, Mauritanie, Burkina Faso, Niger, Tchad"
    assert gar_si["scope"] == "regional"
    assert by_ref.at["T05-EUTF-HOA-DJ-41", "objectives"] == [2, 3]  # resilience, migration management
    assert by_ref.at["T05-EUTF-HOA-DJ-41", "implementing_partner"] == (
        "International Organization for Migration, World Food Programme"
    )  # several partners: kept as written, never split into made-up shares
    contracts = akvo.dataset.contracts.set_index("reference")
    assert contracts.at["T05-EUTF-SAH-REG-20-01", "countries"] == ["BF", "ML", "MR", "NE", "TD"]  # "BF, ML, MR, NE, TD"
    assert not any(
        f.rule in {"country-invalid", "record-type-invalid"} for f in list(projects.report) + list(akvo.report)
    )


def test_no_national_reference_disagrees_with_its_countries(projects, akvo):
    """A reference's country segment (T05-EUTF-SAH-ML-…) is one of the countries its row lists."""
    import re

    checked = 0
    for result in (projects, akvo):
        records = result.dataset.records
        for reference, countries in zip(records["reference"], records["countries"], strict=True):
            match = re.match(r"T\d\d-EUTF-[A-Z]{3}-([A-Z]{2})-", reference.upper())
            if match and countries:
                checked += 1
                assert match.group(1) in countries, reference
    assert checked > 400
    # the two references whose segments are not a window and a country are reported, not dropped silently
    orphans = set(aggregate.orphan_contracts(akvo.dataset)["reference"])
    assert "T05-EUTF-REG-HOA-02-13" in orphans  # kept, counted under no decision, reported (contract-parent-missing)
    assert any(f.value == "T05-EUTF-NOA-xx-xx" and f.rule == "reference-pattern" for f in akvo.report)  # left out


def _legacy_copy(path, tmp_path, renames: dict[str, str], lists: tuple[str, ...], types: dict[str, str]):
    """The hand-normalised layout the project shipped before, rebuilt here from the file as published."""
    rows = _rows(path)
    out = tmp_path / f"legacy-{path.name}"
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(renames.values()))
        writer.writeheader()
        for r in rows:
            row = {new: r[old] for old, new in renames.items()}
            for column in lists:
                row[column] = ";".join(t.strip() for t in row[column].split(",") if t.strip())
            if "record_type" in row:
                row["record_type"] = types.get(row["record_type"], row["record_type"])
            writer.writerow(row)
    return out


def test_the_hand_normalised_layouts_still_import_to_the_same_data(projects, akvo, tmp_path):
    """An analyst's copy in the old normalised layout goes to the same dataset with the same rows."""
    legacy = load_path(
        _legacy_copy(
            PROJECTS,
            tmp_path,
            {
                "ProjectID": "reference",
                "ProjectTitle": "title",
                "Region": "window",
                "ProjectLocation": "countries",
                "ProjectBudget": "amount_eur",
                "ProjectAdoptionDate": "adoption_date",
                "ProjectImplementor": "implementing_partner",
                "ProjectTheme": "eutf_objective",
            },
            ("countries", "eutf_objective"),
            {},
        )
    )
    assert legacy.source_format.key == "eutf-projects"
    pd.testing.assert_frame_equal(legacy.dataset.records, projects.dataset.records)
    legacy = load_path(
        _legacy_copy(
            AKVO,
            tmp_path,
            {
                "iati_id": "reference",
                "prefix": "record_type",
                "project_parent": "parent",
                "title": "title",
                "recipient_country": "countries",
                "budget": "budget_eur",
                "partner_implementing": "implementing_partner",
                "topics": "eutf_objective_codes",
            },
            ("countries", "eutf_objective_codes"),
            {"DEC": "decision", "CTR": "contract"},
        )
    )
    assert legacy.source_format.key == "eutf-akvo"
    pd.testing.assert_frame_equal(legacy.dataset.records, akvo.dataset.records)
    assert catalog.dataset_for_format(legacy.source_format) == catalog.PUBLIC_EXPORTS[1].dataset


@pytest.mark.parametrize(("path", "dataset"), [(PROJECTS, 0), (AKVO, 1)], ids=["database", "monitoring"])
def test_the_upload_page_recognises_the_file_as_published(path, dataset, tmp_path, monkeypatch):
    """The Upload page: the same path as any upload, the format named, its own dataset suggested."""
    from streamlit.testing.v1 import AppTest

    from store.auth import hash_password

    monkeypatch.setenv("EUTF_DATABASE_URL", f"sqlite:///{tmp_path / 'upload.sqlite'}")
    monkeypatch.setenv("EUTF_PUBLIC_DATA", str(tmp_path))  # nothing seeded: the upload is the first version
    at = AppTest.from_file(str(catalog.DATA_DIR.parent / "app.py"), default_timeout=120)
    at.secrets["analyst"] = {"password_hash": hash_password("pw", iterations=1000), "name": "Test analyst"}
    at.run()
    at.switch_page("pages/upload.py").run()
    at.text_input(key="analyst_password").set_value("pw")
    at.button(key="sign_in_submit").click().run()
    at.file_uploader[0].set_value((path.name, path.read_bytes(), "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    label = load_path(path).source_format.label
    assert any(f"Recognised as the **{label}**" in i.value for i in at.info)
    assert at.selectbox(key="publish_target").value == catalog.PUBLIC_EXPORTS[dataset].dataset
