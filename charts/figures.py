"""Pure builders of plotly figures; each takes an aggregate table from :mod:`etl.aggregate`.

Conventions for every chart: a title that says what and the unit, amounts on the axis in
M€ with one decimal and exact euros on hover, a footer line with the data version and
source, a colour-blind-safe palette (Okabe-Ito), and inferred amounts drawn with a hatch
pattern *and* named in the legend and hover, so that meaning never rests on colour alone.
"""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go

from charts.fmt import eur, meur, plotly_separators
from etl import refdata

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
SCOPE_COLOURS = {"national": "#0072B2", "regional": "#E69F00"}
INFERRED_PATTERN = {"shape": "/", "fgcolor": "#ffffff", "size": 7, "solidity": 0.4, "fillmode": "overlay"}
FONT = "Source Sans Pro, Arial, sans-serif"

_T = {
    "inferred": {"en": "inferred amount", "fr": "montant inféré"},
    "sourced": {"en": "sourced amount", "fr": "montant sourcé"},
    "national": {"en": "National (Mali)", "fr": "National (Mali)"},
    "regional": {"en": "Regional initiatives", "fr": "Initiatives régionales"},
    "meur": {"en": "Allocation (M€)", "fr": "Allocation (M€)"},
    "projects": {"en": "projects", "fr": "projets"},
    "cumulative": {"en": "Cumulative", "fr": "Cumul"},
    "control": {"en": "Figure reported at the dialogue", "fr": "Chiffre annoncé au dialogue"},
    "round": {"en": "High-Level Dialogue", "fr": "Dialogue de haut niveau"},
    "no_round": {"en": "Not yet reported", "fr": "Pas encore rapporté"},
    "not_reported": {"en": "Not reported", "fr": "Non renseigné"},
    "no_theme": {"en": "No theme given", "fr": "Sans thème"},
    "covered": {"en": "Covered by regional initiatives only", "fr": "Couvert seulement par des initiatives régionales"},
    "national_alloc": {"en": "National allocation", "fr": "Allocation nationale"},
    "regional_note": {
        "en": "regional initiatives covering it (not apportioned)",
        "fr": "initiatives régionales le couvrant (non réparties)",
    },
    "split_note": {
        "en": "Projects with several {what} are split equally between them; bars sum to the total.",
        "fr": "Les projets à plusieurs {what} sont répartis à parts égales ; les barres font le total.",
    },
}


def t(key: str, lang: str) -> str:
    """Chart wording in English or French."""
    return _T[key][lang]


def round_label(rnd: int, lang: str) -> str:
    """``2nd High-Level Dialogue`` / ``2e dialogue de haut niveau``; round 0 = not yet reported."""
    if rnd == 0:
        return t("no_round", lang)
    if lang == "fr":
        return f"{rnd}{'er' if rnd == 1 else 'e'} dialogue de haut niveau"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(rnd, "th")
    return f"{rnd}{suffix} High-Level Dialogue"


def money_ticks(maximum: int, lang: str) -> tuple[list[int], list[str]]:
    """Round tick positions in EUR up to ``maximum``, labelled in M€ with one decimal."""
    if maximum <= 0:
        return [0], [meur(0, lang)]
    raw = maximum / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [round(i * step) for i in range(int(maximum // step) + 2)]
    return ticks, [meur(v, lang) for v in ticks]


def _frame(fig: go.Figure, title: str, footer: str, lang: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}},
        font={"family": FONT, "size": 13, "color": "#1a1a1a"},
        separators=plotly_separators(lang),
        height=height,
        margin={"l": 10, "r": 10, "t": 70, "b": 95},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "xanchor": "left", "traceorder": "normal"},
        plot_bgcolor="white",
        hoverlabel={"font": {"family": FONT}},
    )
    fig.add_annotation(
        text=footer,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-60,
        showarrow=False,
        xanchor="left",
        yanchor="top",
        align="left",
        font={"size": 11, "color": "#444444"},
    )
    return fig


def _hbar_money_axis(fig: go.Figure, maximum: int, lang: str) -> None:
    ticks, labels = money_ticks(maximum, lang)
    fig.update_xaxes(
        tickvals=ticks,
        ticktext=labels,
        range=[0, max(ticks[-1], 1)],
        title={"text": t("meur", lang)},
        gridcolor="#dddddd",
        zeroline=True,
        zerolinecolor="#888888",
    )
    fig.update_yaxes(autorange="reversed", automargin=True)


