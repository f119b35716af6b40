"""Regions: where do the allocations go? National projects by country; regional initiatives kept apart."""

import pandas as pd
import streamlit as st

from charts.figures import SCOPE_COLOURS, country_map, split_bar
from charts.fmt import eur, meur
from dashboard.ui import Drill, PageContext, chart, data_caption, no_rows, require_router
from dashboard.views import page_of
from etl import refdata
from etl.aggregate import REGIONAL_BUCKET, by_country, by_country_with_regional_bucket

require_router(__file__)

ctx = PageContext()
lang, pub = ctx.lang, ctx.pub
allocations = ctx.data.allocations

st.title("Allocations by region and country")
data_caption(pub, ctx.filters, len(allocations), lang)
st.info(
    "Regional initiatives are shown as their own bucket. Their amounts are never apportioned to the countries "
    "they cover: no source gives a split. On the map, the colour is the national allocation only; countries "
    "covered only by regional initiatives are grey, and their hover lists those initiatives' full amounts.",
    icon=":material/info:",
)
if allocations.empty:
    no_rows(lang)
    st.stop()


def country_view(dataset, lang: str, footer: str):
    """Allocations by country and their map."""
    countries = by_country(dataset)
    return countries, country_map(countries, lang, footer, "National allocations by country (M€)")


def bucket_view(dataset, lang: str, footer: str):
    """National allocations by country plus the regional bucket, their labels and their chart."""
    buckets = by_country_with_regional_bucket(dataset)
    labels = [
        "Regional initiatives (multi-country)"
        if b == REGIONAL_BUCKET
        else f"{refdata.country_name(b, lang)} (national)"
        for b in buckets["bucket"]
    ]
    fig = split_bar(
        buckets,
        labels,
        lang,
        footer,
        "National allocations by country and the regional bucket (M€)",
        [SCOPE_COLOURS["regional" if b == REGIONAL_BUCKET else "national"] for b in buckets["bucket"]],
    )
    return buckets, labels, fig


def regional_rows(allocations: pd.DataFrame) -> pd.DataFrame:
    """The regional initiatives."""
    return allocations[allocations["scope"] == "regional"]


countries, map_figure = ctx.view(country_view, lang, ctx.footer)
national = countries[countries["national_eur"] > 0]
map_summary = (
    f"{len(countries)} countries are covered. National allocations go to "
    + ", ".join(
        f"{refdata.country_name(c, lang)} ({meur(v, lang)})"
        for c, v in zip(national["country"], national["national_eur"], strict=True)
    )
    + f". {int((countries['national_eur'] == 0).sum())} countries are covered only by regional initiatives."
    if len(national)
    else f"{len(countries)} countries are covered, all only by regional initiatives."
)
table = countries.assign(name=[refdata.country_name(c, lang) for c in countries["country"]])
money = {
    "country": ("ISO code", "text"),
    "name": ("Country", "text"),
    "national_eur": ("National allocation (EUR)", "eur"),
    "national_inferred_eur": ("of which inferred (EUR)", "eur"),
    "n_national": ("National projects", "int"),
    "n_regional": ("Regional initiatives covering it", "int"),
    "regional_covering_eur": ("Their full amounts (EUR, not apportioned)", "eur"),
}
by_iso3 = {refdata.country_alpha3(c): c for c in countries["country"]}
chart(
    map_figure,
    table,
    "country_map",
    map_summary,
    money,
    hint="Click a country to see the projects covering it.",
    drill=lambda p: (
        Drill("pages/explorer.py", {"country": [by_iso3[p["location"]]]}) if p.get("location") in by_iso3 else None
    ),
)

buckets, labels, buckets_figure = ctx.view(bucket_view, lang, ctx.footer)
total = int(buckets["amount_eur"].sum())
chart(
    buckets_figure,
    buckets.assign(label=labels),
    "buckets_chart",
    f"Of {meur(total, lang)}, "
    + "; ".join(f"{label}: {meur(v, lang)}" for label, v in zip(labels, buckets["amount_eur"], strict=True))
    + ".",
    {
        "label": ("Country (national) or regional bucket", "text"),
        "amount_eur": ("Amount (EUR)", "eur"),
        "inferred_eur": ("of which inferred (EUR)", "eur"),
        "n_projects": ("Projects", "int"),
    },
    drill=lambda p: Drill(
        "pages/explorer.py",
        {"scope": ["regional"]}
        if buckets.at[p["point_index"], "bucket"] == REGIONAL_BUCKET
        else {"scope": ["national"], "country": [buckets.at[p["point_index"], "bucket"]]},
    ),
)
st.subheader("Regional initiatives")
regional = page_of(ctx.view(regional_rows), "regional_page", lang)
st.dataframe(
    pd.DataFrame(
        {
            "Reference": regional["reference"],
            "Title": regional["title"],
            "Countries covered": regional["countries"].map(lambda cs: ", ".join(cs)),
            "Amount": [eur(v, lang) for v in regional["amount_eur"]],
            "Basis": regional["amount_basis"],
        }
    ),
    hide_index=True,
)
