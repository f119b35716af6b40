"""AppTest of the explorer: the table and totals follow the filters, columns and sort."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _explorer(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/explorer.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table(at: AppTest):
    """The explorer's table: the dataframe with the link column."""
    return next(d.value for d in at.dataframe if "view" in d.value.columns)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_unfiltered_table_and_totals():
    at = _explorer()
    table = _table(at)
    assert len(table) == 9
    assert _metrics(at) == {"Projects shown": "9", "Total shown": "€145.1M", "National": "€91.5M", "Regional": "€53.6M"}
    assert int(table["amount_eur"].sum()) == 145_100_000
    # the EU contribution beside the title, in view without scrolling sideways
    assert list(table.columns)[:4] == ["view", "reference", "title", "amount_eur"]
    # sorted largest first by default
    assert table["reference"].iloc[0] == "T05-EUTF-SAH-REG-04"
    assert table["view"].iloc[0] == "/project?ref=T05-EUTF-SAH-REG-04&lang=en"
    assert table["scope"].iloc[0] == "Regional"  # in words on screen


def test_filters_change_the_table_and_totals():
    at = _explorer(scope="national", country="ML", approved_from="2016-01-01", approved_to="2016-12-31")
    table = _table(at)
    assert len(table) == 6
    assert int(table["amount_eur"].sum()) == 91_500_000
    assert _metrics(at)["Total shown (filtered)"] == "€91.5M"
    assert any("6 rows" in c.value for c in at.caption)


def test_column_chooser_and_sort():
    at = _explorer()
    at.multiselect(key="columns").set_value(["reference", "amount_eur"]).run()
    at.selectbox(key="sort_by").set_value("reference").run()
    at.toggle(key="sort_desc").set_value(False).run()
    table = _table(at)
    assert list(table.columns) == ["view", "reference", "amount_eur"]
    assert list(table["reference"])[:2] == ["T05-EUTF-SAH-ML-01", "T05-EUTF-SAH-ML-02"]


def test_labels_follow_the_language():
    at = _explorer(lang="fr", country="TD")
    table = _table(at)
    assert "TD – Tchad" in table["countries"].iloc[0]
    assert table["scope"].iloc[0] == "régional"  # the template's French spelling
    assert set(table["scope"]) <= {"national", "régional"}  # both in the template's spelling, never 'National'
    assert _metrics(at)["Total affiché (filtré)"] == "53,6\u00a0M€"


def test_project_links_keep_the_dataset_so_the_project_shows_that_datasets_figure():
    """T05-EUTF-SAH-ML-01 is in both datasets: 20 M€ (inferred, 2016) in the Mali one, 25 M€ in the 2022 portfolio."""
    links = _table(_explorer(dataset="eutf-portfolio-jan-2022", lang="fr"))["view"]
    assert links.iloc[0].startswith("/project?ref=T05-EUTF-")
    assert links.str.endswith("&lang=fr&dataset=eutf-portfolio-jan-2022").all()
    project = AppTest.from_file(APP, default_timeout=60)
    project.query_params.update({"ref": "T05-EUTF-SAH-ML-01", "lang": "fr", "dataset": "eutf-portfolio-jan-2022"})
    project.run()
    project.switch_page("pages/project.py").run()
    assert not project.exception, [e.value for e in project.exception]
    assert {m.label: m.value for m in project.metric}["Contribution de l’UE"] == "25\u202f000\u202f000\u00a0€"
    assert project.caption[0].value.startswith("Portefeuille du FFUE")


def test_columns_and_sort_travel_in_the_link():
    """A shared explorer view is the same view: columns, sort column and order are in the URL."""
    at = _explorer(columns="reference,amount_eur,title", sort="reference", order="asc")
    table = _table(at)
    assert list(table.columns) == ["view", "reference", "amount_eur", "title"]
    assert list(table["reference"])[:2] == ["T05-EUTF-SAH-ML-01", "T05-EUTF-SAH-ML-02"]
    assert not [w for w in at.warning if "not applied" in w.value]
    assert at.query_params["columns"] == "reference,amount_eur,title"
    assert at.query_params["sort"] == "reference"
    assert at.query_params["order"] == "asc"
    # changed in the page, written to the link
    at.toggle(key="sort_desc").set_value(True).run()
    at.multiselect(key="columns").set_value(["reference", "amount_eur"]).run()
    assert "order" not in at.query_params
    assert at.query_params["columns"] == "reference,amount_eur"


def test_the_default_table_leaves_the_link_short():
    at = _explorer()
    assert not {"columns", "sort", "order"} & set(at.query_params)


def test_unknown_columns_and_sort_in_the_link_are_reported():
    at = _explorer(columns="reference,secret,amount_eur", sort="nope", order="sideways")
    assert list(_table(at).columns) == ["view", "reference", "amount_eur"]
    note = next(w.value for w in at.warning if "not applied" in w.value).replace("\\", "")
    assert "Columns: 'secret' not offered here" in note
    assert "Sort by: 'nope' is not a column" in note
    assert "Order: 'sideways' is neither asc nor desc" in note
