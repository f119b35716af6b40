"""Damaged and unusual zip packages: a refusal naming the file and the part, never an exception.

A property test damages a valid workbook at the byte level (truncation, flipped bytes,
changed zip flags, methods, checksums and sizes in either header) and checks that the
result is either the same rows as the undamaged file or a refusal naming the file, within
bounded time and memory. The named kinds (wrong CRC, the encryption flag, Deflate64, a
header that understates the size, a DTD anywhere in any encoding) each get their own test.
"""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
import zlib

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.read import Limits, read_upload
from tests.builders import xlsx_bytes
from validation.pipeline import load_bytes

NAME = "damaged.xlsx"
VALID = xlsx_bytes()
ORIGINAL = load_bytes(VALID, NAME).dataset.allocations

# Field offsets in the central directory entry (PK\1\2) and the local header (PK\3\4), APPNOTE 4.3.7 / 4.3.12.
CENTRAL_FIELDS = {"flags": (8, "H"), "method": (10, "H"), "crc": (16, "L"), "csize": (20, "L"), "usize": (24, "L")}
LOCAL_FIELDS = {"flags": (6, "H"), "method": (8, "H"), "crc": (14, "L"), "csize": (18, "L"), "usize": (22, "L")}


def _headers(data: bytes) -> list[tuple[str, int]]:
    """``(kind, offset)`` of every local header and central directory entry of ``data``."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        start_dir = zf.start_dir
    out = [("local", info.header_offset) for info in infos]
    at = start_dir
    while data[at : at + 4] == b"PK\x01\x02":
        out.append(("central", at))
        name, extra, comment = struct.unpack_from("<3H", data, at + 28)
        at += 46 + name + extra + comment
    return out


HEADERS = _headers(VALID)


def _set_field(data: bytes, kind: str, offset: int, field: str, value: int) -> bytes:
    position, fmt = (CENTRAL_FIELDS if kind == "central" else LOCAL_FIELDS)[field]
    out = bytearray(data)
    value &= 0xFFFF if fmt == "H" else 0xFFFFFFFF
    struct.pack_into("<" + fmt, out, offset + position, value)
    return bytes(out)


def _refused_naming_the_file(result) -> bool:
    """Refused by a rule about the file, naming it (a failure of the check itself does not count)."""
    errors = result.report.errors
    named = bool(errors) and all(NAME in f.text() and f.rule != "check-failed" for f in errors)
    return result.dataset is None and named


def _check(data: bytes) -> None:
    """The damaged file is read to the same rows, or refused naming the file; bounded time and memory."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = load_bytes(data, NAME)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    assert elapsed < 20, f"{elapsed:.1f} s"
    assert peak < 64 * 1024 * 1024, f"{peak / 1048576:.0f} MiB of Python memory"
    if result.dataset is not None:
        pd.testing.assert_frame_equal(result.dataset.allocations, ORIGINAL)
    else:
        assert _refused_naming_the_file(result), result.report.text()


damage = st.one_of(
    st.integers(0, len(VALID) - 1).map(lambda n: ("truncate", n)),
    st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(1, 255)), min_size=1, max_size=8).map(
        lambda flips: ("flip", flips)
    ),
    st.tuples(
        st.sampled_from(HEADERS),
        st.sampled_from(sorted(CENTRAL_FIELDS)),
        st.one_of(st.integers(0, 0xFFFFFFFF), st.sampled_from([0, 1, 8, 9, 12, 14, 99, 0x0800, 0xFFFFFFFF])),
    ).map(lambda t: ("field", t)),
)


def _apply(kind_and_args) -> bytes:
    kind, args = kind_and_args
    if kind == "truncate":
        return VALID[:args]
    if kind == "flip":
        out = bytearray(VALID)
        for position, xor in args:
            out[position] ^= xor
        return bytes(out)
    (header_kind, offset), field, value = args
    return _set_field(VALID, header_kind, offset, field, value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damage)
def test_any_byte_damage_is_the_same_rows_or_a_refusal_naming_the_file(kind_and_args):
    _check(_apply(kind_and_args))


