"""The message catalogue: every text of the interface in English and French, and nothing left as a bare string."""

from __future__ import annotations

import ast
import re
import string
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from domain.fmt import eur, long_date, meur, pct
from domain.i18n import LANGS, _, ngettext, read_catalogue

ROOT = Path(__file__).resolve().parents[1]


def _extracted() -> dict[str | tuple[str, ...], str]:
    """Every msgid of the code (as ``pybabel extract -F babel.cfg`` finds it) -> where it is."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, directory_filter=lambda d: not Path(d).name.startswith((".", "_"))
    ):
        found.setdefault(message, f"{filename}:{lineno}")
    return found


EXTRACTED = _extracted()


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_code_has_messages():
    assert len(EXTRACTED) > 300
    assert "Filters" in EXTRACTED
    assert ("{n} project", "{n} projects") in EXTRACTED


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_is_complete(lang):
    catalogue = read_catalogue(lang)
    problems = []
    for msgid, where in EXTRACTED.items():
        message = catalogue.get(msgid)
        if message is None:
            problems.append(f"missing: {msgid!r} ({where})")
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"empty translation: {msgid!r}")
            continue
        # every placeholder of a translation exists in the source; the last form keeps all the plural's
        allowed = set().union(*(_fields(i) for i in ids))
        for text in strings:
            if not _fields(text) <= allowed:
                problems.append(f"unknown placeholder in {text!r} for {msgid!r}")
        if _fields(strings[-1]) != _fields(ids[-1]):
            problems.append(f"placeholders differ: {ids[-1]!r} -> {strings[-1]!r}")
        # text glued to other text keeps its leading/trailing space
        for i, text in zip(ids, strings, strict=False):
            if (i[:1] == " ") != (text[:1] == " ") or (i[-1:] == " ") != (text[-1:] == " "):
                problems.append(f"leading/trailing space differs: {i!r} -> {text!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_holds_nothing_the_code_no_longer_says(lang):
    stale = [m.id for m in read_catalogue(lang) if m.id and m.id not in EXTRACTED]
    assert not stale, "run `make messages`: " + repr(stale)


def test_english_catalogue_is_the_source_text():
    catalogue = read_catalogue("en")
    assert catalogue.get("Filters").string == "Filters"
    assert _("Filters", "en") == "Filters"


def test_translation_fills_placeholders_after_translating():
    assert _("Filters", "fr") == "Filtres"
    assert _("{shown} of {total} projects", "fr", shown=3, total=9) == "3 projets sur 9"
    assert _("{shown} of {total} projects", "en", shown=3, total=9) == "3 of 9 projects"
    # unknown text or language: the English text, never an exception
    assert _("Not in the catalogue {x}", "fr", x=1) == "Not in the catalogue 1"
    assert _("Filters", "de") == "Filters"


def test_plural_forms_per_language():
    forms = ("{n} project", "{n} projects")
    assert [ngettext(*forms, n, "en") for n in (0, 1, 2)] == ["0 projects", "1 project", "2 projects"]
    assert [ngettext(*forms, n, "fr") for n in (0, 1, 2, 1_000_000)] == [
        "0 projet",
        "1 projet",
        "2 projets",
        "1000000 projets",
    ]


def test_control_totals_formatted_in_both_locales():
    """The communiqué's figures (data/control_totals.csv) as each locale writes them."""
    assert meur(145_100_000, "fr") == "145,1\u00a0M€"
    assert meur(145_100_000, "en") == "€145.1M"
    assert meur(53_600_000, "fr") == "53,6\u00a0M€"
    assert meur(91_500_000, "en") == "€91.5M"
    assert eur(13_500_000, "fr") == "13\u202f500\u202f000\u00a0€"
    assert eur(13_500_000, "en") == "€13,500,000"
    assert eur(145_100_000, "fr") == "145\u202f100\u202f000\u00a0€"
    assert long_date(date(2016, 12, 11), "fr") == "11 décembre 2016"
    assert long_date(date(2016, 12, 11), "en") == "11 December 2016"
    assert pct(53_600_000, 145_100_000, "fr") == "36,9\u00a0%"
    assert pct(53_600_000, 145_100_000, "en") == "36.9%"


# --- no interface text outside the catalogue -------------------------------------------------------------

