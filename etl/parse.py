"""Parse single cell values as typed by analysts: amounts, dates, coded lists.

Each parser takes the raw cell value (str, int, float, datetime, bool or None) and
returns a :class:`Parsed` with the value and, when the cell needed interpreting, the
rule id of the finding to report. Parsers never raise and never guess: anything
ambiguous is reported.

This module is the only place where a parsing rule is written. The cells that are their
own value with no finding are recognised by four small predicates that the parsers
themselves use first, :func:`is_plain_text`, :func:`within_limit`, :func:`whole_euros`
and :func:`day_of`; :mod:`etl.normalize` applies the same predicates to whole columns
(they accept numpy arrays where they take numbers) and sends every other cell to the
parsers, so no rule is written a second time there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np

#: Texts that mean "unknown" in analysts' sheets; they become missing values with a warning.
PLACEHOLDERS = frozenset(
    {
        "n/a",
        "na",
        "n.a.",
        "nd",
        "n.d.",
        "-",
        "–",
        "—",
        "?",
        "en attente",
        "pending",
        "tbd",
        "à venir",
        "a venir",
        "néant",
        "neant",
    }
)

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_MULTIPLIERS = {
    "m": Decimal(1_000_000),
    "k": Decimal(1_000),
    "md": Decimal(1_000_000_000),
    "mds": Decimal(1_000_000_000),
    "bn": Decimal(1_000_000_000),
}
_AMOUNT = re.compile(
    r"""^(?P<sign>[-+]?)\s*(?:€|eur)?\s*(?P<number>[0-9][0-9\s\u00a0\u202f\u2009.,']*)\s*
        (?P<unit>md|mds|bn|m|k|millions?|milliards?)?\s*(?:€|eur|euros?)?$""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class Parsed:
    """A parsed cell: ``value`` (None when missing or unreadable) and the rule to report, if any."""

    value: Any
    rule: str | None = None


#: Texts by which a file states that its source does not give a country, objective or approval
#: date (the exports write them, ``docs/TEMPLATE.md``): unlike an empty cell, not a slip.
NOT_GIVEN = frozenset({"not given", "non renseigné", "non renseigne"})
#: Texts by which a file states that a project was reported at no High-Level Dialogue (no round is derived).
NO_ROUND = frozenset({"none", "aucun"})


def is_not_given(raw: Any) -> bool:
    """True for a cell stating that the source does not give the value (``not given``, ``non renseigné``)."""
    return isinstance(raw, str) and _SPACES.sub(" ", raw.strip().casefold()) in NOT_GIVEN


def is_no_round(raw: Any) -> bool:
    """True for a dialogue round cell stating that there is none (``none``, ``aucun``)."""
    return isinstance(raw, str) and raw.strip().casefold() in NO_ROUND


def is_placeholder(raw: Any) -> bool:
    """True for texts such as ``n/a``, ``-`` or ``en attente`` that stand for a missing value."""
    return isinstance(raw, str) and raw.strip().casefold() in PLACEHOLDERS


#: No placeholder is longer than this, so no longer text is one (case folding never shortens a text).
PLACEHOLDER_MAX = max(map(len, PLACEHOLDERS))


def is_plain_text(text: str) -> bool:
    """True for a text that is its own value under :func:`parse_text`, with no finding.

    Such a text has nothing to trim and is longer than any placeholder (so it is neither
    blank nor a placeholder).

    Args:
        text: a cell's text as typed.

    Returns:
        True when ``parse_text(text) == Parsed(text)``.
    """
    return len(text) > PLACEHOLDER_MAX and text.strip() == text


def parse_text(raw: Any) -> Parsed:
    """Trimmed text; numbers become their text (``12`` not ``12.0``); blanks and placeholders become None."""
    if raw is None:
        return Parsed(None)
    if isinstance(raw, str) and is_plain_text(raw):
        return Parsed(raw)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, datetime):
        raw = raw.date().isoformat()
    text = str(raw).strip()
    if not text:
        return Parsed(None)
    if is_placeholder(text):
        return Parsed(None, "placeholder-as-missing")
    return Parsed(text)


def _decimal_from_text(number: str) -> Decimal | None:
    """Read digits with French or English grouping into a Decimal, or None when ambiguous."""
    compact = _SPACES.sub("", number).replace("'", "")
    if re.fullmatch(r"\d+", compact):
        return Decimal(compact)
    if re.fullmatch(r"\d+,\d+", compact):  # French decimal comma: 12,5 / 13500000,00
        integer, fraction = compact.split(",")
        if len(fraction) == 3 and not _SPACES.search(number) and integer != "0":
            return None  # "1,500": thousands or decimal? refuse to guess
        return Decimal(compact.replace(",", "."))
    if re.fullmatch(r"\d+\.\d+", compact):  # decimal point: 12.5 / 13500000.00
        integer, fraction = compact.split(".")
        if len(fraction) == 3 and integer != "0":
            return None  # "1.500": thousands or decimal?
        return Decimal(compact)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", compact):  # 13.500.000,00
        return Decimal(compact.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", compact):  # 13,500,000.00
        return Decimal(compact.replace(",", ""))
    return None


#: The largest amount read, in EUR (10^12, five times the EU's yearly budget and 2 700 times
#: the largest EUTF decision): beyond it a cell is refused (``amount-too-large``), so that the
#: sum of the largest table read (2 000 000 rows) still fits in a 64-bit integer (``Int64``).
MAX_AMOUNT_EUR = 10**12


def within_limit(amount):
    """True where an amount's size is at most :data:`MAX_AMOUNT_EUR`.

    Args:
        amount: an ``int``, ``float`` or ``Decimal`` in EUR, or a numeric numpy array.

    Returns:
        A bool, or a bool array of the same shape.
    """
    return abs(amount) <= MAX_AMOUNT_EUR


def whole_euros(number):
    """True where a number cell is an amount read as itself: finite, whole and within the limit.

    Args:
        number: a ``float``, or a ``float64`` numpy array, in EUR.

    Returns:
        A bool (``numpy.bool_``), or a bool array of the same shape. The amount read is
        ``int(number)``, exactly (every float within the limit is an exact integer when whole).
    """
    return np.isfinite(number) & (number == np.trunc(number)) & within_limit(number)


def parse_amount(raw: Any) -> Parsed:
    """Parse an amount in euros into an exact ``int`` (see :func:`_parse_amount`).

    Any amount whose size is over :data:`MAX_AMOUNT_EUR` is refused: ``Parsed(None,
    "amount-too-large")``.
    """
    parsed = _parse_amount(raw)
    if parsed.value is not None and not within_limit(parsed.value):
        return Parsed(None, "amount-too-large")
    return parsed


def _parse_amount(raw: Any) -> Parsed:
    """Parse an amount in euros into an exact ``int``.

    Accepts numbers and French or English number text: ``13 500 000``,
    ``13 500 000,00 €`` (with non-breaking or narrow spaces), ``13,5 M€``, ``10 M€``,
    ``4 612 500 €``, ``13,500,000``. Arithmetic is decimal, never float.

    Returns:
        ``Parsed(int)``; with rule ``number-text-converted`` when the amount was text;
        ``Parsed(None, "amount-missing")`` for a blank cell;
        ``Parsed(None, "amount-not-a-number")`` for text that is not an amount
        (placeholders such as ``n/a`` included); ``amount-ambiguous`` for ``1,500``;
        ``amount-not-whole-euros`` for cents.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Parsed(None, "amount-missing")
    if isinstance(raw, (bool, datetime, date)):
        return Parsed(None, "amount-not-a-number")
    if isinstance(raw, int):
        return Parsed(raw)
    if isinstance(raw, float):
        if whole_euros(raw):
            return Parsed(int(raw))
        if raw != raw or raw in (float("inf"), float("-inf")):
            return Parsed(None, "amount-not-a-number")
        if not within_limit(raw):
            return Parsed(None, "amount-too-large")
        return Parsed(None, "amount-not-whole-euros")
    text = str(raw).strip()
    match = _AMOUNT.match(text)
    if not match:
        return Parsed(None, "amount-not-a-number")
    number = _decimal_from_text(match.group("number").strip())
    if number is None:
        return Parsed(None, "amount-ambiguous")
    unit = (match.group("unit") or "").casefold()
    if unit.startswith("million"):
        unit = "m"
    elif unit.startswith("milliard"):
        unit = "md"
    try:
        amount = number * _MULTIPLIERS.get(unit, Decimal(1))
    except InvalidOperation:
        return Parsed(None, "amount-not-a-number")
    if not within_limit(amount):
        return Parsed(None, "amount-too-large")
    if amount != amount.to_integral_value():
        return Parsed(None, "amount-not-whole-euros")
    value = int(amount) * (-1 if match.group("sign") == "-" else 1)
    return Parsed(value, "number-text-converted")


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def parse_date(raw: Any, epoch: datetime = datetime(1899, 12, 30)) -> Parsed:
    """Parse an approval date into a :class:`datetime.date`.

    Accepts date cells, ISO text (``2016-01-14``) and day-first text (``14/01/2016``,
    ``14.01.2016``); never infers month-first. A bare number is an Excel serial date,
    converted with the workbook's ``epoch`` and reported (``date-serial-number``).

    Returns:
        ``Parsed(date)``; ``Parsed(None)`` for a blank cell; ``Parsed(None,
        "date-not-a-date")`` for anything else (two-digit years, month names, invalid days).
    """
    if raw is None:
        return Parsed(None)
    if isinstance(raw, date):
        return Parsed(day_of(raw))
    if isinstance(raw, bool):
        return Parsed(None, "date-not-a-date")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not raw.is_integer():
            return Parsed(None, "date-not-a-date")
        serial = int(raw)
        if not 1 <= serial <= 2_958_465:  # Excel's date range
            return Parsed(None, "date-not-a-date")
        return Parsed((epoch + timedelta(days=serial)).date(), "date-serial-number")
    text = str(raw).strip()
    if not text:
        return Parsed(None)
    if is_placeholder(text):
        return Parsed(None, "placeholder-as-missing")
    try:
        if m := _ISO_DATE.match(text):
            return Parsed(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        if m := _DAY_FIRST.match(text):
            return Parsed(date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
    except ValueError:
        pass
    return Parsed(None, "date-not-a-date")


def day_of(cell: date) -> date:
    """The day of a date cell: a ``datetime`` loses its time of day (``parse_date`` reads date cells so).

    Args:
        cell: a ``date`` or ``datetime`` cell value.

    Returns:
        The ``date`` (the cell itself when it is a ``date``).
    """
    return cell.date() if isinstance(cell, datetime) else cell


def split_list(raw: Any, separators: str = ";") -> list[str]:
    """Split a ``;``-separated cell into trimmed tokens; numbers give one token (``2.0`` -> ``"2"``).

    ``separators`` lists every character that separates items (``";,"`` for the public files
    as published, whose lists are written ``Mali, Niger``).
    """
    if raw is None:
        return []
    if isinstance(raw, bool):
        return [str(raw)]
    if isinstance(raw, float) and raw.is_integer():
        return [str(int(raw))]
    if isinstance(raw, (int, float)):
        return [str(raw)]
    text = str(raw).strip()
    if not text or is_placeholder(text):
        return []
    for separator in separators[1:]:
        text = text.replace(separator, separators[0])
    return [t.strip() for t in text.split(separators[0]) if t.strip()]


def parse_round(raw: Any) -> Parsed:
    """Parse a High-Level Dialogue number (``1``, ``2.0``, ``"2"``, ``"2e"``, ``"2nd"``) into an int."""
    if raw is None:
        return Parsed(None)
    if isinstance(raw, bool):
        return Parsed(None, "round-invalid")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int):
        return Parsed(raw) if raw >= 1 else Parsed(None, "round-invalid")
    text = str(raw).strip()
    if not text or is_placeholder(text):
        return Parsed(None)
    m = re.fullmatch(r"(\d+)\s*(?:er|re|e|ème|eme|st|nd|rd|th)?", text, re.IGNORECASE)
    if m and int(m.group(1)) >= 1:
        return Parsed(int(m.group(1)))
    return Parsed(None, "round-invalid")