def projects_bar(table: pd.DataFrame, lang: str, footer: str, title: str) -> go.Figure:
    """One horizontal bar per project, coloured by scope, hatched where the amount is inferred.

    Args:
        table: :func:`etl.aggregate.by_project`.
        lang: ``en`` or ``fr`` (labels, number separators).
        footer: the source line under the chart.
        title: the chart's title, with its unit.
    """
    fig = go.Figure()
    for scope in ("national", "regional"):
        for inferred in (False, True):
            part = table[(table["scope"] == scope) & ((table["amount_basis"] == "inferred") == inferred)]
            if part.empty:
                continue
            name = t(scope, lang) + (f" – {t('inferred', lang)}" if inferred else "")
            fig.add_bar(
                y=part["reference"],
                x=part["amount_eur"].astype("int64"),
                orientation="h",
                name=name,
                marker={"color": SCOPE_COLOURS[scope], "pattern": INFERRED_PATTERN if inferred else {}},
                customdata=list(
                    zip(
                        [html.escape(str(t)[:90]) for t in part["title"]],
                        [eur(v, lang) for v in part["amount_eur"]],
                        [t("inferred" if inferred else "sourced", lang)] * len(part),
                        strict=True,
                    )
                ),
                hovertemplate="<b>%{y}</b><br>%{customdata[0]}<br>%{customdata[1]} (%{customdata[2]})<extra></extra>",
            )
    fig.update_layout(barmode="stack", yaxis={"categoryorder": "array", "categoryarray": list(table["reference"])})
    _hbar_money_axis(fig, int(table["amount_eur"].max() or 0), lang)
    return _frame(fig, title, footer, lang, height=140 + 34 * len(table))


def split_bar(
    table: pd.DataFrame, labels: list[str], lang: str, footer: str, title: str, colour: str = OKABE_ITO[2]
) -> go.Figure:
    """Horizontal bars of an allocation split (objectives, domains, themes), sourced then inferred part.

    Args:
        table: has amount_eur, inferred_eur, n_projects (one row per bar, in order).
        labels: bar labels, in the table's order.
        lang: ``en`` or ``fr`` (labels, number separators).
        footer: the source line under the chart.
        title: the chart's title, with its unit.
        colour: the bars' colour (an :data:`OKABE_ITO` colour).
    """
    labels = [html.escape(label) for label in labels]  # plotly renders a subset of HTML in labels
    sourced = (table["amount_eur"] - table["inferred_eur"]).astype("int64")
    inferred = table["inferred_eur"].astype("int64")
    totals = [eur(v, lang) for v in table["amount_eur"]]
    counts = [f"{n} {t('projects', lang)}" for n in table["n_projects"]]
    fig = go.Figure()
    for values, basis in ((sourced, "sourced"), (inferred, "inferred")):
        if basis == "inferred" and not values.any():
            continue
        fig.add_bar(
            y=labels,
            x=values,
            orientation="h",
            name=t(basis, lang),
            marker={"color": colour, "pattern": INFERRED_PATTERN if basis == "inferred" else {}},
            customdata=list(zip([eur(v, lang) for v in values], totals, counts, strict=True)),
            hovertemplate=(
                "<b>%{y}</b><br>" + t(basis, lang) + ": %{customdata[0]}<br>Total: %{customdata[1]}"
                "<br>%{customdata[2]}<extra></extra>"
            ),
        )
    fig.update_layout(barmode="stack", showlegend=bool(inferred.any()))
    _hbar_money_axis(fig, int(table["amount_eur"].max() or 0), lang)
    return _frame(fig, title, footer, lang, height=150 + 42 * len(table))


