"""Turn a :class:`~etl.read.Grid` into the normalized allocation table, cell by cell.

Finds the header row (the first 20 rows are scanned for the template's headers, FR or
EN), maps the columns, and parses every cell of the table. Parsing keeps the value as
typed whenever it cannot be read, so that :mod:`validation.schemas` can name the cell
and the rule; nothing is dropped silently.

There is one parser. :func:`_column_parser` says how each column's cells are read, from
the rules of :mod:`etl.parse` (amounts, dates, lists, rounds, placeholders, texts) and
the codes of :mod:`domain.refdata`; no rule is written here. :meth:`_CellParser.column`
only goes faster on the cells that need no interpreting, which it recognises with the
predicates of the same :mod:`etl.parse` rules applied to whole columns; every other
cell goes through the column's parser, each distinct value once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd

from domain import refdata
from domain.findings import Finding
from domain.i18n import N_
from domain.template import BY_NAME, CLEAN_COLUMNS, COLUMNS, column_for_header
from etl import layouts
from etl.parse import (
    MAX_AMOUNT_EUR,
    Parsed,
    day_of,
    is_no_round,
    is_not_given,
    is_plain_text,
    parse_amount,
    parse_date,
    parse_round,
    parse_text,
    split_list,
    whole_euros,
    within_limit,
)
from etl.read import KINDS, Grid, cell_ref

HEADER_SCAN_ROWS = 20
#: Columns whose cells may not come from a merged range: each project needs its own.
KEY_COLUMNS = ("reference", "amount_eur")


@dataclass
class Normalized:
    """The table parsed from a grid, with where each value came from.

    Attributes:
        frame: one row per project, indexed by Excel row number (``row``, int). Columns:
            reference, title, window, scope, theme, implementing_partner, source,
            amount_basis (``str`` or missing); countries (list of ISO alpha-2 codes, or
            the raw token where unknown), objectives and valletta_domains (lists of ints,
            or raw tokens where unreadable); amount_eur (``Int64``, EUR);
            approval_date (``datetime64[ns]``); dialogue_round (``Int64``, as typed).
        findings: everything noticed while reading and parsing.
        header_row: Excel row of the header, or None when not found.
        letters: internal column name -> column letter in the file.
        headers: internal column name -> header as typed.
        raw: column name -> the raw cell values as typed, in the frame's row order: an ``object``
            array, or for :data:`COMPACT_RAW` columns a :class:`RawColumn` (read by position
            alike); read them with :meth:`raw_value`.
        sheet: sheet name (None for CSV).
        rows: the Excel row of each frame row.
        source_format: the public EUTF export recognised from the header
            (:mod:`etl.layouts`), or None for the allocation template.
    """

    frame: pd.DataFrame
    findings: list[Finding]
    header_row: int | None
    letters: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    sheet: str | None = None
    rows: list[int] = field(default_factory=list)
    source_format: layouts.SourceFormat | None = None

    def raw_value(self, row: int, column: str) -> Any:
        """The value of a cell as typed (None when the column is absent)."""
        values = self.raw.get(column)
        if values is None:
            return None
        if not hasattr(self, "_positions"):
            object.__setattr__(self, "_positions", {r: i for i, r in enumerate(self.rows)})
        return values[self._positions[row]]

    def cell(self, row: int, column: str) -> str | None:
        """A1 reference of a column's cell on an Excel row, e.g. ``cell(7, "amount_eur") == "H7"``."""
        letter = self.letters.get(column)
        return f"{letter}{row}" if letter else None


def _date_of(value: pd.Timestamp) -> date:
    return value.date()


#: Columns whose raw values are kept only where the frame does not hold them as typed: each
#: cell type that the frame gives back (a ``str``, an ``int``, a whole ``float``, a ``date``)
#: and how. Most cells of these hold a distinct text, number or date, which would otherwise be
#: kept alive for the few findings that name a raw value (1M rows: 300 MB).
COMPACT_RAW: dict[str, tuple[tuple[type, Callable[[Any], Any]], ...]] = {
    "reference": ((str, str),),
    "title": ((str, str),),
    "amount_eur": ((int, int), (float, float)),
    "approval_date": ((date, _date_of),),
}


