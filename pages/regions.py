"""Regions: where do the allocations go? EUTF windows, then countries; multi-country projects kept apart."""

import streamlit as st

from dashboard import url
from dashboard.drills import country_drill
from dashboard.widgets import (
    Drill,
    PageContext,
    chart,
    data_caption,
    md_escape,
    no_rows,
    page_of,
    require_router,
)
from domain.filters import EQUAL_SPLIT, TOGETHER
from domain.i18n import _
from viewmodels.overview import scope_names
from viewmodels.regions import regions, split_notice

require_router(__file__)

ctx = PageContext()
lang, pub, profile = ctx.lang, ctx.pub, ctx.profile
allocations = ctx.data.allocations
REGIONAL = scope_names(profile, lang)[1]
has_contracts = bool(len(pub.dataset.contracts))

st.title(_("Allocations by region and country", lang))
data_caption(pub, ctx.filters, len(allocations), lang)
# The split is kept in the link (?split=equal) as a code, the same in both languages (Streamlit's
# own binding would write the option's label, which changes with the language).
if unread := url.read_split("country_split", lang):
    st.warning(
        _("This link holds values that are not applied: ", lang) + md_escape("; ".join(unread)),
        icon=":material/link_off:",
    )
rule = st.radio(
    _("Multi-country projects", lang),
    [TOGETHER, EQUAL_SPLIT],
    format_func=lambda r: {
        TOGETHER: _("Keep them together (no split)", lang),
        EQUAL_SPLIT: _("Split each equally among the countries it lists", lang),
    }[r],
    horizontal=True,
    key="country_split",
    help=_(
        "No EUTF source gives the country shares of a multi-country project. By default they stay in their own "
        "bucket; the equal split is a stated rule for a per-country view, not a source figure.",
        lang,
    ),
)
url.write_split(rule)
if rule == TOGETHER:
    st.info(split_notice(rule, REGIONAL, lang), icon=":material/info:")
else:
    st.warning(split_notice(rule, REGIONAL, lang), icon=":material/calculate:")
if allocations.empty:
    no_rows(lang)
    st.stop()

extent = "sahel" if profile.communique else "africa"
model = ctx.view(regions, rule, extent, REGIONAL, has_contracts, lang, ctx.footer)

windows = model.windows
if windows.shown:
    chart(
        windows.figure,
        windows.table,
        "windows_chart",
        windows.summary,
        windows.columns,
        hint=_("Click a window to see its countries.", lang),
        drill=lambda p: Drill("pages/regions.py", {"window": [windows.codes[p["point_index"]]]}),
    )

countries = model.countries
chart(
    countries.figure,
    countries.table,
    "country_map",
    countries.summary,
    countries.columns,
    hint=_("Click a country to see the projects behind its colour.", lang),
    drill=lambda p: (
        country_drill(countries.countries, countries.by_iso3[p["location"]], rule, REGIONAL, lang)
        if p.get("location") in countries.by_iso3
        else None
    ),
)


def _bucket_drill(p: dict) -> Drill | None:
    """Open the explorer on the projects behind a bar."""
    kind, code = model.buckets.bars[p["point_index"]]
    if kind == "regional":
        return Drill("pages/explorer.py", {"scope": ["regional"]})
    if kind == "none":
        return None
    if rule == TOGETHER:
        return Drill("pages/explorer.py", {"scope": ["national"], "country": [code]})
    return country_drill(countries.countries, code, EQUAL_SPLIT, REGIONAL, lang)  # says the bar is a computed share


chart(
    model.buckets.figure,
    model.buckets.table,
    "buckets_chart",
    model.buckets.summary,
    model.buckets.columns,
    drill=_bucket_drill,
)
st.subheader(REGIONAL)
st.dataframe(page_of(model.regional, "regional_page", lang), hide_index=True)