def country_map(table: pd.DataFrame, lang: str, footer: str, title: str) -> go.Figure:
    """Map of national allocations by country; countries covered only by regional initiatives in grey.

    The map is drawn from plotly.js's own topojson, which the app serves itself (see
    ``static/topojson/SOURCE.md``); pass ``config={"topojsonURL": ...}`` when rendering.

    Args:
        table: :func:`etl.aggregate.by_country`.
        lang: ``en`` or ``fr`` (labels, number separators).
        footer: the source line under the chart.
        title: the chart's title, with its unit.
    """
    names = [refdata.country_name(c, lang) for c in table["country"]]
    iso3 = [refdata.country_alpha3(c) for c in table["country"]]
    regional_text = [
        f"{n} {t('regional_note', lang)}: {eur(v, lang)}"
        for n, v in zip(table["n_regional"], table["regional_covering_eur"], strict=True)
    ]
    national = table["national_eur"] > 0
    fig = go.Figure()
    covered = table[~national]
    if len(covered):
        idx = covered.index
        fig.add_choropleth(
            locations=[iso3[i] for i in idx],
            z=[1] * len(idx),
            locationmode="ISO-3",
            colorscale=[[0, "#d9d9d9"], [1, "#d9d9d9"]],
            showscale=False,
            name=t("covered", lang),
            marker={"line": {"color": "#666666", "width": 0.8}},
            customdata=[[names[i], regional_text[i]] for i in idx],
            hovertemplate="<b>%{customdata[0]}</b><br>" + t("covered", lang) + "<br>%{customdata[1]}<extra></extra>",
        )
    with_national = table[national]
    if len(with_national):
        idx = with_national.index
        top = int(with_national["national_eur"].max())
        ticks, labels = money_ticks(top, lang)
        fig.add_choropleth(
            locations=[iso3[i] for i in idx],
            z=with_national["national_eur"].astype("int64"),
            zmin=0,
            zmax=max(top, 1),
            locationmode="ISO-3",
            colorscale="Cividis",
            reversescale=True,
            name=t("national_alloc", lang),
            marker={"line": {"color": "#222222", "width": 1}},
            colorbar={"title": {"text": t("meur", lang)}, "tickvals": ticks, "ticktext": labels},
            customdata=[
                [names[i], eur(table.at[i, "national_eur"], lang), int(table.at[i, "n_national"]), regional_text[i]]
                for i in idx
            ],
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>"
                + t("national_alloc", lang)
                + ": %{customdata[1]} (%{customdata[2]} "
                + t("projects", lang)
                + ")<br>%{customdata[3]}<extra></extra>"
            ),
        )
    fig.update_geos(
        scope="africa",
        showcountries=True,
        countrycolor="#999999",
        showcoastlines=True,
        coastlinecolor="#999999",
        showland=True,
        landcolor="#f7f7f7",
        showframe=False,
        projection_type="mercator",
        lataxis_range=[0, 30],
        lonaxis_range=[-20, 25],
    )
    fig = _frame(fig, title, footer, lang, height=560)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 70, "b": 95})
    return fig


def rounds_chart(table: pd.DataFrame, lang: str, footer: str, title: str) -> go.Figure:
    """Allocations reported at each High-Level Dialogue (stacked by scope), cumulative, and as reported.

    Bars: the amounts newly reported at each dialogue; dotted line: the cumulative total;
    diamonds: the figure each dialogue itself reported (control totals).

    Args:
        table: :func:`etl.aggregate.by_round`.
        lang: ``en`` or ``fr`` (labels, number separators).
        footer: the source line under the chart.
        title: the chart's title, with its unit.
    """
    labels = [round_label(int(r), lang) for r in table["dialogue_round"]]
    fig = go.Figure()
    for scope in ("national", "regional"):
        column = f"{scope}_eur"
        fig.add_bar(
            x=labels,
            y=table[column].astype("int64"),
            name=t(scope, lang),
            marker={"color": SCOPE_COLOURS[scope]},
            customdata=[eur(v, lang) for v in table[column]],
            hovertemplate="<b>%{x}</b><br>" + t(scope, lang) + ": %{customdata}<extra></extra>",
        )
    fig.add_scatter(
        x=labels,
        y=table["cumulative_eur"].astype("int64"),
        name=t("cumulative", lang),
        mode="lines+markers",
        line={"color": "#000000", "dash": "dot"},
        marker={"symbol": "circle", "size": 9},
        customdata=[eur(v, lang) for v in table["cumulative_eur"]],
        hovertemplate="<b>%{x}</b><br>" + t("cumulative", lang) + ": %{customdata}<extra></extra>",
    )
    control = table["control_all_eur"].fillna(table["control_national_eur"])
    has_control = control.notna()
    if has_control.any():
        fig.add_scatter(
            x=[label for label, ok in zip(labels, has_control, strict=True) if ok],
            y=control[has_control].astype("int64"),
            name=t("control", lang),
            mode="markers",
            marker={"symbol": "diamond-open", "size": 16, "color": OKABE_ITO[5], "line": {"width": 3}},
            customdata=[eur(v, lang) for v in control[has_control]],
            hovertemplate="<b>%{x}</b><br>" + t("control", lang) + ": %{customdata}<extra></extra>",
        )
    top = int(max(table["cumulative_eur"].max(), control.max() if has_control.any() else 0))
    ticks, tick_labels = money_ticks(top, lang)
    fig.update_yaxes(
        tickvals=ticks, ticktext=tick_labels, range=[0, ticks[-1]], title={"text": t("meur", lang)}, gridcolor="#dddddd"
    )
    fig.update_layout(barmode="stack")
    return _frame(fig, title, footer, lang, height=460)