class RawColumn:
    """A column's cells as typed, kept only where the frame's value is not the cell's own.

    Where a cell is of a :data:`COMPACT_RAW` type and the frame holds its value (the same
    text, the same number of euros, the same day), the value is rebuilt from the frame, of
    the cell's type; every other cell (blank, trimmed, converted, with a time of day, of
    another type) is kept as typed. ``column[position]`` gives the value as typed, as the
    ``object`` array it replaces did.
    """

    __slots__ = ("_column", "_how", "_positions", "_rebuild", "_values")

    def __init__(self, raw: np.ndarray, how: np.ndarray, column: pd.Series, rebuild: tuple[Callable[[Any], Any], ...]):
        """``how``: 0 where a cell is kept as typed, else 1 + the index in ``rebuild`` of its type's rebuild."""
        self._positions = np.flatnonzero(how == 0)
        self._values = raw[self._positions]  # a copy: the whole raw column is not kept
        self._how = how
        self._column = column.array  # the frame's, not a copy
        self._rebuild = rebuild

    def __len__(self) -> int:
        return len(self._column)

    def rebind(self, column: pd.Series) -> None:
        """Give back the values from ``column``, which holds the same values as the one given (the final frame's)."""
        self._column = column.array

    def __getitem__(self, position: int) -> Any:
        how = int(self._how[position])
        if how:
            return self._rebuild[how - 1](self._column[position])
        return self._values[int(np.searchsorted(self._positions, position))]


def _rebuildable(raw: np.ndarray, kinds: np.ndarray, parsed: np.ndarray, name: str) -> np.ndarray:
    """For each cell, 1 + the index of its :data:`COMPACT_RAW` type when its parsed value equals it, else 0 (int8).

    A float ``-0.0`` is kept as typed (the frame's 0 would give back ``0.0``).
    """
    how = np.zeros(len(raw), dtype=np.int8)
    for k, (kind, _) in enumerate(COMPACT_RAW[name], start=1):
        at = np.flatnonzero(kinds == KINDS[kind])
        if not len(at):
            continue
        equal = (parsed[at] == raw[at]).astype(bool)
        if kind is float:
            equal &= ~np.signbit(raw[at].astype(np.float64))
        how[at[equal]] = k
    return how


def empty_frame() -> pd.DataFrame:
    """An allocation table with no rows and the clean dtypes."""
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in CLEAN_COLUMNS})
    frame = frame.astype({"amount_eur": "Int64", "dialogue_round": "Int64", "approval_date": "datetime64[ns]"})
    frame.index = pd.Index([], dtype="int64", name="row")
    return frame


def _locate_header(
    grid: Grid,
) -> tuple[int | None, dict[str, int], list[Finding], layouts.SourceFormat | None]:
    """Return the header's Excel row, internal name -> 1-based column index, findings and public format."""
    best = None
    for excel_row, values in grid.table.rows(HEADER_SCAN_ROWS):
        score = layouts.header_score(values)
        if score >= 3 and (best is None or score > best[1]):
            best = (excel_row, score, values)
    if best is None:
        return None, {}, [_header_not_found(grid.sheet)], None
    header_row, _, values = best
    source_format = layouts.detect(values)
    mapping, findings = _map_columns(values, header_row, source_format, grid.sheet)
    findings += _missing_required(mapping, header_row, source_format, grid.sheet)
    return header_row, mapping, findings, source_format


def _header_not_found(sheet: str | None) -> Finding:
    """The ``header-not-found`` error: no row of the first :data:`HEADER_SCAN_ROWS` holds three headers."""
    return Finding.of(
        "header-not-found",
        N_(
            "No header row was found in the first {n} rows: no row holds at least three of the "
            "template's headers (Référence/Reference, Intitulé/Title, Montant UE (EUR)/EU contribution "
            "(EUR), ...)."
        ),
        {"n": HEADER_SCAN_ROWS},
        sheet=sheet,
    )


