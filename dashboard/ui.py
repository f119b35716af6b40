"""Page furniture shared by all pages: the data line, charts with their tables, empty states.

Cell text from the data is always shown as plain text (``st.text``, dataframes), never
as markdown or HTML.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.data import Published
from etl.filters import Filters

#: plotly.js config for every chart: maps load their topojson from this app (no CDN),
#: and the toolbar's camera button saves a PNG.
PLOTLY_CONFIG = {
    "topojsonURL": "app/static/topojson/",
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def footer_text(pub: Published, filters: Filters, lang: str) -> str:
    """The source line under every chart: dataset, version, filters, source."""
    source = (
        "Source: European Commission (EUTF for Africa); joint communiqué Mali–EU, 11/12/2016 · see Sources & method"
        if lang == "en"
        else "Source : Commission européenne (EUTF pour l'Afrique) ; communiqué conjoint Mali–UE, 11/12/2016 · "
        "voir Sources et méthode"
    )
    filtered = (" · filtered" if lang == "en" else " · filtré") if filters.active else ""
    return f"{pub.name} · {pub.version}{filtered}<br>{source}"


def data_caption(pub: Published, filters: Filters, shown: int, lang: str) -> None:
    """One caption line: which dataset and version the page shows, and how many projects."""
    total = len(pub.dataset.allocations)
    what = f"{shown} of {total} projects" if filters.active else f"{total} projects"
    st.caption(f"Data: {pub.name} · {pub.version} · {what}")


def chart(fig: go.Figure, table: pd.DataFrame, key: str, summary: str, column_config: dict | None = None) -> None:
    """A chart, its text summary (also its alt text), and its data as a table beneath."""
    st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG, alt=summary, on_select="ignore")
    st.text(summary)
    with st.expander("Data behind this chart", key=f"{key}_data"):
        st.dataframe(table, hide_index=True, column_config=column_config)


def no_rows(lang: str) -> None:
    """The message shown when the filters leave nothing."""
    st.info(
        "No project matches these filters. Use 'Reset filters' in the sidebar."
        if lang == "en"
        else "Aucun projet ne correspond à ces filtres."
    )


class PageContext:
    """What every page starts from: the published data, the filters, the language, the filtered data."""

    def __init__(self) -> None:
        from dashboard import filters as shared_filters
        from dashboard.data import published
        from etl.filters import apply

        pub = published()
        if not isinstance(pub, Published):  # app.py stops before a page runs; kept for direct runs
            st.stop()
        self.pub: Published = pub
        self.lang: str = shared_filters.language()
        self.filters: Filters = shared_filters.current()
        self.data = apply(pub.dataset, self.filters)
        self.footer = footer_text(pub, self.filters, self.lang)
