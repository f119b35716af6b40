"""The filters the sidebar offers: each one's URL key, label, options in a dataset and option text.

One definition read by the sidebar (:mod:`dashboard.sidebar`), the URL (:mod:`dashboard.url`), the
options cache (:func:`dashboard.cache.options_of`) and the words of the filtered line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analysis.filtering import partners_of, round_buckets
from analysis.sectors import listed_codes
from charts.figures import round_label
from domain import refdata
from domain.dataset import Dataset
from domain.filters import NO_ROUND, PARAMS, UNDATED, Filters
from domain.i18n import N_, _
from etl.codelists import sector_name


@dataclass(frozen=True)
class Choice:
    """A multiselect filter: URL key, label and help (English, translated when drawn), options, the option's text."""

    key: str
    label: str
    options: Callable[[Dataset], list]
    text: Callable[[object, str], str]
    help: str | None = None
    numeric: bool = False
    #: The option that only says "not given" (0 for objectives and domains): a filter offering nothing else is hidden.
    blank: object = None

    def parse(self, raw: str, options: list):
        """The option of ``options`` a URL value names (a code), or None when it names none."""
        if self.numeric:
            number = raw.strip().removeprefix("-")
            return int(raw) if number.isdigit() and int(raw) in options else None
        by_fold = {str(o).casefold(): o for o in options}
        return by_fold.get(raw.strip().casefold())


def _rounds(dataset: Dataset) -> list[int]:
    buckets = set(round_buckets(dataset.allocations))
    return sorted(b for b in buckets if b > NO_ROUND) + [b for b in (NO_ROUND, UNDATED) if b in buckets]


CHOICES: tuple[Choice, ...] = (
    Choice(
        "window",
        N_("EUTF window"),
        lambda d: sorted(set(d.allocations["window"])),
        lambda c, lang: f"{c} – {refdata.WINDOWS[c][lang]}",
    ),
    Choice("scope", N_("Scope"), lambda d: ["national", "regional"], lambda s, lang: refdata.SCOPES[s][lang]),
    Choice(
        "country",
        N_("Country"),
        lambda d: sorted({c for cs in d.allocations["countries"] for c in cs}),
        lambda c, lang: f"{c} – {refdata.country_name(c, lang)}",
        N_(
            "A project matches when it covers the country: a national project there, "
            "or a regional initiative that includes it."
        ),
    ),
    Choice(
        "objective",
        N_("Strategic objective"),
        lambda d: [*refdata.OBJECTIVES, *([0] if (d.objectives["objective"] == 0).any() else [])],
        lambda n, lang: f"{n} – {refdata.OBJECTIVES[n][lang]}" if n else _("not given", lang),
        numeric=True,
        blank=0,
    ),
    Choice(
        "domain",
        N_("Valletta domain"),
        # the domains the dataset reports, then "not reported": none is offered that matches nothing
        lambda d: sorted(set(d.domains["domain"]) - {0}) + ([0] if (d.domains["domain"] == 0).any() else []),
        lambda n, lang: f"{n} – {refdata.VALLETTA_DOMAINS[n][lang]}" if n else _("not reported", lang),
        numeric=True,
        blank=0,
    ),
    Choice("round", N_("High-Level Dialogue"), _rounds, lambda r, lang: round_label(r, lang), numeric=True),
    Choice("theme", N_("Theme"), lambda d: sorted(set(d.allocations["theme"].dropna())), lambda t, lang: str(t)),
    Choice(
        "partner",
        N_("Implementing partner"),
        lambda d: sorted({p for cell in d.allocations["implementing_partner"] for p in partners_of(cell)}),
        lambda p, lang: str(p),
    ),
    # offered only when the version's IATI file gives sectors: no option (every workbook) hides it
    Choice(
        "sector",
        N_("DAC sector"),
        lambda d: listed_codes(d.allocations, d.sectors),
        lambda c, lang: sector_name(str(c), lang),
        N_(
            "OECD DAC 5-digit purpose code, as the IATI file gives it: a project matches when it lists the sector, "
            "whatever its share."
        ),
    ),
)
#: The range filters (also URL parameters), with their widget labels (English, translated when shown).
RANGES = {
    "approved_from": N_("Approved from"),
    "approved_to": N_("Approved until"),
    "min_eur": N_("Amount from (EUR)"),
    "max_eur": N_("Amount up to (EUR)"),
}
#: Every filter widget's key (also its URL parameter, from :data:`domain.filters.PARAMS`) -> its empty value.
KEYS: dict[str, object] = {p.key: [] if p.many else getattr(Filters(), p.field) for p in PARAMS}
