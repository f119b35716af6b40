"""The reader identifies files by content and refuses unsafe or unreadable ones before parsing."""

from __future__ import annotations

import io
import zipfile

import pytest

from etl.read import Limits, read_upload, sniff
from tests.builders import xlsx_bytes
from validation.pipeline import load_bytes


def _rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = (replace or {}).get(info.filename, source.read(info.filename))
            target.writestr(info.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def _rules(data: bytes, **kwargs) -> list[str]:
    return [f.rule for f in read_upload(data, "f.xlsx", **kwargs).findings]


def test_sniff_names_formats():
    assert sniff(xlsx_bytes()) == "zip"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) == "xls"
    assert sniff(b"<html><table><tr><td>x</td></tr></table></html>") == "html"
    assert sniff(b"\xef\xbb\xbf<!DOCTYPE html><html>") == "html"
    assert sniff(b"%PDF-1.7") == "pdf"
    assert sniff("Référence;Intitulé\n".encode()) == "csv"


def test_dtd_in_any_part_is_refused():
    data = _rezip(
        xlsx_bytes(), replace={"docProps/core.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'}
    )
    result = read_upload(data, "f.xlsx")
    assert result.grid is None
    assert result.findings[0].rule == "unsafe-xml-dtd"
    assert result.findings[0].extra["part"] == "docProps/core.xml"


def test_zip_bomb_refused_from_the_central_directory():
    bomb = b"<a>" + b" " * (120 * 1024 * 1024) + b"</a>"
    data = _rezip(xlsx_bytes(), add={"xl/media/padding.xml": bomb})
    assert len(data) < 1024 * 1024
    assert _rules(data) == ["archive-too-large"]


def test_dense_but_small_parts_are_fine():
    data = _rezip(xlsx_bytes(), add={"xl/extra.xml": b"<a>" + b" " * 500_000 + b"</a>"})
    assert read_upload(data, "f.xlsx").grid is not None


def test_xlsb_ods_strict_and_plain_zip_are_named():
    xlsb = _rezip(
        xlsx_bytes(),
        replace={
            "[Content_Types].xml": b"<Types><Override "
            b'ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>'
        },
    )
    assert _rules(xlsb) == ["not-an-xlsx"]
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("readme.txt", "hello")
    assert _rules(plain.getvalue()) == ["not-an-xlsx"]
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert read_upload(ods.getvalue(), "f.ods").findings[0].extra["detected"] == "ods"
    wb = zipfile.ZipFile(io.BytesIO(xlsx_bytes())).read("xl/workbook.xml")
    strict = wb.replace(
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    )
    assert _rules(_rezip(xlsx_bytes(), replace={"xl/workbook.xml": strict})) == ["strict-ooxml"]


def test_truncated_workbook_is_reported_not_raised():
    data = xlsx_bytes()[:2000]
    result = load_bytes(data, "cut.xlsx")
    assert result.dataset is None
    assert result.report.errors[0].rule in {"file-corrupt", "not-an-xlsx"}


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_with_each_delimiter_and_bom(delimiter):
    header = delimiter.join(
        [
            "Référence",
            "Intitulé",
            "Fenêtre",
            "Portée",
            "Pays",
            "Objectif(s) stratégique(s)",
            "Montant UE (EUR)",
            "Date d'approbation",
        ]
    )
    row = delimiter.join(["T05-EUTF-SAH-ML-01", "Titre", "SAH", "national", "ML", "2", "20000000", "12/01/2016"])
    result = load_bytes(("\ufeff" + header + "\r\n" + row + "\r\n").encode(), "a.csv")
    assert result.report.errors == [], result.report.text()
    assert int(result.dataset.allocations["amount_eur"].iloc[0]) == 20_000_000


def test_csv_in_windows_encoding_is_refused_with_advice():
    data = "Référence;Intitulé\nT05;Tête\n".encode("cp1252")
    result = load_bytes(data, "a.csv")
    assert result.report.errors[0].rule == "csv-encoding"
    assert "UTF-8" in result.report.errors[0].text()


def test_row_cap_refuses_rather_than_truncates():
    result = read_upload(xlsx_bytes(), "f.xlsx", limits=Limits(max_rows=5))
    assert result.grid is None
    assert result.findings[0].rule == "too-many-rows"


def test_size_limit_is_configurable():
    data = xlsx_bytes()
    assert _rules(data, limits=Limits(max_upload_bytes=len(data) - 1)) == ["upload-too-large"]


def test_empty_file():
    assert _rules(b"") == ["empty-file"]


def test_xlsm_is_read_as_data_and_macros_are_never_run():
    types = zipfile.ZipFile(io.BytesIO(xlsx_bytes())).read("[Content_Types].xml")
    xlsm = _rezip(
        xlsx_bytes(),
        replace={
            "[Content_Types].xml": types.replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            )
        },
        add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not run"},
    )
    result = load_bytes(xlsm, "allocations.xlsm")
    assert result.report.errors == [], result.report.text()
    assert int(result.dataset.allocations["amount_eur"].sum()) == 145_100_000


