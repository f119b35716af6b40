"""`python -m cli validate FILE`: every problem at once, exit status 1 on errors."""

from __future__ import annotations

import subprocess
import sys

from cli.__main__ import main
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
        [sys.executable, "-m", "cli", "validate", str(ALLOCATIONS_XLSX)],
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


def test_export_refuses_a_filter_value_that_matches_nothing(tmp_path, capsys):
    """As a link in the app: `country=XX` is refused with its reason, never a silent empty file (review finding)."""
    out = tmp_path / "xx.csv"
    filters = ["--filter", "country=XX", "--filter", "window=SAH"]
    assert main(["export", "--format", "csv", *filters, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "country=XX matches nothing" in err
    assert "window=SAH" not in err  # a value the dataset has is not named
    assert not out.exists()


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
    assert "schema empty -> 0004" in first
    assert main(["migrate"]) == 0
    assert "schema 0004 -> 0004 (already the newest)" in capsys.readouterr().out


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


# --- publish: the analyst credential, one read of the file ---------------------------------------


def _publish_env(tmp_path, monkeypatch, password: str | None = "correct horse battery staple"):
    from store.auth import hash_password

    monkeypatch.setenv("EUTF_DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite'}")
    monkeypatch.setenv("EUTF_PUBLIC_DATA", str(tmp_path))  # nothing seeded from data/public
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.streamlit/secrets.toml of the machine
    monkeypatch.chdir(tmp_path)  # nor the working copy's .streamlit/secrets.toml
    monkeypatch.setenv("EUTF_ANALYST_PASSWORD_HASH", hash_password("correct horse battery staple", iterations=1000))
    monkeypatch.setenv("EUTF_ANALYST_NAME", "Awa Traoré")
    if password is None:
        monkeypatch.delenv("EUTF_ANALYST_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("EUTF_ANALYST_PASSWORD", password)
    return write_xlsx(tmp_path / "update.xlsx", rows(H5=13_500_000))


def _latest(tmp_path):
    from store.db import make_engine
    from store.versions import Store

    store = Store(make_engine(f"sqlite:///{tmp_path / 'p.sqlite'}"))
    return store.info(store.latest_number())


def test_publish_records_the_analyst_who_gave_the_credential(tmp_path, monkeypatch, capsys):
    import getpass

    path = _publish_env(tmp_path, monkeypatch)
    assert main(["publish", str(path), "--comment", "ML-04 top-up", "--accept-warnings"]) == 0
    assert "Published version 2" in capsys.readouterr().out
    info = _latest(tmp_path)
    assert info.number == 2
    assert info.published_by == f"Awa Traoré (command line, {getpass.getuser()})"


def test_publish_without_the_credential_publishes_nothing(tmp_path, monkeypatch, capsys):
    path = _publish_env(tmp_path, monkeypatch, password="guess")
    assert main(["publish", str(path), "--comment", "c", "--accept-warnings"]) == 2
    assert "Wrong analyst password" in capsys.readouterr().err
    monkeypatch.delenv("EUTF_ANALYST_PASSWORD_HASH")
    assert main(["publish", str(path), "--comment", "c", "--accept-warnings"]) == 2
    assert "none is configured" in capsys.readouterr().err
    assert not (tmp_path / "p.sqlite").exists(), "the store was not even opened"


def test_publish_needs_a_password_when_not_at_a_terminal(tmp_path, monkeypatch, capsys):
    path = _publish_env(tmp_path, monkeypatch, password=None)
    run = subprocess.run(
        [sys.executable, "-m", "cli", "publish", str(path), "--comment", "c", "--accept-warnings"],
        cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert "Set EUTF_ANALYST_PASSWORD" in run.stderr
    assert "Traceback" not in run.stderr


def test_publish_has_no_free_text_publisher(tmp_path, monkeypatch):
    import pytest

    path = _publish_env(tmp_path, monkeypatch)
    with pytest.raises(SystemExit):
        main(["publish", str(path), "--comment", "c", "--by", "anyone"])


def test_publish_reads_and_validates_the_file_once(tmp_path, monkeypatch, capsys):
    import cli.__main__ as cli
    import validation.pipeline

    path = _publish_env(tmp_path, monkeypatch)
    calls = []
    real = validation.pipeline.load_bytes

    def counting(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(validation.pipeline, "load_bytes", counting)
    assert cli.main(["publish", str(path), "--comment", "once", "--accept-warnings"]) == 0
    assert calls.count("update.xlsx") == 1  # (the store's first use also seeds the shipped workbook)


def test_validate_reads_no_more_than_the_upload_limit(tmp_path, capsys):
    """A file over the limit is refused from its size, without being read whole."""
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as stream:
        stream.truncate(3 * 1024**3)  # 3 GiB, sparse
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "upload-too-large" in out
    assert "(3,221,225,472 bytes)" in out


def test_counts_of_one_project_are_singular():
    from cli.__main__ import _projects

    assert [_projects(1), _projects(2), _projects(0)] == ["1 project", "2 projects", "0 projects"]
    assert _projects(1, 5) == "    1 project"


def test_export_of_decisions_and_contracts_carries_the_contracts_and_uploads_again(tmp_path, capsys):
    """`python -m cli export` of the decisions-and-contracts dataset: its 385 contracts as rows, read back linked."""
    import openpyxl

    from etl import catalog
    from validation.pipeline import load_path

    out = tmp_path / "akvo.xlsx"
    dataset = "EUTF decisions and contracts — Dec 2021"
    assert main(["export", "--dataset", dataset, "--out", str(out)]) == 0
    assert "635 rows (385 of them contracts, inside that total), 5 198 072 988 EUR" in capsys.readouterr().out
    again = load_path(out, control=catalog.load_control_totals().iloc[0:0])
    assert again.report.errors == [], again.report.text()
    assert (len(again.dataset.allocations), len(again.dataset.contracts)) == (250, 385)
    assert int(again.dataset.allocations["amount_eur"].sum()) == 5_198_072_988
    # chosen columns: the two that say which rows are contracts and whose are added after them
    few = tmp_path / "few.xlsx"
    assert main(["export", "--dataset", dataset, "--columns", "reference,amount_eur", "--out", str(few)]) == 0
    header = next(openpyxl.load_workbook(few)["Allocations"].iter_rows(max_row=1, values_only=True))
    assert header == ("Reference", "EU contribution (EUR)", "Record type", "Parent decision")


def test_an_export_of_the_portfolio_validates_for_its_dataset_without_the_communiques_totals(tmp_path, capsys):
    """The communiqué's control totals are the Mali dataset's: checked for the portfolio, its export has no gap."""
    out = tmp_path / "portfolio.csv"
    dataset = "EUTF portfolio — Jan 2022"
    assert main(["export", "--dataset", dataset, "--format", "csv", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["validate", str(out), "--dataset", dataset]) == 0
    text = capsys.readouterr().out
    assert "251 projects, 5 201 072 988 EUR." in text
    assert "0 errors, 0 warnings." in text
    assert "GAP" not in text
    # without --dataset it is checked as a Mali workbook: its totals against the communiqué's
    assert main(["validate", str(out)]) == 0
    assert "reconciliation-gap" in capsys.readouterr().out
