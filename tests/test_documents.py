"""Each decision's documents: the links of the published files, shown as links, never fetched."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl import catalog, documents

ROOT = Path(__file__).resolve().parents[1]
DATABASE = catalog.PUBLIC_DATA_DIR / catalog.PUBLIC_EXPORTS[0].file_name


@pytest.fixture(scope="module")
def read():
    return documents.read_documents(catalog.PUBLIC_DATA_DIR)


def test_every_link_of_the_projects_database_is_read(read):
    with DATABASE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = {
        (r["ProjectID"].strip().casefold(), url)
        for r in rows
        for url in re.findall(r"https?://[^\s,]+", r["ProjectLinks"])
        if r["ProjectID"].startswith("T05")
    }
    assert len(expected) > 250
    from_database = read.frame[read.frame["file"] == DATABASE.name]
    got = {(reference.casefold().replace("–", "-"), url) for reference, url in zip(
        from_database["reference"], from_database["url"], strict=True)}  # fmt: skip
    assert {(ref.replace("–", "-"), url) for ref, url in expected} == got
    assert not read.findings  # every link of the shipped files is a web address


def test_a_decisions_links_are_its_action_documents_each_once(read):
    links = documents.of_decision(read.frame, "t05-eutf-hoa-so-03 ")
    assert list(links["label"])[-1] == "T05-EUTF-HOA-SO-03_RE-INTEG_incl._7_riders.pdf"
    assert links["url"].is_unique  # the same action document in both files is listed once
    assert set(links["file"]) == {"EUTF-Projects-Database-2022-01.csv"}
    assert len(links) == 3


def test_a_link_that_is_not_a_web_address_is_reported_not_shown(tmp_path):
    published = tmp_path / "published"
    published.mkdir()
    (published / "EUTF-Projects-Database-2022-01.csv").write_text(
        'ProjectID,ProjectLinks\nT05-EUTF-SAH-ML-01,"javascript:alert(1), https://example.org/a%20b.pdf"\n',
        encoding="utf-8",
    )
    read = documents.read_documents(tmp_path)
    assert list(read.frame["url"]) == ["https://example.org/a%20b.pdf"]
    assert list(read.frame["label"]) == ["a b.pdf"]
    (finding,) = read.findings
    assert (finding.rule, finding.row, finding.value) == ("document-link-invalid", 2, "javascript:alert(1)")
    assert finding.message_in("fr").startswith("« javascript:alert(1) » n’est pas une adresse web")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_project_page_links_its_documents_and_shows_its_results(lang):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.query_params["dataset"] = catalog.dataset_slug(catalog.PUBLIC_EXPORTS[1].dataset)
    at.query_params["ref"] = "T05-EUTF-NOA-LY-12"
    at.run()
    at.switch_page("pages/project.py").run()
    assert not at.exception, [e.value for e in at.exception]
    headers = [h.value for h in at.subheader]
    assert "Documents" in headers
    assert ("Results reported" if lang == "en" else "Résultats déclarés") in headers
    frames = [d.value for d in at.dataframe]
    link = "Link" if lang == "en" else "Lien"
    docs = next(f for f in frames if link in f.columns)
    assert all(u.startswith("https://") for u in docs[link])
    record = "Record" if lang == "en" else "Fiche"
    shown = next(f for f in frames if record in f.columns)
    assert {"T05-EUTF-NOA-LY-12", "T05-EUTF-NOA-LY-12-01"} <= set(shown[record])
