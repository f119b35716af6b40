"""AppTest of the analyst's path: sign in, upload, see the report and the change, publish;
and the viewer's: no upload controls, nothing published."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from store.auth import hash_password
from store.db import make_engine
from store.versions import Store
from tests.builders import rows, xlsx_bytes
from validation.pipeline import load_bytes

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PASSWORD = "correct horse battery staple"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def db(db_url, monkeypatch):
    """A store whose version 1 is the builder's BASE rows (145 100 000 EUR), on each engine."""
    url = db_url
    monkeypatch.setenv("EUTF_DATABASE_URL", url)
    base = load_bytes(xlsx_bytes(), "base.xlsx")
    Store(make_engine(url)).publish(
        base.dataset.allocations, base=None, by="test", file_name="base.xlsx", file_sha256=base.sha256, comment="base"
    )
    return url


def _upload_page(analyst_configured: bool = True, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if lang:
        at.query_params["lang"] = lang
    if analyst_configured:
        at.secrets["analyst"] = {"password_hash": hash_password(PASSWORD, iterations=1000), "name": "Test analyst"}
    else:  # replaces any local .streamlit/secrets.toml for this test
        at.secrets["unrelated"] = {"setting": "value"}
    at.run()
    at.switch_page("pages/upload.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _sign_in(at: AppTest, password: str = PASSWORD) -> AppTest:
    at.text_input(key="analyst_password").set_value(password)
    at.button(key="sign_in_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_viewer_sees_no_upload_controls_and_cannot_publish(db):
    at = _upload_page()
    assert len(at.file_uploader) == 0
    assert not [b for b in at.button if b.key == "publish"]
    # even with a checked file forged into the session, the page stops before any control
    at.session_state["_checked"] = {"key": ("x", "y"), "result": None, "base": 1}
    at.run()
    assert not [b for b in at.button if b.key == "publish"]
    assert Store(make_engine(db)).latest_number() == 1


def test_wrong_password_is_refused(db):
    at = _sign_in(_upload_page(), "guess")
    assert any("Wrong password" in e.value for e in at.error)
    assert len(at.file_uploader) == 0


def test_no_analyst_configured_says_how(db):
    at = _upload_page(analyst_configured=False)
    assert any("secrets.toml" in w.value for w in at.warning)
    assert len(at.file_uploader) == 0


def test_rejected_file_shows_every_error_and_cannot_be_published(db):
    at = _sign_in(_upload_page())
    at.file_uploader[0].set_value(("bad.xlsx", xlsx_bytes(rows(H3="n/a", C4="SHA")), XLSX))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("2 errors" in e.value for e in at.error)
    labels = [e.label for e in at.expander]
    assert "ERROR · Amount that is not a number (amount-not-a-number) · 1" in labels
    assert "ERROR · Unknown EUTF window (window-invalid) · 1" in labels
    assert not [b for b in at.button if b.key == "publish"]
    assert Store(make_engine(db)).latest_number() == 1


def test_a_refused_file_is_explained_in_french(db):
    """A PDF saved as .xlsx, in French: the refusal, its advice and the counts are French; nothing is published."""
    at = _sign_in(_upload_page(lang="fr"))
    at.file_uploader[0].set_value(("allocations.xlsx", b"%PDF-1.7 not a workbook", XLSX))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("1 erreur, 0 avertissement" in e.value for e in at.error)
    assert [e.label for e in at.expander] == ["ERREUR · Pas un classeur Excel (not-an-xlsx) · 1"]  # named in French
    table = at.dataframe[0].value
    assert list(table["Problème"]) == ["C’est un document PDF, pas un classeur."]
    assert any(t.value.startswith("Ouvrez le fichier dans Excel") for t in at.text)
    assert not [b for b in at.button if b.key == "publish"]
    assert Store(make_engine(db)).latest_number() == 1


def test_analyst_previews_confirms_and_publishes_version_two(db):
    at = _sign_in(_upload_page())
    at.file_uploader[0].set_value(("update.xlsx", xlsx_bytes(rows(H5=13_500_000)), XLSX))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    # the preview: the change against v1 and the reconciliation gap
    changed = [d for d in at.dataframe if "Change (EUR)" in d.value.columns]
    assert changed
    assert changed[0].value.iloc[0]["Reference"] == "T05-EUTF-SAH-ML-04"
    assert changed[0].value.iloc[0]["Change (EUR)"] == "€500,000"
    assert changed[0].value.iloc[0]["Field"] == "EU contribution (EUR)"  # the template's header, not amount_eur
    control = next(d.value for d in at.dataframe if "This file" in d.value.columns)
    assert set(control["Total"]) == {"All projects", "National", "Regional"}
    warned = [e for e in at.expander if e.label.startswith("WARNING")]
    assert warned
    assert all(e.proto.expanded for e in warned)  # open: the analyst reads them before confirming
    publish = at.button(key="publish")
    assert publish.disabled, "a comment and the warnings' confirmation are needed"
    at.text_input(key="publish_comment").set_value("ML-04 top-up").run()
    assert at.button(key="publish").disabled
    at.checkbox(key="confirm_warnings").check().run()
    assert not at.button(key="publish").disabled
    at.button(key="publish").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Published version 2" in s.value for s in at.success)
    store = Store(make_engine(db))
    assert store.latest_number() == 2
    info = store.info(2)
    assert (info.published_by, info.comment, info.n_warnings, info.total_eur) == (
        "Test analyst",
        "ML-04 top-up",
        2,
        145_600_000,
    )
    assert store.info(1).total_eur == 145_100_000, "the previous version is intact"
    # every page now shows the new figure
    at.switch_page("pages/overview.py").run()
    assert {m.label: m.value for m in at.metric}["Total allocated"] == "€145.6M"


def test_conflict_when_another_version_lands_first(db):
    at = _sign_in(_upload_page())
    at.file_uploader[0].set_value(("update.xlsx", xlsx_bytes(rows(H6=6_100_000)), XLSX))
    at.run()
    # another analyst publishes meanwhile
    other = Store(make_engine(db))
    other.publish(other.table(1), base=1, by="other", file_name="o.xlsx", file_sha256="o" * 64, comment="other")
    at.text_input(key="publish_comment").set_value("mine").run()
    at.checkbox(key="confirm_warnings").check().run()
    at.button(key="publish").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Version 2 was published after" in e.value for e in at.error)
    assert Store(make_engine(db)).latest_number() == 2
    # the next run shows the change against v2 and offers to publish v3
    at.run()
    assert at.button(key="publish").label == "Publish as version 3"


def test_history_lists_versions_and_diffs(db):
    s = Store(make_engine(db))
    s.publish(
        s.table(1).assign(title=s.table(1)["title"].str.upper()),
        base=1,
        by="x",
        file_name="f",
        file_sha256="f" * 64,
        comment="c",
    )
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/history.py").run()
    assert not at.exception
    versions = at.dataframe[0].value
    assert list(versions["Version"]) == ["v2", "v1"]
    assert any("Changed fields" in m.value for m in at.markdown)


def test_restore_asks_for_a_confirmation_first(db):
    s = Store(make_engine(db))
    s.publish(s.table(1).iloc[:8], base=1, by="x", file_name="f", file_sha256="f" * 64, comment="one project less")
    at = _sign_in(_upload_page())
    at.switch_page("pages/history.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.button(key="restore").disabled  # nothing is published by one click
    confirm = at.checkbox(key="confirm_restore_1")
    assert "every page will show v1 again (€145,100,000, 9 projects) instead of v2" in confirm.label
    assert s.latest_number() == 2
    confirm.check().run()
    assert not at.button(key="restore").disabled
    at.button(key="restore").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert s.latest_number() == 3
    assert s.info(3).restored_from == 1
    # the form starts afresh: one more click publishes nothing (review: it stayed confirmed, ready for a v4)
    assert any("Version 1 was published again as version 3." in m.value for m in at.success)
    assert at.button(key="restore").disabled
    assert at.text_input(key="restore_comment").value == ""
    assert not at.checkbox(key="confirm_restore_1").value


def test_file_name_and_cell_text_are_never_rendered_as_markdown(db):
    at = _sign_in(_upload_page())
    at.file_uploader[0].set_value(("**bold** [x](http://e.invalid).xlsx", xlsx_bytes(rows(H3="n/a")), XLSX))
    at.run()
    assert not at.exception
    message = at.error[0].value
    assert "\\*\\*bold\\*\\*" in message
    assert "\\[x\\]\\(http" in message


@pytest.mark.parametrize(
    "spec", [p for p in __import__("dashboard.registry").registry.PAGES if p.visible], ids=lambda p: p.url_path
)
def test_pages_render_data_with_blanks_and_late_projects(db, spec):
    """Blank themes and partners, a project after the last dated dialogue: every page still renders."""
    from datetime import datetime

    s = Store(make_engine(db))
    table = load_bytes(xlsx_bytes(rows(G3=None, G4=None, J5=None, I8=datetime(2018, 3, 1), M8=None)), "b.xlsx")
    s.publish(table.dataset.allocations, base=1, by="t", file_name="b.xlsx", file_sha256="b" * 64, comment="blanks")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(spec.script).run()
    assert not at.exception, [e.value for e in at.exception]


def test_a_file_name_is_never_rendered_as_markdown_on_the_pages(db):
    s = Store(make_engine(db))
    name = "evil_**x**_[link](https://evil.example).xlsx"
    s.publish(s.table(1), base=1, by="t", file_name=name, file_sha256="e" * 64, comment="c")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    caption = next(c.value for c in at.caption if c.value.startswith("Data:"))
    assert "\\*\\*x\\*\\*" in caption
    assert "\\[link\\]\\(https" in caption


def test_every_rule_has_a_name_in_both_languages():
    """The report's headings name each rule in the reader's language (the id stays beside it)."""
    from dashboard.report import RULE_TITLES
    from domain.findings import RULES
    from domain.i18n import _

    assert set(RULE_TITLES) == set(RULES)
    for rule, title in RULE_TITLES.items():
        assert _(title, "fr") != title, rule


def test_report_tables_leave_blank_what_a_finding_does_not_have(db):
    """A finding without a cell (the reconciliation gap) shows empty Sheet/Cell/Column/Value, not 'None' (review)."""
    at = _sign_in(_upload_page())
    at.file_uploader[0].set_value(("x.xlsx", xlsx_bytes(rows(H3=13_500_001)), XLSX))  # 1 EUR over the communiqué
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    tables = [d.value for d in at.dataframe if "Problem" in d.value.columns]
    assert tables  # the reconciliation gaps: findings of the totals, not of a cell
    assert any((t["Cell"] == "").any() for t in tables)
    for table in tables:
        assert not table.isna().any().any()
        assert "None" not in table.astype(str).to_numpy()
