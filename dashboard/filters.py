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

import streamlit as st

from charts.figures import round_label
from dashboard.ui import md_escape
from etl import catalog, refdata
from etl.filters import NO_ROUND, Filters, partners_of
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
    numeric: bool = False

    def parse(self, raw: str, dataset: Dataset):
        """The option a URL value names (a code), or None when it names none."""
        options = self.options(dataset)
        if self.numeric:
            return int(raw) if raw.strip().isdigit() and int(raw) in options else None
        by_fold = {str(o).casefold(): o for o in options}
        return by_fold.get(raw.strip().casefold())


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
        lambda d: [*refdata.OBJECTIVES, *([0] if (d.objectives["objective"] == 0).any() else [])],
        lambda n, lang: f"{n} – {refdata.OBJECTIVES[n][lang]}" if n else "not given",
        numeric=True,
    ),
    Choice(
        "domain",
        "Valletta domain",
        lambda d: [*refdata.VALLETTA_DOMAINS, 0],
        lambda n, lang: f"{n} – {refdata.VALLETTA_DOMAINS[n][lang]}" if n else "not reported",
        numeric=True,
    ),
    Choice("round", "High-Level Dialogue", _rounds, lambda r, lang: round_label(r, lang), numeric=True),
    Choice("theme", "Theme", lambda d: sorted(set(d.allocations["theme"].dropna())), lambda t, lang: str(t)),
    Choice(
        "partner",
        "Implementing partner",
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
        st.session_state["_dataset_note"] = (
            "The filters were cleared: each dataset has its own countries, themes and partners."
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
            note = f"This link names a dataset that does not exist ('{state['dataset']}'): showing the default one."
    if state["dataset"] not in slugs:
        state["dataset"] = next(iter(slugs), "")
    if len(slugs) > 1:
        state["_w_dataset"] = slugs[state["dataset"]]
        with st.sidebar:
            st.selectbox(
                "Dataset",
                list(slugs.values()),
                key="_w_dataset",
                on_change=_new_dataset,
                help="Each dataset has its own sources, date and versions. The 2022 portfolio's amounts include "
                "later top-ups: they are not the 2016 approval amounts.",
            )
    default = catalog.dataset_slug(catalog.DEFAULT_DATASET)
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
        st.session_state["_version_note"] = (
            f"This link asks for version '{asked}', which this dataset does not have: showing the latest."
        )
    st.session_state["_version_read"] = True
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
            "Language / Langue",
            LANGS,
            index=_default_language(),
            key="lang",
            bind="query-params",
            horizontal=True,
        )
        if not with_filters:
            if current().active:
                st.caption("The filters set on other pages do not apply here.")
            return
        lang = language()
        st.subheader("Filters" if lang == "en" else "Filtres")
        for choice in CHOICES:
            # The widget's labels depend on the language, and Streamlit keeps a multiselect's
            # value as label strings: one widget per language, fed from the language-free value.
            options = choice.options(dataset)
            widget = f"_w_{choice.key}_{lang}"
            st.session_state[widget] = [v for v in st.session_state.get(choice.key, []) if v in options]
            st.multiselect(
                choice.label,
                options,
                key=widget,
                on_change=_keep,
                args=(widget, choice.key),
                format_func=lambda v, c=choice: c.text(v, lang),
                help=choice.help,
            )
        st.text_input("Search", key="q", persist_state="session", placeholder="reference, title, partner…")
        with st.expander("Approval date and amount", key="more_filters"):
            st.date_input(
                "Approved from",
                value=None,
                min_value=refdata.EUTF_LAUNCH,
                key="approved_from",
                persist_state="session",
                format="DD/MM/YYYY",
            )
            st.date_input("Approved until", value=None, key="approved_to", persist_state="session", format="DD/MM/YYYY")
            st.checkbox(
                "Keep projects whose approval date is unknown",
                value=True,
                key="undated",
                persist_state="session",
                help="Most 2016 approval dates are not in the sources: they are unknown, never invented.",
            )
            st.number_input(
                "Amount from (EUR)", min_value=0, value=None, step=1_000_000, key="min_eur", persist_state="session"
            )
            st.number_input(
                "Amount up to (EUR)", min_value=0, value=None, step=1_000_000, key="max_eur", persist_state="session"
            )
        st.button("Reset filters", on_click=_reset, key="reset_filters", icon=":material/restart_alt:")
        st.segmented_control(
            "Chart downloads (camera button above each chart)",
            ["png", "svg"],
            default="png",
            format_func=str.upper,
            key="img_format",
            persist_state="session",
            help="PNG for slides and documents; SVG for print and editing.",
        )


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


def read_url(dataset: Dataset) -> list[str]:
    """Seed the filters from the URL once per session; return what the URL held but could not be read.

    Call before the sidebar draws (app.py).
    """
    state = st.session_state
    if state.get("_url_read"):
        return []
    state["_url_read"] = True
    problems: list[str] = []
    params = st.query_params
    for choice in CHOICES:
        if choice.key not in params:
            continue
        values = []
        for raw in params.get_all(choice.key):
            value = choice.parse(raw, dataset)
            if value is None:
                problems.append(f"{choice.label}: '{raw}'")
            elif value not in values:
                values.append(value)
        state[choice.key] = values
    if "q" in params:
        state["q"] = params["q"]
    for key in ("approved_from", "approved_to"):
        if key in params:
            try:
                state[key] = date.fromisoformat(params[key])
            except ValueError:
                problems.append(f"{key.replace('_', ' ')}: '{params[key]}'")
    if "undated" in params:
        state["undated"] = params["undated"] not in ("0", "false", "no")
    for key in ("min_eur", "max_eur"):
        if key in params:
            raw = params[key].replace(" ", "").replace("_", "")
            if raw.isdigit():
                state[key] = int(raw)
            else:
                problems.append(f"{key.replace('_', ' ')}: '{params[key]}'")
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
    for key in KEYS:
        if key in st.query_params and key not in wanted:
            del st.query_params[key]
    for key, value in wanted.items():
        current_value = st.query_params.get_all(key)
        if current_value != (value if isinstance(value, list) else [value]):
            st.query_params[key] = value
