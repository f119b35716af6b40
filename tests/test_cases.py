"""Every handed case in tests/cases gets the outcome expected.json gives it.

The expectations are data: outcome, normalized rows, totals, reconciliation gaps, the
structured findings (rule, level, cell) and the strings the report must mention.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from tests.conftest import CASES_DIR
from validation.pipeline import load_bytes, load_path

DOC = json.loads((CASES_DIR / "expected.json").read_text(encoding="utf-8"))
CASES = DOC["cases"]


def _outcome(result) -> str:
    if result.report.errors:
        return "reject"
    return "accept_with_warnings" if result.report.warnings else "accept"


def _record(table: pd.DataFrame, row: int) -> dict:
    item = table.loc[row]

    def text(value):
        return None if pd.isna(value) else str(value)

    return {
        "reference": text(item["reference"]),
        "title": text(item["title"]),
        "window": text(item["window"]),
        "scope": text(item["scope"]),
        "countries": list(item["countries"]),
        "objectives": list(item["objectives"]),
        "valletta_domains": list(item["valletta_domains"]),
        "theme": text(item["theme"]),
        "amount_eur": int(item["amount_eur"]),
        "amount_basis": text(item["amount_basis"]),
        "approval_date": None if pd.isna(item["approval_date"]) else item["approval_date"].date().isoformat(),
        "dialogue_round": None if pd.isna(item["dialogue_round"]) else int(item["dialogue_round"]),
        "implementing_partner": text(item["implementing_partner"]),
        "source": text(item["source"]),
    }


def _norm(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ").casefold()


def _mentions(report_text: str, item) -> bool:
    options = item if isinstance(item, list) else [item]
    for option in options:
        if option.isdigit():
            digits = re.sub(r"[ \u00a0\u202f.,'’]", "", report_text)
            if option in digits:
                return True
        elif _norm(option) in _norm(report_text):
            return True
    return False


@pytest.fixture(scope="module")
def results():
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = load_bytes((CASES_DIR / "files" / name).read_bytes(), name)
        return cache[name]

    return get


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["file"])
def test_outcome(case, results):
    result = results(case["file"])
    assert _outcome(result) == case["outcome"], result.report.text()
    if case["outcome"] == "reject":
        assert result.dataset is None, "a rejected file must give nothing to publish"
    else:
        assert result.dataset is not None


@pytest.mark.parametrize("case", [c for c in CASES if "rows" in c], ids=lambda c: c["file"])
def test_rows(case, results):
    table = results(case["file"]).dataset.allocations
    assert len(table) == len(case["rows"])
    for row, expected in zip(table.index, case["rows"], strict=True):
        got = _record(table, row)
        assert {k: got[k] for k in expected} == expected, f"row {row}"


@pytest.mark.parametrize("case", [c for c in CASES if "totals" in c], ids=lambda c: c["file"])
def test_totals_and_reconciliation(case, results):
    result = results(case["file"])
    table = result.dataset.allocations
    for scope, expected in case["totals"].items():
        part = table if scope == "all" else table[table["scope"] == scope]
        assert (len(part), int(part["amount_eur"].sum())) == (expected["n"], expected["amount_eur"])
    gaps = [
        {
            "total": line.total,
            "control_eur": line.control_eur,
            "found_eur": line.found_eur,
            "gap_eur": line.gap_eur,
            "control_n": line.control_n,
            "found_n": line.found_n,
        }
        for line in result.reconciliation
        if line.dialogue_round == 2 and not line.reconciles
    ]
    if case["reconciliation"] == "reconciles":
        assert gaps == []
    else:
        assert sorted(gaps, key=lambda g: g["total"]) == sorted(case["reconciliation"], key=lambda g: g["total"])


@pytest.mark.parametrize("case", [c for c in CASES if "must_mention" in c], ids=lambda c: c["file"])
def test_report_mentions(case, results):
    report = results(case["file"]).report
    relevant = report.errors + report.warnings
    text = "\n".join(f.text() for f in relevant)
    for item in case["must_mention"]:
        assert _mentions(text, item), f"{item!r} not in:\n{text}"


@pytest.mark.parametrize("case", [c for c in CASES if "findings" in c], ids=lambda c: c["file"])
def test_findings(case, results):
    report = results(case["file"]).report
    for expected in case["findings"]:
        candidates = [f for f in report if f.rule == expected["rule"] and f.severity == expected["level"]]
        assert candidates, f"no {expected['level']} {expected['rule']} in\n{report.text()}"
        if "cell" in expected:
            match = [f for f in candidates if f.cell == expected["cell"]]
            assert match, f"{expected['rule']} not reported at {expected['cell']}: {[f.cell for f in candidates]}"
            assert match[0].value == expected["value"]
            assert match[0].sheet == case["sheet"]
        if "range" in expected:
            assert any(f.cell == expected["range"] for f in candidates)
        if "part" in expected:
            assert any(f.extra.get("part") == expected["part"] for f in candidates)
        if "rows" in expected:
            assert candidates[0].extra["rows"] == expected["rows"]
            assert candidates[0].extra["references"] == expected["references"]
        if "gap_eur" in expected:
            assert any(
                f.extra.get("total") == expected["total"]
                and f.extra.get("gap_eur") == expected["gap_eur"]
                and f.extra.get("found_n") == expected["found_n"]
                and f.extra.get("control_n") == expected["control_n"]
                for f in candidates
            )
        if "size_bytes" in expected:
            assert candidates[0].extra == {"size_bytes": expected["size_bytes"], "limit_bytes": expected["limit_bytes"]}
        if "detected" in expected:
            assert candidates[0].extra["detected"] == expected["detected"]
        if "header_row" in expected:
            assert candidates[0].extra["header_row"] == expected["header_row"]
        if "duplicate_of" in expected:
            match = [f for f in candidates if f.cell == expected["cell"]]
            assert match[0].extra["duplicate_of"] == expected["duplicate_of"]
        if "scope_cell" in expected:
            match = [f for f in candidates if f.cell == expected["cell"]]
            assert match[0].extra["scope_cell"] == expected["scope_cell"]


@pytest.mark.parametrize("case", [c for c in CASES if "n_errors" in c], ids=lambda c: c["file"])
def test_every_error_at_once(case, results):
    report = results(case["file"]).report
    assert len(report.errors) == case["n_errors"], report.text()
    assert sorted({f.row for f in report.errors}) == case["rows_with_errors"]


@pytest.mark.parametrize(
    "case", [c for c in CASES if "header_row" in c and c["outcome"] != "reject"], ids=lambda c: c["file"]
)
def test_header_row_and_sheet(case, results):
    result = results(case["file"])
    assert result.header_row == case["header_row"]
    assert result.sheet == case["sheet"]


@pytest.mark.parametrize("case", [c for c in CASES if "reread" in c], ids=lambda c: c["file"])
def test_same_bytes_read_twice(case):
    """Two consumers of one upload get the same rows (the bytes are read once, never a stream)."""
    data = (CASES_DIR / "files" / case["file"]).read_bytes()
    first, second = load_bytes(data, case["file"]), load_bytes(data, case["file"])
    pd.testing.assert_frame_equal(first.dataset.allocations, second.dataset.allocations)
    assert len(first.dataset.allocations) == len(case["rows"])


def test_every_case_file_is_listed():
    """A case file that expected.json does not name would go untested."""
    listed = {c["file"] for c in CASES}
    on_disk = {p.name for p in (CASES_DIR / "files").iterdir()}
    goldens = {c["export"]["golden_csv"] for c in CASES if "export" in c}
    assert on_disk - goldens == listed


XLSX_CASES = [c for c in CASES if c["file"].endswith(".xlsx") and c["outcome"] != "reject"]


@pytest.mark.parametrize("case", XLSX_CASES, ids=lambda c: c["file"])
def test_calamine_and_openpyxl_readers_give_identical_values(case):
    """The fast bulk reader and the cell-by-cell one read the same values from every accepted case."""
    from domain.template import header_score
    from etl.normalize import normalize
    from etl.read import read_upload

    data = (CASES_DIR / "files" / case["file"]).read_bytes()
    fast = read_upload(data, case["file"], header_matcher=header_score, reader="calamine")
    slow = read_upload(data, case["file"], header_matcher=header_score, reader="openpyxl")
    if "01b" in case["file"]:  # formulas: only openpyxl can tell a cached result from a missing one
        assert slow.grid.formulas == {}
    pd.testing.assert_frame_equal(normalize(fast.grid).frame, normalize(slow.grid).frame)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["file"])
def test_every_finding_is_in_french_too(case, results):
    """Each problem of each handed file is told from the catalogue, so the French report has no English left."""
    for finding in results(case["file"]).report:
        assert finding.template is not None, f"{finding.rule}: {finding.message}"
        french = finding.message_in("fr")
        assert french != finding.message, f"{finding.rule}: not translated: {french}"
        assert finding.advice_in("fr") != finding.advice, finding.rule


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_whole_number_is_shown_as_typed_not_as_the_readers_float(lang):
    """Readers hand 42381 over as 42381.0; the message, the report's value column and the CLI line say 42381."""
    result = load_path(CASES_DIR / "files" / "case06_dates_serial_numbers.xlsx")
    first = result.report.findings[0]
    assert first.cell == "I2"
    assert "42381" in first.message_in(lang)
    assert "42381.0" not in first.message_in(lang)
    assert result.report.to_frame(lang)["value"].tolist()[:3] == ["42381", "42405", "42439"]
    assert "42381.0" not in result.report.text()
