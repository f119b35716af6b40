"""Formatting at the edge: integer euros to text, per locale (Babel). Nothing else formats money."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import pandas as pd
from babel.dates import format_date
from babel.numbers import (
    format_currency,
    format_decimal,
    get_currency_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
)

LOCALES = {"en": "en_GB", "fr": "fr_FR"}


#: From this amount (EUR) on, :func:`meur` writes billions: ``5,26 Md€`` reads better than ``5 256,1 M€``.
BILLION = 1_000_000_000


def meur(amount: int | None, lang: str = "en") -> str:
    """A short amount for headlines and summaries; ``–`` when missing.

    Millions with one decimal, ``145,1 M€`` (fr) / ``€145.1M`` (en); from one billion on,
    billions with two decimals, ``5,26 Md€`` / ``€5.26bn``. Rounded half up on the exact
    value. Axes in M€ use :func:`millions`; exact euros are :func:`eur`.
    """
    if amount is None or pd.isna(amount):
        return "–"
    if abs(int(amount)) >= BILLION - 50_000:  # what would read "1,000.0M" reads "1.00bn"
        exact = (Decimal(int(amount)) / Decimal(BILLION)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        billions = format_decimal(exact, format="#,##0.00", locale=LOCALES[lang])
        return f"{billions}\u00a0Md€" if lang == "fr" else f"€{billions}bn"
    return millions(amount, lang)


def millions(amount: int | None, lang: str = "en") -> str:
    """Millions of euros with one decimal, whatever the size (axes in M€): ``5 256,1 M€`` / ``€5,256.1M``."""
    if amount is None or pd.isna(amount):
        return "–"
    # half up, as people round (101.85 -> 101.9), on the exact decimal value
    exact = (Decimal(int(amount)) / Decimal(1_000_000)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = format_decimal(exact, format="#,##0.0", locale=LOCALES[lang])
    return f"{text}\u00a0M€" if lang == "fr" else f"€{text}M"


def _eur_babel(amount: int, lang: str) -> str:
    pattern = "#,##0\u00a0¤" if lang == "fr" else "¤#,##0"
    return format_currency(amount, "EUR", format=pattern, locale=LOCALES[lang], currency_digits=False)


@cache
def _eur_parts(lang: str) -> tuple[str, str, str]:
    """The locale's group separator, minus sign and symbol, as Babel gives them."""
    locale = LOCALES[lang]
    return get_group_symbol(locale), get_minus_sign_symbol(locale), get_currency_symbol("EUR", locale)


def eur(amount: int | None, lang: str = "en") -> str:
    """Exact euros: ``13 500 000 €`` (fr, narrow no-break spaces) / ``€13,500,000`` (en).

    The same text as Babel's ``format_currency`` with the patterns ``#,##0 ¤`` / ``¤#,##0``
    (tests/test_charts.py checks it), built from Babel's symbols 30 times faster: tables
    format thousands of amounts.
    """
    if amount is None or pd.isna(amount):
        return "–"
    group, minus, symbol = _eur_parts(lang)
    value = int(amount)
    digits = f"{abs(value):,}".replace(",", group)
    sign = minus if value < 0 else ""
    return f"{sign}{digits}\u00a0{symbol}" if lang == "fr" else f"{sign}{symbol}{digits}"


def plain_eur(amount: int, lang: str = "en") -> str:
    """Exact euros in plain text, for messages and the command line.

    ``55 000 000 EUR`` in English (spaces, unambiguous in any locale), ``55 000 000 €`` in
    French (as :func:`eur`).
    """
    return eur(amount, "fr") if lang == "fr" else f"{int(amount):,} EUR".replace(",", " ")


def count(n: int, lang: str = "en") -> str:
    """A whole number in running text, grouped for the locale: ``12,345`` (en) / ``12 345`` (fr, narrow no-break space).

    Row counts, page numbers and the like; amounts of money are :func:`eur` or :func:`meur`.
    """
    digits = f"{int(n):,}"
    return digits if lang == "en" else digits.replace(",", "\u202f")


def short_datetime(value: datetime | pd.Timestamp, lang: str = "en") -> str:
    """A day and a time (24 h, as stored, UTC): ``5 Dec 2026 14:03`` / ``5 déc. 2026 14:03``."""
    return f"{short_date(value, lang)} {value:%H:%M}"


def pct(part: int, whole: int, lang: str = "en") -> str:
    """A share with one decimal: ``13,8 %`` / ``13.8%``; ``–`` when the whole is 0."""
    if not whole:
        return "–"
    text = format_decimal(100 * int(part) / int(whole), format="#,##0.0", locale=LOCALES[lang])
    return f"{text}\u00a0%" if lang == "fr" else f"{text}%"


def long_date(value: date | pd.Timestamp | None, lang: str = "en") -> str:
    """``11 décembre 2016`` / ``11 December 2016``; ``unknown``/``inconnue`` when missing."""
    if value is None or pd.isna(value):
        return "inconnue" if lang == "fr" else "unknown"
    if isinstance(value, pd.Timestamp):
        value = value.date()
    return format_date(value, "d MMMM y", locale=LOCALES[lang])


def short_date(value: date | pd.Timestamp | None, lang: str = "en") -> str:
    """A day that cannot be misread in either language: ``5 Dec 2026`` / ``5 déc. 2026``; ``–`` when missing.

    Never ``05/12/2026``, which an English reader takes for 12 May.
    """
    if value is None or pd.isna(value):
        return "–"
    if isinstance(value, datetime):  # pd.Timestamp too
        value = value.date()
    return format_date(value, "d MMM y", locale=LOCALES[lang])


def date_range(start: date | pd.Timestamp, end: date | pd.Timestamp, lang: str = "en") -> str:
    """Two days as one period: ``11–12 novembre 2015`` (same month), else ``29 septembre 2016 – 2 octobre 2016``."""
    first, last = (d.date() if isinstance(d, pd.Timestamp) else d for d in (start, end))
    if first == last:
        return long_date(first, lang)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{long_date(last, lang)}"
    return f"{long_date(first, lang)} – {long_date(last, lang)}"


_FRENCH_PUNCTUATION = re.compile(r"(?<=[^\s\u00a0\u202f])([;:!?])(?=\s|$)")


def punctuate(text: str, lang: str = "en") -> str:
    """French typography for text composed from pieces (chart summaries).

    A narrow no-break space before ``; ! ?`` and a no-break space before ``:``
    (``Projets nationaux (Mali) : 91,5 M€ ;``); English text is returned as is. Only
    punctuation followed by a space or the end is touched, so times (``07:44``) and links
    stay as they are.
    """
    if lang != "fr":
        return text
    return _FRENCH_PUNCTUATION.sub(lambda m: ("\u00a0" if m.group(1) == ":" else "\u202f") + m.group(1), text)


def plotly_separators(lang: str = "en") -> str:
    """Plotly ``layout.separators`` (decimal then thousands) for the locale."""
    return ", " if lang == "fr" else ".,"


def quantity(value: Decimal | None, lang: str = "en") -> str:
    """An indicator value as reported, grouped for the locale: ``66 328`` (fr) / ``66,328`` (en); ``–`` when missing.

    Decimals are kept as the source wrote them, without trailing zeros (``3794.00`` -> ``3,794``;
    ``1116.36`` -> ``1,116.36``); never rounded.
    """
    if value is None or (not isinstance(value, Decimal) and pd.isna(value)):
        return "–"
    exact = Decimal(value)
    digits = max(0, -exact.normalize().as_tuple().exponent) if exact != exact.to_integral_value() else 0
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(exact, format=pattern, locale=LOCALES[lang], decimal_quantization=False)
