"""Page furniture shared by all pages: the data line, charts with their tables, empty states.

Cell text from the data is always shown as plain text (``st.text``, dataframes), never
as markdown or HTML.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy.exc import InterfaceError, OperationalError

from dashboard.cache import Of, Published, database_reachable
from domain.filters import Filters
from domain.fmt import count, punctuate, short_date
from domain.i18n import N_, _, ngettext
from etl.catalog import DatasetProfile, dataset_title, profile

T = TypeVar("T")

#: plotly.js config for every chart: maps load their topojson from this app (no CDN),
#: and the toolbar's camera button saves the chart (PNG or SVG, chosen in the sidebar).
PLOTLY_CONFIG = {
    "topojsonURL": "app/static/topojson/",
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


#: How often a page that could not read the database checks whether it is back.
RECHECK_SECONDS = 5


def database_unavailable(exc: Exception) -> None:
    """Say that the figures cannot be shown because of the database, and come back by themselves.

    The page then checks the database every :data:`RECHECK_SECONDS` and reruns as soon as it
    answers; nothing is restarted.

    Args:
        exc: what the read raised (``sqlalchemy.exc.SQLAlchemyError``, ``StoreError``, ``OSError``).
    """
    from dashboard.sidebar import language

    lang = language()
    away = isinstance(exc, (OSError, OperationalError, InterfaceError))  # no connection, as opposed to a bad read
    message = (
        _(
            "The allocation database cannot be reached right now, so no figure can be shown. This page checks "
            "again every {seconds} seconds and shows the figures as soon as the database answers; if this lasts, "
            "tell the administrator.",
            lang,
            seconds=RECHECK_SECONDS,
        )
        if away
        else _(
            "The allocation database cannot be read right now, so no figure can be shown. This page checks "
            "again every {seconds} seconds and shows the figures as soon as the database answers; if this lasts, "
            "tell the administrator.",
            lang,
            seconds=RECHECK_SECONDS,
        )
    )
    st.error(message, icon=":material/cloud_off:")
    st.caption(f"{type(exc).__name__}")
    _wait_for_database()


@st.fragment(run_every=RECHECK_SECONDS)
def _wait_for_database() -> None:
    from dashboard.sidebar import language

    lang = language()
    st.button(_("Try again now", lang), key="database_retry")  # a click reruns this check at once
    if database_reachable():
        st.rerun(scope="app")
    st.caption(_("Still no answer at {time}.", lang, time=time.strftime("%H:%M:%S")))


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text: object) -> str:
    """Text from data or users, made inert for elements that render markdown (captions, alerts)."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def filtered_footer_line(filters: Filters, lang: str) -> str:
    """``<br>Filtered: …`` naming the active filters in words for a chart's footer, or ``""`` when none is on.

    A line of its own, so that an exported PNG says what it counts.
    """
    import html

    from dashboard.sidebar import described

    if not filters.active:
        return ""
    words = punctuate("; ".join(described(filters, lang)), lang)
    words = words if len(words) <= 150 else words[:149] + "…"
    return "<br>" + html.escape(_("Filtered: {filters}", lang, filters=words))


def footer_text(pub: Published, filters: Filters, lang: str, source: str | None = None) -> str:
    """The source lines under every chart's title: dataset and version, the filters when any (in words), source.

    ``source`` (HTML-escaped) replaces the dataset's own source line, for a chart drawn from another file.
    """
    source = profile(pub.name).source_in(lang) if source is None else source
    return (
        _("Data: {name} · {version}", lang, name=dataset_title(pub.name, lang), version=pub.version)
        + f"{filtered_footer_line(filters, lang)}<br>{source}"
    )


def kpi_label(label: str, filters: Filters, lang: str) -> str:
    """A headline figure's label, marked ``(filtered)`` when a filter is on, so it is never taken for a total."""
    return _("{label} (filtered)", lang, label=label) if filters.active else label


def data_caption(pub: Published, filters: Filters, shown: int, lang: str) -> None:
    """Which dataset and version the page shows, how many projects, and the filters that are on.

    When a filter is on, the filtered line (:func:`dashboard.sidebar.filtered_line`) names
    them in words with a one-click reset.
    """
    from dashboard.sidebar import filtered_line

    total = len(pub.dataset.allocations)
    what = (
        _("{shown} of {total} projects", lang, shown=shown, total=total)
        if filters.active
        else ngettext("{n} project", "{n} projects", total, lang)
    )
    st.caption(
        _(
            "Data: {name} · {version}",
            lang,
            name=md_escape(dataset_title(pub.name, lang)),
            version=md_escape(pub.version),
        )
        + f" · {what}"
    )
    if caveat := profile(pub.name).caveat_in(lang):
        st.caption(f":material/info: {md_escape(caveat)}")
    filtered_line(filters, lang)
    if filters.countries and filters.scopes != ("national",):  # no regional initiative is shown otherwise
        st.caption(
            _(
                "Regional initiatives that cover the chosen countries count in full: their amounts are not split "
                "by country, so the totals of different countries overlap.",
                lang,
            )
        )


