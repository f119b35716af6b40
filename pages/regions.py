"""Regions: where do the allocations go? EUTF windows, then countries; multi-country projects kept apart."""

import pandas as pd
import streamlit as st

from analysis.aggregate import (
    NO_COUNTRY_BUCKET,
    REGIONAL_BUCKET,
    by_country,
    by_country_split,
    by_country_with_regional_bucket,
    by_window,
    contracted_by,
)
from charts import palette
from charts.figures import country_map, split_bar
from dashboard import url
from dashboard.drills import EQUAL_SPLIT, TOGETHER, country_drill
from dashboard.widgets import (
    Drill,
    PageContext,
    chart,
    data_caption,
    md_escape,
    no_rows,
    page_of,
    require_router,
    with_contracted,
)
from domain import refdata
from domain.fmt import eur, meur
from domain.i18n import _, ngettext

require_router(__file__)

ctx = PageContext()
lang, pub, profile = ctx.lang, ctx.pub, ctx.profile
allocations = ctx.data.allocations
REGIONAL = _("Regional initiatives", lang) if profile.communique else _("Multi-country projects", lang)
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
    st.info(
        _(
            "{regional} are shown as their own bucket. Their amounts are never apportioned to the countries they "
            "cover, and never counted in full under each. On the map, the colour is the single-country allocation "
            "only; countries covered only by multi-country projects are grey, and their hover lists those projects' "
            "full amounts.",
            lang,
            regional=REGIONAL,
        ),
        icon=":material/info:",
    )
else:
    st.warning(
        _(
            "Per-country view by a stated rule: each multi-country project's amount is split into equal shares, to "
            "the euro, among the countries it lists. The shares are a computation, not figures from any source; "
            "projects that list no country stay apart ('country not given'). Every chart and table below says so.",
            lang,
        ),
        icon=":material/calculate:",
    )
if allocations.empty:
    no_rows(lang)
    st.stop()


def window_view(dataset, lang: str, footer: str):
    """Decision budgets by EUTF window, their labels and their chart."""
    windows = by_window(dataset)
    labels = [f"{refdata.WINDOWS[w][lang]}" for w in windows["window"]]
    return windows, labels, split_bar(windows, labels, lang, footer, _("By EUTF window (M€)", lang), palette.WINDOW)


windows, window_labels, window_figure = ctx.view(window_view, lang, ctx.footer)
window_table, window_contracted = windows.assign(label=window_labels), {}
if has_contracts:  # decisions and contracts: what is contracted under each window's decisions
    window_table, window_contracted = with_contracted(window_table, ctx.view(contracted_by, "window"), "window", lang)
