"""Overview: how much has the EUTF approved, and does it match the sources (the communiqué, for Mali 2016)?"""

import streamlit as st

from dashboard.cache import view
from dashboard.widgets import (
    Drill,
    PageContext,
    chart,
    data_caption,
    kpi_label,
    md_escape,
    no_rows,
    open_drill,
    page_of,
    require_router,
)
from domain.filters import Filters
from viewmodels import overview

require_router(__file__)

ctx = PageContext()
lang, pub = ctx.lang, ctx.pub
has_contracts = bool(len(pub.dataset.contracts))
model = ctx.view(
    overview.overview, lang, ctx.footer, ctx.profile, ctx.filters.active, pub.reconciliation, has_contracts
)

st.title(overview.title(ctx.profile, lang, escape=md_escape))
data_caption(pub, ctx.filters, model.n_projects, lang)

# filtered labels are longer ("… (filtered)"): two by two, so that none is cut at 1400 px
columns = st.columns(4) if not ctx.filters.active else (*st.columns(2), *st.columns(2))
for column, kpi in zip(columns, model.kpis, strict=True):
    column.metric(kpi_label(kpi.label, ctx.filters, lang), kpi.value, help=kpi.help, border=True)
for link in model.links:
    columns[link.column].button(
        link.label,
        key=link.key,
        icon=":material/table:",
        on_click=open_drill,
        args=(Drill("pages/explorer.py", {"scope": [link.scope]} if link.scope else {}),),
        type="tertiary",
    )

if rec := model.reconciliation:
    st.subheader(rec.heading)
    (st.success if rec.met else st.warning)(rec.status, icon=":material/fact_check:")
    st.dataframe(rec.table, hide_index=True)
if windows := model.windows:
    st.subheader(overview.windows_heading(lang))
    st.dataframe(windows.table, hide_index=True)
    st.caption(windows.caption)
    # the whole version, computed once
    if warning := view(pub, Filters(), overview.orphans_warning, lang):
        st.warning(warning, icon=":material/link_off:")

if model.inferred_heading:
    st.subheader(overview.inferred_heading(lang))
    st.markdown(model.inferred_text)
else:
    st.caption(model.inferred_text)
if len(model.inferred_table):
    st.dataframe(page_of(model.inferred_table, "inferred_page", lang), hide_index=True)

if (projects := model.projects) is None:
    no_rows(lang)
else:
    by_label = projects.by_label
    chart(
        projects.figure,
        projects.table,
        "projects_chart",
        projects.summary,
        columns=projects.columns,
        drill=lambda point: (
            Drill("pages/project.py", params={"ref": by_label[point["y"]]}) if point.get("y") in by_label else None
        ),
        hint=overview.projects_hint(lang),
    )
