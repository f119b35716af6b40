"""Explorer: the allocation table under the shared filters, with the totals shown and the exports."""

import dataclasses
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import streamlit as st

from analysis.aggregate import contracted_by_decision
from dashboard.cache import shipped_results as results_file
from dashboard.cache import transactions
from dashboard.results import reported_rows
from dashboard.sidebar import described
from dashboard.url import read_table_url, write_table_url
from dashboard.widgets import PageContext, data_caption, kpi_label, md_escape, no_rows, page_of, require_router
from domain import refdata
from domain.dataset import DEFAULT_DATASET
from domain.fmt import eur, long_date, meur
from domain.i18n import _, ngettext
from downloads import tables
from downloads.iati import to_iati
from downloads.tables import (
    FRENCH_EXCEL,
    STANDARD,
    About,
    columns_with_hierarchy,
    export_frame,
    file_name,
    to_csv,
    to_json,
    to_xlsx,
    with_contract_rows,
)
from etl import catalog
from etl.catalog import dataset_title
from etl.results import EXPORT_SOURCE, RESULTS_AS_OF

require_router(__file__)

ctx = PageContext()
lang, pub, profile = ctx.lang, ctx.pub, ctx.profile
allocations = ctx.data.allocations
has_contracts = bool(len(pub.dataset.contracts))
options = list(tables.EXPORT_COLUMNS) + (list(tables.CONTRACT_COLUMNS) if has_contracts else [])
defaults = list(tables.DEFAULT_COLUMNS) + (list(tables.CONTRACT_COLUMNS) if has_contracts else [])
# the EU contribution right after the title, so that it is on screen at 1400 px without scrolling sideways
defaults.insert(defaults.index("title") + 1, defaults.pop(defaults.index("amount_eur")))

st.title(_("Explore and export allocations", lang))
data_caption(pub, ctx.filters, len(allocations), lang)
if drill := st.session_state.pop("_drill_note", None):
    st.info(drill, icon=":material/filter_alt:")

# The chosen columns and sort travel in the link (?columns=…&sort=…&order=asc), so a shared view is the same view.
chooser = "columns_contracts" if has_contracts else "columns"
if unread := read_table_url(chooser, options, defaults, list(tables.TEMPLATE_COLUMNS), "amount_eur"):
    st.warning(
        _("This link holds values that are not applied: ", lang) + md_escape("; ".join(unread)),
        icon=":material/link_off:",
    )
columns = st.multiselect(
    _("Columns", lang),
    options,
    key=chooser,
    format_func=lambda c: tables.header(c, lang),
    help=_("The same columns go into every download.", lang),
)
left, right = st.columns([3, 1])
sort_by = left.selectbox(
    _("Sort by", lang),
    list(tables.TEMPLATE_COLUMNS),
    key="sort_by",
    format_func=lambda c: tables.header(c, lang),
)
descending = right.toggle(_("Largest first", lang), key="sort_desc")
write_table_url(columns, defaults, sort_by, "amount_eur", descending)
if allocations.empty:
    no_rows(lang)
    st.stop()
if not columns:
    st.warning(_("Choose at least one column.", lang))
    st.stop()


def explorer_rows(dataset, with_contracts: bool) -> pd.DataFrame:
    """The decisions, with each one's contracts and contracted amount beside its budget (never added to it)."""
    if not with_contracts:
        return dataset.allocations
    contracted = contracted_by_decision(dataset)
    return dataset.allocations.assign(
        n_contracts=contracted["n_contracts"].to_numpy(), contracted_eur=contracted["contracted_eur"].to_numpy()
    )


def sort_order(allocations, sort_by: str, descending: bool) -> np.ndarray:
    """Positions of the projects in the chosen order (stable; unknown values last): 8 bytes a project, not a copy."""
    sort_key = allocations[sort_by].reset_index(drop=True)
    if sort_by in ("countries", "objectives", "valletta_domains"):
        sort_key = sort_key.map(lambda v: ";".join(str(x) for x in v))
    return sort_key.sort_values(ascending=not descending, na_position="last", kind="stable").index.to_numpy()


