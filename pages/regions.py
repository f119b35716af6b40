"""Regions: where do the allocations go? EUTF windows, then countries; multi-country projects kept apart."""

import pandas as pd
import streamlit as st

from charts.figures import OKABE_ITO, SCOPE_COLOURS, country_map, split_bar
from charts.fmt import eur, meur
from dashboard.ui import Drill, PageContext, chart, data_caption, no_rows, require_router
from dashboard.views import page_of
from etl import refdata
from etl.aggregate import (
    NO_COUNTRY_BUCKET,
    REGIONAL_BUCKET,
    by_country,
    by_country_split,
    by_country_with_regional_bucket,
    by_window,
)

require_router(__file__)

TOGETHER, EQUAL_SPLIT = "together", "equal"

ctx = PageContext()
lang, pub, profile = ctx.lang, ctx.pub, ctx.profile
allocations = ctx.data.allocations
REGIONAL = "Regional initiatives" if profile.communique else "Multi-country projects"

st.title("Allocations by region and country")
data_caption(pub, ctx.filters, len(allocations), lang)
rule = st.radio(
    "Multi-country projects",
    [TOGETHER, EQUAL_SPLIT],
    format_func=lambda r: {
        TOGETHER: "Keep them together (no split)",
        EQUAL_SPLIT: "Split each equally among the countries it lists",
    }[r],
    horizontal=True,
    key="country_split",
    help="No EUTF source gives the country shares of a multi-country project. By default they stay in their own "
    "bucket; the equal split is a stated rule for a per-country view, not a source figure.",
)
if rule == TOGETHER:
    st.info(
        f"{REGIONAL} are shown as their own bucket. Their amounts are never apportioned to the countries they "
        "cover, and never counted in full under each. On the map, the colour is the single-country allocation "
        "only; countries covered only by multi-country projects are grey, and their hover lists those projects' "
        "full amounts.",
        icon=":material/info:",
    )
else:
    st.warning(
        "Per-country view by a stated rule: each multi-country project's amount is split into equal shares, to the "
        "euro, among the countries it lists. The shares are a computation, not figures from any source; projects "
        "that list no country stay apart ('country not given'). Every chart and table below says so.",
        icon=":material/calculate:",
    )
if allocations.empty:
    no_rows(lang)
    st.stop()


def window_view(dataset, lang: str, footer: str):
    """Decision budgets by EUTF window, their labels and their chart."""
    windows = by_window(dataset)
    labels = [f"{refdata.WINDOWS[w][lang]}" for w in windows["window"]]
    return windows, labels, split_bar(windows, labels, lang, footer, "By EUTF window (M€)", OKABE_ITO[0])


windows, window_labels, window_figure = ctx.view(window_view, lang, ctx.footer)
if len(windows) > 1:
    chart(
        window_figure,
        windows.assign(label=window_labels),
        "windows_chart",
        f"Of {meur(int(windows['amount_eur'].sum()), lang)}: "
        + "; ".join(
            f"{label} {meur(v, lang)} ({n} projects)"
            for label, v, n in zip(window_labels, windows["amount_eur"], windows["n_projects"], strict=True)
        )
        + ".",
        {
            "label": ("EUTF window", "text"),
            "amount_eur": ("Amount (EUR)", "eur"),
            "national_eur": ("Single-country (EUR)", "eur"),
            "regional_eur": ("Multi-country (EUR)", "eur"),
            "n_projects": ("Projects", "int"),
        },
        hint="Click a window to see its countries.",
        drill=lambda p: Drill("pages/regions.py", {"window": [str(windows.at[p["point_index"], "window"])]}),
    )


def country_view(dataset, rule: str, extent: str, lang: str, footer: str):
    """Allocations by country (single-country only, or with equal shares) and their map."""
    countries = by_country(dataset)
    if rule == EQUAL_SPLIT:
        split = by_country_split(dataset).set_index("bucket")
        countries = countries.assign(
            national_eur=countries["country"].map(split["amount_eur"]).fillna(0).astype("Int64"),
            national_inferred_eur=countries["country"].map(split["inferred_eur"]).fillna(0).astype("Int64"),
        )
        title = "Allocation by country, multi-country projects split equally (M€, a stated rule)"
        value_label = "Allocation with equal shares of multi-country projects"
        grey = "Equal shares of multi-country projects included (a stated rule, not a source figure)"
    else:
        title, value_label, grey = "Single-country allocations by country (M€)", None, None
    figure = country_map(countries, lang, footer, title, extent=extent, value_label=value_label, grey_note=grey)
    return countries, figure