if len(windows) > 1:
    chart(
        window_figure,
        window_table,
        "windows_chart",
        _("Of {total}: ", lang, total=meur(int(windows["amount_eur"].sum()), lang))
        + "; ".join(
            f"{label} {meur(v, lang)} ({ngettext('{n} project', '{n} projects', int(n), lang)})"
            for label, v, n in zip(window_labels, windows["amount_eur"], windows["n_projects"], strict=True)
        )
        + ".",
        {
            "label": (_("EUTF window", lang), "text"),
            "amount_eur": (_("Amount (EUR)", lang), "eur"),
            "national_eur": (_("Single-country (EUR)", lang), "eur"),
            "regional_eur": (_("Multi-country (EUR)", lang), "eur"),
            "n_projects": (_("Projects", lang), "int"),
        }
        | window_contracted,
        hint=_("Click a window to see its countries.", lang),
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
        title = _("Allocation by country, multi-country projects split equally (M€, a stated rule)", lang)
        value_label = _("Allocation with equal shares of multi-country projects", lang)
        grey = _("Equal shares of multi-country projects included (a stated rule, not a source figure)", lang)
    else:
        title, value_label, grey = _("Single-country allocations by country (M€)", lang), None, None
    figure = country_map(countries, lang, footer, title, extent=extent, value_label=value_label, grey_note=grey)
    return countries, figure


extent = "sahel" if profile.communique else "africa"
countries, map_figure = ctx.view(country_view, rule, extent, lang, ctx.footer)
national = countries[countries["national_eur"] > 0].sort_values("national_eur", ascending=False)
no_country_eur = int(allocations.loc[allocations["countries"].map(len) == 0, "amount_eur"].sum())
map_summary = (
    _("{n} countries are covered. ", lang, n=len(countries))
    + (
        _("With equal shares, the largest amounts go to ", lang)
        if rule == EQUAL_SPLIT
        else _("Single-country allocations go to ", lang)
    )
    + ", ".join(
        f"{refdata.country_name(c, lang)} ({meur(v, lang)})"
        for c, v in zip(national["country"], national["national_eur"], strict=True)
    )
    + (
        ". "
        + _(
            "{n} countries are covered only by multi-country projects.",
            lang,
            n=int((countries["national_eur"] == 0).sum()),
        )
        if rule == TOGETHER
        else "."
        + (
            " "
            + _("Projects that list no country ({amount}) are not on the map.", lang, amount=meur(no_country_eur, lang))
            if no_country_eur
            else ""
        )
    )
    if len(national)
    else _("{n} countries are covered, all only by multi-country projects.", lang, n=len(countries))
)
table = countries.assign(name=[refdata.country_name(c, lang) for c in countries["country"]])
money = {
    "country": (_("ISO code", lang), "text"),
    "name": (_("Country", lang), "text"),
    "national_eur": (
        _("Allocation with equal shares (EUR, a stated rule)", lang)
        if rule == EQUAL_SPLIT
        else _("Single-country allocation (EUR)", lang),
        "eur",
    ),
    "national_inferred_eur": (_("of which inferred (EUR)", lang), "eur"),
    "n_national": (_("Single-country projects", lang), "int"),
    "n_regional": (_("Multi-country projects covering it", lang), "int"),
    "regional_covering_eur": (_("Their full amounts (EUR, not apportioned)", lang), "eur"),
}
by_iso3 = {refdata.country_alpha3(c): c for c in countries["country"]}
chart(
    map_figure,
    table,
    "country_map",
    map_summary,
    money,
    hint=_("Click a country to see the projects behind its colour.", lang),
    drill=lambda p: (
        country_drill(countries, by_iso3[p["location"]], rule, REGIONAL, lang) if p.get("location") in by_iso3 else None
    ),
)


def bucket_view(dataset, rule: str, regional: str, lang: str, footer: str):
    """Allocations by country with the multi-country bucket (or equal shares), their labels and chart."""
    if rule == TOGETHER:
        buckets = by_country_with_regional_bucket(dataset)
        labels = [
            _("{name} (multi-country)", lang, name=regional)
            if b == REGIONAL_BUCKET
            else _("{name} (national)", lang, name=refdata.country_name(b, lang))
            for b in buckets["bucket"]
        ]
        colours = [palette.SCOPE["regional" if b == REGIONAL_BUCKET else "national"] for b in buckets["bucket"]]
        title = _("Single-country allocations by country, and the multi-country bucket (M€)", lang)
    else:
        buckets = by_country_split(dataset)
        labels = [
            _("Country not given", lang) if b == NO_COUNTRY_BUCKET else refdata.country_name(b, lang)
            for b in buckets["bucket"]
        ]
        colours = [palette.SCOPE["regional" if b == NO_COUNTRY_BUCKET else "national"] for b in buckets["bucket"]]
        title = _("By country, multi-country projects split equally among their countries (M€, a stated rule)", lang)
    return buckets, labels, split_bar(buckets, labels, lang, footer, title, colours, shares=rule != TOGETHER)


def regional_rows(allocations: pd.DataFrame) -> pd.DataFrame:
    """The multi-country (regional) projects."""
    return allocations[allocations["scope"] == "regional"]


buckets, labels, buckets_figure = ctx.view(bucket_view, rule, REGIONAL, lang, ctx.footer)
total = int(buckets["amount_eur"].sum())
bucket_money = {
    "label": (_("Country or bucket", lang), "text"),
    "amount_eur": (_("Amount (EUR)", lang), "eur"),
    "inferred_eur": (_("of which inferred (EUR)", lang), "eur"),
    "n_projects": (_("Projects", lang), "int"),
}
bucket_table = buckets.assign(label=labels)
if has_contracts and rule == TOGETHER:  # each decision's contracts in its bucket, never apportioned
    bucket_table, bucket_contracted = with_contracted(bucket_table, ctx.view(contracted_by, "country"), "bucket", lang)
    bucket_money |= bucket_contracted
if rule == EQUAL_SPLIT:
    bucket_money |= {
        "national_eur": (_("from single-country projects (EUR)", lang), "eur"),
        "split_eur": (_("equal shares of multi-country projects (EUR, a stated rule)", lang), "eur"),
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
    return country_drill(countries, bucket, EQUAL_SPLIT, REGIONAL, lang)  # says the bar is a computed share


chart(
    buckets_figure,
    bucket_table,
    "buckets_chart",
    _("Of {total}, ", lang, total=meur(total, lang))
    + "; ".join(f"{label}: {meur(v, lang)}" for label, v in zip(labels, buckets["amount_eur"], strict=True))
    + ".",
    bucket_money,
    drill=_bucket_drill,
)
st.subheader(REGIONAL)
regional = page_of(ctx.view(regional_rows, of="allocations"), "regional_page", lang)
st.dataframe(
    pd.DataFrame(
        {
            _("Reference", lang): regional["reference"],
            _("Title", lang): regional["title"],
            _("Countries covered", lang): regional["countries"].map(
                lambda cs: ", ".join(refdata.country_name(c, lang) for c in cs) or _("not given", lang)
            ),
            _("Amount", lang): [eur(v, lang) for v in regional["amount_eur"]],
            _("Basis", lang): regional["amount_basis"],
        }
    ),
    hide_index=True,
)
