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
    assert _metrics(at)["Total allocated (filtered)"] == "€91.5M"
    assert _metrics(at)["Projects (filtered)"] == "6"
    # the reconciliation is always on the whole dataset
    assert "met to the euro" in at.success[0].value


def test_country_filter_counts_regional_initiatives_covering_it():
    at = _app(country="SN")
    at.run()
    assert _metrics(at)["Total allocated (filtered)"] == "€41.6M"


def test_reset_clears_every_filter():
    # AppTest (streamlit 1.67) drops sidebar widgets from its tree after a rerun under
    # st.navigation, so the filters are seeded through the URL and reset in one step.
    at = _app(scope="regional", q="GAR")
    at.run()
    assert _metrics(at)["Total allocated (filtered)"] == "€41.6M"
    at.button(key="reset_filters").click().run()
    assert not at.exception
    assert _metrics(at)["Total allocated"] == "€145.1M"
    assert at.session_state["scope"] == []
    assert at.session_state["q"] == ""


def test_empty_filter_result_says_so():
    at = _app(q="no such project anywhere")
    at.run()
    assert not at.exception
    assert _metrics(at)["Projects (filtered)"] == "0"
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
    warning = next(w.value for w in at.warning if "not applied" in w.value)
    warning = warning.replace("\\", "")  # the message is markdown-escaped
    assert "Scope: 'Foo' matches nothing in this dataset" in warning
    assert "Country: 'XX' matches nothing in this dataset" in warning
    # what could be read is applied: objective 2
    assert _metrics(at)["Total allocated (filtered)"] == "€30.0M"


def test_language_switch_keeps_the_filters():
    at = _app(objective="1")
    at.run()
    assert _metrics(at)["Total allocated (filtered)"] == "€19.5M"
    at.radio(key="lang").set_value("fr").run()
    assert not at.exception
    assert _metrics(at)["Total alloué (filtré)"] == "19,5\u00a0M€"
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


#: Pages that draw figures under the shared filters (the others ignore them and say so).
CHART_PAGES = [p for p in PAGES if p.filtered]


def _filtered_line(at: AppTest) -> str | None:
    return next((w.value for w in at.warning if w.value.startswith("Filtered view")), None)


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"scope": "regional"}, "Scope: Regional"),
        ({"country": "SN"}, "Country: SN – Senegal"),
        ({"ref": "T05-EUTF-SAH-ML-01", "q": "GAR"}, "Search: “GAR”"),
        ({"round": "1"}, "High-Level Dialogue: 1st High-Level Dialogue"),
        ({"min_eur": "20000000"}, "Amount from: €20,000,000"),
        ({"approved_from": "2016-06-01", "undated": "0"}, "Approved from: 1 June 2016"),
    ],
    ids=lambda v: "&".join(f"{k}={x}" for k, x in v.items()) if isinstance(v, dict) else None,
)
def test_every_chart_page_says_it_is_filtered(query, words):
    """A filter carried over from a link or another page is named where the figures are, and the KPIs say filtered."""
    at = _app(**query)
    at.run()
    for spec in CHART_PAGES:
        at.switch_page(spec.script).run()
        assert not at.exception, [e.value for e in at.exception]
        line = _filtered_line(at)
        assert line is not None, f"{spec.url_path}: no filtered line"
        assert words in line.replace("\\", ""), (spec.url_path, line)
        assert at.button(key="reset_filters_page").label == "Clear filters"
        for metric in at.metric:
            assert metric.label.endswith("(filtered)"), (spec.url_path, metric.label)
        for figure in at.get("plotly_chart"):  # a saved PNG names the filters too
            assert "Filtered: " + words.split(":")[0] in figure.proto.spec, spec.url_path
    # the communiqué's control totals stay whole, and say so
    at.switch_page("pages/rounds.py").run()
    calendar = next(d.value for d in at.dataframe if "Event" in d.value.columns)
    assert "Reported then (2016 amounts, whole dataset, not filtered)" in calendar.columns
    at.switch_page("pages/overview.py").run()
    assert at.subheader[0].value == "Reconciliation with the joint communiqué (whole dataset, filters not applied)"
    assert "€145,100,000" in at.dataframe[0].value["Loaded (EUR)"].tolist()  # the whole dataset, not the filtered
    # the one-click reset: the whole dataset again, labelled as such
    at.switch_page("pages/overview.py").run()
    at.button(key="reset_filters_page").click().run()
    assert _filtered_line(at) is None
    assert _metrics(at)["Total allocated"] == "€145.1M"