extent = "sahel" if profile.communique else "africa"
countries, map_figure = ctx.view(country_view, rule, extent, lang, ctx.footer)
national = countries[countries["national_eur"] > 0].sort_values("national_eur", ascending=False)
no_country_eur = int(allocations.loc[allocations["countries"].map(len) == 0, "amount_eur"].sum())
map_summary = (
    f"{len(countries)} countries are covered. "
    + ("With equal shares, the largest amounts go to " if rule == EQUAL_SPLIT else "Single-country allocations go to ")
    + ", ".join(
        f"{refdata.country_name(c, lang)} ({meur(v, lang)})"
        for c, v in zip(national["country"], national["national_eur"], strict=True)
    )
    + (
        f". {int((countries['national_eur'] == 0).sum())} countries are covered only by multi-country projects."
        if rule == TOGETHER
        else f". Projects that list no country ({meur(no_country_eur, lang)}) are not on the map."
    )
    if len(national)
    else f"{len(countries)} countries are covered, all only by multi-country projects."
)
table = countries.assign(name=[refdata.country_name(c, lang) for c in countries["country"]])
money = {
    "country": ("ISO code", "text"),
    "name": ("Country", "text"),
    "national_eur": (
        "Allocation with equal shares (EUR, a stated rule)"
        if rule == EQUAL_SPLIT
        else "Single-country allocation (EUR)",
        "eur",
    ),
    "national_inferred_eur": ("of which inferred (EUR)", "eur"),
    "n_national": ("Single-country projects", "int"),
    "n_regional": ("Multi-country projects covering it", "int"),
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


def bucket_view(dataset, rule: str, regional: str, lang: str, footer: str):
    """Allocations by country with the multi-country bucket (or equal shares), their labels and chart."""
    if rule == TOGETHER:
        buckets = by_country_with_regional_bucket(dataset)
        labels = [
            f"{regional} (multi-country)" if b == REGIONAL_BUCKET else f"{refdata.country_name(b, lang)} (national)"
            for b in buckets["bucket"]
        ]
        colours = [SCOPE_COLOURS["regional" if b == REGIONAL_BUCKET else "national"] for b in buckets["bucket"]]
        title = "Single-country allocations by country, and the multi-country bucket (M€)"
    else:
        buckets = by_country_split(dataset)
        labels = [
            "Country not given" if b == NO_COUNTRY_BUCKET else refdata.country_name(b, lang) for b in buckets["bucket"]
        ]
        colours = [SCOPE_COLOURS["regional" if b == NO_COUNTRY_BUCKET else "national"] for b in buckets["bucket"]]
        title = "By country, multi-country projects split equally among their countries (M€, a stated rule)"
    return buckets, labels, split_bar(buckets, labels, lang, footer, title, colours)


def regional_rows(allocations: pd.DataFrame) -> pd.DataFrame:
    """The multi-country (regional) projects."""
    return allocations[allocations["scope"] == "regional"]


buckets, labels, buckets_figure = ctx.view(bucket_view, rule, REGIONAL, lang, ctx.footer)
total = int(buckets["amount_eur"].sum())
bucket_money = {
    "label": ("Country or bucket", "text"),
    "amount_eur": ("Amount (EUR)", "eur"),
    "inferred_eur": ("of which inferred (EUR)", "eur"),
    "n_projects": ("Projects", "int"),
}
if rule == EQUAL_SPLIT:
    bucket_money |= {
        "national_eur": ("from single-country projects (EUR)", "eur"),
        "split_eur": ("equal shares of multi-country projects (EUR, a stated rule)", "eur"),
    }


def _bucket_drill(p: dict) -> Drill | None:
    """Open the explorer on the projects behind a bar."""
    bucket = buckets.at[p["point_index"], "bucket"]
    if bucket == REGIONAL_BUCKET:
        return Drill("pages/explorer.py", {"scope": ["regional"]})
    if bucket == NO_COUNTRY_BUCKET:
        return None
    if rule == TOGETHER:
        return Drill("pages/explorer.py", {"scope": ["national"], "country": [bucket]})
    return Drill("pages/explorer.py", {"country": [bucket]})


chart(
    buckets_figure,
    buckets.assign(label=labels),
    "buckets_chart",
    f"Of {meur(total, lang)}, "
    + "; ".join(f"{label}: {meur(v, lang)}" for label, v in zip(labels, buckets["amount_eur"], strict=True))
    + ".",
    bucket_money,
    drill=_bucket_drill,
)
st.subheader(REGIONAL)
regional = page_of(ctx.view(regional_rows), "regional_page", lang)
st.dataframe(
    pd.DataFrame(
        {
            "Reference": regional["reference"],
            "Title": regional["title"],
            "Countries covered": regional["countries"].map(lambda cs: ", ".join(cs) or "not given"),
            "Amount": [eur(v, lang) for v in regional["amount_eur"]],
            "Basis": regional["amount_basis"],
        }
    ),
    hide_index=True,
)