@dataclass(frozen=True)
class Drill:
    """Where a click on a chart element or a KPI leads.

    Attributes:
        page: the page script to open.
        filters: shared-filter widget values to set (``{"objective": [3]}``); the other
            filters stay as they are, so the target shows exactly the rows behind the click.
        params: other URL parameters (e.g. ``{"ref": ...}`` for a project page).
        note: what the target page says about where the user came from.
    """

    page: str
    filters: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    note: str = ""


def open_drill(target: Drill) -> None:
    """Callback: set the target's filters now, and open its page at the top of the next run (app.py)."""
    for key, value in target.filters.items():
        st.session_state[key] = value
    st.session_state["_drill_note"] = target.note
    st.session_state["_goto"] = (target.page, target.params)


_ROOT = Path(__file__).resolve().parent.parent


def require_router(page_file: str) -> None:
    """Make sure a page runs inside app.py's navigation.

    On the first session after the server starts, a deep link (``/regions``) makes
    Streamlit run the page file on its own, with its file-based page list and without the
    shared sidebar (streamlit#9624). The page then goes through app.py and comes back,
    with its URL parameters.
    """
    if st.session_state.get("_router"):
        return
    from dashboard import url  # url -> sidebar -> widgets

    script = Path(page_file).resolve().relative_to(_ROOT).as_posix()
    st.session_state["_goto"] = (script, url.carried_params())
    st.switch_page("app.py")


def follow_drill() -> None:
    """In app.py, before any page draws: open the page a drill-down asked for."""
    from dashboard import url  # url -> sidebar -> widgets

    if goto := st.session_state.pop("_goto", None):
        page, params = goto
        url.open_page(page, params)


#: How a table column is shown: money in euros, a whole number, a date, or text.
Kind = str


def labelled(table: pd.DataFrame, columns: dict[str, tuple[str, Kind]]) -> tuple[pd.DataFrame, dict]:
    """The columns of ``table`` to show, renamed to their labels, with their column configs.

    Args:
        table: any frame.
        columns: internal name -> (label, kind), kind one of ``eur``, ``int``, ``date``, ``text``.
    """
    frame = table[list(columns)].rename(columns={c: label for c, (label, _) in columns.items()})
    config = {}
    for label, kind in columns.values():
        if kind == "eur":
            config[label] = st.column_config.NumberColumn(label, format="localized")
        elif kind == "int":
            config[label] = st.column_config.NumberColumn(label, format="%d")
        elif kind == "date":
            config[label] = st.column_config.DateColumn(label, format="DD/MM/YYYY")
        else:
            config[label] = st.column_config.TextColumn(label)
    return frame, config


def chart(
    fig: go.Figure,
    table: pd.DataFrame,
    key: str,
    summary: str,
    columns: dict[str, tuple[str, Kind]] | None = None,
    drill: Callable[[dict], Drill | None] | None = None,
    hint: str = N_("Click a bar to see the projects behind it."),
) -> None:
    """A chart, its text summary (also its alt text), and its data as a table beneath.

    Args:
        fig: the figure.
        table: the data the figure draws.
        key: the chart's widget key.
        summary: a text summary generated from the data.
        columns: the table's columns to show, with labels and kinds (see :func:`labelled`);
            default: all, as they are.
        drill: maps a clicked point (plotly selection point: ``point_index``, ``x``, ``y``,
            ``location``…) to where it leads; the page then opens there (e.g. the explorer
            filtered to the rows behind the bar).
        hint: the sentence that tells the user a click leads somewhere (translated here if it is in the catalogue).
    """

    def on_select() -> None:
        points = st.session_state[key].selection.get("points", [])
        target = drill(points[0]) if (drill and points) else None
        if target is not None:
            open_drill(target)

    lang = st.session_state.get("lang", "en")
    summary = punctuate(summary, lang)
    image = st.session_state.get("img_format") or "png"
    config = PLOTLY_CONFIG | {
        "toImageButtonOptions": {"format": image, "scale": 2, "filename": f"eutf-{key.removesuffix('_chart')}"}
    }
    st.plotly_chart(
        fig,
        key=key,
        config=config,
        alt=summary,
        on_select=on_select if drill else "ignore",
        selection_mode="points",
    )
    caption = summary + (f" {_(hint, lang)}" if drill else "")
    st.text(caption)
    with st.expander(_("Data behind this chart", lang), key=f"{key}_data"):
        rows = page_of(table, f"{key}_page", st.session_state.get("lang", "en"))
        frame, config = labelled(rows, columns) if columns else (rows, None)
        st.dataframe(frame, hide_index=True, column_config=config)


def no_rows(lang: str) -> None:
    """The message shown when the filters leave nothing."""
    st.info(_("No project matches these filters. Use 'Reset filters' in the sidebar.", lang))


