"""The shared sidebar: language and the filters every page applies, bound to the URL.

Widgets are created once per run in app.py, with stable keys that are also the URL's
query-parameter names (``?scope=...&country=...``), so a filtered view can be shared.
Pages read the current filters with :func:`current`.
"""

from __future__ import annotations

import streamlit as st

from charts.figures import round_label
from dashboard.ui import md_escape
from etl import refdata
from etl.filters import NO_ROUND, Filters
from etl.pipeline import Dataset

#: Widget keys (and URL parameter names) -> empty value.
KEYS: dict[str, object] = {
    "window": [],
    "scope": [],
    "country": [],
    "objective": [],
    "domain": [],
    "round": [],
    "partner": [],
    "q": "",
}
LANGS = ("en", "fr")


def language() -> str:
    """The interface language: the ``lang`` widget's value (``en`` or ``fr``)."""
    return st.session_state.get("lang", "en")


def _default_language() -> int:
    locale = (st.context.locale or "en").lower()
    return 1 if locale.startswith("fr") else 0


def _reset() -> None:
    for key, empty in KEYS.items():
        st.session_state[key] = list(empty) if isinstance(empty, list) else empty


def sidebar(dataset: Dataset, *, with_filters: bool = True) -> None:
    """Render the language switch and, on pages that use them, the shared filters.

    Options come from the whole (unfiltered) dataset so that a shared URL stays valid.
    """
    with st.sidebar:
        st.radio(
            "Language / Langue", LANGS, index=_default_language(), key="lang", bind="query-params", horizontal=True
        )
        if not with_filters:
            if current().active:
                st.caption("The filters set on other pages do not apply here.")
            return
        lang = language()
        allocations = dataset.allocations
        st.subheader("Filters" if lang == "en" else "Filtres")
        windows = sorted(set(allocations["window"]))
        st.multiselect(
            "EUTF window",
            windows,
            key="window",
            bind="query-params",
            format_func=lambda c: f"{c} – {refdata.WINDOWS[c][lang]}",
        )
        st.multiselect(
            "Scope",
            ["national", "regional"],
            key="scope",
            bind="query-params",
            format_func=lambda s: refdata.SCOPES[s][lang],
        )
        countries = sorted({c for cs in allocations["countries"] for c in cs})
        st.multiselect(
            "Country",
            countries,
            key="country",
            bind="query-params",
            format_func=lambda c: f"{c} – {refdata.country_name(c, lang)}",
            help="A project matches when it covers the country: a national project there, "
            "or a regional initiative that includes it.",
        )
        st.multiselect(
            "Strategic objective",
            list(refdata.OBJECTIVES),
            key="objective",
            bind="query-params",
            format_func=lambda n: f"{n} – {refdata.OBJECTIVES[n][lang]}",
        )
        st.multiselect(
            "Valletta domain",
            [*refdata.VALLETTA_DOMAINS, 0],
            key="domain",
            bind="query-params",
            format_func=lambda n: f"{n} – {refdata.VALLETTA_DOMAINS[n][lang]}" if n else "not reported",
        )
        rounds = sorted({int(r) for r in allocations["dialogue_round"].dropna()})
        if allocations["dialogue_round"].isna().any():
            rounds.append(NO_ROUND)
        st.multiselect(
            "High-Level Dialogue", rounds, key="round", bind="query-params", format_func=lambda r: round_label(r, lang)
        )
        partners = sorted(set(allocations["implementing_partner"].dropna()))
        st.multiselect("Implementing partner", partners, key="partner", bind="query-params")
        st.text_input("Search", key="q", bind="query-params", placeholder="reference, title, partner…")
        st.button("Reset filters", on_click=_reset, key="reset_filters", icon=":material/restart_alt:")


#: The version picker's value for "always the latest version".
LATEST = 0


def version_picker(versions: list) -> None:
    """Sidebar choice of the data version, bound to ``?version=v3``.

    By default the latest, which follows new publishes.
    """
    if not versions:
        return
    numbers = [v.number for v in versions]
    by_number = {v.number: v for v in versions}
    with st.sidebar:
        chosen = st.selectbox(
            "Data version",
            [LATEST, *numbers],
            index=0,
            key="version",
            bind="query-params",
            format_func=lambda n: "latest" if n == LATEST else f"v{n}",
            help="Every published version is kept. Pick an older one to see the figures as they were.",
        )
        info = by_number.get(chosen) or versions[0]
        which = "the latest" if info.number == numbers[0] else "an older version"
        when = f"{info.published_at:%d/%m/%Y %H:%M} UTC"
        st.caption(f"v{info.number}, {which}, published {when} by {md_escape(info.published_by)}")


def chosen_version() -> int | None:
    """The version picked in the sidebar, or None for the latest."""
    return st.session_state.get("version") or None


def current() -> Filters:
    """The filters set in the sidebar (empty = all)."""
    state = st.session_state
    return Filters(
        windows=tuple(state.get("window", [])),
        scopes=tuple(state.get("scope", [])),
        countries=tuple(state.get("country", [])),
        objectives=tuple(state.get("objective", [])),
        domains=tuple(state.get("domain", [])),
        rounds=tuple(state.get("round", [])),
        partners=tuple(state.get("partner", [])),
        text=state.get("q", "") or "",
    )
