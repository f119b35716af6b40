"""The shared sidebar: language, data version and the filters every page applies, kept in the URL.

Widgets are created once per run in app.py, with stable keys that are also the URL's
query-parameter names. Filters travel in the URL as codes, whatever the interface
language (``?scope=national&country=ML&objective=3``), so a link made in French opens
the same view in English: the URL is read once when a session starts (values it does
not understand are reported, not silently dropped) and rewritten after every run.
Pages read the current filters with :func:`current`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import streamlit as st

from analysis.filtering import partners_of, round_buckets
from charts.figures import round_label
from dashboard.ui import md_escape
from domain import refdata
from domain.dataset import DEFAULT_DATASET, Dataset
from domain.filters import NO_ROUND, UNDATED, Filters
from domain.fmt import eur, long_date, punctuate, short_date
from domain.i18n import N_, _, ngettext
from etl import catalog
from store.db import database_url
from store.versions import publisher

if TYPE_CHECKING:
    from dashboard.data import Published

LANGS = ("en", "fr")
#: The version picker's value for "always the latest version".
LATEST = 0


def language() -> str:
    """The interface language (``en`` or ``fr``): the ``lang`` widget's value.

    Before the widget is drawn (app.py's page titles), the URL's ``?lang=`` or else the browser's.
    """
    lang = st.session_state.get("lang") or st.query_params.get("lang")
    return lang if lang in LANGS else LANGS[_default_language()]


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
)
#: Every filter widget's key (also its URL parameter) -> its empty value.
KEYS: dict[str, object] = {c.key: [] for c in CHOICES} | {
    "q": "",
    "approved_from": None,
    "approved_to": None,
    "undated": True,
    "min_eur": None,
    "max_eur": None,
}


def _default_language() -> int:
    locale = (st.context.locale or "en").lower()
    return 1 if locale.startswith("fr") else 0


def _keep(widget: str, key: str) -> None:
    """Copy a filter widget's value into the language-free filter value."""
    st.session_state[key] = list(st.session_state[widget])


def _reset() -> None:
    for key, empty in KEYS.items():
        st.session_state[key] = list(empty) if isinstance(empty, list) else empty


def _new_dataset() -> None:
    """A dataset switch starts from that dataset's latest version (numbers are per dataset), unfiltered.

    The filters are cleared: datasets have different countries, themes and partners, and a
    filter the new dataset cannot show would otherwise stay on unseen.
    """
    st.session_state["dataset"] = catalog.dataset_slug(st.session_state["_w_dataset"])
    st.session_state["version"] = LATEST
    had_filters = current().active
    _reset()
    if had_filters:
        st.session_state["_dataset_note"] = _(
            "The filters were cleared: each dataset has its own countries, themes and partners.", language()
        )


def dataset_picker(names: list[str]) -> str | None:
    """Sidebar choice of the dataset, kept in the URL as ``?dataset=<slug>`` (:func:`etl.catalog.dataset_slug`).

    Datasets are kept apart: the Mali communiqué's (the default), the public EUTF exports,
    and any an analyst publishes. Amounts of different datasets are never added together.
    The URL is read once per session; an unknown slug falls back to the default dataset.

    Returns:
        What to tell the user: a link's unknown dataset, or filters cleared by a switch; else None.
    """
    state = st.session_state
    slugs = {catalog.dataset_slug(n): n for n in names}
    note = state.pop("_dataset_note", None)
    if "dataset" not in state:
        state["dataset"] = st.query_params.get("dataset", "")
        if state["dataset"] and state["dataset"] not in slugs:
            note = _(
                "This link names a dataset that does not exist ('{slug}'): showing the default one.",
                language(),
                slug=state["dataset"],
            )
    if state["dataset"] not in slugs:
        state["dataset"] = next(iter(slugs), "")
    lang = language()
    if len(slugs) > 1:
        state["_w_dataset"] = slugs[state["dataset"]]
        with st.sidebar:
            st.selectbox(
                _("Dataset", lang),
                list(slugs.values()),
                key="_w_dataset",
                format_func=lambda name: catalog.dataset_title(name, lang),
                on_change=_new_dataset,
                help=_(
                    "Each dataset has its own sources, date and versions. The 2022 portfolio's amounts include "
                    "later top-ups: they are not the 2016 approval amounts.",
                    lang,
                ),
            )
            title = catalog.dataset_title(state["_w_dataset"], lang)
            if len(title) > 26:  # the box cuts longer names at the sidebar's width: the whole name below it
                st.caption(md_escape(title))
    default = catalog.dataset_slug(DEFAULT_DATASET)
    if state["dataset"] and state["dataset"] != default:
        if st.query_params.get("dataset") != state["dataset"]:
            st.query_params["dataset"] = state["dataset"]
    elif "dataset" in st.query_params:
        del st.query_params["dataset"]
    return note


def version_picker(versions: list) -> None:
    """Sidebar choice of the data version, bound to ``?version=v3``.

    By default the latest, which follows new publishes.
    """
    if not versions:
        return
    numbers = [v.number for v in versions]
    by_number = {v.number: v for v in versions}
    asked = st.query_params.get("version")
    if asked and asked not in {"latest", *(f"v{n}" for n in numbers)} and not st.session_state.get("_version_read"):
        st.session_state["_version_note"] = _(
            "This link asks for version '{asked}', which this dataset does not have: showing the latest.",
            language(),
            asked=asked,
        )
    st.session_state["_version_read"] = True
    lang = language()
    with st.sidebar:
        chosen = st.selectbox(
            _("Data version", lang),
            [LATEST, *numbers],
            index=0,
            key="version",
            bind="query-params",
            format_func=lambda n: _("latest", lang) if n == LATEST else f"v{n}",
            help=_("Every published version is kept. Pick an older one to see the figures as they were.", lang),
        )
        info = by_number.get(chosen) or versions[0]
        which = _("the latest", lang) if info.number == numbers[0] else _("an older version", lang)
        when = f"{short_date(info.published_at, lang)} {info.published_at:%H:%M} UTC"
        st.caption(
            _(
                "v{n}, {which}, published {when} by {who}",
                lang,
                n=info.number,
                which=which,
                when=when,
                who=md_escape(publisher(info.published_by, lang)),
            )
        )


def chosen_version() -> int | None:
    """The version picked in the sidebar, or None for the latest."""
    return st.session_state.get("version") or None


@st.cache_resource(max_entries=32, show_spinner=False)
def _options(url: str, dataset: str, number: int, _data: Dataset) -> dict[str, list]:
    return {choice.key: choice.options(_data) for choice in CHOICES}


def options_of(pub: Published) -> dict[str, list]:
    """Each filter's options (URL key -> codes), from the whole (unfiltered) version.

    From the whole version so that a shared URL stays valid; computed once per (database,
    dataset, version), so that every implementing partner of a 1 000 000-row version is not
    collected again on each rerun. Never mutate them.
    """
    return _options(database_url(), pub.name, pub.info.number, pub.dataset)


def sidebar(pub: Published, *, with_filters: bool = True) -> None:
    """Render the language switch and, on pages that use them, the shared filters (:func:`options_of`)."""
    if st.session_state.get("lang") not in LANGS:  # the link's language, else the browser's
        st.session_state["lang"] = language()
    with st.sidebar:
        # kept in the URL by write_url, always, so that a shared link opens in the language it was made in
        st.radio("Language / Langue", LANGS, key="lang", horizontal=True)
        lang = language()
        if not with_filters:
            if current().active:
                st.caption(_("The filters set on other pages do not apply here.", lang))
            return
        st.subheader(_("Filters", lang))
        every_option = options_of(pub)
        for choice in CHOICES:
            # The widget's labels depend on the language, and Streamlit keeps a multiselect's
            # value as label strings: one widget per language, fed from the language-free value.
            options = every_option[choice.key]
            if all(o == choice.blank for o in options) and not st.session_state.get(choice.key):
                continue  # e.g. no Valletta domain nor theme in the public exports: a filter with nothing to choose
            widget = f"_w_{choice.key}_{lang}"
            st.session_state[widget] = [v for v in st.session_state.get(choice.key, []) if v in options]
            st.multiselect(
                _(choice.label, lang),
                options,
                key=widget,
                on_change=_keep,
                args=(widget, choice.key),
                format_func=lambda v, c=choice: c.text(v, lang),
                help=_(choice.help, lang) if choice.help else None,
                placeholder=_("Choose options", lang),
                select_all=False,  # Enter picks the first match: "Mali" is Mali, not Mali and Somalia
            )
        st.text_input(
            _("Search", lang), key="q", persist_state="session", placeholder=_("reference, title, partner…", lang)
        )
        state = st.session_state
        hidden_set = sum(state.get(key) is not None for key in RANGES) + (state.get("undated") is False)
        if hidden_set:  # a filter that is on is never hidden in a closed expander
            state["more_filters"] = True
        with st.expander(
            _("Approval date and amount", lang)
            + (" · " + ngettext("{n} set", "{n} set", hidden_set, lang) if hidden_set else ""),
            key="more_filters",
            on_change="rerun",
        ):
            st.date_input(
                _("Approved from", lang),
                value=None,
                min_value=refdata.EUTF_LAUNCH,
                key="approved_from",
                persist_state="session",
                format="DD/MM/YYYY",
            )
            st.date_input(
                _("Approved until", lang), value=None, key="approved_to", persist_state="session", format="DD/MM/YYYY"
            )
            st.checkbox(
                _("Keep projects whose approval date is unknown", lang),
                value=True,
                key="undated",
                persist_state="session",
                help=_("Most 2016 approval dates are not in the sources: they are unknown, never invented.", lang),
            )
            st.number_input(
                _("Amount from (EUR)", lang),
                min_value=0,
                value=None,
                step=1_000_000,
                key="min_eur",
                persist_state="session",
            )
            st.number_input(
                _("Amount up to (EUR)", lang),
                min_value=0,
                value=None,
                step=1_000_000,
                key="max_eur",
                persist_state="session",
            )
            for first, last in (("approved_from", "approved_to"), ("min_eur", "max_eur")):
                low, high = state.get(first), state.get(last)
                if low is not None and high is not None and low > high:
                    st.warning(
                        _(
                            "'{first}' is after '{last}': nothing can match, so this range is not applied.",
                            lang,
                            first=_(RANGES[first], lang),
                            last=_(RANGES[last], lang),
                        ),
                        icon=":material/warning:",
                    )  # and current() leaves the range out
        st.button(_("Reset filters", lang), on_click=_reset, key="reset_filters", icon=":material/restart_alt:")
        st.segmented_control(
            _("Chart downloads (camera button above each chart)", lang),
            ["png", "svg"],
            default="png",
            format_func=str.upper,
            key="img_format",
            persist_state="session",
            help=_("PNG for slides and documents; SVG for print and editing.", lang),
        )


def current() -> Filters:
    """The filters set in the sidebar (empty = all)."""
    state = st.session_state

    def as_int(value) -> int | None:
        return None if value is None else int(value)

    low, high = state.get("min_eur"), state.get("max_eur")
    if low is not None and high is not None and low > high:  # said in the sidebar; nothing would match
        low = high = None
    start, end = state.get("approved_from"), state.get("approved_to")
    if start and end and start > end:
        start = end = None
    return Filters(
        windows=tuple(state.get("window", [])),
        scopes=tuple(state.get("scope", [])),
        countries=tuple(state.get("country", [])),
        objectives=tuple(state.get("objective", [])),
        domains=tuple(state.get("domain", [])),
        rounds=tuple(state.get("round", [])),
        partners=tuple(state.get("partner", [])),
        themes=tuple(state.get("theme", [])),
        text=state.get("q", "") or "",
        approved_from=start,
        approved_to=end,
        include_undated=bool(state.get("undated", True)),
        amount_min=as_int(low),
        amount_max=as_int(high),
    )


#: Each multiselect filter's field of :class:`domain.filters.Filters`, in the sidebar's order.
FIELDS = {
    "window": "windows",
    "scope": "scopes",
    "country": "countries",
    "objective": "objectives",
    "domain": "domains",
    "round": "rounds",
    "theme": "themes",
    "partner": "partners",
}


def described(filters: Filters, lang: str) -> list[str]:
    """The active filters in words, one line per filter, as the sidebar names them.

    The one place that says which filters are on: the filtered line of every chart page, the
    chart footers and the Excel export's *About* sheet use it.

    Returns:
        E.g. ``["Scope: Regional", "Country: SN – Senegal", "Amount from (EUR): €1,000,000"]``;
        empty when no filter is set.
    """
    lines = []
    for choice in CHOICES:
        if values := getattr(filters, FIELDS[choice.key]):
            words = ", ".join(choice.text(v, lang) for v in values)
            lines.append(_("{label}: {values}", lang, label=_(choice.label, lang), values=words))
    if filters.text.strip():
        lines.append(_("Search: “{text}”", lang, text=filters.text.strip()))
    if filters.approved_from:
        lines.append(_("Approved from: {date}", lang, date=long_date(filters.approved_from, lang)))
    if filters.approved_to:
        lines.append(_("Approved until: {date}", lang, date=long_date(filters.approved_to, lang)))
    if filters.approved_from or filters.approved_to:
        lines.append(
            _("projects whose approval date is unknown are kept", lang)
            if filters.include_undated
            else _("projects whose approval date is unknown are left out", lang)
        )
    if filters.amount_min is not None:
        lines.append(_("Amount from: {amount}", lang, amount=eur(filters.amount_min, lang)))
    if filters.amount_max is not None:
        lines.append(_("Amount up to: {amount}", lang, amount=eur(filters.amount_max, lang)))
    return lines


def filtered_line(filters: Filters, lang: str) -> None:
    """On a chart page, where the figures are: which filters are on, in words, and a one-click reset.

    Draws nothing when no filter is set, so the figures then are the whole dataset's.
    """
    if not filters.active:
        return
    text, button = st.columns([4, 1], vertical_alignment="center")
    text.warning(
        _("Filtered view: the figures below count only the projects that match ", lang)
        + md_escape(punctuate("; ".join(described(filters, lang)), lang))  # French: narrow space before ";"
        + ".",
        icon=":material/filter_alt:",
    )
    button.button(
        _("Clear filters", lang),
        key="reset_filters_page",
        on_click=_reset,
        icon=":material/filter_alt_off:",
        help=_("Clear every filter (the sidebar's 'Reset filters').", lang),
    )


#: The largest amount a link may filter on (EUR): above the whole EUTF, a typo (30 nines) rather than a filter.
MAX_EUR = 10**12
#: The URL's range filters, with their widget labels (English, translated when shown).
RANGES = {
    "approved_from": N_("Approved from"),
    "approved_to": N_("Approved until"),
    "min_eur": N_("Amount from (EUR)"),
    "max_eur": N_("Amount up to (EUR)"),
}


def read_url(pub: Published) -> list[str]:
    """Seed the filters from the URL once per session; return, in words, each link value not applied and why.

    Every value of a link is either applied (and then shown in the sidebar and in the filtered
    line) or refused here: a code that matches nothing in the dataset, a date that is not one or
    is before the EUTF was set up, an amount that is not a whole number of euros or is above
    :data:`MAX_EUR`, a range whose start is after its end (both ends refused), an unknown
    language. Call before the sidebar draws (app.py).
    """
    state = st.session_state
    if state.get("_url_read"):
        return []
    state["_url_read"] = True
    problems: list[str] = []
    params = st.query_params
    lang = language()
    every_option = options_of(pub)
    if "lang" in params and params["lang"] not in LANGS:
        problems.append(_("Language: '{value}' is not available (en, fr)", lang, value=params["lang"]))
    for choice in CHOICES:
        if choice.key not in params:
            continue
        values = []
        for raw in params.get_all(choice.key):
            value = choice.parse(raw, every_option[choice.key])
            if value is None:
                label = _(choice.label, lang)
                problems.append(_("{label}: '{value}' matches nothing in this dataset", lang, label=label, value=raw))
            elif value not in values:
                values.append(value)
        state[choice.key] = values
    if "q" in params:
        state["q"] = params["q"]
    read: dict[str, object] = {}
    for key in ("approved_from", "approved_to"):
        if key in params:
            label = _(RANGES[key], lang)
            try:
                day = date.fromisoformat(params[key])
            except ValueError:
                problems.append(
                    _("{label}: '{value}' is not a date (YYYY-MM-DD)", lang, label=label, value=params[key])
                )
                continue
            if day < refdata.EUTF_LAUNCH:
                problems.append(
                    _(
                        "{label}: '{value}' is before the EUTF was set up ({launch})",
                        lang,
                        label=label,
                        value=params[key],
                        launch=long_date(refdata.EUTF_LAUNCH, lang),
                    )
                )
                continue
            read[key] = day
    if "undated" in params:
        if params["undated"] in ("0", "false", "no", "1", "true", "yes"):
            state["undated"] = params["undated"] not in ("0", "false", "no")
        else:
            problems.append(_("'undated={value}' is neither 0 nor 1", lang, value=params["undated"]))
    for key in ("min_eur", "max_eur"):
        if key in params:
            label = _(RANGES[key], lang)
            raw = params[key].replace(" ", "").replace("_", "")
            if not raw.isdigit():
                problems.append(
                    _("{label}: '{value}' is not a whole number of euros", lang, label=label, value=params[key])
                )
            elif int(raw) > MAX_EUR:
                problems.append(
                    _(
                        "{label}: '{value}' is above {maximum}, more than the whole EUTF",
                        lang,
                        label=label,
                        value=params[key],
                        maximum=eur(MAX_EUR, lang),
                    )
                )
            else:
                read[key] = int(raw)
    for first, last, message in (
        ("approved_from", "approved_to", N_("{first}: '{a}' is after {last}: '{b}'; the date range is not applied")),
        ("min_eur", "max_eur", N_("{first}: '{a}' is above {last}: '{b}'; the amount range is not applied")),
    ):
        if first in read and last in read and read[first] > read[last]:
            problems.append(
                _(
                    message,
                    lang,
                    first=_(RANGES[first], lang),
                    a=params[first],
                    last=_(RANGES[last], lang),
                    b=params[last],
                )
            )
            del read[first], read[last]
    state.update(read)
    return problems


def write_url() -> None:
    """Write the current filters into the URL as codes (only those that are set)."""
    state = st.session_state
    wanted: dict[str, str | list[str]] = {}
    for choice in CHOICES:
        if values := state.get(choice.key):
            wanted[choice.key] = [str(v) for v in values]
    if state.get("q"):
        wanted["q"] = state["q"]
    for key in ("approved_from", "approved_to"):
        if isinstance(state.get(key), date):
            wanted[key] = state[key].isoformat()
    if state.get("undated") is False:
        wanted["undated"] = "0"
    for key in ("min_eur", "max_eur"):
        if state.get(key) is not None:
            wanted[key] = str(int(state[key]))
    if st.query_params.get("lang") != language():  # a shared link opens in the language it was made in
        st.query_params["lang"] = language()
    for key in KEYS:
        if key in st.query_params and key not in wanted:
            del st.query_params[key]
    for key, value in wanted.items():
        current_value = st.query_params.get_all(key)
        if current_value != (value if isinstance(value, list) else [value]):
            st.query_params[key] = value


#: The explorer's table in the URL: chosen columns (comma-separated codes), sort column, order.
TABLE_KEYS = ("columns", "sort", "order")


def read_table_url(widget: str, options: list[str], defaults: list[str], sortable: list[str], sort: str) -> list[str]:
    """Seed the explorer's column chooser and sort from the URL, once per session; return what is not applied.

    ``?columns=reference,title,amount_eur&sort=reference&order=asc``: the link opens the same
    table. Unknown column codes, sort columns or orders are reported, in words, not dropped in silence.

    Args:
        widget: the column chooser's key; ``sort_by`` and ``sort_desc`` are the sort widgets' keys.
        options: the columns offered.
        defaults: the columns shown when the link names none.
        sortable: the columns the table can be sorted by.
        sort: the default sort column.
    """
    state, params, lang = st.session_state, st.query_params, language()
    problems: list[str] = []
    if not state.get("_table_url_read"):
        state["_table_url_read"] = True
        if "columns" in params:
            asked = [c.strip() for c in params["columns"].split(",") if c.strip()]
            if unknown := [c for c in asked if c not in options]:
                problems.append(_("Columns: '{value}' not offered here", lang, value=", ".join(unknown)))
            if known := [c for c in asked if c in options]:
                state[widget] = list(dict.fromkeys(known))
        if "sort" in params:
            if params["sort"] in sortable:
                state["sort_by"] = params["sort"]
            else:
                problems.append(_("Sort by: '{value}' is not a column", lang, value=params["sort"]))
        if "order" in params:
            if params["order"] in ("asc", "desc"):
                state["sort_desc"] = params["order"] == "desc"
            else:
                problems.append(_("Order: '{value}' is neither asc nor desc", lang, value=params["order"]))
    state.setdefault(widget, list(defaults))
    state.setdefault("sort_by", sort)
    state.setdefault("sort_desc", True)
    return problems


def write_table_url(columns: list[str], defaults: list[str], sort_by: str, sort: str, descending: bool) -> None:
    """Write the explorer's columns and sort into the URL (only what differs from the defaults)."""
    wanted = {
        "columns": ",".join(columns) if list(columns) != list(defaults) else None,
        "sort": sort_by if sort_by != sort else None,
        "order": None if descending else "asc",
    }
    for key, value in wanted.items():
        if value is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value