class PageContext:
    """What every page starts from: the published data, the filters, the language, the filtered data."""

    def __init__(self) -> None:
        from dashboard import sidebar as shared_filters
        from dashboard.cache import filtered, published

        self.pub: Published = published(shared_filters.chosen_version())
        if not self.pub.is_latest:
            st.warning(
                _(
                    "You are looking at version {n}, not the latest published version. "
                    "Choose the latest in the sidebar's 'Data version'.",
                    shared_filters.language(),
                    n=self.pub.info.number,
                ),
                icon=":material/history:",
            )
        self.lang: str = shared_filters.language()
        self.filters: Filters = shared_filters.current()
        self.data = filtered(self.pub, self.filters)
        self.footer = footer_text(self.pub, self.filters, self.lang)
        self.profile: DatasetProfile = profile(self.pub.name)

    def view(self, fn: Callable[..., T], *args, of: Of = "dataset") -> T:
        """``fn`` of this page's filtered data, cached per version and filters (see :func:`dashboard.cache.view`)."""
        from dashboard.cache import view

        return view(self.pub, self.filters, fn, *args, of=of)


def show_diff(change, old_label: str, new_label: str, lang: str) -> None:
    """Render an :class:`analysis.diff.Diff`: totals before/after, added, removed and changed projects.

    Changed fields are named by the template's headers in the interface language, never by code.
    """
    from domain.fmt import eur
    from downloads.tables import header

    totals = change.totals
    cols = st.columns(3)
    names = {"all": _("All projects", lang), "national": _("National", lang), "regional": _("Regional", lang)}
    for col, name in zip(cols, ("all", "national", "regional"), strict=True):
        row = totals.loc[name]
        delta = int(row["delta_eur"])
        col.metric(
            f"{names[name]} ({new_label})",
            eur(int(row["new_eur"]), lang),
            delta=(eur(delta, lang) if delta else None),
            delta_color="off",
            help=f"{old_label}: {eur(int(row['old_eur']), lang)} · "
            + _("{old} → {new} projects", lang, old=int(row["old_n"]), new=int(row["new_n"])),
            border=True,
        )
    if change.empty:
        st.info(_("No project differs between {old} and {new}.", lang, old=old_label, new=new_label))
        return
    for rows, what in ((change.added, N_("Added in {label}")), (change.removed, N_("Removed in {label}"))):
        if len(rows):
            st.markdown(f"**{_(what, lang, label=new_label)}** ({len(rows)})")
            st.dataframe(
                pd.DataFrame(
                    {
                        _("Reference", lang): rows["reference"],
                        _("Title", lang): rows["title"],
                        _("Amount", lang): [eur(v, lang) for v in rows["amount_eur"]],
                    }
                ),
                hide_index=True,
            )
    if len(change.changed):
        st.markdown(
            "**"
            + _("Changed fields", lang)
            + "** ("
            + ngettext("{n} project", "{n} projects", change.changed["reference"].nunique(), lang)
            + ")"
        )

        def show(value):
            if isinstance(value, list):
                return ";".join(str(v) for v in value)
            if isinstance(value, pd.Timestamp):
                return short_date(value, lang)
            return "" if pd.isna(value) else str(value)

        st.dataframe(
            pd.DataFrame(
                {
                    _("Reference", lang): change.changed["reference"],
                    _("Field", lang): [header(f, lang) for f in change.changed["field"]],  # Montant UE (EUR)
                    old_label: [
                        eur(v, lang) if f == "amount_eur" else show(v)
                        for f, v in zip(change.changed["field"], change.changed["old"], strict=True)
                    ],
                    new_label: [
                        eur(v, lang) if f == "amount_eur" else show(v)
                        for f, v in zip(change.changed["field"], change.changed["new"], strict=True)
                    ],
                    _("Change (EUR)", lang): [eur(v, lang) if pd.notna(v) else "" for v in change.changed["delta_eur"]],
                }
            ),
            hide_index=True,
        )


#: Rows of a long table shown at once (downloads stay whole).
PAGE_ROWS = 500


def page_of(frame: pd.DataFrame, key: str, lang: str = "en") -> pd.DataFrame:
    """The rows of ``frame`` on the page the user chose (all of them up to :data:`PAGE_ROWS`).

    Above :data:`PAGE_ROWS` rows, draws a page chooser (widget ``key``) and a caption
    saying which rows are shown.
    """
    if len(frame) <= PAGE_ROWS:
        return frame
    pages = -(-len(frame) // PAGE_ROWS)
    if st.session_state.get(key, 1) > pages:  # fewer rows since the last run (a filter)
        st.session_state[key] = pages
    number = st.number_input(
        _("Page (of {pages})", lang, pages=count(pages, lang)),
        min_value=1,
        max_value=pages,
        value=1,
        step=1,
        key=key,
    )
    start = (int(number) - 1) * PAGE_ROWS
    stop = min(start + PAGE_ROWS, len(frame))
    shown = f"{count(start + 1, lang)} – {count(stop, lang)} / {count(len(frame), lang)}"
    st.caption(_("Rows {shown}", lang, shown=shown))
    return frame.iloc[start:stop]