def _map_columns(
    values: tuple[Any, ...], header_row: int, source_format: layouts.SourceFormat | None, sheet: str | None
) -> tuple[dict[str, int], list[Finding]]:
    """Internal name -> 1-based column index of the header ``values``; findings on unknown and repeated columns."""
    column_for = source_format.column_for if source_format else column_for_header
    mapping: dict[str, int] = {}
    findings: list[Finding] = []
    for index, header in enumerate(values, start=1):
        name = column_for(header)
        ref = cell_ref(header_row, index)
        if name is None:
            if header is not None:
                why = source_format.why_ignored(header) if source_format else None
                findings.append(
                    Finding.of(
                        "column-unknown",
                        (N_("Column '{header}' is not read:"), why)
                        if why
                        else N_("Column '{header}' is not in the template; it is ignored."),
                        {"header": header},
                        sheet=sheet,
                        cell=ref,
                        header=str(header),
                    )
                )
            continue
        if name in mapping:
            first = cell_ref(header_row, mapping[name])
            findings.append(
                Finding.of(
                    "column-duplicate",
                    N_("Two columns are headed '{fr}' / '{en}' ({first} and {second})."),
                    {"fr": BY_NAME[name].fr, "en": BY_NAME[name].en, "first": first, "second": ref},
                    sheet=sheet,
                    cell=ref,
                    column=name,
                    header=str(header),
                )
            )
            continue
        mapping[name] = index
    return mapping, findings


def _missing_required(
    mapping: dict[str, int], header_row: int, source_format: layouts.SourceFormat | None, sheet: str | None
) -> list[Finding]:
    """A ``required-column-missing`` error for each required column the header lacks and the format does not derive."""
    findings = []
    for column in COLUMNS:
        if not column.required or column.name in mapping:
            continue
        if source_format and column.name in source_format.derived:
            continue
        if column.name == "approval_date" and "dialogue_round" in mapping:
            continue
        findings.append(
            Finding.of(
                "required-column-missing",
                N_("The required column '{fr}' / '{en}' is missing from the header row found on row {row}."),
                {"fr": column.fr, "en": column.en, "row": header_row},
                sheet=sheet,
                row=header_row,
                column=column.name,
                extra={"expected_headers": [column.fr, column.en], "header_row": header_row},
            )
        )
    return findings


def _sheet_findings(
    grid: Grid, header_row: int, mapping: dict[str, int], headers: dict[str, str], references: dict[int, str | None]
) -> list[Finding]:
    """Findings about formulas, merges, hidden rows and filters inside the table."""
    names_by_index = {index: name for name, index in mapping.items()}
    findings = _formula_findings(grid, header_row, names_by_index, headers)
    findings += _merged_findings(grid, header_row, names_by_index)
    hidden = sorted(r for r in grid.hidden_rows if r in references)
    if hidden:
        refs = [references[r] or f"row {r}" for r in hidden]
        rows_text = ", ".join(f"{r} ({references[r] or '–'})" for r in hidden)
        findings.append(
            Finding.of(
                "hidden-rows-included",
                N_("Rows hidden in Excel are included in the totals ({n}): {rows}."),
                {"n": len(hidden), "rows": rows_text},
                sheet=grid.sheet,
                extra={"rows": hidden, "references": refs},
            )
        )
    if grid.autofilter and grid.autofilter[1]:  # a filter range with no criterion hides nothing
        ref, columns = grid.autofilter
        template = (
            N_("An AutoFilter is set on {range} on column {columns}; rows it hides are read like the others.")
            if columns
            else N_("An AutoFilter is set on {range}; rows it hides are read like the others.")
        )
        findings.append(
            Finding.of(
                "autofilter-active",
                template,
                {"range": ref, "columns": ", ".join(columns)},
                sheet=grid.sheet,
                cell=ref,
                extra={"range": ref, "columns": columns},
            )
        )
    return findings


def _formula_findings(
    grid: Grid, header_row: int, names_by_index: dict[int, str], headers: dict[str, str]
) -> list[Finding]:
    """A ``formula-not-computed`` error for each formula cell of a read column below the header."""
    findings = []
    for (r, c), formula in sorted(grid.formulas.items()):
        if r <= header_row or c not in names_by_index:
            continue
        findings.append(
            Finding.of(
                "formula-not-computed",
                N_(
                    "The formula {formula} has no calculated value saved in the file (or the workbook asks to be "
                    "recalculated), so its result is unknown; it was not read as 0 or blank."
                ),
                {"formula": formula},
                sheet=grid.sheet,
                cell=cell_ref(r, c),
                column=names_by_index[c],
                header=headers.get(names_by_index[c]),
                value=formula,
                row=r,
            )
        )
    return findings


