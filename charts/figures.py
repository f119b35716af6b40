"""Pure builders of plotly figures; each takes an aggregate table from :mod:`analysis.aggregate`.

Conventions for every chart: a title that says what and the unit, amounts on the axis in
M€ with one decimal and exact euros on hover, a footer line with the data version and
source, a colour-blind-safe palette (Okabe-Ito), and inferred amounts drawn with a hatch
pattern *and* named in the legend and hover, so that meaning never rests on colour alone.
"""

from __future__ import annotations

import html
import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

from charts import palette
from domain import refdata
from domain.filters import NO_ROUND, UNDATED
from domain.fmt import eur, millions, plotly_separators, punctuate
from domain.i18n import N_, _, ngettext

FONT = "Source Sans Pro, Arial, sans-serif"

_T = {
    "inferred": N_("inferred amount"),
    "sourced": N_("sourced amount"),
    "inferred_share": N_("equal share of inferred amounts (computed)"),
    "sourced_share": N_("equal share of sourced amounts (computed)"),
    "national": N_("National (one country)"),
    "regional": N_("Regional (multi-country)"),
    "meur": N_("Allocation (M€)"),
    "projects": N_("projects"),
    "cumulative": N_("Cumulative"),
    "control": N_("Figure reported at the dialogue"),
    "control_all": N_("all projects"),
    "control_national": N_("national projects only"),
    "added": N_("added at this dialogue"),
    "no_round": N_("After the last dialogue"),
    "undated": N_("Date unknown"),
    "covered": N_("Covered only by multi-country (regional) projects"),
    "national_alloc": N_("National allocation"),
    "of_which_inferred": N_("of which inferred"),
    "grey_note": N_(
        "Grey: covered only by multi-country (regional) projects (their amounts are not apportioned to countries)"
    ),
    "regional_note": N_("covering it (not apportioned)"),
}


def t(key: str, lang: str) -> str:
    """Chart wording in English or French (from the message catalogue, :mod:`domain.i18n`)."""
    return _(_T[key], lang)


def plural(n: int, noun: str, lang: str) -> str:
    """``1 project`` / ``2 projects`` (``1 projet`` / ``2 projets``)."""
    if noun == "regional_initiative":
        return ngettext("{n} regional initiative", "{n} regional initiatives", n, lang)
    return ngettext("{n} project", "{n} projects", n, lang)


def round_label(rnd: int, lang: str) -> str:
    """``2nd High-Level Dialogue`` / ``2e dialogue de haut niveau``; 0: after the last one; -1: date unknown."""
    if rnd == NO_ROUND:
        return t("no_round", lang)
    if rnd == UNDATED:
        return t("undated", lang)
    if lang == "fr":
        return f"{rnd}{'er' if rnd == 1 else 'e'} dialogue de haut niveau"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(rnd, "th")
    return f"{rnd}{suffix} High-Level Dialogue"