def test_serial_dates_use_the_workbooks_1904_epoch():
    from openpyxl import Workbook
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    from tests.builders import HEADERS_FR, rows

    wb = Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Allocations"
    ws.append(HEADERS_FR)
    for row in rows(I8=40_921):  # 14/01/2016 in the 1904 date system (42 383 in the 1900 one)
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    result = load_bytes(buffer.getvalue(), "mac.xlsx")
    serial = [f for f in result.report if f.rule == "date-serial-number"]
    assert [f.cell for f in serial] == ["I8"]
    table = result.dataset.allocations.set_index("reference")
    assert str(table.at["T05-EUTF-SAH-REG-01", "approval_date"].date()) == "2016-01-14"


def test_upload_limit_matches_streamlit_config():
    import tomllib

    from etl.read import MAX_UPLOAD_BYTES
    from tests.conftest import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_UPLOAD_BYTES


def test_calamine_read_in_blocks_gives_the_same_table(monkeypatch):
    """Rows taken from calamine a few at a time: the same cells, types, row numbers and blanks as in one block."""
    from datetime import datetime

    import etl.read

    rows = [
        ["T05-EUTF-SAH-ML-01", "Un", "SAH", "national", "ML", "2", None, 20000000, datetime(2016, 1, 14)],
        ["T05-EUTF-SAH-ML-02", " ", "SAH", None, "ML", 2, "\u00a0", 1.5, "14/01/2016"],
        [],
        [None, None, None, None, None, None, "  "],
        ["T05-EUTF-SAH-ML-03", "Trois", "HOA", "régional", "ML;NE", "1;2", "emploi", "10 M€", True],
    ]
    data = xlsx_bytes(rows)

    def table(block: int):
        monkeypatch.setattr(etl.read, "READ_BLOCK", block)
        read = read_upload(data, "b.xlsx").grid.table
        cells = [[(type(v), v) for v in column] for column in read.columns]
        return read.row_numbers.tolist(), cells, [k.tolist() for k in read.kinds]

    whole = table(65_536)
    assert whole[0] == [1, 2, 3, 6]  # row 4 empty, row 5 blank texts only
    assert whole[1][1] == [(str, "Intitulé"), (str, "Un"), (type(None), None), (str, "Trois")]
    for block in (1, 2, 3):
        assert table(block) == whole