def table_of(rows: pd.DataFrame, positions: np.ndarray, columns: list[str], lang: str) -> pd.DataFrame:
    """The export table of the chosen columns for the rows at ``positions`` (:func:`downloads.tables.export_frame`)."""
    return export_frame(rows.iloc[positions], columns, lang)


def scope_totals(allocations: pd.DataFrame) -> tuple[int, int]:
    """National and regional totals (EUR)."""
    national = int(allocations.loc[allocations["scope"] == "national", "amount_eur"].sum())
    return national, int(allocations.loc[allocations["scope"] == "regional", "amount_eur"].sum())


# Only the order is kept (cached) and only the page on screen is built; the downloads build the
# whole table when clicked (1M projects: no sorted copy nor export table held per sort and columns).
rows = ctx.view(explorer_rows, has_contracts)
order = ctx.view(sort_order, sort_by, descending, of="allocations")
national, regional = ctx.view(scope_totals, of="allocations")
total = national + regional
k1, k2, k3, k4 = st.columns(4)
k1.metric(kpi_label(_("Projects shown", lang), ctx.filters, lang), f"{len(order)}", border=True)
for column, label, amount in (
    (k2, _("Total shown", lang), total),
    (k3, _("National", lang), national),
    (k4, _("Regional", lang), regional),
):
    column.metric(kpi_label(label, ctx.filters, lang), meur(amount, lang), help=eur(amount, lang), border=True)

# A link to each project's page, in this dataset and version (a reference may be in several datasets).
link_params = {"lang": lang}
if pub.name != DEFAULT_DATASET:
    link_params["dataset"] = catalog.dataset_slug(pub.name)
if not pub.is_latest:
    link_params["version"] = f"v{pub.info.number}"
on_page = page_of(pd.Series(order), "explorer_page", lang).to_numpy()
display = table_of(rows, on_page, columns, lang)  # only the rows on screen are built, labelled and sent
if "reference" in display:
    display.insert(0, "view", ["/project?" + urlencode({"ref": ref, **link_params}) for ref in display["reference"]])
labels = {
    "window": lambda v: f"{v} – {refdata.WINDOWS.get(v, {}).get(lang, v)}",
    # in French the table already holds the template's words (national, régional): kept as they are
    "scope": lambda v: refdata.SCOPES.get(v, {}).get(lang, v) if lang == "en" else v,
    "countries": lambda v: ", ".join(f"{c} – {refdata.country_name(c, lang)}" for c in v.split(";") if c),
    "objectives": lambda v: ", ".join(f"{o} – {refdata.OBJECTIVES[int(o)][lang]}" for o in v.split(";") if o),
    "valletta_domains": lambda v: ", ".join(
        f"{d} – {refdata.VALLETTA_DOMAINS[int(d)][lang]}" for d in v.split(";") if d
    ),
}
for column, label in labels.items():
    if column in display:
        display[column] = display[column].map(label, na_action="ignore")
config = {c: st.column_config.Column(tables.header(c, lang)) for c in columns}
config["view"] = st.column_config.LinkColumn(_("Project", lang), display_text=_("open", lang), width="small")
for long_text in ("title", "implementing_partner", "source"):  # keep the amounts in view
    if long_text in columns:
        config[long_text] = st.column_config.TextColumn(tables.header(long_text, lang), width="medium")
for money in ("amount_eur", "contracted_eur"):
    if money in columns:
        config[money] = st.column_config.NumberColumn(tables.header(money, lang), format="localized")
if "approval_date" in columns:
    config["approval_date"] = st.column_config.DateColumn(
        tables.header("approval_date", lang), format="DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD"
    )
st.dataframe(display, hide_index=True, column_config=config, key="explorer_table")
if "approval_date" in columns and rows["approval_date"].isna().any():
    st.caption(
        ngettext(
            "{n} approval date is unknown: the sources do not give it.",
            "{n} approval dates are unknown: the sources do not give them.",
            int(rows["approval_date"].isna().sum()),
            lang,
        )
    )

