"""The shared sidebar: language, data version and the filters every page applies, bound to the URL.

Widgets are created once per run in app.py, with stable keys that are also the URL's
query-parameter names (``?scope=National&country=ML – Mali``), so a filtered view can be
shared. Pages read the current filters with :func:`current`; drill-downs build the URL of
the rows behind a bar or a KPI with :func:`query_params`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from charts.figures import round_label
from dashboard.ui import md_escape
from etl import refdata
from etl.filters import NO_ROUND, Filters
from etl.pipeline import Dataset

LANGS = ("en", "fr")
#: The version picker's value for "always the latest version".
LATEST = 0


def language() -> str:
    """The interface language: the ``lang`` widget's value (``en`` or ``fr``)."""
    return st.session_state.get("lang", "en")


@dataclass(frozen=True)
class Choice:
    """A multiselect filter: URL key, label, options from the data, and the option's text."""

    key: str
    label: str
    options: Callable[[Dataset], list]
    text: Callable[[object, str], str]
    help: str | None = None


def _rounds(dataset: Dataset) -> list[int]:
    rounds = sorted({int(r) for r in dataset.allocations["dialogue_round"].dropna()})
    return rounds + ([NO_ROUND] if dataset.allocations["dialogue_round"].isna().any() else [])


CHOICES: tuple[Choice, ...] = (
    Choice(
        "window",
        "EUTF window",
        lambda d: sorted(set(d.allocations["window"])),
        lambda c, lang: f"{c} – {refdata.WINDOWS[c][lang]}",
    ),
    Choice("scope", "Scope", lambda d: ["national", "regional"], lambda s, lang: refdata.SCOPES[s][lang]),
    Choice(
        "country",
        "Country",
        lambda d: sorted({c for cs in d.allocations["countries"] for c in cs}),
        lambda c, lang: f"{c} – {refdata.country_name(c, lang)}",
        "A project matches when it covers the country: a national project there, "
        "or a regional initiative that includes it.",
    ),
    Choice(
        "objective",
        "Strategic objective",
        lambda d: list(refdata.OBJECTIVES),
        lambda n, lang: f"{n} – {refdata.OBJECTIVES[n][lang]}",
    ),
    Choice(
        "domain",
        "Valletta domain",
        lambda d: [*refdata.VALLETTA_DOMAINS, 0],
        lambda n, lang: f"{n} – {refdata.VALLETTA_DOMAINS[n][lang]}" if n else "not reported",
    ),
    Choice("round", "High-Level Dialogue", _rounds, lambda r, lang: round_label(r, lang)),
    Choice("theme", "Theme", lambda d: sorted(set(d.allocations["theme"].dropna())), lambda t, lang: str(t)),
    Choice(
        "partner",
        "Implementing partner",
        lambda d: sorted(set(d.allocations["implementing_partner"].dropna())),
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


def _reset() -> None:
    for key, empty in KEYS.items():
        st.session_state[key] = list(empty) if isinstance(empty, list) else empty


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
        st.subheader("Filters" if lang == "en" else "Filtres")
        for choice in CHOICES:
            st.multiselect(
                choice.label,
                choice.options(dataset),
                key=choice.key,
                bind="query-params",
                format_func=lambda v, c=choice: c.text(v, lang),
                help=choice.help,
            )
        st.text_input("Search", key="q", bind="query-params", placeholder="reference, title, partner…")
        with st.expander("Approval date and amount", key="more_filters"):
            st.date_input(
                "Approved from",
                value=None,
                min_value=refdata.EUTF_LAUNCH,
                key="approved_from",
                bind="query-params",
                format="DD/MM/YYYY",
            )
            st.date_input("Approved until", value=None, key="approved_to", bind="query-params", format="DD/MM/YYYY")
            st.checkbox(
                "Keep projects whose approval date is unknown",
                value=True,
                key="undated",
                bind="query-params",
                help="Most 2016 approval dates are not in the sources: they are unknown, never invented.",
            )
            st.number_input(
                "Amount from (EUR)", min_value=0, value=None, step=1_000_000, key="min_eur", bind="query-params"
            )
            st.number_input(
                "Amount up to (EUR)", min_value=0, value=None, step=1_000_000, key="max_eur", bind="query-params"
            )
        st.button("Reset filters", on_click=_reset, key="reset_filters", icon=":material/restart_alt:")


def current() -> Filters:
    """The filters set in the sidebar (empty = all)."""
    state = st.session_state

    def as_int(value) -> int | None:
        return None if value is None else int(value)

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
        approved_from=state.get("approved_from"),
        approved_to=state.get("approved_to"),
        include_undated=bool(state.get("undated", True)),
        amount_min=as_int(state.get("min_eur")),
        amount_max=as_int(state.get("max_eur")),
    )