def _sheet(cells: dict[str, object]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Allocations"
    for ref, value in cells.items():
        ws[ref] = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_calamine_rows_keep_their_excel_numbers_when_the_sheet_starts_below_row_1():
    """calamine gives a sheet's rows from row 1 even when its first cell is lower (C3): numbered as openpyxl does."""
    data = _sheet({"C3": "a", "D4": "b", "C6": "z"})
    for reader in ("calamine", "openpyxl"):
        read = read_upload(data, "f.xlsx", reader=reader).grid.table
        assert read.rows() == [(3, (None, None, "a")), (4, (None, None, None, "b")), (6, (None, None, "z"))], reader


def _table_cells(data: bytes) -> tuple:
    table = read_upload(data, "f.xlsx", reader="calamine").grid.table
    return table.row_numbers.tolist(), [[(type(v), v) for v in column] for column in table.columns]


@pytest.mark.parametrize("stop", [3, 1000])
def test_a_large_sheet_read_in_windows_gives_the_same_table(monkeypatch, stop):
    """Windows of a few rows each: the same cells, types and row numbers, gaps across windows, the empty-row stop."""
    from datetime import datetime

    import etl.read

    monkeypatch.setattr(etl.read, "EMPTY_ROWS_STOP", stop)
    cells: dict[str, object] = {"B3": "Référence", "C3": "Montant", "E3": "Date"}
    for r in range(4, 120):
        cells |= {f"B{r}": f"T05-EUTF-SAH-ML-{r:03d}", f"C{r}": r * 1000, f"E{r}": datetime(2016, 1, 1 + r % 28)}
    cells |= {"B40": " ", "C40": None, "E40": None, "A50": "en A", "F51": "en F"}  # blank row, wider rows
    for r in range(60, 65):  # five empty rows: past a stop of 3
        cells |= {f"B{r}": None, f"C{r}": None, f"E{r}": None}
    data = _sheet(cells)
    whole = _table_cells(data)
    assert whole[0][0] == 3
    calls = []
    split = etl.read._sheet_windows

    def windows(large, size=None):
        calls.append(large.part)
        return split(large, 700)  # a few rows a window

    monkeypatch.setattr(etl.read, "WINDOW_BYTES", 1000)
    monkeypatch.setattr(etl.read, "_sheet_windows", windows)
    assert _table_cells(data) == whole
    assert calls == ["xl/worksheets/sheet1.xml"]
    assert (whole[0][-1] == 59) == (stop == 3)


def test_equal_texts_of_a_column_share_one_object():
    rows = [[f"T05-EUTF-SAH-ML-{i:02d}", f"Projet {i}", "SAH", "national"] for i in range(1, 40)]
    columns = read_upload(xlsx_bytes(rows), "b.xlsx").grid.table.columns
    assert len({id(v) for v in columns[2][1:]}) == 1  # "SAH" 39 times, one object
    assert [v for v in columns[2][1:]] == ["SAH"] * 39
    assert len({id(v) for v in columns[0][1:]}) == 39


def test_row_cap_refusal_is_told_in_french_too():
    """The column-wise reader refuses long sheets with the same catalogue message as the row reader."""
    [refusal] = read_upload(xlsx_bytes(), "f.xlsx", limits=Limits(max_rows=5)).findings
    assert refusal.message == "The sheet 'Allocations' has more than 5 rows; it was not read."
    assert (
        refusal.message_in("fr")
        == "La feuille «\u00a0Allocations\u00a0» compte plus de 5 lignes\u202f; elle n’a pas été lue."
    )


@pytest.mark.parametrize("name", ["allocations.xlsx", "Allocations.XLSM", "old.xls"])
def test_a_text_file_under_a_workbooks_name_is_told_so(name):
    """A text file renamed .xlsx is refused as text, not read as a CSV and told 'no header row' (issue 15)."""
    read = read_upload(b"Budget notes for 2017\nto be checked with the EUD\n", name)
    assert read.grid is None
    (finding,) = read.findings
    assert finding.rule == "not-an-xlsx"
    assert "is text" in finding.message
    assert name.rsplit(".", 1)[-1] in finding.message
    assert "Ce fichier est du texte" in finding.message_in("fr")


def test_a_csv_under_its_own_name_is_still_read():
    read = read_upload("Référence;Montant UE (EUR)\nT05-EUTF-SAH-ML-01;20000000\n".encode(), "allocations.csv")
    assert read.grid is not None


@pytest.mark.parametrize("block", [1, 2, 65_536])
def test_table_of_builds_the_table_from_rows_of_any_length(block):
    """The one sheet reader: blanks are None, empty rows left out, rows of any length, the same in any block size."""
    from etl.read import KINDS, _table_of

    rows = [["a"], [], ["b", " ", 3], [None, "\u00a0"], [], [None, None, None, 4.5]]
    table = _table_of([iter(rows)], "S", Limits(), None, block=block)
    assert table.rows() == [(1, ("a",)), (3, ("b", None, 3)), (6, (None, None, None, 4.5))]
    assert table.blanks_are_none
    assert [k.tolist() for k in table.kinds][1] == [KINDS[type(None)]] * 3
    shifted = _table_of([iter(rows)], "S", Limits(), None, first_row=4, first_col=1, width=4, block=block)
    assert shifted.rows() == [(5, (None, "a")), (7, (None, "b", None, 3)), (10, (None, None, None, None, 4.5))]


def test_table_of_stops_after_empty_rows_and_refuses_long_sheets(monkeypatch):
    import etl.read
    from etl.read import FileRefused, _table_of

    monkeypatch.setattr(etl.read, "EMPTY_ROWS_STOP", 3)
    rows = [["a"], [], [], ["b"], [], [], [], ["not read"]]
    for block in (1, 2, 3, 100):
        assert _table_of([iter(rows)], "S", Limits(), None, block=block).rows() == [(1, ("a",)), (4, ("b",))]
    calls = []
    _table_of([iter([["x"]] * 25_000)], "S", Limits(), calls.append, block=4096)
    assert calls == [10_000, 20_000]
    with pytest.raises(FileRefused) as refused:
        _table_of([iter([["x"]] * 3)], "S", Limits(max_rows=2), None)
    assert refused.value.finding.rule == "too-many-rows"


def _windowed_sheet(mixed_at: int | None = None, note: str = "une note") -> tuple[bytes, set[int]]:
    """A sheet of 300 rows below a title and a header: texts, numbers, dates, blanks, empty rows here and there."""
    from datetime import datetime

    cells: dict[str, object] = {"A1": "Allocations EUTF", "B3": "Référence", "C3": "Montant", "D3": "Pays"}
    cells["E3"] = "Date"
    empty = set()
    for r in range(4, 304):
        if r % 7 in (0, 1):  # runs of two empty rows, cut across windows here and there
            empty.add(r)
            continue
        cells |= {f"B{r}": f"T05-EUTF-SAH-ML-{r:03d}", f"C{r}": r * 1000.5, f"E{r}": datetime(2016, 1, 1 + r % 28)}
        cells[f"D{r}"] = ["Mali", "Niger", " ", "Tchad & Co <x>"][r % 4]  # " " a blank cell
        if r % 11 == 0:
            cells[f"C{r}"] = None
    cells[f"F{250}"] = "plus large"  # a wider row in a later window
    if mixed_at is not None:
        # a text among numbers: fastexcel refuses that window, or reads it as an empty cell ("n/a"),
        # which the count of the window's text cells catches
        cells[f"C{mixed_at}"] = note
    return _sheet(cells), empty


@pytest.mark.parametrize(
    ("mixed_at", "note"), [(None, ""), (5, "une note"), (200, "une note"), (5, "NA"), (200, "n/a")]
)
def test_windows_read_by_fastexcel_give_the_calamine_table(monkeypatch, mixed_at, note):
    """Windows read by fastexcel: the cells, types, kinds and row numbers of the windows read by calamine and of the
    whole sheet read at once; a window fastexcel is unsure of sends the whole read to calamine."""
    import re
    import zipfile

    import etl.read
    from etl import fast_sheet

    data, empty = _windowed_sheet(mixed_at, note)

    def cells(reader):
        table = read_upload(data, "f.xlsx", reader=reader).grid.table
        return (
            table.row_numbers.tolist(),
            [[(type(v), v) for v in column] for column in table.columns],
            [codes.tolist() for codes in table.kinds],
        )

    whole = cells("calamine")
    assert read_upload(data, "f.xlsx").grid.table.row_numbers.tolist() == whole[0]
    firsts, fast_calls, calamine_calls = [], [], []
    split, columns, window_sheet = etl.read._sheet_windows, fast_sheet.sheet_columns, etl.read._window_sheet

    def windows(large, size=None, into=None):
        for package in split(large, size, into):
            with zipfile.ZipFile(package.path if into else io.BytesIO(package)) as zf:
                firsts.append(int(re.search(rb'<row r="(\d+)"', zf.read(large.part))[1]))
            yield package

    def fast(*args, **kwargs):
        fast_calls.append(kwargs.get("span"))
        return columns(*args, **kwargs)

    def calamine(*args):
        calamine_calls.append(1)
        return window_sheet(*args)

    monkeypatch.setattr(etl.read, "WINDOW_BYTES", 2000)
    monkeypatch.setattr(etl.read, "_WINDOW_PIECE", 256)
    monkeypatch.setattr(etl.read, "_sheet_windows", windows)
    monkeypatch.setattr(fast_sheet, "sheet_columns", fast)
    monkeypatch.setattr(etl.read, "_window_sheet", calamine)
    assert cells("calamine") == whole
    assert len(firsts) > 10
    assert not fast_calls
    assert calamine_calls
    assert any(first - 1 in empty for first in firsts[1:])  # empty rows just before a window
    firsts.clear(), calamine_calls.clear()
    assert cells("auto") == whole
    if mixed_at is None:
        assert len(fast_calls) == len(firsts)
        assert not calamine_calls
        assert fast_calls[0] is None
        assert [first for first, _ in fast_calls[1:]] == [first - 1 for first in firsts[1:]]
        assert len(whole[1]) == 6  # the wider row's column
    else:
        assert calamine_calls  # calamine read the sheet again


@pytest.mark.parametrize("stop", [2, 3])
def test_windows_read_by_fastexcel_leave_the_empty_row_stop_to_calamine(monkeypatch, stop):
    """A run of EMPTY_ROWS_STOP empty rows: calamine reads (where it stops depends on how far it read)."""
    import etl.read

    data, _ = _windowed_sheet()
    monkeypatch.setattr(etl.read, "EMPTY_ROWS_STOP", stop)
    whole = _table_cells(data)
    monkeypatch.setattr(etl.read, "WINDOW_BYTES", 2000)
    monkeypatch.setattr(etl.read, "_WINDOW_PIECE", 256)
    table = read_upload(data, "f.xlsx").grid.table
    assert (table.row_numbers.tolist(), [[(type(v), v) for v in column] for column in table.columns]) == whole
    assert (whole[0][-1] == 6) == (stop == 2)