def test_filtered_line_and_labels_in_french():
    at = _app(lang="fr", scope="regional")
    at.run()
    assert _metrics(at)["Total alloué (filtré)"] == "53,6\u00a0M€"
    line = next(w.value for w in at.warning if w.value.startswith("Vue filtrée"))
    assert "Portée\u00a0: Régional" in line.replace("\\", "")


def test_unfiltered_overview_shows_the_control_totals_under_plain_labels():
    """``/`` without filter: the headline figures are the communiqué's control totals, to the euro."""
    from dashboard.cache import control_totals
    from domain.fmt import eur

    at = _app()
    at.run()
    assert _filtered_line(at) is None
    control = control_totals()
    at_2nd = control[control["dialogue_round"] == 2].set_index("total")["amount_eur"]
    assert (int(at_2nd["all"]), int(at_2nd["regional"]), int(at_2nd["national"])) == (
        145_100_000,
        53_600_000,
        91_500_000,
    )
    helps = {m.label: m.proto.help for m in at.metric}  # the exact euros under each headline figure
    assert helps["Total allocated"] == eur(int(at_2nd["all"]))
    assert helps["Regional initiatives"].startswith(eur(int(at_2nd["regional"])) + " · 3 projects")
    assert helps["Projects targeting Mali"].startswith(eur(int(at_2nd["national"])) + " · 6 projects")
    assert not any(m.label.endswith("(filtered)") for m in at.metric)


def test_tables_and_captions_read_without_codes():
    """Country names, not ISO codes, in the table under the project chart; dates that cannot be misread."""
    import re
    from datetime import UTC, datetime

    from domain.fmt import short_date

    at = _app()
    at.run()
    projects = next(d.value for d in at.dataframe if "Countries" in d.value.columns)
    assert "Mali" in set(projects["Countries"])
    assert "Senegal" in " ".join(projects["Countries"])
    assert set(projects["Scope"]) == {"National", "Regional"}
    captions = " ".join(c.value for c in at.caption)
    assert not re.search(r"\d{2}/\d{2}/\d{4}", captions)
    assert short_date(datetime.now(UTC), "en") in captions  # the version was published today in this test store


def _link_note(at: AppTest) -> str:
    """The note listing the link values that are not applied ('' when there is none)."""
    notes = [w.value.replace("\\", "") for w in at.warning if "not applied" in w.value]
    return notes[0] if notes else ""


#: Each link value that is refused, with the words of its note.
REFUSED = [
    (
        {"min_eur": "50000000", "max_eur": "1000"},
        "Amount from (EUR): '50000000' is above Amount up to (EUR): '1000'; the amount range is not applied",
    ),
    (
        {"approved_from": "2016-12-31", "approved_to": "2016-01-01"},
        "Approved from: '2016-12-31' is after Approved until: '2016-01-01'; the date range is not applied",
    ),
    ({"min_eur": "9" * 30}, "is above €1,000,000,000,000, more than the whole EUTF"),
    ({"min_eur": "12abc"}, "Amount from (EUR): '12abc' is not a whole number of euros"),
    ({"approved_from": "2000-01-01"}, "Approved from: '2000-01-01' is before the EUTF was set up (12 November 2015)"),
    ({"approved_to": "31/12/2016"}, "Approved until: '31/12/2016' is not a date (YYYY-MM-DD)"),
    ({"lang": "xx"}, "Language: 'xx' is not available (en, fr)"),
    ({"undated": "maybe"}, "'undated=maybe' is neither 0 nor 1"),
    ({"round": "7"}, "High-Level Dialogue: '7' matches nothing in this dataset"),
]


