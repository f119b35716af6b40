"""The dialogue rounds page: what had been approved by each Mali–EU High-Level Dialogue, and how it adds up."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analysis.aggregate import by_round
from analysis.filtering import round_buckets
from charts.figures import round_label, rounds_chart
from domain.filters import NO_ROUND, UNDATED
from domain.fmt import date_range, eur, long_date, meur
from domain.i18n import N_, _, ngettext
from etl.catalog import DEFAULT_DATASET, profile

#: References listed by name under the chart; beyond, a count.
DERIVED_LISTED = 50

#: The country of the High-Level Dialogues (Mali): the pipeline derives a round only for the projects of a
#: public export that cover it (:func:`etl.derive.with_rounds`, ``country``), and this page shows only those.
DIALOGUE_COUNTRY: str = profile(DEFAULT_DATASET).focus_country or "ML"

#: The places of the calendar (data/dialogue_calendar.csv), named in each language.
_PLACES = (N_("Valletta"), N_("Bamako"))


@dataclass(frozen=True)
class Rounds:
    """Everything the rounds page shows.

    Attributes:
        mali_only: True on a dataset of the whole portfolio: only its projects covering Mali are shown.
        no_dates: the whole version gives no approval date (none can be placed at a dialogue).
        covering: projects shown covering Mali (``mali_only``), out of ``total`` (the filtered projects).
        total: the filtered projects.
        after: projects shown approved after the last dialogue; ``undated``: those without a date.
        table: :func:`analysis.aggregate.by_round` of the projects shown, with a column ``label`` (the
            bar's name, text); amounts ``Int64`` EUR. Empty when no project is shown.
        figure: the dialogue chart, or None when no project is shown.
        summary: the chart's text summary.
        columns: the chart table's columns (internal name -> (label, kind)) for ``dashboard.widgets.chart``.
        derived: references whose round comes from the approval date (``round_basis == "derived"``).
        derived_text: the caption listing them (markdown-escaped by the page: see ``derived_listed``), or "".
        derived_listed: the first :data:`DERIVED_LISTED` of them, joined by ", " (plain text).
        derived_more: " and {n} more …" when there are more, else "".
        calendar: the calendar table as shown (text columns, labelled in ``lang``).
    """

    mali_only: bool
    no_dates: bool
    covering: int
    total: int
    after: int
    undated: int
    table: pd.DataFrame
    figure: go.Figure | None
    summary: str
    columns: dict
    derived: tuple[str, ...]
    derived_listed: str
    derived_more: str
    calendar: pd.DataFrame

    @property
    def labels(self) -> list[str]:
        """The bars' names, in the table's order."""
        return list(self.table["label"]) if len(self.table) else []

    def round_at(self, label: object) -> int | None:
        """The dialogue bucket (:func:`analysis.filtering.round_buckets`) of a bar's name, or None."""
        labels = self.labels
        return int(self.table["dialogue_round"].iloc[labels.index(label)]) if label in labels else None


def shown_projects(allocations: pd.DataFrame, mali_only: bool) -> pd.DataFrame:
    """The projects the page shows: all of them, or (``mali_only``) those covering :data:`DIALOGUE_COUNTRY`.

    The rounds themselves are the pipeline's (``dialogue_round``, ``round_basis``), never derived again here.
    """
    if not mali_only:
        return allocations
    return allocations[allocations["countries"].map(lambda cs: DIALOGUE_COUNTRY in cs).astype(bool)]


def calendar_table(calendar: pd.DataFrame, lang: str, filtered: bool) -> pd.DataFrame:
    """The calendar of the dialogues as shown: event, date, place, reported amount, note, source (text)."""
    return pd.DataFrame(
        {
            _("Event", lang): calendar["event"].map(
                {
                    "valletta_summit": _("Valletta Summit on migration", lang),
                    "hld_1": _("1st High-Level Dialogue", lang),
                    "commissioner_visit": _("Commissioner Mimica's visit", lang),
                    "hld_2": _("2nd High-Level Dialogue", lang),
                    "hld_3": _("3rd High-Level Dialogue (planned)", lang),
                }
            ),
            _("Date", lang): [
                _("not set", lang) if pd.isna(s) else long_date(s, lang) if pd.isna(e) else date_range(s, e, lang)
                for s, e in zip(calendar["date_start"], calendar["date_end"], strict=True)
            ],
            _("Place", lang): [_(place, lang) if pd.notna(place) else "" for place in calendar["place"]],
            (
                _("Reported then (2016 amounts, whole dataset, not filtered)", lang)
                if filtered
                else _("Reported then (2016 amounts)", lang)
            ): [
                (_("about ", lang) if approx else "") + eur(v, lang) if pd.notna(v) else ""
                for v, approx in zip(calendar["reported_amount_eur"], calendar["amount_approximate"], strict=True)
            ],
            _("Note", lang): calendar["date_note_fr" if lang == "fr" else "date_note"],
            _("Source", lang): calendar["source"],
        }
    )


def _summary(table: pd.DataFrame, lang: str) -> str:
    parts = [
        _(
            "{label}: {added} added ({projects}), {cumulative} cumulative ({cumulative_projects})",
            lang,
            label=label,
            added=meur(a, lang),
            projects=ngettext("{n} project", "{n} projects", int(n), lang),
            cumulative=meur(c, lang),
            cumulative_projects=ngettext("{n} project", "{n} projects", int(cn), lang),
        )
        if r > NO_ROUND
        else f"{label}: {meur(a, lang)} ({ngettext('{n} project', '{n} projects', int(n), lang)})"
        for label, r, a, n, c, cn in zip(
            table["label"],
            table["dialogue_round"],
            table["amount_eur"],
            table["n_projects"],
            table["cumulative_eur"],
            table["cumulative_n"],
            strict=True,
        )
    ]
    return ". ".join(parts) + "."


def _columns(lang: str) -> dict:
    return {
        "label": (_("High-Level Dialogue", lang), "text"),
        "date": (_("Date", lang), "date"),
        "national_eur": (_("National, added (EUR)", lang), "eur"),
        "regional_eur": (_("Regional, added (EUR)", lang), "eur"),
        "amount_eur": (_("Added (EUR)", lang), "eur"),
        "inferred_eur": (_("of which inferred (EUR)", lang), "eur"),
        "n_projects": (_("Projects added", lang), "int"),
        "cumulative_eur": (_("Cumulative (EUR)", lang), "eur"),
        "cumulative_n": (_("Cumulative projects", lang), "int"),
        "control_all_eur": (_("Reported at the dialogue: all (EUR)", lang), "eur"),
        "control_national_eur": (_("Reported at the dialogue: national (EUR)", lang), "eur"),
    }


def rounds(
    allocations: pd.DataFrame,
    communique: bool,
    no_dates: bool,
    lang: str,
    footer: str,
    show_reported: bool,
    filtered: bool,
    calendar: pd.DataFrame,
    control: pd.DataFrame,
) -> Rounds:
    """The rounds page's model.

    Args:
        allocations: the filtered decisions (:class:`validation.schemas.Allocation`; ``dialogue_round``
            ``Int64`` and ``round_basis`` as the pipeline derived them).
        communique: the dataset is the Mali communiqué's (its profile's ``communique``).
        no_dates: the whole version gives no approval date (:func:`no_approval_dates` of the unfiltered data).
        lang: ``en`` or ``fr``.
        footer: the chart's source lines (``dashboard.widgets.footer_text``).
        show_reported: draw the figures each dialogue reported (diamonds): without filters, communiqué only.
        filtered: a filter is on (the calendar's reported column says it is not filtered).
        calendar: :func:`etl.catalog.load_calendar`.
        control: :func:`etl.catalog.load_control_totals`.
    """
    mali_only = not communique  # the Mali–EU dialogue's rounds, for a dataset of the whole portfolio
    total = len(allocations)
    shown = allocations.iloc[0:0] if mali_only and no_dates else shown_projects(allocations, mali_only)
    buckets = round_buckets(shown)
    table = pd.DataFrame()
    figure = None
    summary = ""
    derived: tuple[str, ...] = ()
    if not shown.empty:
        table = by_round(shown, calendar, control)
        table = table.assign(label=[round_label(int(r), lang) for r in table["dialogue_round"]])
        title = _("Allocations added at each High-Level Dialogue, and cumulative (M€)", lang)
        figure = rounds_chart(table.drop(columns="label"), lang, footer, title, show_reported=show_reported)
        summary = _summary(table, lang)
        derived = tuple(allocations.loc[allocations["round_basis"] == "derived", "reference"].tolist())
    more = ""
    if len(derived) > DERIVED_LISTED:
        more = _(" and {n} more (the explorer lists them all)", lang, n=len(derived) - DERIVED_LISTED)
    return Rounds(
        mali_only=mali_only,
        no_dates=no_dates,
        covering=len(shown) if mali_only and not no_dates else total,
        total=total,
        after=int((buckets == NO_ROUND).sum()),
        undated=int((buckets == UNDATED).sum()),
        table=table,
        figure=figure,
        summary=summary,
        columns=_columns(lang),
        derived=derived,
        derived_listed=", ".join(derived[:DERIVED_LISTED]),
        derived_more=more,
        calendar=calendar_table(calendar, lang, filtered),
    )


def no_approval_dates(allocations: pd.DataFrame) -> bool:
    """True when no decision gives an approval date (then none can be placed at a dialogue)."""
    return bool(allocations["approval_date"].isna().all())