def _rezip(data: bytes, change) -> bytes:
    """``data`` with each part's bytes replaced by ``change(name, bytes)`` (None: unchanged)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            dst.writestr(info.filename, change(info.filename, content) or content)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def _sheet_local_header() -> int:
    with zipfile.ZipFile(io.BytesIO(VALID)) as zf:
        return zf.getinfo(SHEET).header_offset


def _refusal(data: bytes):
    result = load_bytes(data, NAME)
    assert _refused_naming_the_file(result), result.report.text()
    return result.report.errors[0]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("crc", 0x12345678, "checksum (CRC-32)"),
        ("flags", 0x0001, "encrypted inside the zip"),
        ("method", 9, "Deflate64"),
        ("method", 14, "LZMA"),
        ("usize", 100, "more data than the 100 bytes"),
    ],
)
def test_each_kind_of_damaged_part_is_named_in_plain_words(field, value, words):
    offset = next(o for k, o in HEADERS if k == "central" and VALID[o + 46 : o + 46 + len(SHEET)] == SHEET.encode())
    finding = _refusal(_set_field(VALID, "central", offset, field, value))
    assert finding.rule == "file-corrupt"
    assert finding.extra["part"] == SHEET
    assert words in finding.message
    assert finding.message_in("fr") != finding.message


def test_a_truncated_file_is_refused():
    finding = _refusal(VALID[: len(VALID) // 2])
    assert finding.rule == "file-corrupt"


def test_a_header_that_understates_the_size_stops_the_inflating_there():
    """A 200 MiB sheet whose headers say 9 000 bytes: refused after about 9 000 bytes inflated, in little memory."""
    padding = b"<!-- " + b"x" * 1024 * 1024 + b" -->"
    big = zlib.compressobj(9, zlib.DEFLATED, -15)
    with zipfile.ZipFile(io.BytesIO(VALID)) as zf:
        sheet = zf.read(SHEET)
    at = sheet.index(b"<worksheet")
    head, rest = sheet[:at], sheet[at:]
    chunks = [big.compress(head)]
    chunks += [big.compress(padding) for _ in range(200)]
    chunks += [big.compress(rest), big.flush()]
    compressed = b"".join(chunks)
    # rebuild the package with the sheet stored as this stream, its sizes declared as 9 000 bytes
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(VALID)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != SHEET:
                dst.writestr(info.filename, src.read(info))
    data = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        start_dir = zf.start_dir
    name = SHEET.encode()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, 0x1234, len(compressed), 9000, len(name), 0)
    central = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, 0x1234, len(compressed), 9000, len(name), 0, 0, 0, 0, 0,
        start_dir,
    )  # fmt: skip
    body, directory = data[:start_dir], data[start_dir:]
    end = directory.rindex(b"PK\x05\x06")
    count = struct.unpack_from("<H", directory, end + 10)[0] + 1
    new_start = start_dir + len(local) + len(name) + len(compressed)
    entries = directory[:end] + central + name
    eocd = bytearray(directory[end:])
    struct.pack_into("<HHLL", eocd, 8, count, count, len(entries), new_start)
    lying = body + local + name + compressed + entries + bytes(eocd)
    assert len(lying) < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        finding = _refusal(lying)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "more data than the 9,000 bytes" in finding.message
    assert peak < 32 * 1024 * 1024


def _with_dtd(content: bytes, encoding: str, pad: int = 0) -> bytes:
    """The sheet XML re-encoded in ``encoding`` with a DTD after a ``pad``-byte comment."""
    text = content.decode("utf-8")
    rest = text[text.index("<worksheet") :]
    comment = f"<!-- {'x' * pad} -->" if pad else ""
    dtd = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return (f'<?xml version="1.0" encoding="{encoding}"?>' + comment + dtd + rest).encode(encoding)


@pytest.mark.parametrize(
    ("encoding", "pad"),
    [("UTF-8", 70_000), ("UTF-8", 900_000), ("UTF-16", 0), ("UTF-16", 70_000), ("UTF-16LE", 10), ("UTF-32", 5),
     ("cp037", 0), ("UTF-7", 0), ("ISO-8859-1", 200_000)],
)  # fmt: skip
def test_a_dtd_is_refused_wherever_it_sits_and_in_any_encoding(encoding, pad):
    data = _rezip(VALID, lambda name, content: _with_dtd(content, encoding, pad) if name == SHEET else None)
    finding = _refusal(data)
    assert finding.rule == "unsafe-xml-dtd", finding.message
    assert finding.extra["part"] == SHEET


def test_a_dtd_in_a_part_with_another_name_is_refused():
    """Any XML part, whatever its name: a DTD in an unusual part (customXml/item1.dat) is refused too."""
    extra = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(VALID)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("customXml/item1.dat", extra)
    finding = _refusal(out.getvalue())
    assert (finding.rule, finding.extra["part"]) == ("unsafe-xml-dtd", "customXml/item1.dat")


def test_a_utf16_sheet_without_a_dtd_is_never_a_traceback():
    def to_utf16(name, content):
        if name == SHEET:
            return ('<?xml version="1.0" encoding="UTF-16"?>' + content.decode("utf-8")).encode("utf-16")
        return None

    result = load_bytes(_rezip(VALID, to_utf16), NAME)
    if result.dataset is None:
        assert _refused_naming_the_file(result)
    else:
        pd.testing.assert_frame_equal(result.dataset.allocations, ORIGINAL)


def test_an_unknown_declared_encoding_is_refused_as_unchecked():
    def unknown(name, content):
        return b'<?xml version="1.0" encoding="x-no-such-charset"?>' + content if name == SHEET else None

    finding = _refusal(_rezip(VALID, unknown))
    assert "x-no-such-charset" in finding.message


def test_the_package_check_reads_the_undamaged_file_unchanged():
    assert read_upload(VALID, NAME, limits=Limits()).grid is not None


def test_a_part_listed_twice_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(VALID)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        with pytest.warns(UserWarning, match="Duplicate name"):
            dst.writestr(SHEET, b"<worksheet/>")
    finding = _refusal(out.getvalue())
    assert (finding.rule, finding.extra["part"]) == ("file-corrupt", SHEET)
    assert "twice" in finding.message


def test_a_package_of_too_many_parts_is_refused_before_inflating():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(VALID)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        for i in range(40):
            dst.writestr(f"xl/media/x{i}.bin", b"")
    result = load_bytes(out.getvalue(), NAME, limits=Limits(max_parts=30))
    assert [f.rule for f in result.report.errors] == ["archive-too-large"]


def test_a_failure_of_the_check_itself_is_a_message_not_an_exception(monkeypatch, caplog):
    import validation.pipeline

    def broken(grid, **options):
        raise KeyError("a bug")

    monkeypatch.setattr(validation.pipeline, "normalize", broken)
    result = load_bytes(VALID, NAME)
    [finding] = result.report.errors
    assert finding.rule == "check-failed"
    assert NAME in finding.text()
    assert "KeyError" in finding.message
    assert finding.message_in("fr") != finding.message
    assert result.dataset is None
    assert "checking damaged.xlsx failed" in caplog.text


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("customXml/item2.dat", (" " * 5000 + '<!DOCTYPE x [<!ENTITY a "b">]><x/>').encode("ascii")),
        ("customXml/item3.dat", ('   <!doctype x [<!entity a "b">]><x/>').encode("utf-16-le")),
        ("customXml/item4.dat", ('\n<!ENTITY a "b"><x/>').encode("utf-32-be")),
    ],
)
def test_a_dtd_in_a_part_that_does_not_start_like_xml_is_refused(name, content):
    """Spaces before the first '<', or UTF-16/32 without a byte-order mark: still searched."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(VALID)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr(name, content)
    finding = _refusal(out.getvalue())
    assert (finding.rule, finding.extra["part"]) == ("unsafe-xml-dtd", name)