@pytest.mark.parametrize(("query", "note"), REFUSED, ids=[n[:40] for _, n in REFUSED])
def test_link_values_that_cannot_apply_are_refused_with_a_note(query, note):
    at = _app(**query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert note in _link_note(at)
    assert _filtered_line(at) is None  # nothing of it applied
    assert _metrics(at)["Total allocated"] == "€145.1M"


#: Each link value that is applied, with the words of the filtered line that shows it, and the total.
APPLIED = [
    ({"min_eur": "20000000"}, "Amount from: €20,000,000", "€90.6M"),  # 20 + 29 + 41.6 M€
    ({"max_eur": "10 000 000"}, "Amount up to: €10,000,000", "€28.0M"),  # 10 + 6 + 7 + 5 M€
    ({"approved_from": "2016-06-01"}, "Approved from: 1 June 2016", "€138.1M"),  # undated kept, REG-01 (Jan) out
    ({"approved_from": "2016-06-01", "undated": "0"}, "approval date is unknown are left out", "€5.0M"),
    ({"approved_to": "2016-06-30", "undated": "0"}, "Approved until: 30 June 2016", "€7.0M"),
    ({"round": "2"}, "High-Level Dialogue: 2nd High-Level Dialogue", "€101.6M"),
    ({"country": "ml", "scope": "national"}, "Country: ML – Mali", "€91.5M"),
    ({"q": "wapis"}, "Search: “wapis”", "€5.0M"),
]


@pytest.mark.parametrize(("query", "words", "total"), APPLIED, ids=[w for _, w, _t in APPLIED])
def test_link_values_are_applied_and_shown(query, words, total):
    at = _app(**query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert _link_note(at) == ""
    assert words in _filtered_line(at).replace("\\", "")
    assert _metrics(at)["Total allocated (filtered)"] == total


def test_the_language_travels_with_the_link():
    """Without ?lang= the browser's language is used, and written into the URL, so a shared link keeps it."""
    at = _app()
    at.run()
    assert at.query_params["lang"] == "en"
    french = _app(lang="fr", scope="national")
    french.run()
    french.switch_page("pages/themes.py").run()
    assert french.query_params["lang"] == "fr"
    assert french.query_params["scope"] == "national"


def test_an_unknown_split_in_the_link_is_reported():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/regions.py")
    at.query_params["split"] = "bogus"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Split: 'bogus' is neither 'equal' nor 'together'" in _link_note(at)
    assert at.radio(key="country_split").value == "together"


def test_a_filter_set_in_the_collapsed_expander_opens_it():
    """An amount or date filter is never hidden in a closed expander while it filters."""
    at = _app(max_eur="10000000")
    at.run()
    more = next(e for e in at.expander if e.label.startswith("Approval date and amount"))
    assert more.label == "Approval date and amount · 1 set"
    assert more.proto.expanded is True
    plain = _app()
    plain.run()
    more = next(e for e in plain.expander if e.label.startswith("Approval date and amount"))
    assert more.label == "Approval date and amount"
    assert more.proto.expanded is False


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_method_page_states_the_split_rules(lang):
    at = _app(lang=lang)
    at.run()
    at.switch_page("pages/sources.py").run()
    assert not at.exception, [e.value for e in at.exception]
    rules = next(m.value for m in at.markdown if "split=equal" in m.value)
    assert ("equal shares" if lang == "en" else "parts égales") in rules
    assert ("two separate bars" if lang == "en" else "deux barres distinctes") in rules


def test_the_note_on_regional_initiatives_only_shows_when_they_can_be_shown():
    """With a country chosen, the note that regional initiatives count in full; not under scope=national (review)."""
    note = "Regional initiatives that cover the chosen countries count in full"
    at = _app(country="ML")
    at.run()
    assert any(note in c.value for c in at.caption)
    at = _app(country="ML", scope="national")
    at.run()
    assert not at.exception
    assert not any(note in c.value for c in at.caption)
