"""The URL state, in one place: the filters, the explorer's table, the regions' split and the page's project.

Filters travel in the URL as codes, whatever the interface language
(``?scope=national&country=ML&objective=3``), so a link made in French opens the same view
in English: the URL is read once when a session starts (values it does not understand are
reported, not silently dropped) and rewritten after every run (app.py).
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.cache import Published, options_of
from dashboard.choices import CHOICES, KEYS, RANGES
from dashboard.sidebar import LANGS, language
from domain import refdata
from domain.fmt import eur, long_date
from domain.i18n import N_, _

#: The largest amount a link may filter on (EUR): above the whole EUTF, a typo (30 nines) rather than a filter.
MAX_EUR = 10**12


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
