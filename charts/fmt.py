"""Formatting at the edge: integer euros to text, per locale (Babel). Nothing else formats money."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

LOCALES = {"en": "en_GB", "fr": "fr_FR"}


def meur(amount: int | None, lang: str = "en") -> str:
    """Millions of euros with one decimal: ``145,1 M€`` (fr) / ``€145.1M`` (en); ``–`` when missing."""
    if amount is None or pd.isna(amount):
        return "–"
    # half up, as people round (101.85 -> 101.9), on the exact decimal value
    exact = (Decimal(int(amount)) / Decimal(1_000_000)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    millions = format_decimal(exact, format="#,##0.0", locale=LOCALES[lang])
    return f"{millions}\u00a0M€" if lang == "fr" else f"€{millions}M"


def eur(amount: int | None, lang: str = "en") -> str:
    """Exact euros: ``13 500 000 €`` (fr, narrow no-break spaces) / ``€13,500,000`` (en)."""
    if amount is None or pd.isna(amount):
        return "–"
    pattern = "#,##0\u00a0¤" if lang == "fr" else "¤#,##0"
    return format_currency(int(amount), "EUR", format=pattern, locale=LOCALES[lang], currency_digits=False)


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


def plotly_separators(lang: str = "en") -> str:
    """Plotly ``layout.separators`` (decimal then thousands) for the locale."""
    return ", " if lang == "fr" else ".,"
