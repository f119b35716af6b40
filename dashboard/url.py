"""The URL state, in one place: language, dataset, version, filters, table, split, project, page switches.

Filters travel in the URL as codes, whatever the interface language
(``?scope=national&country=ML&objective=3``), so a link made in French opens the same view
in English: the URL is read once when a session starts (values it does not understand are
reported, not silently dropped) and rewritten after every run (app.py).
"""

from __future__ import annotations

import streamlit as st

from dashboard.cache import Published, options_of
from dashboard.choices import CHOICES, KEYS, RANGES
from domain.filters import EQUAL_SPLIT, PARAMS, TOGETHER, Filters
from domain.i18n import LANGS, _


def language() -> str:
    """The interface language (``en`` or ``fr``): the ``lang`` widget's value.

    Before the widget is drawn (app.py's page titles), the URL's ``?lang=`` or else the browser's.
    """
    lang = st.session_state.get("lang") or st.query_params.get("lang")
    if lang in LANGS:
        return lang
    return "fr" if (st.context.locale or "en").lower().startswith("fr") else "en"


def dataset_asked() -> str:
    """The dataset a link names (``?dataset=`` slug), or ``""``."""
    return st.query_params.get("dataset", "")


def write_dataset(slug: str, default: str) -> None:
    """Keep the dataset in the URL, unless it is the default one (a plain link opens the default)."""
    if slug and slug != default:
        if st.query_params.get("dataset") != slug:
            st.query_params["dataset"] = slug
    elif "dataset" in st.query_params:
        del st.query_params["dataset"]


def version_asked() -> str | None:
    """The version a link asks for (``?version=v3`` or ``latest``), or None. The picker binds the parameter itself."""
    return st.query_params.get("version")


def _label(key: str, lang: str) -> str:
    """A filter parameter's name, as the sidebar shows it."""
    labels = {c.key: c.label for c in CHOICES} | RANGES
    return _(labels[key], lang) if key in labels else key


def read_url(pub: Published) -> list[str]:
    """Seed the filters from the URL once per session; return, in words, each link value not applied and why.

    Every value of a link is either applied (and then shown in the sidebar and in the filtered
    line) or refused here: what :meth:`domain.filters.Filters.from_params` refuses (a number,
    date or amount that is not one, a date before the EUTF was set up, an amount above
    :data:`domain.filters.MAX_EUR`, a range whose start is after its end: both ends refused),
    a code that matches nothing in the dataset, an unknown language. Call before the sidebar
    draws (app.py).
    """
    state = st.session_state
    if state.get("_url_read"):
        return []
    state["_url_read"] = True
    params = st.query_params
    lang = language()
    filters, refused = Filters.from_params({key: params.get_all(key) for key in params})
    problems = [p.in_words(lang, lambda key: _label(key, lang)) for p in refused]
    if "lang" in params and params["lang"] not in LANGS:
        problems.insert(0, _("Language: '{value}' is not available (en, fr)", lang, value=params["lang"]))
    every_option = options_of(pub)
    fields = {p.key: p.field for p in PARAMS}
    for choice in CHOICES:
        if choice.key not in params:
            continue
        values = []
        for code in getattr(filters, fields[choice.key]):
            value = choice.parse(str(code), every_option[choice.key])
            if value is None:
                label = _(choice.label, lang)
                problems.append(_("{label}: '{value}' matches nothing in this dataset", lang, label=label, value=code))
            elif value not in values:
                values.append(value)
        state[choice.key] = values
    bad = {p.key for p in refused}
    for param in PARAMS:
        if param.many or param.key not in params or param.key in bad:
            continue
        value = getattr(filters, param.field)
        if param.kind in ("date", "eur") and value is None:  # refused with the other end of its range
            continue
        state[param.key] = value
    return problems


def write_url(filters: Filters, lang: str) -> None:
    """Write ``filters`` (the sidebar's) into the URL as codes, only those that are set, and the language ``lang``."""
    wanted = filters.to_params()
    if st.query_params.get("lang") != lang:  # a shared link opens in the language it was made in
        st.query_params["lang"] = lang
    for key in KEYS:
        if key in st.query_params and key not in wanted:
            del st.query_params[key]
    for key, value in wanted.items():
        if st.query_params.get_all(key) != value:
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


def carried_params() -> dict[str, list[str]]:
    """Every parameter of the URL, every value, to open another page with the same link state."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def open_page(page, params: dict[str, list[str]] | None = None) -> None:
    """Open ``page`` (a script path or an ``st.Page``) with ``params`` as its URL parameters (none when empty)."""
    st.switch_page(page, query_params=params or None)


#: The regions' split in the URL (``?split=equal``): a code, the same in both languages; ``together`` is not written.
SPLIT_KEY = "split"


def read_split(widget: str, lang: str) -> list[str]:
    """Seed the regions' split widget from ``?split=`` before it draws; return, in words, a value not applied."""
    if widget in st.session_state or SPLIT_KEY not in st.query_params:
        return []
    value = st.query_params[SPLIT_KEY]
    if value == EQUAL_SPLIT:
        st.session_state[widget] = EQUAL_SPLIT
    elif value != TOGETHER:
        return [_("Split: '{value}' is neither 'equal' nor 'together'", lang, value=value)]
    return []


def write_split(rule: str) -> None:
    """Write the regions' split into the URL (the default, kept together, is not written)."""
    if rule == EQUAL_SPLIT:
        if st.query_params.get(SPLIT_KEY) != EQUAL_SPLIT:
            st.query_params[SPLIT_KEY] = EQUAL_SPLIT
    elif SPLIT_KEY in st.query_params:
        del st.query_params[SPLIT_KEY]


def project_ref() -> str:
    """The project page's reference (``?ref=T05-EUTF-SAH-ML-01``), as given; '' when there is none."""
    return st.query_params.get("ref", "")