st.subheader(_("Download exactly this table", lang))
about = About(
    dataset=dataset_title(pub.name, lang),
    version=pub.version,
    filters=tuple(described(ctx.filters, lang)),
    sources=(
        (
            _("European Commission, EU Emergency Trust Fund for Africa (EUTF) — decisions and action documents", lang),
            _("Joint communiqué Mali–EU, second High-Level Dialogue on migration, Bamako, 11 December 2016", lang),
        )
        if profile.communique
        else (profile.source_in(lang).split(":", 1)[-1].strip(),)
    )
    + (
        (
            _("Contracts: inside their decisions' budgets; the totals count the decision budgets only", lang),
            *((profile.caveat_in(lang),) if profile.caveat else ()),
        )
        if has_contracts
        else ((profile.caveat_in(lang),) if profile.caveat else ())
    )
    + (
        _(
            "Per-project sources: the Source column; method and inferred figures: the dashboard's Sources & method "
            "page",
            lang,
        )
        if "source" in columns
        else _(
            "Per-project sources: the Source column, which this export leaves out (add it under Columns); method and "
            "inferred figures: the dashboard's Sources & method page",
            lang,
        ),
    ),
    citation=_(
        "EUTF allocations dashboard, {dataset}, version {n} ({sha}), accessed {date}.",
        lang,
        dataset=dataset_title(pub.name, lang),
        n=pub.info.number,
        sha=pub.info.file_sha256[:8],
        date=long_date(pd.Timestamp.now(tz="UTC"), lang),
    ),
    lang=lang,
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_table(download_lang: str) -> pd.DataFrame:
    """The rows on screen (every page), each decision followed by its contracts as rows of their own."""
    if not has_contracts:
        return table_of(rows, order, columns, download_lang)
    with_contracts = with_contract_rows(rows.iloc[order], ctx.data.contracts)
    return export_frame(with_contracts, columns_with_hierarchy(columns), download_lang)


def with_results(about: About) -> tuple[About, pd.DataFrame | None]:
    """The XLSX's About and its Results sheet: the shown decisions' reported values (:func:`etl.results.rows_of`)."""
    source = results_file()
    reported = reported_rows(ctx.data, list(rows["reference"].iloc[order]))
    if reported.empty:
        return about, None
    line = _(EXPORT_SOURCE, lang, file=source.file_name, date=RESULTS_AS_OF)
    return dataclasses.replace(about, sources=(*about.sources, line)), reported


downloads = (
    (_("CSV (standard)", lang), lambda: to_csv(download_table("en"), STANDARD), "csv", "",
     "text/csv", _("UTF-8 with BOM, comma separator, ISO dates, English headers.", lang)),
    (_("CSV (French Excel)", lang), lambda: to_csv(download_table("fr"), FRENCH_EXCEL), "csv",
     "_excel-fr", "text/csv",
     _("UTF-8 with BOM, semicolon separator, dd/mm/yyyy dates, French headers: opens directly in French Excel.",
       lang)),
    ("Excel (.xlsx)", lambda: to_xlsx(download_table(lang), *with_results(about)), "xlsx", "", XLSX,
     _("With an 'About' sheet: filters, version, export time, totals, sources and a suggested citation.", lang)),
    ("JSON", lambda: to_json(download_table("en")), "json", "", "application/json",
     _("Records, for scripts: codes and English spellings in every language, like the standard CSV.", lang)),
    ("IATI (.xml)", lambda: to_iati(ctx.data.records, about, fallback_date=pub.info.published_at.date(),
                                    transactions=transactions(pub)), "xml",
     "_iati", "application/xml",
     _("IATI 2.03 activity XML, valid against the IATI schema: these projects with their contracts, every field "
       "whatever the columns chosen, and the version's IATI transactions; provenance as reporting-org and a comment.",
       lang)),
)  # fmt: skip
for column, (label, data, extension, suffix, mime, help_text) in zip(
    st.columns(len(downloads)), downloads, strict=True
):
    column.download_button(
        label,
        data=data,
        file_name=file_name(
            "eutf-allocations" if profile.communique else catalog.dataset_slug(pub.name),
            pub.info.number,
            extension,
            suffix=suffix,
        ),
        mime=mime,
        key=f"dl_{extension}{suffix}",
        icon=":material/download:",
        help=help_text,
    )
st.caption(
    _(
        "{n} rows, {total} in total: the downloads hold exactly these rows (every page of the table) and the "
        "columns above, in this order. Text that a spreadsheet would read as a formula is neutralised.",
        lang,
        n=len(order),
        total=md_escape(eur(total, lang)),
    )
)
