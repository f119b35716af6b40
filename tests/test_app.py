"""AppTest of every registered page: no exception, the right figures, filters from the URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.registry import PAGES

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


def _app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_every_page_file_is_registered():
    on_disk = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert on_disk == {p.script for p in PAGES}


#: Each page's title in each language (the project page without a reference says so).
TITLES = {
    "overview": (
        "EUTF allocations behind the Mali–EU High-Level Dialogue on migration",
        "Allocations du FFUE derrière le dialogue de haut niveau Mali–UE sur la migration",
    ),
    "themes": ("Allocations by theme", "Allocations par thème"),
    "regions": ("Allocations by region and country", "Allocations par région et par pays"),
    "rounds": ("Allocations by High-Level Dialogue", "Allocations par dialogue de haut niveau"),
    "explorer": ("Explore and export allocations", "Explorer et exporter les allocations"),
    "timeline": ("Approvals over time", "Approbations dans le temps"),
    "results": ("Results reported", "Résultats déclarés"),
    "commitments": ("Commitments and disbursements", "Engagements et décaissements"),
    "project": ("Project", "Projet"),
    "sources": ("Sources & method", "Sources et méthode"),
    "upload": ("Upload an allocation workbook", "Téléverser un classeur d’allocations"),
    "history": ("Version history", "Historique des versions"),
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("spec", PAGES, ids=lambda p: p.url_path)
def test_page_renders_without_exception(spec, lang):
    at = _app(lang=lang)
    at.run()
    at.switch_page(spec.script)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "every page has a title"
    assert at.title[0].value == TITLES[spec.url_path][lang == "fr"]
    assert not at.error


def test_every_page_has_its_titles():
    assert set(TITLES) == {p.url_path for p in PAGES}


def test_overview_kpis_and_reconciliation():
    at = _app()
    at.run()
    assert not at.exception
    assert _metrics(at) == {
        "Total allocated": "€145.1M",
        "Regional initiatives": "€53.6M",
        "Projects targeting Mali": "€91.5M",
        "Projects": "9",
    }
    assert "met to the euro" in at.success[0].value


def test_french_interface_and_formats_from_the_url():
    at = _app(lang="fr")
    at.run()
    assert not at.exception
    assert _metrics(at) == {
        "Total alloué": "145,1\u00a0M€",
        "Initiatives régionales": "53,6\u00a0M€",
        "Projets nationaux (Mali)": "91,5\u00a0M€",
        "Projets": "9",
    }
    assert "atteint à l’euro près" in at.success[0].value
    assert at.subheader[0].value == "Rapprochement avec le communiqué conjoint"


def test_filters_in_the_url_change_the_figures():
    at = _app(scope="national")
    at.run()
    assert not at.exception
    assert at.session_state["scope"] == ["national"]
    assert at.multiselect(key="_w_scope_en").value == ["national"]
    assert _metrics(at)["Total allocated"] == "€91.5M"
    assert _metrics(at)["Projects"] == "6"
    # the reconciliation is always on the whole dataset
    assert "met to the euro" in at.success[0].value


def test_country_filter_counts_regional_initiatives_covering_it():
    at = _app(country="SN")
    at.run()
    assert _metrics(at)["Total allocated"] == "€41.6M"


def test_reset_clears_every_filter():
    # AppTest (streamlit 1.67) drops sidebar widgets from its tree after a rerun under
    # st.navigation, so the filters are seeded through the URL and reset in one step.
    at = _app(scope="regional", q="GAR")
    at.run()
    assert _metrics(at)["Total allocated"] == "€41.6M"
    at.button(key="reset_filters").click().run()
    assert not at.exception
    assert _metrics(at)["Total allocated"] == "€145.1M"
    assert at.session_state["scope"] == []
    assert at.session_state["q"] == ""


def test_empty_filter_result_says_so():
    at = _app(q="no such project anywhere")
    at.run()
    assert not at.exception
    assert _metrics(at)["Projects"] == "0"
    assert any("No project matches" in i.value for i in at.info)


@pytest.mark.parametrize("spec", PAGES, ids=lambda p: p.url_path)
def test_pages_survive_filters_that_match_nothing(spec):
    at = _app(q="zzz-nothing")
    at.run()
    at.switch_page(spec.script)
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def test_link_values_that_match_nothing_are_reported():
    at = _app(scope="Foo", country="XX", objective="2")
    at.run()
    assert not at.exception
    warning = at.warning[0].value.replace("\\", "")  # the message is markdown-escaped
    assert "Scope: 'Foo'" in warning
    assert "Country: 'XX'" in warning
    # what could be read is applied: objective 2
    assert _metrics(at)["Total allocated"] == "€30.0M"


def test_language_switch_keeps_the_filters():
    at = _app(objective="1")
    at.run()
    assert _metrics(at)["Total allocated"] == "€19.5M"
    at.radio(key="lang").set_value("fr").run()
    assert not at.exception
    assert _metrics(at)["Total alloué"] == "19,5\u00a0M€"
    assert at.session_state["objective"] == [1]


def test_the_equal_split_is_kept_in_the_link():
    """``?split=equal`` opens Regions with the stated equal split, as the person who shared the link saw it."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/regions.py")
    at.query_params["split"] = "equal"
    at.query_params["lang"] = "fr"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.radio(key="country_split").value == "equal"
    assert at.query_params["split"] == "equal"
    at.radio(key="country_split").set_value("together").run()
    assert "split" not in at.query_params  # the default is not written
