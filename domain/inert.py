"""Text that a spreadsheet would evaluate, made inert in every file the dashboard lets users download.

One rule for every download (the explorer's exports, the problem report as CSV, the
annotated copy of an upload and its report sheet): a text that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return, or with the full-width forms ``＝ ＋ － ＠`` (which
some spreadsheet programs read as their ASCII forms), after any leading spaces, is a formula to Excel, LibreOffice or
Google Sheets when typed or opened from a CSV file (OWASP "CSV injection"). It is kept
visible as written, but never evaluated:

* in CSV, prefixed with ``'`` (:func:`neutralize`; read back without it, :func:`restore`);
* in XLSX, written as a text cell marked "quote prefix" (:func:`make_inert`), which Excel
  shows as typed and keeps as text even when the cell is edited; formula cells of an
  uploaded workbook become such text cells showing the formula.

Numbers stay numbers (−15 000.50 is a number, not text starting with ``-``).
"""

from __future__ import annotations

from typing import Any

#: First characters that make a spreadsheet evaluate a text (ASCII and full-width forms).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


#: Spaces some programs skip before looking for a formula (space, line feed, no-break and ideographic spaces).
_LEADING_SPACES = " \n\u00a0\u3000"


def formula_like(value: Any) -> bool:
    """True when ``value`` is a text that a spreadsheet would evaluate (see :data:`FORMULA_STARTS`).

    Also when the formula start follows spaces or line feeds (``" =1+1"``), which some
    programs skip on import.
    """
    return isinstance(value, str) and value.lstrip(_LEADING_SPACES).startswith(FORMULA_STARTS)


def neutralize(text: str) -> str:
    """``text`` made inert for a CSV file: prefixed with ``'`` when it starts like a formula."""
    return "'" + text if formula_like(text) else text


def restore(text: str) -> str:
    """The inverse of :func:`neutralize`, for a CSV cell read back: ``'=1+1`` is ``=1+1`` (as text).

    Only a ``'`` followed by a formula start is removed, so that an exported CSV uploads again
    to the same texts; the text is then data, never evaluated (every download makes it inert again).
    """
    return text[1:] if text.startswith("'") and formula_like(text[1:]) else text


def make_inert(cell) -> None:
    """Make one openpyxl cell inert in place: never a formula, formula-like text quote-prefixed.

    A formula cell (``data_type == "f"``, including array formulas) becomes a text cell
    holding the formula's text; a text that starts like a formula is kept as a text cell
    (``data_type == "s"``) with Excel's quote prefix. Other cells are left as they are.
    """
    if cell.data_type == "f":
        value = cell.value
        text = value if isinstance(value, str) else getattr(value, "text", None) or str(value)
        cell.value = text
        cell.data_type = "s"
        cell.quotePrefix = True
    elif formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