def money_ticks(maximum: int, lang: str) -> tuple[list[int], list[str]]:
    """Round tick positions in EUR up to ``maximum``, labelled in M€ with one decimal."""
    if maximum <= 0:
        return [0], [millions(0, lang)]
    raw = maximum / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [round(i * step) for i in range(int(maximum // step) + 2)]
    return ticks, [millions(v, lang) for v in ticks]


#: Pixels above the plot: title, the source lines, the legend.
_TOP = 118


def _frame(fig: go.Figure, title: str, footer: str, lang: str, height: int) -> go.Figure:
    """Title, source lines, legend under them, locale separators.

    The source lines are the title's subtitle, so they start at the figure's left edge and
    are never pushed off by long axis labels. Hover texts get French punctuation in French.
    """
    for trace in fig.data:
        if trace.hovertemplate:
            trace.hovertemplate = punctuate(trace.hovertemplate, lang)
    extra = 14 * max(footer.count("<br>") - 1, 0)  # a third source line (the filters) pushes the legend down
    height += extra
    fig.update_layout(
        title={
            "text": title,
            "x": 0,
            "xref": "container",
            "xanchor": "left",
            "y": 1 - 8 / height,
            "yref": "container",
            "yanchor": "top",
            "font": {"size": 17},
            "subtitle": {"text": footer, "font": {"size": 11, "color": palette.FOOTER}},
            "pad": {"l": 4},
        },
        font={"family": FONT, "size": 13, "color": palette.TEXT},
        separators=plotly_separators(lang),
        height=height,
        margin={"l": 10, "r": 10, "t": _TOP + extra, "b": 50},
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 1 - (76 + extra) / height,
            "yanchor": "top",
            "x": 0,
            "xref": "container",
            "xanchor": "left",
            "traceorder": "normal",
        },
        plot_bgcolor="white",
        hoverlabel={"font": {"family": FONT}},
    )
    return fig


def wrap(label: str, width: int = 42) -> str:
    """Break a long axis label over lines (plotly ``<br>``) so that it is never cut."""
    return "<br>".join(textwrap.wrap(label, width)) or label


def _hbar_money_axis(fig: go.Figure, maximum: int, lang: str) -> None:
    ticks, labels = money_ticks(maximum, lang)
    fig.update_xaxes(
        tickvals=ticks,
        ticktext=labels,
        range=[0, max(ticks[-1], 1)],
        title={"text": t("meur", lang)},
        gridcolor=palette.GRID,
        zeroline=True,
        zerolinecolor=palette.ZERO_LINE,
    )
    fig.update_yaxes(autorange="reversed", automargin=True)


def short_title(title: object, width: int = 40) -> str:
    """A project title cut at a word before ``width`` characters, with ``…`` when cut; ``""`` when missing."""
    if title is None or pd.isna(title):
        return ""
    text = " ".join(str(title).split())
    return text if len(text) <= width else textwrap.shorten(text, width, placeholder="…")


def project_labels(table: pd.DataFrame) -> list[str]:
    """Axis labels of the project bars: the short title over the reference (HTML-escaped, plotly ``<br>``).

    A chart saved as PNG is then readable without hovering; the reference stays, unique, for the click.
    """
    return [
        f"{html.escape(short_title(title))}<br>{html.escape(str(ref))}" if short_title(title) else html.escape(str(ref))
        for ref, title in zip(table["reference"], table["title"], strict=True)
    ]


def projects_bar(table: pd.DataFrame, lang: str, footer: str, title: str) -> go.Figure:
    """One horizontal bar per project, coloured by scope, hatched where the amount is inferred.

    Args:
        table: :func:`analysis.aggregate.by_project`.
        lang: ``en`` or ``fr`` (labels, number separators).
        footer: the source line under the chart.
        title: the chart's title, with its unit.
    """
    fig = go.Figure()
    labels = pd.Series(project_labels(table), index=table.index)
    for scope in ("national", "regional"):
        for inferred in (False, True):
            part = table[(table["scope"] == scope) & ((table["amount_basis"] == "inferred") == inferred)]
            if part.empty:
                continue
            name = t(scope, lang) + (f" – {t('inferred', lang)}" if inferred else "")
            fig.add_bar(
                y=labels[part.index],
                x=part["amount_eur"].astype("int64"),
                orientation="h",
                name=name,
                marker={"color": palette.SCOPE[scope], "pattern": palette.INFERRED_PATTERN if inferred else {}},
                customdata=list(
                    zip(
                        [html.escape(str(t)[:90]) for t in part["title"]],
                        [eur(v, lang) for v in part["amount_eur"]],
                        [t("inferred" if inferred else "sourced", lang)] * len(part),
                        [html.escape(str(ref)) for ref in part["reference"]],
                        strict=True,
                    )
                ),
                hovertemplate="<b>%{customdata[3]}</b><br>%{customdata[0]}<br>%{customdata[1]} (%{customdata[2]})"
                "<extra></extra>",
            )
    fig.update_layout(barmode="stack", yaxis={"categoryorder": "array", "categoryarray": list(labels)})
    _hbar_money_axis(fig, int(table["amount_eur"].max() or 0), lang)
    return _frame(fig, title, footer, lang, height=_TOP + 90 + 44 * len(table))


def split_bar(
    table: pd.DataFrame,
    labels: list[str],
    lang: str,
    footer: str,
    title: str,
    colour: str | list[str] = palette.DOMAIN,
    shares: bool = False,
    hatched: str = "inferred_eur",
    names: tuple[str, str] | None = None,
) -> go.Figure:
    """Horizontal bars of an allocation split (objectives, domains, themes), sourced then inferred part.

    Args:
        table: has amount_eur, inferred_eur, n_projects (one row per bar, in order).
        labels: bar labels, in the table's order.
        lang: ``en`` or ``fr`` (labels, number separators).
        footer: the source line under the chart.
        title: the chart's title, with its unit.
        colour: the bars' colour (a role of :mod:`charts.palette`), or one colour per bar.
        shares: the bars are equal shares computed by a stated rule, not amounts of a source: the
            legend and the hover say so (``equal share of sourced amounts (computed)``).
        hatched: the column of the part drawn hatched (default the inferred part; ``split_eur`` for
            the part of DAC sectors that comes from splitting a decision).
        names: the legend's names of the plain and the hatched part, in ``lang`` (default: sourced
            and inferred).
    """
    labels = [wrap(html.escape(label)) for label in labels]  # plotly renders a subset of HTML in labels
    sourced = (table["amount_eur"] - table[hatched]).astype("int64")
    inferred = table[hatched].astype("int64")
    totals = [eur(v, lang) for v in table["amount_eur"]]
    counts = [plural(int(n), "project", lang) for n in table["n_projects"]]
    fig = go.Figure()
    for values, basis in ((sourced, "sourced"), (inferred, "inferred")):
        if basis == "inferred" and not values.any():
            continue
        name = t(f"{basis}_share" if shares else basis, lang)
        if names is not None:
            name = names[0] if basis == "sourced" else names[1]
        fig.add_bar(
            y=labels,
            x=values,
            orientation="h",
            name=name,
            marker={"color": colour, "pattern": palette.INFERRED_PATTERN if basis == "inferred" else {}},
            customdata=list(zip([eur(v, lang) for v in values], totals, counts, strict=True)),
            hovertemplate=(
                "<b>%{y}</b><br>" + name + ": %{customdata[0]}<br>Total: %{customdata[1]}"
                "<br>%{customdata[2]}<extra></extra>"
            ),
        )
    fig.update_layout(barmode="stack", showlegend=bool(inferred.any()))
    _hbar_money_axis(fig, int(table["amount_eur"].max() or 0), lang)
    return _frame(fig, title, footer, lang, height=_TOP + 100 + 46 * len(table))


#: Map extents: the Sahel and West Africa (the Mali dataset), or every EUTF country
#: from Morocco to South Africa's north and from Senegal to Yemen (the portfolio).
MAP_EXTENTS = {
    "sahel": {"scope": "africa", "lataxis_range": [0, 30], "lonaxis_range": [-20, 25]},
    # with a margin round the EUTF countries (Tunisia's north at 37.3°N, Senegal's coast at 17.5°W)
    "africa": {"scope": "world", "lataxis_range": [-14, 40], "lonaxis_range": [-24, 58]},
}


def _map_hover_texts(table: pd.DataFrame, lang: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """Per country of ``table``: its name, ISO alpha-3 code, the regional line and the inferred line of its hover."""
    names = [refdata.country_name(c, lang) for c in table["country"]]
    iso3 = [refdata.country_alpha3(c) for c in table["country"]]
    regional_text = [
        f"{plural(n, 'regional_initiative', lang)} {t('regional_note', lang)}: {eur(v, lang)}"
        for n, v in zip(table["n_regional"], table["regional_covering_eur"], strict=True)
    ]
    inferred_text = [
        f"<br>{t('of_which_inferred', lang)}: {eur(v, lang)}" if v else "" for v in table["national_inferred_eur"]
    ]
    return names, iso3, regional_text, inferred_text


def _add_covered_layer(fig: go.Figure, covered: pd.DataFrame, texts: tuple, lang: str) -> None:
    """The grey layer: countries with no coloured amount, covered only by regional initiatives."""
    names, iso3, regional_text, _inferred_text = texts
    idx = covered.index
    fig.add_choropleth(
        locations=[iso3[i] for i in idx],
        z=[1] * len(idx),
        locationmode="ISO-3",
        colorscale=[[0, palette.MAP_COVERED], [1, palette.MAP_COVERED]],
        showscale=False,
        name=t("covered", lang),
        marker={"line": {"color": palette.MAP_COVERED_BORDER, "width": 0.8}},
        customdata=[[names[i], regional_text[i]] for i in idx],
        hovertemplate="<b>%{customdata[0]}</b><br>" + t("covered", lang) + "<br>%{customdata[1]}<extra></extra>",
    )


def _add_amount_layer(
    fig: go.Figure, table: pd.DataFrame, with_amount: pd.DataFrame, texts: tuple, value_label: str, lang: str
) -> None:
    """The coloured layer: countries with an amount (``national_eur``), brightest on the largest, with its scale."""
    names, iso3, regional_text, inferred_text = texts
    idx = with_amount.index
    top = int(with_amount["national_eur"].max())
    ticks, labels = money_ticks(top, lang)
    fig.add_choropleth(
        locations=[iso3[i] for i in idx],
        z=with_amount["national_eur"].astype("int64"),
        zmin=0,
        zmax=max(top, 1),
        locationmode="ISO-3",
        colorscale=palette.MAP_SCALE,  # brightest on the largest amount
        name=value_label,
        marker={"line": {"color": palette.MAP_BORDER, "width": 1}},
        colorbar={"title": {"text": t("meur", lang)}, "tickvals": ticks, "ticktext": labels},
        customdata=[
            [
                names[i],
                eur(table.at[i, "national_eur"], lang),
                plural(int(table.at[i, "n_national"]), "project", lang),
                regional_text[i],
                inferred_text[i],
            ]
            for i in idx
        ],
        hovertemplate=(
            "<b>%{customdata[0]}</b><br>"
            + value_label
            + ": %{customdata[1]} (%{customdata[2]})%{customdata[4]}<br>%{customdata[3]}<extra></extra>"
        ),
    )


def _map_geography(fig: go.Figure, extent: str) -> None:
    """The map's extent (:data:`MAP_EXTENTS`), projection, borders and land colours."""
    fig.update_geos(
        **MAP_EXTENTS[extent],
        showcountries=True,
        countrycolor=palette.MAP_COUNTRY_LINE,
        showcoastlines=True,
        coastlinecolor=palette.MAP_COUNTRY_LINE,
        showland=True,
        landcolor=palette.MAP_LAND,
        showframe=False,
        projection_type="mercator",
    )


def _map_note(fig: go.Figure, note: str) -> None:
    """What grey means, written in the map's lower left corner."""
    fig.add_annotation(
        text=note,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        align="left",
        bgcolor="rgba(255,255,255,0.85)",
        font={"size": 11, "color": palette.NOTE},
    )


def country_map(
    table: pd.DataFrame,
    lang: str,
    footer: str,
    title: str,
    *,
    extent: str = "sahel",
    value_label: str | None = None,
    grey_note: str | None = None,
) -> go.Figure:
    """Map of national allocations by country; countries covered only by regional initiatives in grey.

    The map is drawn from plotly.js's own topojson, which the app serves itself (see
    ``static/topojson/SOURCE.md``); pass ``config={"topojsonURL": ...}`` when rendering.

    Args:
        table: :func:`analysis.aggregate.by_country` (``national_eur`` is the coloured amount).
        lang: ``en`` or ``fr`` (labels, number separators).
        footer: the source line under the chart.
        title: the chart's title, with its unit.
        extent: a key of :data:`MAP_EXTENTS`.
        value_label: what the colour is, in the hover (default: "National allocation").
        grey_note: what grey means, written on the map (default: covered only by regional
            initiatives, not apportioned).
    """
    value_label = value_label or t("national_alloc", lang)
    texts = _map_hover_texts(table, lang)
    coloured = table["national_eur"] > 0
    fig = go.Figure()
    if (~coloured).any():
        _add_covered_layer(fig, table[~coloured], texts, lang)
    if coloured.any():
        _add_amount_layer(fig, table, table[coloured], texts, value_label, lang)
    _map_geography(fig, extent)
    _map_note(fig, grey_note or t("grey_note", lang))
    fig = _frame(fig, title, footer, lang, height=600)
    fig.update_layout(margin={"l": 0, "r": 0, "t": _TOP, "b": 10})
    return fig


def rounds_chart(table: pd.DataFrame, lang: str, footer: str, title: str, show_reported: bool = True) -> go.Figure:
    """Allocations added at each High-Level Dialogue (stacked by scope), cumulative, and as reported.

    Bars: the amounts added since the previous dialogue, hatched where inferred; dotted
    line: the cumulative total, over the dated dialogues only (not through the bar of projects
    after the last dialogue or without a date); diamonds: the figure each dialogue itself reported (its
    control total: all projects, or national projects only at the 1st).

    Args:
        table: :func:`analysis.aggregate.by_round`.
        lang: ``en`` or ``fr`` (labels, number separators).
        footer: the source line under the chart.
        title: the chart's title, with its unit.
        show_reported: False under filters: the reported figures are for the whole dataset
            and would look like gaps.
    """
    labels = [round_label(int(r), lang) for r in table["dialogue_round"]]
    fig = go.Figure()
    for scope in ("national", "regional"):
        total = table[f"{scope}_eur"].astype("int64")
        inferred = table[f"{scope}_inferred_eur"].astype("int64")
        for part, values in (("sourced", total - inferred), ("inferred", inferred)):
            if part == "inferred" and not values.any():
                continue
            name = t(scope, lang) + (f" – {t('inferred', lang)}" if part == "inferred" else "")
            fig.add_bar(
                x=labels,
                y=values,
                name=name,
                marker={
                    "color": palette.SCOPE[scope],
                    "pattern": palette.INFERRED_PATTERN if part == "inferred" else {},
                },
                customdata=list(zip([eur(v, lang) for v in values], [eur(v, lang) for v in total], strict=True)),
                hovertemplate=(
                    "<b>%{x}</b><br>"
                    + name
                    + ": %{customdata[0]}<br>"
                    + t(scope, lang)
                    + ", "
                    + t("added", lang)
                    + ": %{customdata[1]}<extra></extra>"
                ),
            )
    # The cumulative line runs through the dated dialogues only: projects approved after the last
    # dialogue, and undated ones (which have no place in time), get their own bars.
    dated = (table["dialogue_round"] > NO_ROUND).to_numpy()
    fig.add_scatter(
        x=[label for label, ok in zip(labels, dated, strict=True) if ok],
        y=table.loc[dated, "cumulative_eur"].astype("int64"),
        name=t("cumulative", lang),
        mode="lines+markers",
        line={"color": palette.REFERENCE_LINE, "dash": "dot"},
        marker={"symbol": "circle", "size": 9},
        customdata=[eur(v, lang) for v in table.loc[dated, "cumulative_eur"]],
        hovertemplate="<b>%{x}</b><br>" + t("cumulative", lang) + ": %{customdata}<extra></extra>",
    )
    control = table["control_all_eur"].fillna(table["control_national_eur"])
    what = [t("control_all", lang) if pd.notna(a) else t("control_national", lang) for a in table["control_all_eur"]]
    has_control = control.notna() & show_reported
    if has_control.any():
        fig.add_scatter(
            x=[label for label, ok in zip(labels, has_control, strict=True) if ok],
            y=control[has_control].astype("int64"),
            name=t("control", lang),
            mode="markers",
            marker={"symbol": "diamond-open", "size": 16, "color": palette.REPORTED, "line": {"width": 3}},
            customdata=[[eur(v, lang), w] for v, w, ok in zip(control, what, has_control, strict=True) if ok],
            hovertemplate="<b>%{x}</b><br>"
            + t("control", lang)
            + " (%{customdata[1]}): %{customdata[0]}<extra></extra>",
        )
    top = int(max(table["cumulative_eur"].max(), control[has_control].max() if has_control.any() else 0))
    ticks, tick_labels = money_ticks(top, lang)
    fig.update_yaxes(
        tickvals=ticks,
        ticktext=tick_labels,
        range=[0, ticks[-1]],
        title={"text": t("meur", lang)},
        gridcolor=palette.GRID,
    )
    fig.update_layout(barmode="stack")
    return _frame(fig, title, footer, lang, height=540)


def coverage_bar(table: pd.DataFrame, labels: list[str], total_eur: int, lang: str, footer: str, title: str):
    """Horizontal bars: the share of the decisions' amount that reports each indicator (one bar per indicator).

    Args:
        table: :func:`etl.results.summarise` rows to draw (coverage_eur ``Int64`` EUR, n_decisions).
        labels: one label per row (the indicator as published).
        total_eur: the amount of all decisions shown (EUR), the 100 %.
        lang: ``en`` or ``fr``.
        footer: the source lines under the title.
        title: the chart's title, with its unit.
    """
    from domain.fmt import pct

    # the bars in the order of what they show (largest share first), whichever rows were chosen
    order = sorted(range(len(table)), key=lambda i: -int(table["coverage_eur"].iloc[i]))
    table, labels = table.iloc[order], [labels[i] for i in order]
    wrapped = [wrap(html.escape(label), 60) for label in labels]
    lines = max((label.count("<br>") + 1 for label in wrapped), default=1)
    shares = [100 * int(v) / total_eur if total_eur else 0 for v in table["coverage_eur"]]
    fig = go.Figure()
    fig.add_bar(
        y=wrapped,
        x=shares,
        orientation="h",
        marker={"color": palette.COVERAGE},
        customdata=list(
            zip(
                [pct(int(v), total_eur, lang) for v in table["coverage_eur"]],
                [eur(v, lang) for v in table["coverage_eur"]],
                [plural(int(n), "project", lang) for n in table["n_decisions"]],
                strict=True,
            )
        ),
        hovertemplate="<b>%{y}</b><br>%{customdata[0]} · %{customdata[1]}<br>%{customdata[2]}<extra></extra>",
        text=[pct(int(v), total_eur, lang) for v in table["coverage_eur"]],
        textposition="outside",
    )
    fig.update_xaxes(range=[0, 100], ticksuffix="%" if lang == "en" else "\u00a0%", gridcolor=palette.GRID)
    fig.update_yaxes(autorange="reversed", automargin=True)
    # every bar's slot tall enough for its label's lines, so that labels never overprint each other
    return _frame(fig, title, footer, lang, height=_TOP + 90 + max(44, 17 * lines + 14) * len(table))


def years_bar(table: pd.DataFrame, labels: list[str], lang: str, footer: str, title: str) -> go.Figure:
    """Vertical bars of approvals by year, the undated bar apart (grey, after a gap), inferred parts hatched.

    Args:
        table: :func:`analysis.timeline.approvals_by_year` (year ``Int64``, missing for the undated row).
        labels: one x label per row (the year, or the undated row's name).
        lang: ``en`` or ``fr``.
        footer: the source lines under the title.
        title: the chart's title, with its unit.
    """
    undated = table["year"].isna().to_numpy()
    fig = go.Figure()
    for basis in ("sourced", "inferred"):
        values = (table["inferred_eur"] if basis == "inferred" else table["amount_eur"] - table["inferred_eur"]).astype(
            "int64"
        )
        if basis == "inferred" and not values.any():
            continue
        fig.add_bar(
            x=labels,
            y=values,
            name=t(basis, lang),
            marker={
                "color": [palette.UNDATED if u else palette.APPROVED for u in undated],
                "pattern": palette.INFERRED_PATTERN if basis == "inferred" else {},
            },
            customdata=list(
                zip(
                    [eur(v, lang) for v in table["amount_eur"]],
                    [plural(int(n), "project", lang) for n in table["n_projects"]],
                    strict=True,
                )
            ),
            hovertemplate="<b>%{x}</b><br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        )
    ticks, tick_labels = money_ticks(int(table["amount_eur"].max() or 0), lang)
    fig.update_layout(barmode="stack", showlegend=bool(table["inferred_eur"].astype("int64").any()))
    fig.update_xaxes(type="category")
    fig.update_yaxes(
        tickvals=ticks, ticktext=tick_labels, range=[0, max(ticks[-1], 1)], title={"text": t("meur", lang)}
    )
    fig.update_yaxes(gridcolor=palette.GRID)
    return _frame(fig, title, footer, lang, height=_TOP + 420)


def running_bar(table: pd.DataFrame, lang: str, footer: str, title: str, axis: str) -> go.Figure:
    """Vertical bars: decisions under implementation each year (a count; years overlap).

    Args:
        table: :func:`analysis.timeline.running_by_year` (year, n_running).
        lang: ``en`` or ``fr``.
        footer: the source lines under the title.
        title: the chart's title, with its unit.
        axis: the y axis title.
    """
    fig = go.Figure()
    fig.add_bar(
        x=[str(y) for y in table["year"]],
        y=table["n_running"],
        marker={"color": palette.RUNNING},
        customdata=[plural(int(n), "project", lang) for n in table["n_running"]],
        hovertemplate="<b>%{x}</b><br>%{customdata}<extra></extra>",
    )
    fig.update_xaxes(type="category")
    fig.update_yaxes(title={"text": axis}, gridcolor=palette.GRID, rangemode="tozero")
    return _frame(fig, title, footer, lang, height=_TOP + 380)
