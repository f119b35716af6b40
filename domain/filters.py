"""The shared filters of every view (dashboard, CLI, links): what a user chose, as data, and their one codec.

:mod:`analysis.filtering` applies them. :data:`PARAMS` is the single table of filter parameters
(``?country=ML&min_eur=1000000``, the same keys as the CLI's ``--filter KEY=VALUE``):
:meth:`Filters.to_params` writes them as codes and :meth:`Filters.from_params` reads them back,
refusing what is not a value of its kind with a :class:`ParamProblem` (data, said in either
language by the caller). Whether a code matches anything in a dataset is the caller's check.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Literal

from domain import refdata
from domain.fmt import eur, long_date
from domain.i18n import N_, _

#: Dialogue-round filter value for allocations after the last dated dialogue (dated, no round).
NO_ROUND = 0
#: Dialogue-round filter value for allocations with neither a round nor an approval date: no place in time.
UNDATED = -1


@dataclass(frozen=True)
class Filters:
    """The shared filters; an empty tuple means "all".

    Attributes:
        windows: EUTF window codes (SAH, HOA, NOA, REG).
        scopes: ``national`` / ``regional``.
        countries: ISO 3166-1 alpha-2 codes.
        objectives: EUTF strategic objective numbers (1-4; 0 = not given).
        domains: Valletta Action Plan domain numbers (1-5; 0 = not reported).
        rounds: High-Level Dialogue numbers (0 = dated after the last dialogue, -1 = no date: see
            :func:`analysis.filtering.round_buckets`).
        partners: implementing partner names, as in the data.
        themes: theme labels, as in the data.
        sectors: OECD DAC 5-digit purpose codes (``15190``): a decision matches when its IATI file lists
            the code (:attr:`domain.dataset.Dataset.sectors`).
        text: case- and accent-insensitive search in reference, title, theme, partner, source.
        approved_from, approved_to: approval-date range (inclusive); None = open.
        include_undated: with a date range, keep projects whose approval date is unknown.
        amount_min, amount_max: allocation range in EUR (inclusive); None = open.
    """

    windows: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    objectives: tuple[int, ...] = ()
    domains: tuple[int, ...] = ()
    rounds: tuple[int, ...] = ()
    partners: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    text: str = ""
    approved_from: date | None = None
    approved_to: date | None = None
    include_undated: bool = True
    amount_min: int | None = None
    amount_max: int | None = None

    @property
    def active(self) -> bool:
        """True when any filter is set."""
        return any(getattr(self, f.name) not in (None, (), "") for f in fields(self) if f.name != "include_undated")

    def to_params(self) -> dict[str, list[str]]:
        """The filters as parameter codes, only those that are set (``{"country": ["ML"], "min_eur": ["1000000"]}``)."""
        params: dict[str, list[str]] = {}
        for param in PARAMS:
            value = getattr(self, param.field)
            if param.many:
                if value:
                    params[param.key] = [str(v) for v in value]
            elif param.kind == "flag":
                if value is False:
                    params[param.key] = ["0"]
            elif param.kind == "date":
                if value is not None:
                    params[param.key] = [value.isoformat()]
            elif param.kind == "eur":
                if value is not None:
                    params[param.key] = [str(int(value))]
            elif value:
                params[param.key] = [str(value)]
        return params

    @classmethod
    def from_params(cls, params: Mapping[str, Sequence[str]]) -> tuple[Filters, list[ParamProblem]]:
        """The filters a link's (or the CLI's) parameters hold, and each value not applied and why.

        Keys that are not filters (``lang``, ``ref``...) are ignored. A repeated key adds values to a
        list filter (duplicates once); the other keys take their last value. Refused: a number that
        is not a whole number, a date that is not one or is before the EUTF was set up, an amount
        that is not a whole number of euros or is above :data:`MAX_EUR`, an ``undated`` that is
        neither 0 nor 1, and a range whose start is past its end (both ends).
        """
        values: dict[str, object] = {}
        raw: dict[str, str] = {}
        problems: list[ParamProblem] = []
        for param in PARAMS:
            given = params.get(param.key)
            if given is None:
                continue
            given = [given] if isinstance(given, str) else list(given)
            if not given:
                continue
            read: list[object] = []
            for text in given if param.many else given[-1:]:
                value, problem = _read(param, text)
                if problem is not None:
                    problems.append(problem)
                elif value not in read:
                    read.append(value)
            if param.many:
                values[param.field] = tuple(read)
            elif read:
                values[param.field] = read[0]
                raw[param.key] = given[-1]
        for first, last, message in RANGE_PAIRS:
            low, high = _BY_KEY[first].field, _BY_KEY[last].field
            if low in values and high in values and values[low] > values[high]:
                context = (("first_key", first), ("a", raw[first]), ("last_key", last), ("b", raw[last]))
                problems.append(ParamProblem(first, raw[first], message, context))
                del values[low], values[high]
        return cls(**values), problems


#: The largest amount a filter may hold (EUR): above the whole EUTF, a typo (30 nines) rather than a filter.
MAX_EUR = 10**12

#: How a parameter's values are read: codes (text), whole numbers (may be negative: round -1), search text,
#: an ISO date, a 0/1 flag, a whole number of euros.
Kind = Literal["codes", "numbers", "text", "date", "flag", "eur"]


@dataclass(frozen=True)
class Param:
    """One filter in a link or on the command line: its key, its :class:`Filters` field, its kind."""

    key: str
    field: str
    kind: Kind

    @property
    def many(self) -> bool:
        """True when the key may be repeated (``?country=ML&country=NE``)."""
        return self.kind in ("codes", "numbers")


#: The one table of filter parameters: URL keys (the CLI's ``--filter KEY=VALUE`` too) <-> Filters fields.
PARAMS: tuple[Param, ...] = (
    Param("window", "windows", "codes"),
    Param("scope", "scopes", "codes"),
    Param("country", "countries", "codes"),
    Param("objective", "objectives", "numbers"),
    Param("domain", "domains", "numbers"),
    Param("round", "rounds", "numbers"),
    Param("theme", "themes", "codes"),
    Param("partner", "partners", "codes"),
    Param("sector", "sectors", "codes"),
    Param("q", "text", "text"),
    Param("approved_from", "approved_from", "date"),
    Param("approved_to", "approved_to", "date"),
    Param("undated", "include_undated", "flag"),
    Param("min_eur", "amount_min", "eur"),
    Param("max_eur", "amount_max", "eur"),
)
#: Every filter parameter's key, in :data:`PARAMS`' order.
KEYS: tuple[str, ...] = tuple(p.key for p in PARAMS)
_BY_KEY = {p.key: p for p in PARAMS}
#: The range pairs (first key, last key, the message when the first is past the last: both ends are dropped).
RANGE_PAIRS = (
    ("approved_from", "approved_to", N_("{first}: '{a}' is after {last}: '{b}'; the date range is not applied")),
    ("min_eur", "max_eur", N_("{first}: '{a}' is above {last}: '{b}'; the amount range is not applied")),
)
_TRUE, _FALSE = ("1", "true", "yes"), ("0", "false", "no")


@dataclass(frozen=True)
class ParamProblem:
    """A parameter value not applied, and why, as data: the caller says it in its language.

    Attributes:
        key: the parameter (``min_eur``).
        value: the value as given.
        message: the English template (marked with ``N_``; ``{label}`` and ``{value}`` are the key's
            label and the value, the other fields are in ``params``).
        params: the template's other values; a date or an amount is formatted when said, and a
            ``*_key`` value (another parameter) is said as that parameter's label.
    """

    key: str
    value: str
    message: str
    params: tuple[tuple[str, object], ...] = ()

    def in_words(self, lang: str = "en", label: Callable[[str], str] | None = None) -> str:
        """The problem in ``lang``; ``label(key)`` names a parameter (default: its key, as the CLI spells it)."""
        name = label or (lambda key: key)
        values: dict[str, object] = {"label": name(self.key), "value": self.value}
        for field_name, value in self.params:
            if field_name.endswith("_key"):
                values[field_name.removesuffix("_key")] = name(str(value))
            elif isinstance(value, date):
                values[field_name] = long_date(value, lang)
            elif isinstance(value, int):
                values[field_name] = eur(value, lang)
            else:
                values[field_name] = value
        return _(self.message, lang, **values)


def _number(raw: str) -> int | None:
    text = raw.strip()
    digits = text.removeprefix("-")
    return int(text) if digits.isascii() and digits.isdigit() else None


def _read(param: Param, raw: str) -> tuple[object, ParamProblem | None]:
    """One value of ``param``: (the value, None) or (None, why not)."""
    if param.kind == "codes":
        return raw.strip(), None
    if param.kind == "text":
        return raw, None
    if param.kind == "numbers":
        number = _number(raw)
        if number is None:
            return None, ParamProblem(param.key, raw, N_("{label}: '{value}' is not a whole number"))
        return number, None
    if param.kind == "flag":
        if raw.strip().lower() in _TRUE + _FALSE:
            return raw.strip().lower() in _TRUE, None
        return None, ParamProblem(param.key, raw, N_("'undated={value}' is neither 0 nor 1"))
    if param.kind == "date":
        try:
            day = date.fromisoformat(raw.strip())
        except ValueError:
            return None, ParamProblem(param.key, raw, N_("{label}: '{value}' is not a date (YYYY-MM-DD)"))
        if day < refdata.EUTF_LAUNCH:
            message = N_("{label}: '{value}' is before the EUTF was set up ({launch})")
            return None, ParamProblem(param.key, raw, message, (("launch", refdata.EUTF_LAUNCH),))
        return day, None
    digits = raw.replace(" ", "").replace("_", "")
    if not (digits.isascii() and digits.isdigit()):
        return None, ParamProblem(param.key, raw, N_("{label}: '{value}' is not a whole number of euros"))
    if int(digits) > MAX_EUR:
        message = N_("{label}: '{value}' is above {maximum}, more than the whole EUTF")
        return None, ParamProblem(param.key, raw, message, (("maximum", MAX_EUR),))
    return int(digits), None


#: How the Regions page shows a multi-country project by country, as a link's ``?split=`` code (the same in
#: both languages): ``together`` in a bucket of its own (the default), or ``equal`` split among its countries.
TOGETHER, EQUAL_SPLIT = "together", "equal"
