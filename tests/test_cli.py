"""`python -m etl validate FILE`: every problem at once, exit status 1 on errors."""

from __future__ import annotations

import subprocess
import sys

from etl.__main__ import main
from etl.catalog import ALLOCATIONS_XLSX
from tests.builders import rows, write_xlsx
from tests.conftest import ROOT


def test_validate_lists_every_error_and_fails(tmp_path, capsys):
    path = write_xlsx(tmp_path / "bad.xlsx", rows(H3="n/a", C4="SHA", E6="Malie", A10=None))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    for cell in ("H3", "C4", "E6", "A10"):
        assert f"cell {cell}" in out
    assert "sheet 'Allocations'" in out
    assert "amount-not-a-number" in out
    assert "window-invalid" in out
    assert "4 errors, 0 warnings." in out


def test_validate_speaks_french_with_lang_fr(tmp_path, capsys):
    """`--lang fr`: places, problems, advice and counts in French."""
    path = write_xlsx(tmp_path / "mauvais.xlsx", rows(H3="n/a"))
    assert main(["validate", "--lang", "fr", str(path)]) == 1
    out = capsys.readouterr().out
    assert "feuille «\u00a0Allocations\u00a0», cellule H3" in out
    assert "ERREUR" in out
    assert "«\u00a0n/a\u00a0» n’est pas un montant en euros." in out
    assert "1 erreur, 0 avertissement." in out
    assert "error" not in out.replace("amount-not-a-number", "")


def test_validate_totals_in_french(tmp_path, capsys):
    """The totals and the reconciliation lines in French, amounts grouped the French way."""
    path = write_xlsx(tmp_path / "ecart.xlsx", rows(H5=12_999_999))
    assert main(["validate", "--lang", "fr", str(path)]) == 0
    out = capsys.readouterr().out
    assert "9 projets, 145\u202f099\u202f999\u00a0€." in out
    assert "ÉCART -1\u00a0€" in out
    assert out.count("concorde") == 2


def test_validate_shipped_workbook_reconciles(capsys):
    assert main(["validate", str(ALLOCATIONS_XLSX)]) == 0
    out = capsys.readouterr().out
    assert "145 100 000 EUR" in out
    assert out.count("reconciles") == 4
    assert "0 errors, 0 warnings." in out


def test_warnings_alone_exit_zero(tmp_path, capsys):
    path = write_xlsx(tmp_path / "slip.xlsx", rows(H5=12_999_999))
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "GAP -1 EUR" in out
    assert "reconciliation-gap" in out


def test_missing_file_is_a_usage_error(capsys):
    assert main(["validate", "no/such/file.xlsx"]) == 2


def test_module_entry_point_runs():
    done = subprocess.run(
        [sys.executable, "-m", "etl", "validate", str(ALLOCATIONS_XLSX)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_a_folder_is_named_as_such(tmp_path, capsys):
    assert main(["validate", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_export_filtered_french_csv(tmp_path, capsys):
    out = tmp_path / "mali.csv"
    assert (
        main(
            ["export", "--format", "csv-fr", "--filter", "country=ML", "--filter", "scope=national", "--out", str(out)]
        )
        == 0
    )
    assert "6 rows, 91 500 000 EUR" in capsys.readouterr().out
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Référence;Intitulé;")
    assert len(lines) == 7


def test_export_xlsx_with_columns(tmp_path):
    import openpyxl

    out = tmp_path / "x.xlsx"
    assert (
        main(
            ["export", "--columns", "reference,amount_eur,country_names", "--filter", "objective=4", "--out", str(out)]
        )
        == 0
    )
    wb = openpyxl.load_workbook(out)
    rows = list(wb["Allocations"].iter_rows(values_only=True))
    assert rows[0] == ("Reference", "EU contribution (EUR)", "Country names")
    assert sum(r[1] for r in rows[1:]) == 95_600_000
    assert "About" in wb.sheetnames


def test_export_refuses_unknown_filters_and_columns(capsys):
    assert main(["export", "--filter", "colour=blue"]) == 2
    assert main(["export", "--columns", "reference,budget"]) == 2
    assert "unknown" in capsys.readouterr().err


def test_store_and_path_errors_are_messages_not_tracebacks(tmp_path, capsys):
    assert main(["export", "--version", "99", "--out", str(tmp_path / "x.csv")]) == 2
    assert "no version 99" in capsys.readouterr().err
    assert main(["export", "--out", str(tmp_path / "missing" / "x.csv")]) == 2
    assert "FileNotFoundError" in capsys.readouterr().err
    assert main(["publish", str(ALLOCATIONS_XLSX), "--comment", "   "]) == 2


def test_migrate_brings_an_empty_store_to_the_newest_schema_once(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EUTF_DATABASE_URL", f"sqlite:///{tmp_path / 'm.sqlite'}")
    assert main(["migrate"]) == 0
    first = capsys.readouterr().out
    assert "schema empty -> 0002" in first
    assert main(["migrate"]) == 0
    assert "schema 0002 -> 0002 (already the newest)" in capsys.readouterr().out


def test_json_export_is_the_same_in_every_language(tmp_path):
    """JSON is for scripts: codes and English spellings whatever --lang says (the review found 'régional')."""
    import json

    paths = {lang: tmp_path / f"{lang}.json" for lang in ("en", "fr")}
    for lang, path in paths.items():
        assert main(["export", "--format", "json", "--lang", lang, "--out", str(path)]) == 0
    records = json.loads(paths["fr"].read_text(encoding="utf-8"))
    assert paths["fr"].read_bytes() == paths["en"].read_bytes()
    assert {r["scope"] for r in records} == {"national", "regional"}
    assert sum(r["amount_eur"] for r in records) == 145_100_000
