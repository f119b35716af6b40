"""Themes: what are the allocations for, by EUTF strategic objective, Valletta domain, theme and DAC sector?"""

import streamlit as st

from dashboard.widgets import Drill, PageContext, chart, data_caption, no_rows, require_router
from domain.i18n import _
from viewmodels.themes import themes_page

require_router(__file__)

ctx = PageContext()
lang, pub = ctx.lang, ctx.pub
allocations = ctx.data.allocations

st.title(_("Allocations by theme", lang))
data_caption(pub, ctx.filters, len(allocations), lang)
st.info(
    _(
        "Counting rule: a project with several strategic objectives (or Valletta domains) has its amount split "
        "equally between them, to the euro, so that each chart adds up to the total allocation. The table under "
        "each chart also gives the full amount of the projects that list each objective; those figures overlap.",
        lang,
    ),
    icon=":material/info:",
)
if allocations.empty:
    no_rows(lang)
    st.stop()

has_sectors = bool(len(pub.dataset.sectors))  # the whole version's: an IATI file's, never a workbook's
model = ctx.view(themes_page, bool(len(pub.dataset.contracts)), lang, ctx.footer, has_sectors)

objectives = model.objectives
chart(
    objectives.figure,
    objectives.table,
    "objectives_chart",
    objectives.summary,
    objectives.columns,
    drill=lambda p: Drill(
        "pages/explorer.py",
        {"objective": [objectives.codes[p["point_index"]]]},
        note=_(
            "Opened from the strategic-objective chart: the bar is the equal-split share; "
            "below are the full amounts of "
            "the projects that list the objective.",
            lang,
        ),
    ),
)

domains = model.domains
if not domains.shown:
    st.subheader(_("By Valletta Action Plan domain", lang))
    st.caption(
        _(
            "This dataset reports no Valletta Action Plan domain for any project, so no chart is drawn: "
            "a single 'not reported' bar would say nothing.",
            lang,
        )
    )
else:
    chart(
        domains.figure,
        domains.table,
        "domains_chart",
        domains.summary,
        domains.columns,
        drill=lambda p: Drill(
            "pages/explorer.py",
            {"domain": [domains.codes[p["point_index"]]]},
            note=_(
                "Opened from the Valletta-domain chart: the bar is the equal-split share; below are the full "
                "amounts of the projects that list the domain.",
                lang,
            ),
        ),
    )

themes = model.themes
if not themes.shown:
    st.subheader(_("By theme", lang))
    st.caption(_("This dataset gives no theme for any project, so no chart is drawn.", lang))
else:
    chart(
        themes.figure,
        themes.table,
        "themes_chart",
        themes.summary,
        themes.columns,
        drill=lambda p: (
            Drill("pages/explorer.py", {"theme": [themes.codes[p["point_index"]]]})
            if themes.codes[p["point_index"]] is not None
            else None
        ),
    )

by_sector = model.sectors
if by_sector is None:
    st.subheader(_("By DAC sector", lang))
    st.caption(model.sector_note)
else:
    chart(
        by_sector.figure,
        by_sector.table,
        "sectors_chart",
        by_sector.summary,
        by_sector.columns,
        drill=lambda p: (
            Drill("pages/explorer.py", {"sector": [by_sector.codes[p["point_index"]]]})
            if by_sector.codes[p["point_index"]] is not None
            else None
        ),
    )
    st.caption(model.sector_note)