#: Streamlit calls whose first argument or these keywords are text the user reads.
_UI_CALLS = {
    "title", "header", "subheader", "caption", "markdown", "text", "info", "warning", "error", "success",
    "metric", "button", "download_button", "selectbox", "multiselect", "radio", "checkbox", "toggle",
    "text_input", "number_input", "date_input", "file_uploader", "expander", "segmented_control",
    "form_submit_button", "progress", "page_link", "LinkColumn",
}  # fmt: skip
_UI_KEYWORDS = {"help", "placeholder", "label", "text", "display_text"}
#: Text that is the same in both languages.
_SAME_IN_BOTH = {"Language / Langue", "Code"}
_NOT_WORDS = re.compile(r":material/\w+:|\{[^}]*\}")


def _literal_text(node: ast.AST) -> str:
    """The words a literal or f-string argument writes itself (not what it interpolates)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _literal_text(node.left) + _literal_text(node.right)
    if isinstance(node, ast.IfExp):
        return _literal_text(node.body) + _literal_text(node.orelse)
    return ""


def _bare_strings(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in _UI_CALLS or (
            isinstance(node.func.value, ast.Name) and node.func.value.id == "tables"
        ):
            continue
        args = [*node.args[:1]] if node.func.attr != "page_link" else []
        args += [k.value for k in node.keywords if k.arg in _UI_KEYWORDS]
        for arg in args:
            words = _NOT_WORDS.sub("", _literal_text(arg)).strip()
            if re.search(r"[A-Za-z]{2}", words) and words not in _SAME_IN_BOTH:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {words!r}")
    return found


def test_no_interface_text_outside_the_catalogue():
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "dashboard").glob("*.py"))]
    bare = [line for f in files for line in _bare_strings(f)]
    assert not bare, "wrap these in _(text, lang):\n" + "\n".join(bare)


def test_no_f_string_is_handed_to_the_catalogue():
    """``_(f"...")`` can never be found in the catalogue: placeholders are passed as keywords instead."""
    bad = []
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("dashboard/*.py"), *ROOT.glob("charts/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext")
            )
            if called and any(isinstance(a, ast.JoinedStr) for a in node.args[:2]):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bad, bad


def test_validation_report_in_both_languages():
    """Cell problems and their advice follow the language; rule ids, cells and values do not."""
    from tests.builders import rows, xlsx_bytes
    from validation.pipeline import load_bytes

    report = load_bytes(xlsx_bytes(rows(H3="n/a", C4="SHA")), "bad.xlsx").report
    en, fr = report.to_frame("en"), report.to_frame("fr")
    assert list(en["rule"]) == list(fr["rule"])
    assert list(en["cell"]) == list(fr["cell"])
    window = fr[fr["rule"] == "window-invalid"].iloc[0]
    assert window["message"] == "«\u00a0SHA\u00a0» n’est pas un volet du FFUE."
    assert window["advice"].startswith("Utilisez SAH (Sahel et lac Tchad)")
    assert en[en["rule"] == "window-invalid"].iloc[0]["message"] == "'SHA' is not an EUTF window."
    amount = fr[fr["rule"] == "amount-not-a-number"].iloc[0]
    assert amount["message"] == "«\u00a0n/a\u00a0» n’est pas un montant en euros."
    assert report.to_frame().equals(en)  # English by default


def test_cli_validate_in_french(capsys, tmp_path):
    from cli.__main__ import main
    from tests.builders import rows, write_xlsx

    path = write_xlsx(tmp_path / "bad.xlsx", rows(C4="SHA"))
    assert main(["validate", str(path), "--lang", "fr"]) == 1
    out = capsys.readouterr().out
    assert "«\u00a0SHA\u00a0» n’est pas un volet du FFUE." in out
    assert "window-invalid" in out


def test_annotated_copy_comments_in_french():
    import io

    from openpyxl import load_workbook

    from downloads.workbooks import annotated_copy
    from tests.builders import rows, xlsx_bytes
    from validation.pipeline import load_bytes

    data = xlsx_bytes(rows(C4="SHA"))
    report = load_bytes(data, "bad.xlsx").report
    copy = load_workbook(io.BytesIO(annotated_copy(data, list(report), report.to_frame("fr"), "fr")))
    comment = copy["Allocations"]["C4"].comment.text
    assert "«\u00a0SHA\u00a0» n’est pas un volet du FFUE." in comment
    assert "Utilisez SAH" in comment
    assert "n’est pas un volet" in " ".join(str(c.value) for c in copy["Rapport"]["G"])


def test_cli_publish_reports_in_french(capsys, tmp_path, monkeypatch):
    from cli.__main__ import main
    from tests.builders import rows, write_xlsx

    monkeypatch.setenv("EUTF_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    path = write_xlsx(tmp_path / "bad.xlsx", rows(C4="SHA"))
    assert main(["publish", str(path), "--comment", "test", "--lang", "fr"]) == 1
    assert "«\u00a0SHA\u00a0» n’est pas un volet du FFUE." in capsys.readouterr().out


def _catalogue_calls(path: Path):
    """``(line, text)`` of each ``_("...")``, ``ngettext("...", ...)`` and ``N_("...")`` with a literal text."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        called = (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext", "N_")
        )
        if called and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            yield node.lineno, node.args[0].value


