"""The shared filters of every view (dashboard, CLI, links): what a user chose, as data.

:mod:`analysis.filtering` applies them; :mod:`dashboard.url` writes them in a link.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

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