def _merged_findings(grid: Grid, header_row: int, names_by_index: dict[int, str]) -> list[Finding]:
    """For each merged range over read columns below the header: an error in a key column, else a notice."""
    # openpyxl is imported where it is needed, so that the app starts without it
    from openpyxl.utils.cell import range_boundaries

    findings = []
    for ref in grid.merged:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if max_row <= header_row:
            continue
        touched = [names_by_index[c] for c in range(min_col, max_col + 1) if c in names_by_index]
        if not touched:
            continue
        if max_row > min_row and any(name in KEY_COLUMNS for name in touched):
            findings.append(
                Finding.of(
                    "merged-cells-key-column",
                    N_(
                        "Cells {range} are merged across several projects in the column '{header}'; they cannot "
                        "share one value."
                    ),
                    {"range": ref, "header": BY_NAME[touched[0]].fr},
                    sheet=grid.sheet,
                    cell=ref,
                    column=touched[0],
                )
            )
        else:
            findings.append(
                Finding.of(
                    "merged-cells-filled",
                    N_("Cells {range} are merged; every row of the range was given the value of the first cell."),
                    {"range": ref},
                    sheet=grid.sheet,
                    cell=ref,
                    column=touched[0],
                    extra={"range": ref},
                )
            )
    return findings


def _codes(tokens: list[str], resolve) -> list[Any]:
    """Resolve each token; keep the raw token where it is not a known code (validation names it)."""
    out = []
    for token in tokens:
        code = resolve(token)
        out.append(token if code is None else code)
    return out


def _sorted_codes(values: list[Any]) -> list[Any]:
    known = sorted({v for v in values if not isinstance(v, str) or (len(v) == 2 and v.isupper())}, key=str)
    unknown = [v for v in values if v not in known]
    return known + unknown


def normalize(grid: Grid, *, consume: bool = False) -> Normalized:
    """Parse a grid into the allocation table.

    Args:
        grid: the sheet as read (:func:`etl.read.read_upload`).
        consume: the caller hands the grid's cells over (:func:`validation.pipeline.load_bytes`):
            once the header is found, ``grid.table.columns`` and ``kinds`` are emptied and each
            column's cells are let go as soon as it is parsed, but for the raw values
            :class:`Normalized` keeps (1M rows: the references', titles', amounts' and dates'
            cells, 270 MB, freed during the parse instead of after it). The grid's table
            is then not usable.

    Returns:
        A :class:`Normalized`. When the header or a required column is missing, the
        frame is empty and the findings say why. Never raises for bad input.
    """
    from openpyxl.utils.cell import get_column_letter

    header_row, mapping, findings, source_format = _locate_header(grid)
    if header_row is None or any(f.rule in {"required-column-missing", "column-duplicate"} for f in findings):
        return Normalized(empty_frame(), findings, header_row, sheet=grid.sheet, source_format=source_format)
    letters = {name: get_column_letter(i) for name, i in mapping.items()}
    table = grid.table
    header_values = table.row(int(np.searchsorted(table.row_numbers, header_row)))
    headers = {name: str(header_values[i - 1]) for name, i in mapping.items()}

    # The rows below the header with at least one non-blank cell in a template column.
    first = int(np.searchsorted(table.row_numbers, header_row, side="right"))
    count = len(table) - first
    none = KINDS[type(None)]
    below = {
        name: (table.columns[i - 1][first:], table.kinds[i - 1][first:])
        if i - 1 < len(table.columns)
        else (np.full(count, None, dtype=object), np.full(count, none, dtype=np.int8))
        for name, i in mapping.items()
    }
    if consume:  # the grid's cells are held by ``below`` only, column by column
        table.columns, table.kinds = [], []
    blank = _blank_rows(below.values(), count, table.blanks_are_none)
    keep = np.flatnonzero(~blank)
    if len(keep) == count:  # no blank row: views of the read columns, not copies (1M rows: 8 MB a column)
        keep = slice(None)
    row_numbers = table.row_numbers[first:][keep]
    rows = row_numbers.tolist()
    formula_cells = set(grid.formulas)
    raw_columns: dict[str, Any] = {}
    index = pd.Index(rows, dtype="int64", name="row")
    # each column typed as soon as it is parsed: its parsed object array is not kept (1M rows:
    # 8 MB a column, plus the date objects)
    typed: dict[str, pd.Series] = {}
    for name, i in mapping.items():
        cells, cell_kinds = below.pop(name)
        column, kinds = cells[keep], cell_kinds[keep]
        del cells, cell_kinds
        formula_rows = {r for r, c in formula_cells if c == i}
        is_formula = np.isin(row_numbers, list(formula_rows)) if formula_rows else np.zeros(len(rows), dtype=bool)
        cell = _CellParser(name, grid, source_format, headers[name], letters[name], findings)
        parsed = cell.column(column, kinds, row_numbers, is_formula)
        if rows and name in CLEAN_COLUMNS:
            typed[name] = _typed(name, parsed, index)
        if rows and name in COMPACT_RAW:  # the frame's column gives back most cells: only the others are kept
            how = _rebuildable(column, kinds, parsed, name)
            how[typed[name].isna().to_numpy(dtype=bool)] = 0  # a date out of the frame's range: kept
            raw_columns[name] = RawColumn(column, how, typed[name], tuple(r for _, r in COMPACT_RAW[name]))
        else:
            raw_columns[name] = column
        del parsed, column, kinds
    records = rows

    if not records:
        findings.append(
            Finding.of(
                "no-rows",
                N_("The header was found on row {row}, but no project row follows it."),
                {"row": header_row},
                sheet=grid.sheet,
                row=header_row,
            )
        )
    frame = _frame_of(typed, index) if records else empty_frame()
    hidden = sorted(set(grid.hidden_rows).intersection(rows)) if grid.hidden_rows else []
    # the references of hidden rows only, for their finding (not a dict of every row)
    references = {r: None if pd.isna(ref) else ref for r, ref in frame["reference"].loc[hidden].items()}
    findings.extend(_sheet_findings(grid, header_row, mapping, headers, references))
    if records:

        def cell(row: int, column: str) -> str | None:
            return f"{letters[column]}{row}" if column in letters else None

        frame, derived = layouts.complete(frame, source_format, cell, grid.sheet)
        findings.extend(derived)
        # these columns are not changed past their parse (layouts.complete fills others): the raw
        # values are given back from the frame's own arrays (equal to the parsed ones, not a copy)
        for name, raw in raw_columns.items():
            if isinstance(raw, RawColumn):
                raw.rebind(frame[name])
    return Normalized(frame, findings, header_row, letters, headers, raw_columns, grid.sheet, rows, source_format)