def test_every_catalogue_call_is_extracted():
    """A ``_()`` placed inside an f-string (``f"{_('Title', lang)}"``) is skipped by ``pybabel extract`` and so
    never translated: every literal handed to the catalogue, wherever it sits, must be a msgid."""
    msgids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in read_catalogue("fr") if m.id}
    folders = (
        "pages",
        "dashboard",
        "charts",
        "cli",
        "seed",
        "analysis",
        "downloads",
        "store",
        "validation",
        "etl",
        "domain",
    )
    files = [ROOT / "app.py", *(p for d in folders for p in sorted((ROOT / d).rglob("*.py")))]
    missing = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in files
        for line, text in _catalogue_calls(path)
        if text not in msgids
    ]
    assert not missing, "not in the catalogue (run make messages; move _() out of f-strings):\n" + "\n".join(missing)


def test_finding_parameters_follow_the_language():
    """Numbers, euros and catalogue texts inside a finding's message are shown the way of each language."""
    from domain.findings import Finding
    from domain.i18n import Money, Text

    finding = Finding.of(
        "contracts-exceed-decision",
        "The contracts under '{reference}' total {contracted}, more than its budget of {budget} (by {excess}).",
        {"reference": "T05-EUTF-SAH-ML-01", "contracted": Money(25_500_000), "budget": Money(25_000_000),
         "excess": Money(500_000)},
    )  # fmt: skip
    assert finding.message == (
        "The contracts under 'T05-EUTF-SAH-ML-01' total 25 500 000 EUR, more than its budget of 25 000 000 EUR "
        "(by 500 000 EUR)."
    )
    assert finding.message_in("fr") == (
        "Les contrats rattachés à «\u00a0T05-EUTF-SAH-ML-01\u00a0» totalisent 25\u202f500\u202f000\u00a0€, plus que "
        "son budget de 25\u202f000\u202f000\u00a0€ (de 500\u202f000\u00a0€)."
    )
    sized = Finding.of(
        "too-many-rows", "The file has more than {max_rows} rows; it was not read.", {"max_rows": 2000000}
    )
    assert sized.message == "The file has more than 2,000,000 rows; it was not read."
    assert sized.message_in("fr") == "Le fichier compte plus de 2\u202f000\u202f000 lignes\u202f; il n’a pas été lu."
    source = Finding.of(
        "dates-not-in-export",
        "The {source} has no approval dates: every date is shown as unknown and no row is placed in a dialogue round.",
        {"source": Text("EUTF decisions and contracts (EUTF monitoring platform export, December 2021)")},
    )
    assert "Décisions et contrats du FFUE" in source.message_in("fr")
    longer = finding.extended("The row is not imported (no amount).")
    assert longer.message.endswith("(by 500 000 EUR). The row is not imported (no amount).")
    assert longer.message_in("fr").endswith("(de 500\u202f000\u00a0€). La ligne n’est pas importée (sans montant).")


def test_method_notes_are_written_in_both_languages():
    """The notes of Sources & method are this project's prose: each has its French text (data/method_notes.csv)."""
    from etl.catalog import load_method_notes

    notes = load_method_notes()
    assert len(notes) == 12
    assert notes[["topic_fr", "note_fr"]].notna().all().all()
    assert (notes["note_fr"] != notes["note"]).all()
    ml01 = notes.set_index("topic").loc["T05-EUTF-SAH-ML-01 amount"]
    assert ml01["note_fr"].startswith("Les 20\u00a0M€ sont inférés")
