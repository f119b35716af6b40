"""The shared sidebar: language, data version and the filters every page applies.

Widgets are created once per run in app.py, with stable keys that are also the URL's
query-parameter names (:mod:`dashboard.url` reads and writes them). Pages read the current
filters with :func:`current`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from dashboard.cache import options_of
from dashboard.choices import CHOICES, KEYS, RANGES
from dashboard.url import LANGS, dataset_asked, language, version_asked, write_dataset
from dashboard.widgets import md_escape
from domain import refdata
from domain.dataset import DEFAULT_DATASET
from domain.filters import Filters
from domain.fmt import eur, long_date, punctuate, short_datetime
from domain.i18n import _, ngettext
from etl import catalog
from store.versions import publisher

if TYPE_CHECKING:
    from dashboard.cache import Published

#: The version picker's value for "always the latest version".
LATEST = 0


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
        state["dataset"] = dataset_asked()
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
    write_dataset(state["dataset"], catalog.dataset_slug(DEFAULT_DATASET))
    return note


def version_picker(versions: list) -> None:
    """Sidebar choice of the data version, bound to ``?version=v3``.

    By default the latest, which follows new publishes.
    """
    if not versions:
        return
    numbers = [v.number for v in versions]
    by_number = {v.number: v for v in versions}
    asked = version_asked()
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
        when = f"{short_datetime(info.published_at, lang)} UTC"
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


def sidebar(pub: Published, *, with_filters: bool = True) -> None:
    """Render the language switch and, on pages that use them, the shared filters (:func:`options_of`)."""
    if st.session_state.get("lang") not in LANGS:  # the link's language, else the browser's
        st.session_state["lang"] = language()
    with st.sidebar:
        # kept in the URL by write_url, always, so that a shared link opens in the language it was made in;
        # persisted, else a drill (st.switch_page with its own URL values) drops it and the next page is English
        st.radio("Language / Langue", LANGS, key="lang", horizontal=True, persist_state="session")
        lang = language()
        if not with_filters:
            if current().active:
                st.caption(_("The filters set on other pages do not apply here.", lang))
            return
        st.subheader(_("Filters", lang))
        _list_filters(pub, lang)
        st.text_input(
            _("Search", lang), key="q", persist_state="session", placeholder=_("reference, title, partner…", lang)
        )
        _range_filters(lang)
        st.button(_("Reset filters", lang), on_click=_reset, key="reset_filters", icon=":material/restart_alt:")
        _image_format(lang)


def _list_filters(pub: Published, lang: str) -> None:
    """One multiselect per list filter (window, scope, country…), with the options of the whole version."""
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


def _range_filters(lang: str) -> None:
    """The approval-date and amount ranges, in an expander that is open whenever one of them is set."""
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
        for key in ("min_eur", "max_eur"):  # labelled as RANGES names them: "Amount from (EUR)", "Amount up to (EUR)"
            st.number_input(
                _(RANGES[key], lang), min_value=0, value=None, step=1_000_000, key=key, persist_state="session"
            )
        _reversed_ranges(lang)


def _reversed_ranges(lang: str) -> None:
    """Warn of a range whose start is after its end: it is not applied (:func:`current` leaves it out)."""
    state = st.session_state
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
            )


def _image_format(lang: str) -> None:
    """The charts' download format (PNG or SVG), for the camera button above each chart."""
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
        sectors=tuple(state.get("sector", [])),
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
    "sector": "sectors",
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