def _blank_rows(columns, count: int, blanks_are_none: bool) -> np.ndarray:
    """Which of ``count`` rows are blank in every one of ``columns`` (``(cells, kinds)`` pairs; bool array)."""
    blank = np.ones(count, dtype=bool)
    for column, kinds in columns:
        blank &= kinds == KINDS[type(None)] if blanks_are_none else _is_blank(column, kinds)
    return blank


def _is_blank(column: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """Which cells of an ``object`` array are None, empty or whitespace-only texts (bool array)."""
    blank = kinds == KINDS[type(None)]
    is_text = kinds == KINDS[str]
    if (kinds == 0).any():  # other types: str subclasses count as texts
        is_text |= np.fromiter(map(isinstance, column, repeat(str)), dtype=bool, count=len(column))
    if is_text.any():
        texts = column[is_text]
        blank[is_text] = (texts == "") | np.fromiter(map(str.isspace, texts), dtype=bool, count=len(texts))
    return blank


def _objects(values, count: int) -> np.ndarray:
    """An ``object`` array of ``values`` (lists stay list objects, never a second dimension)."""
    return np.fromiter(values, dtype=object, count=count)


class _CellParser:
    """Parses the cells of one column and reports each that needed interpreting (appended to ``findings``)."""

    def __init__(
        self,
        name: str,
        grid: Grid,
        source_format: layouts.SourceFormat | None,
        header: str,
        letter: str,
        findings: list[Finding],
    ):
        self.name, self.sheet, self.source_format = name, grid.sheet, source_format
        self.header, self.letter, self.findings = header, letter, findings
        #: ``parse(value)``: the value of one cell, and the rule to report if it needed interpreting.
        self.parse, self.rule = _column_parser(name, grid.epoch, source_format)

    def report(self, parsed: Parsed, value: Any, row: int) -> None:
        """Append the finding of a cell whose parse has a rule."""
        template, params = _parse_message(parsed, value, self.header)
        relaxed = self.source_format.relaxed if self.source_format is not None else {}
        if parsed.rule in relaxed:  # a public export: the row is kept, the value shown as unknown
            template = (template, relaxed[parsed.rule])
        self.findings.append(
            Finding.of(
                parsed.rule,
                template,
                params,
                level="warning" if parsed.rule in relaxed else None,
                sheet=self.sheet,
                cell=f"{self.letter}{row}",
                column=self.name,
                header=self.header,
                value=value.date().isoformat() if isinstance(value, datetime) else value,
                row=row,
            )
        )

    def column(
        self, column: np.ndarray, kinds: np.ndarray, row_numbers: np.ndarray, is_formula: np.ndarray
    ) -> np.ndarray:
        """Every cell of the column parsed (``object`` array); formula cells are None.

        The cells that need no interpreting are recognised with array operations by the
        predicates of the column's :mod:`etl.parse` rule (blanks: the parse of None;
        :func:`~etl.parse.is_plain_text`; :func:`~etl.parse.within_limit` for int cells
        and :func:`~etl.parse.whole_euros` for float cells of amounts;
        :func:`~etl.parse.day_of` for date cells). Every other cell goes through
        :meth:`parse`, each distinct value once, and is reported when it has a rule.
        """
        n = len(column)
        out = np.full(n, None, dtype=object)
        done = is_formula.copy()  # formula cells stay None (reported as formula-not-computed)
        _parsed_once(self.parse(None), kinds == KINDS[type(None)], done, out)
        is_str = kinds == KINDS[str]
        if self.rule is parse_text:
            at = np.flatnonzero(is_str & ~done)
            plain = at[np.fromiter(map(is_plain_text, column[at]), dtype=bool, count=len(at))]
            out[plain] = column[plain]
            done[plain] = True
        elif self.rule is parse_amount:
            ints = np.flatnonzero((kinds == KINDS[int]) & ~done)
            ints = ints[np.fromiter(map(within_limit, column[ints]), dtype=bool, count=len(ints))]
            out[ints] = column[ints]
            done[ints] = True
            at = np.flatnonzero((kinds == KINDS[float]) & ~done)
            numbers = column[at].astype(np.float64)
            whole = whole_euros(numbers)
            out[at[whole]] = _objects(numbers[whole].astype(np.int64).tolist(), int(whole.sum()))
            done[at[whole]] = True
        elif self.rule is parse_date:
            days = np.flatnonzero((kinds == KINDS[date]) & ~done)
            out[days] = column[days]  # day_of is the identity on date cells: no call per cell
            done[days] = True
            at = np.flatnonzero((kinds == KINDS[datetime]) & ~done)
            out[at] = _objects(map(day_of, column[at]), len(at))
            done[at] = True
        rest = np.flatnonzero(~done)
        if not len(rest):
            return out
        ruled = np.full(n, None, dtype=object)  # the parse of each cell to report (one with a rule)
        to_report = np.zeros(n, dtype=bool)
        texts = rest[is_str[rest]]
        if len(texts):  # each distinct text parsed once; values and rules spread by array indexing
            codes, uniques = pd.factorize(column[texts])
            results = _objects(map(self.parse, uniques), len(uniques))
            out[texts] = _objects((p.value for p in results), len(results))[codes]
            has_rule = np.fromiter((bool(p.rule) for p in results), dtype=bool, count=len(results))[codes]
            ruled[texts[has_rule]] = results[codes[has_rule]]
            to_report[texts[has_rule]] = True
        cache: dict[Any, Parsed] = {}
        for position in rest[~is_str[rest]]:
            value = column[position]
            key = (type(value), value)
            found = cache.get(key)
            if found is None:
                found = cache[key] = self.parse(value)
            out[position] = found.value
            if found.rule:
                ruled[position] = found
                to_report[position] = True
        for position in np.flatnonzero(to_report):  # in sheet order
            self.report(ruled[position], column[position], int(row_numbers[position]))
        return out


def _parsed_once(parsed: Parsed, where: np.ndarray, done: np.ndarray, out: np.ndarray) -> None:
    """Give the cells ``where`` (not yet ``done``) the value ``parsed`` when it needs no finding."""
    at = np.flatnonzero(where & ~done)
    if parsed.rule is None and len(at):
        out[at] = _objects(repeat(parsed.value, len(at)), len(at))
        done[at] = True


def _parse_message(parsed: Parsed, value: Any, header: str) -> tuple[str, dict[str, Any]]:
    """Plain-words message template for a parsing finding (in the message catalogue), and its parameters."""
    rule = parsed.rule
    if rule == "placeholder-as-missing":
        return N_("'{value}' in '{header}' stands for a missing value; it was read as empty."), {
            "value": value,
            "header": header,
        }
    if rule == "value-not-given":
        return N_("'{value}' in '{header}': the file states that its source does not give this value."), {
            "value": value,
            "header": header,
        }
    if rule == "round-none":
        return N_("'{value}' in '{header}': the file states that no High-Level Dialogue round applies."), {
            "value": value,
            "header": header,
        }
    if rule == "number-text-converted":
        return N_("The text '{value}' was read as {amount} EUR."), {
            "value": value,
            "amount": f"{parsed.value:,}".replace(",", " "),
        }
    if rule == "date-serial-number":
        return N_("The number {value} is an Excel date serial; it was read as {date}."), {
            "value": value,
            "date": parsed.value,
        }
    if rule == "date-not-a-date":
        return N_("'{value}' is not a date in the form dd/mm/yyyy or yyyy-mm-dd."), {"value": value}
    if rule == "amount-not-a-number":
        return N_("'{value}' is not an amount in euros."), {"value": value}
    if rule == "amount-ambiguous":
        return N_("'{value}' could be read two ways (thousands separator or decimal comma)."), {"value": value}
    if rule == "amount-not-whole-euros":
        return N_("{value} is not a whole number of euros."), {"value": value}
    if rule == "amount-missing":
        return N_("The EU contribution is empty."), {}
    if rule == "amount-too-large":
        return N_("{value} is more than any amount an allocation can have ({limit} EUR); it was not read."), {
            "value": value,
            "limit": f"{MAX_AMOUNT_EUR:,}".replace(",", " "),
        }
    if rule == "round-invalid":
        return N_("'{value}' is not a High-Level Dialogue number."), {"value": value}
    if rule == "basis-invalid":
        return N_("'{value}' is not an amount basis (sourcé/sourced or inféré/inferred)."), {"value": value}
    if rule in ("amount-rounded-to-euro", "amount-scientific-notation"):
        written = repr(value) if isinstance(value, float) else str(value).strip()
        amount = f"{parsed.value:,}".replace(",", " ")
        if rule == "amount-rounded-to-euro":
            return N_("{value} has cents; counted as {amount} EUR (rounded to the euro)."), {
                "value": written,
                "amount": amount,
            }
        return N_("{value} is written in scientific notation; read as {amount} EUR."), {
            "value": written,
            "amount": amount,
        }
    if rule == "reference-normalised":
        return N_("'{value}' was read as '{reference}'."), {"value": str(value).strip(), "reference": parsed.value}
    return N_("The value '{value}' breaks the rule {rule}."), {"value": value, "rule": rule}


def _column_parser(
    name: str, epoch: datetime, source_format: layouts.SourceFormat | None = None
) -> tuple[Callable[[Any], Parsed], Callable[[Any], Parsed] | None]:
    """The parser of one column's cells, and the :mod:`etl.parse` rule it applies unchanged to clean cells.

    Returns ``(parse, rule)``: ``parse(value)`` gives the value and the rule to report
    if the cell needed interpreting; ``rule`` is :func:`~etl.parse.parse_text`,
    :func:`~etl.parse.parse_amount` or :func:`~etl.parse.parse_date` when ``parse``
    gives what that function gives for every cell it reads with no finding (the fast path
    of :meth:`_CellParser.column` then uses that rule's predicates), else None.

    Public EUTF exports (``source_format``) have machine-written amounts and references
    (:func:`etl.layouts.parse_amount`, :func:`etl.layouts.parse_reference`).
    List values are shared between equal cells (parsing is cached): never mutate them.
    """
    if source_format is not None and name == "amount_eur":
        return layouts.parse_amount, None
    if source_format is not None and name == "reference":

        def reference(value: Any) -> Parsed:
            parsed = layouts.parse_reference(value)
            return parsed if parsed.value is not None else Parsed(None)

        return reference, None
    if name == "record_type":

        def record_type(value: Any) -> Parsed:
            text = parse_text(value).value
            return Parsed(None if text is None else (layouts.record_type_code(text, source_format) or text))

        return record_type, None
    if name == "amount_eur":
        return parse_amount, parse_amount
    if name == "approval_date":

        def approval_date(value: Any) -> Parsed:
            if is_not_given(value):
                return Parsed(None, "value-not-given")
            return parse_date(value, epoch)

        return approval_date, parse_date
    if name == "dialogue_round":

        def dialogue_round(value: Any) -> Parsed:
            return Parsed(None, "round-none") if is_no_round(value) else parse_round(value)

        return dialogue_round, None
    if name in _CODE_LISTS:
        separators = source_format.list_separators if source_format is not None else ";"
        resolve, order = _CODE_LISTS[name]

        def code_list(value: Any) -> Parsed:
            if name in _STATED_ABSENT and is_not_given(value):
                return Parsed([], "value-not-given")
            return Parsed(order(_codes(split_list(value, separators), resolve)))

        return code_list, None
    if name in _CODES:
        resolve = _CODES[name]

        def code(value: Any) -> Parsed:
            parsed = parse_text(value)
            if parsed.value is None:
                return parsed
            found = resolve(parsed.value)
            if found is None and name == "amount_basis":
                return Parsed(None, "basis-invalid")
            return Parsed(found or parsed.value)

        return code, None
    if name in {"reference", "title"}:

        def required_text(value: Any) -> Parsed:
            parsed = parse_text(value)
            return Parsed(None) if parsed.rule else parsed  # the schema reports the missing value

        return required_text, parse_text
    return parse_text, parse_text


#: Columns where a file may state that the source does not give the value (:data:`etl.parse.NOT_GIVEN`).
_STATED_ABSENT = frozenset({"countries", "objectives", "approval_date"})
#: Columns of coded values: the code of a known text, the text as typed otherwise.
_CODES = {"window": refdata.window_code, "scope": refdata.scope_code, "amount_basis": refdata.basis_code}


def _sorted_ints(values: list[Any]) -> list[Any]:
    ints = sorted({v for v in values if isinstance(v, int)})
    return ints + [v for v in values if not isinstance(v, int)]


#: List columns: how each token is resolved, and how the codes are ordered.
_CODE_LISTS = {
    "countries": (refdata.country_code, _sorted_codes),
    "objectives": (refdata.objective_number, _sorted_ints),
    "valletta_domains": (refdata.domain_number, _sorted_ints),
}


def _with_dtypes(columns: dict[str, list[Any]], rows: list[int]) -> pd.DataFrame:
    """The clean allocation frame from parsed column lists (values as parsed, None when missing)."""
    index = pd.Index(rows, dtype="int64", name="row")
    return _frame_of({name: _typed(name, values, index) for name, values in columns.items()}, index)


def _typed(name: str, values, index: pd.Index) -> pd.Series:
    """One clean column from its parsed values (a list or an ``object`` array; None when missing).

    Lists for ``countries``, ``objectives``, ``valletta_domains`` (``object``; anything else
    becomes ``[]``); ``Int64`` for ``amount_eur`` and ``dialogue_round``; ``datetime64[ns]``
    for ``approval_date`` (unreadable: NaT); ``string`` for the texts.
    """
    if name in ("countries", "objectives", "valletta_domains"):
        return pd.Series([v if isinstance(v, list) else [] for v in values], index=index, dtype="object")
    if name in ("amount_eur", "dialogue_round"):
        return pd.Series(pd.array([None if v is None else int(v) for v in values], dtype="Int64"), index=index)
    if name == "approval_date":
        return pd.to_datetime(pd.Series(values, index=index, dtype="object"), errors="coerce").astype("datetime64[ns]")
    return pd.Series(values, index=index, dtype="object").astype("string")  # text: str or None


def _frame_of(typed: dict[str, pd.Series], index: pd.Index) -> pd.DataFrame:
    """The clean allocation frame (:data:`CLEAN_COLUMNS`, in order) from its typed columns (:func:`_typed`).

    A column not given is all missing; a missing ``amount_basis`` is ``sourced``. ``typed`` is
    emptied as the frame takes each column, so that the caller holds no second reference.
    """
    out = pd.DataFrame(index=index)
    for name in CLEAN_COLUMNS:
        column = typed.pop(name, None)
        out[name] = _typed(name, [None] * len(index), index) if column is None else column
        del column
    typed.clear()
    out["amount_basis"] = out["amount_basis"].fillna("sourced")
    return out
