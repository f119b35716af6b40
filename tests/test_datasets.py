"""Named datasets kept apart: the store, the CLI and every page with the dataset switch."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine
from streamlit.testing.v1 import AppTest

from cli.__main__ import main
from dashboard.registry import PAGES
from domain.dataset import DEFAULT_DATASET
from etl import catalog
from seed.public import seed_if_empty, seed_public_exports
from store.auth import hash_password
from store.db import make_engine
from store.versions import Store, dataset_names
from tests.conftest import PUBLIC_DATA
from validation.pipeline import load_path

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PORTFOLIO = catalog.PUBLIC_EXPORTS[0].dataset
AKVO = catalog.PUBLIC_EXPORTS[1].dataset


@pytest.fixture
def engine(tmp_path):
    return make_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")


def test_public_exports_are_seeded_apart_from_the_mali_dataset(engine):
    mali = Store(engine)
    seed_if_empty(mali)
    seeded = seed_public_exports(engine, PUBLIC_DATA)
    assert [v.number for v in seeded] == [1, 1]
    assert dataset_names(engine) == [DEFAULT_DATASET, PORTFOLIO, AKVO]
    assert seed_public_exports(engine, PUBLIC_DATA) == []  # seeded once
    assert mali.info(1).total_eur == 145_100_000
    assert mali.latest_number() == 1
    assert Store(engine, PORTFOLIO).info(1).total_eur == 5_201_072_988
    akvo = Store(engine, AKVO)
    assert akvo.info(1).total_eur == 5_198_072_988  # decision budgets only
    assert akvo.info(1).row_count == 250
    stored = akvo.table(1)
    assert (stored["record_type"] == "contract").sum() == 385  # the contracts are kept, beside their decisions


def test_a_folder_without_the_exports_seeds_nothing(engine, tmp_path):
    assert seed_public_exports(engine, tmp_path) == []
    assert dataset_names(engine) == []


def test_publishing_one_dataset_never_changes_another(engine, shipped):
    mali = Store(engine)
    seed_if_empty(mali)
    other = Store(engine, "Mali — allocations of March 2017")
    info = other.publish(shipped.dataset.records, base=None, by="t", file_name="x.xlsx", file_sha256="0" * 64)
    assert info.number == 1
    assert mali.latest_number() == 1
    assert len(mali.versions()) == 1
    assert dataset_names(engine) == [DEFAULT_DATASET, "Mali — allocations of March 2017"]


def test_the_store_keeps_record_type_and_parent(engine):
    from tests.builders import HEADERS_FR, rows, xlsx_bytes
    from validation.pipeline import load_bytes

    contract = ["T05-EUTF-SAH-ML-01-01", "Contrat", "SAH", "national", "ML", "2", None, 5_000_000]
    contract += [None, None, None, None, 2, None, "contrat", "T05-EUTF-SAH-ML-01"]
    data = xlsx_bytes([[*r, None, None] for r in rows()] + [contract], headers=[*HEADERS_FR, "Type", "Décision mère"])
    result = load_bytes(data, "with-contract.xlsx")
    assert result.report.ok, result.report.text()
    assert len(result.dataset.allocations) == 9
    assert len(result.dataset.contracts) == 1
    assert int(result.dataset.allocations["amount_eur"].sum()) == 145_100_000  # the contract is not added
    assert all(line.reconciles for line in result.reconciliation)
    store = Store(engine, "with contracts")
    info = store.publish(result.dataset.records, base=None, by="t", file_name="w.xlsx", file_sha256="0" * 64)
    assert (info.total_eur, info.row_count) == (145_100_000, 9)
    back = store.table(1).set_index("reference")
    assert back.at["T05-EUTF-SAH-ML-01-01", "parent_reference"] == "T05-EUTF-SAH-ML-01"
    assert back.at["T05-EUTF-SAH-ML-01-01", "record_type"] == "contract"
    assert back.at["T05-EUTF-SAH-ML-01", "record_type"] == "decision"


def test_a_contract_whose_decision_is_missing_is_a_warning():
    from tests.builders import HEADERS_FR, rows, xlsx_bytes
    from validation.pipeline import load_bytes

    contract = ["T05-EUTF-SAH-ML-09-01", "Contrat", "SAH", "national", "ML", "2", None, 5_000_000]
    contract += [None, None, None, None, 2, None, "contract", "T05-EUTF-SAH-ML-09"]
    data = xlsx_bytes([[*r, None, None] for r in rows()] + [contract], headers=[*HEADERS_FR, "Type", "Décision mère"])
    result = load_bytes(data, "orphan.xlsx")
    finding = next(f for f in result.report if f.rule == "contract-parent-missing")
    assert (finding.severity, finding.cell) == ("warning", "P11")
    assert "T05-EUTF-SAH-ML-09" in finding.message
    bad = load_bytes(
        xlsx_bytes([[*r, "subvention", None] for r in rows()], headers=[*HEADERS_FR, "Type", "Décision mère"]), "t.xlsx"
    )
    assert {f.rule for f in bad.report.errors} == {"record-type-invalid"}


def test_cli_publishes_a_public_export_into_its_own_dataset(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("EUTF_DATABASE_URL", url)
    monkeypatch.setenv("EUTF_PUBLIC_DATA", str(tmp_path))  # nothing seeded from data/public
    monkeypatch.setenv("EUTF_ANALYST_PASSWORD_HASH", hash_password("analyst password", iterations=1000))
    monkeypatch.setenv("EUTF_ANALYST_PASSWORD", "analyst password")
    path = PUBLIC_DATA / "published" / "EUTF-Projects-Database-2022-01.csv"  # the file as published
    assert main(["publish", str(path), "--comment", "portfolio"]) == 1  # warnings to accept
    assert main(["publish", str(path), "--comment", "portfolio", "--accept-warnings"]) == 0
    assert f"Published version 1 of '{PORTFOLIO}'" in capsys.readouterr().out
    engine = create_engine(url)
    assert dataset_names(engine) == [DEFAULT_DATASET, PORTFOLIO]
    out = tmp_path / "noa.csv"
    assert main(["export", "--dataset", PORTFOLIO, "--format", "csv", "--filter", "window=NOA", "--out", str(out)]) == 0
    assert "41 rows, 851 017 427 EUR" in capsys.readouterr().out  # NOA decisions of the project list
    assert main(["export", "--dataset", "no such dataset", "--format", "csv"]) == 2


# --- the pages, for each dataset ----------------------------------------------------------------


def _app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    return at


@pytest.mark.parametrize("dataset", [PORTFOLIO, AKVO], ids=["portfolio", "akvo"])
@pytest.mark.parametrize("spec", PAGES, ids=lambda p: p.url_path)
def test_every_page_renders_each_public_dataset(dataset, spec):
    at = _app(dataset=catalog.dataset_slug(dataset))
    at.run()
    at.switch_page(spec.script)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    if spec.filtered:
        captions = " ".join(c.value for c in at.caption)
        assert dataset in captions.replace("\\", "")  # every page names its dataset


def test_dataset_switch_shows_the_portfolio_totals_and_back():
    at = _app(dataset=catalog.dataset_slug(PORTFOLIO))
    at.run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Total allocated"] == "€5.20bn"
    assert metrics["Single-country projects"] == "€3.66bn"
    assert metrics["Multi-country projects"] == "€1.55bn"
    assert PORTFOLIO in at.title[0].value
    assert not any("joint communiqué" in s.value for s in at.subheader)  # no communiqué reconciliation here
    picker = at.selectbox(key="_w_dataset")
    picker.set_value(DEFAULT_DATASET).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Total allocated"] == "€145.1M"
    assert metrics["Projects targeting Mali"] == "€91.5M"


def test_akvo_overview_shows_contracted_beside_budgets():
    at = _app(dataset=catalog.dataset_slug(AKVO))
    at.run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Total allocated"] == "€5.20bn"
    assert metrics["Contracted"] == "€3.38bn"
    assert any("3 contracts" in w.value for w in at.warning)  # orphan contracts, counted nowhere


def test_project_page_drills_from_a_decision_to_its_contracts():
    at = _app(dataset=catalog.dataset_slug(AKVO), ref="T05-EUTF-HOA-SO-03")
    at.run()
    at.switch_page("pages/project.py")
    at.run()
    assert not at.exception
    assert at.title[0].value == "T05-EUTF-HOA-SO-03"
    assert any(s.value == "Contracts under this decision" for s in at.subheader)
    contracts = at.dataframe[1].value
    assert len(contracts) == 12
    assert "T05-EUTF-HOA-SO-03-01" in set(contracts["Contract"])


def test_regions_equal_split_is_a_stated_choice():
    at = _app(dataset=catalog.dataset_slug(PORTFOLIO))
    at.run()
    at.switch_page("pages/regions.py")
    at.run()
    assert any("never apportioned" in i.value for i in at.info)
    at.radio(key="country_split").set_value("equal").run()
    assert not at.exception
    assert any("stated rule" in w.value for w in at.warning)


def test_shipped_dataset_has_no_contracts(shipped):
    assert shipped.dataset.contracts.empty
    assert load_path(catalog.ALLOCATIONS_XLSX).source_format is None


def test_sources_lists_the_rows_left_out_and_the_warnings_on_rows_kept():
    """The 2022 project list: rows 71 and 254 are left out (254 for two reasons); the rest are warnings on kept rows."""
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=60)
    at.query_params["dataset"] = "eutf-portfolio-jan-2022"
    at.run()
    at.switch_page("pages/sources.py").run()
    assert not at.exception, [e.value for e in at.exception]
    left_out = next(d.value for d in at.dataframe if "Why" in d.value.columns)
    assert list(left_out["Row"]) == [71, 254, 254]
    kept = next(d.value for d in at.dataframe if "Rule" in d.value.columns).set_index("Rule")["Rows"]
    assert kept["date-missing"] == 61
    assert kept["date-not-a-date"] == 1  # 28.05.19: kept, shown unknown (the hand-made copy had blanked it)
    assert kept["amount-rounded-to-euro"] == 8
    assert kept["reference-duplicate"] == 1  # the twin that is kept, never the one left out
    # the command the page gives works from the repository's root (review: it named a path that does not exist)
    command = next(c.value for c in at.caption if "python -m cli validate" in c.value)
    path = command.split("python -m cli validate ", 1)[1].split(" ")[0]
    assert path == "data/public/published/EUTF-Projects-Database-2022-01.csv"
    assert (ROOT / path).is_file()


# --- a fresh clone: every shipped dataset seeded from the repository alone -----------------------


def _shipped_totals() -> dict[str, int]:
    """Each shipped dataset's total in EUR, computed from the shipped files themselves (openpyxl,
    csv and Decimal, not the project's readers): the Mali workbook's amounts; the project list's
    EUTF references counted once; the monitoring export's decision budgets (typed, or untyped
    rows with a decision's reference form), never their contracts."""
    import csv
    from decimal import ROUND_HALF_UP, Decimal

    import openpyxl

    def euros(text: str) -> int:
        return int(Decimal(text).to_integral_value(rounding=ROUND_HALF_UP))

    def rows(name: str) -> list[dict[str, str]]:
        with (PUBLIC_DATA / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    sheet = openpyxl.load_workbook(catalog.ALLOCATIONS_XLSX, read_only=True)["Allocations"]
    header, *body = sheet.iter_rows(values_only=True)
    mali = sum(r[header.index("Montant UE (EUR)")] for r in body if r[0])
    seen: set[str] = set()
    portfolio = 0
    for r in rows("published/EUTF-Projects-Database-2022-01.csv"):
        key = r["ProjectID"].strip().casefold()
        if key.startswith("t05-eutf-") and key not in seen:
            seen.add(key)
            portfolio += euros(r["ProjectBudget"])
    decisions = 0
    for r in rows("published/EUTF_projects_akvo.csv"):
        untyped_decision = not r["prefix"] and r["iati_id"].startswith("T05") and r["iati_id"].count("-") <= 4
        if r["prefix"] == "DEC" or untyped_decision:
            decisions += euros(r["budget"])
    return {DEFAULT_DATASET: mali, PORTFOLIO: portfolio, AKVO: decisions}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_empty_store_seeds_every_shipped_dataset_from_the_repository(tmp_path, monkeypatch, lang):
    """What a user who cloned only the repository sees on first start: the three datasets, each
    with the total of its shipped file, named in the interface's language."""
    monkeypatch.delenv("EUTF_PUBLIC_DATA", raising=False)
    monkeypatch.setenv("EUTF_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    assert catalog.public_data_dir() == ROOT / "data" / "public"
    expected = _shipped_totals()
    assert expected == {DEFAULT_DATASET: 145_100_000, PORTFOLIO: 5_201_072_988, AKVO: 5_198_072_988}
    at = _app(lang=lang)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    titles = [catalog.dataset_title(name, lang) for name in expected]
    assert at.selectbox(key="_w_dataset").options == titles
    if lang == "fr":
        assert titles[1] == "Portefeuille du FFUE — janv. 2022"
    engine = create_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    assert dataset_names(engine) == list(expected)
    for name, total in expected.items():
        assert Store(engine, name).info(1).total_eur == total
        shown = _app(lang=lang, dataset=catalog.dataset_slug(name))
        shown.run()
        assert not shown.exception, [e.value for e in shown.exception]
        captions = " ".join(c.value for c in shown.caption).replace("\\", "")
        assert catalog.dataset_title(name, lang) in captions  # the page shows that dataset, named in lang


def test_portfolio_dialogue_rounds_keep_undated_apart_from_after_the_last_dialogue():
    """35 projects cover Mali: 3 at the dialogues, 22 dated after the last one, 10 without a date (two bars)."""
    at = _app(dataset=catalog.dataset_slug(PORTFOLIO))
    at.run()
    at.switch_page("pages/rounds.py").run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(d.value for d in at.dataframe if "Projects added" in d.value.columns)
    bars = table.set_index("High-Level Dialogue")["Projects added"].to_dict()
    assert bars == {
        "1st High-Level Dialogue": 1,
        "2nd High-Level Dialogue": 2,
        "After the last dialogue": 22,
        "Date unknown": 10,
    }
    why = next(c.value for c in at.caption if c.value.startswith("Why these dates differ"))
    assert "(22 projects)" in why
    assert "(10 projects, their own bar" in why
    # the undated bar opens exactly its rows
    explorer = _app(dataset=catalog.dataset_slug(PORTFOLIO), round="-1", country="ML")
    explorer.run()
    explorer.switch_page("pages/explorer.py").run()
    assert {m.label: m.value for m in explorer.metric}["Projects shown (filtered)"] == "10"


def test_filters_with_nothing_to_choose_are_not_offered():
    """The portfolio reports no Valletta domain and no theme: those filters are not in its sidebar."""
    portfolio = _app(dataset=catalog.dataset_slug(PORTFOLIO))
    portfolio.run()
    labels = {m.label for m in portfolio.sidebar.multiselect}
    assert {"EUTF window", "Country", "Strategic objective"} <= labels
    assert not {"Valletta domain", "Theme"} & labels
    mali = _app()
    mali.run()
    domains = next(m for m in mali.sidebar.multiselect if m.label == "Valletta domain")
    assert [o.split(" – ")[0] for o in domains.options] == ["1", "4", "not reported"]  # those it reports
