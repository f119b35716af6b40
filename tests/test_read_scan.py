"""The sheet facts (merges, hidden rows, AutoFilter, formulas) found while the package is inflated.

:func:`etl.read._inflate_and_scan` scans each worksheet as it inflates it for the DTD check;
the facts must be those of the stand-alone streaming scan, however the bytes are cut.
"""

from __future__ import annotations

import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

import etl.read
from etl.read import DEFAULT_LIMITS, _inflate_and_scan, _scan_sheet_xml, _SheetScan
from tests.conftest import CASES_DIR


def _facts_workbook(rows: int = 60) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Allocations"
    for r in range(1, rows + 1):
        sheet.append([f"T{r}", r * 1.5, "x" * (r % 7)])
    sheet.merge_cells("A2:A4")
    sheet.merge_cells("B10:C10")
    for r in (5, 17, 33):
        sheet.row_dimensions[r].hidden = True
    sheet.auto_filter.ref = f"A1:C{rows}"
    sheet.auto_filter.add_filter_column(1, ["3.0"])
    sheet["D7"] = "=B7*2"
    other = book.create_sheet("Listes")
    other.append(["a", "b"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_facts_found_while_inflating_are_those_of_the_stand_alone_scan():
    for data in [_facts_workbook(), *(p.read_bytes() for p in sorted((CASES_DIR / "files").glob("case*.xlsx")))]:
        if not data.startswith(b"PK"):
            continue  # not a zip package (an encrypted workbook)
        zf = zipfile.ZipFile(io.BytesIO(data))
        try:
            scanned = _inflate_and_scan(zf, data, DEFAULT_LIMITS)
        except etl.read.FileRefused:
            continue
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        assert sorted(scanned) == sorted(sheets)
        for part in sheets:
            assert scanned[part] == _scan_sheet_xml(zf, part), part


def test_the_facts_workbook_has_every_fact():
    data = _facts_workbook()
    facts = _inflate_and_scan(zipfile.ZipFile(io.BytesIO(data)), data, DEFAULT_LIMITS)["xl/worksheets/sheet1.xml"]
    assert facts.merged == ["A2:A4", "B10:C10"]
    assert facts.hidden_rows == {5, 17, 33}
    assert facts.autofilter == ("A1:C60", ["B"])
    assert facts.has_formulas


@settings(max_examples=40, deadline=None)
@given(cuts=st.lists(st.integers(1, 300), min_size=1, max_size=40), piece=st.integers(64, 512))
def test_the_facts_do_not_depend_on_how_the_bytes_are_cut(cuts, piece):
    data = _facts_workbook(rows=40)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    whole = _SheetScan()
    whole.PIECE, whole.OVERLAP = piece, 256
    whole.feed(xml)
    cut = _SheetScan()
    cut.PIECE, cut.OVERLAP = piece, 256
    at, i = 0, 0
    while at < len(xml):
        size = cuts[i % len(cuts)]
        cut.feed(xml[at : at + size])
        at, i = at + size, i + 1
    assert cut.facts() == whole.facts()


def test_the_scan_counts_text_and_boolean_cells_and_notes_other_types():
    """What the fast read is checked against: the cells the XML types as texts (empty inline texts
    apart), as booleans, and whether any other explicit type (an error here) is there."""
    book = Workbook()
    sheet = book.active
    for r in range(1, 31):
        sheet.append([f"T{r}", r * 1.5, "x" * (r % 3), r % 2 == 0])  # "" when r % 3 == 0: written empty
    buffer = io.BytesIO()
    book.save(buffer)
    xml = zipfile.ZipFile(io.BytesIO(buffer.getvalue())).read("xl/worksheets/sheet1.xml")
    scan = _SheetScan()
    scan.PIECE, scan.OVERLAP = 97, 64  # tiny pieces: every count crosses piece boundaries
    scan.feed(xml)
    facts = scan.facts()
    assert facts.text_cells == 60 == xml.count(b't="inlineStr"') + xml.count(b't="s"')
    assert facts.empty_inline_texts == 10
    assert facts.bool_cells == 30
    assert not facts.other_typed_cells
    with_error = xml.replace(b'<c r="B2" t="n"><v>3</v></c>', b'<c r="B2" t="e"><v>#N/A</v></c>')
    assert with_error != xml
    scan = _SheetScan()
    scan.feed(with_error)
    assert scan.facts().other_typed_cells
