"""The Explorer page's view model: columns offered, rows, order, totals, the table on screen, the downloads.

Pure functions of the filtered data (the page calls them through ``ctx.view``); no Streamlit.

Amounts are integer euros (EUR) throughout; the page formats them at the edge (:mod:`domain.fmt`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from analysis.aggregate import contracted_by_decision
from domain import refdata
from domain.dataset import DEFAULT_DATASET, Dataset
from domain.fmt import long_date
from domain.i18n import _
from downloads import tables
from downloads.iati import to_iati
from downloads.tables import (
    FRENCH_EXCEL,
    STANDARD,
    About,
    columns_with_hierarchy,
    export_frame,
    file_name,
    header,
    to_csv,
    to_json,
    to_xlsx,
    with_contract_rows,
)
from etl import catalog
from etl.catalog import DatasetProfile, dataset_title
from etl.results import EXPORT_SOURCE, RESULTS_AS_OF
from validation.reconcile import totals

#: The column the table is sorted by when the link names none: the EU contribution (largest first).
DEFAULT_SORT = "amount_eur"
#: Largest first when the link names no order.
DEFAULT_DESCENDING = True

#: Columns whose cells are lists of codes, sorted by their codes joined with ``;``.
LIST_COLUMNS = ("countries", "objectives", "valletta_domains")
#: Long texts shown at medium width, so that the amounts stay in view.
LONG_TEXTS = ("title", "implementing_partner", "source")
#: Amounts shown as numbers in the locale's grouping.
MONEY = ("amount_eur", "contracted_eur")

__all__ = ["header"]  # the columns' headers, for the page's column chooser and sort (:func:`downloads.tables.header`)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Choices:
    """What the column chooser and the sort offer.

    Attributes:
        chooser: the column chooser's widget key (``columns_contracts`` when the dataset has contracts:
            another set of columns, so another widget).
        options: the columns offered (codes of :data:`downloads.tables.EXPORT_COLUMNS`, then the contract
            columns when there are contracts).
        defaults: the columns shown when the link names none; the EU contribution right after the title.
        sortable: the columns the table can be sorted by (the template's).
        default_sort: :data:`DEFAULT_SORT`.
    """

    chooser: str
    options: tuple[str, ...]
    defaults: tuple[str, ...]
    sortable: tuple[str, ...]
    default_sort: str = DEFAULT_SORT


def choices(has_contracts: bool) -> Choices:
    """The columns offered and shown by default, and the sort's columns, for a dataset with or without contracts."""
    contract_columns = list(tables.CONTRACT_COLUMNS) if has_contracts else []
    options = list(tables.EXPORT_COLUMNS) + contract_columns
    defaults = list(tables.DEFAULT_COLUMNS) + contract_columns
    # the EU contribution right after the title, so that it is on screen at 1400 px without scrolling sideways
    defaults.insert(defaults.index("title") + 1, defaults.pop(defaults.index("amount_eur")))
    return Choices(
        chooser="columns_contracts" if has_contracts else "columns",
        options=tuple(options),
        defaults=tuple(defaults),
        sortable=tuple(tables.TEMPLATE_COLUMNS),
    )


def explorer_rows(dataset: Dataset, with_contracts: bool) -> pd.DataFrame:
    """The decisions, with each one's contracts and contracted amount beside its budget (never added to it).

    Returns:
        ``dataset.allocations`` (one row per decision), plus ``n_contracts`` and ``contracted_eur``
        (EUR) when ``with_contracts``.
    """
    if not with_contracts:
        return dataset.allocations
    contracted = contracted_by_decision(dataset)
    return dataset.allocations.assign(
        n_contracts=contracted["n_contracts"].to_numpy(), contracted_eur=contracted["contracted_eur"].to_numpy()
    )


def sort_order(allocations: pd.DataFrame, sort_by: str, descending: bool) -> np.ndarray:
    """Positions of the projects in the chosen order (stable; unknown values last): 8 bytes a project, not a copy.

    Returns:
        An ``int64`` array of row positions into ``allocations`` (``rows.iloc[order]`` is the sorted table).
    """
    sort_key = allocations[sort_by].reset_index(drop=True)
    if sort_by in LIST_COLUMNS:
        sort_key = sort_key.map(lambda v: ";".join(str(x) for x in v))
    return sort_key.sort_values(ascending=not descending, na_position="last", kind="stable").index.to_numpy()


@dataclass(frozen=True)
class Totals:
    """The totals shown above the table (EUR).

    Attributes:
        national: the national projects' EU contribution.
        regional: the regional projects'.
    """

    national: int
    regional: int

    @property
    def total(self) -> int:
        """National and regional together (EUR)."""
        return self.national + self.regional


def scope_totals(allocations: pd.DataFrame) -> Totals:
    """National and regional totals (EUR) of the decisions shown (the one rule, :func:`validation.reconcile.totals`)."""
    by_scope = totals(allocations)
    return Totals(by_scope["national"][1], by_scope["regional"][1])


def unknown_dates(rows: pd.DataFrame, columns: list[str]) -> int:
    """How many shown projects have no approval date, when that column is shown (else 0)."""
    if "approval_date" not in columns:
        return 0
    return int(rows["approval_date"].isna().sum())


def link_params(lang: str, dataset: str, is_latest: bool, number: int) -> dict[str, str]:
    """The query of a link to a project's page, in this dataset and version (a reference may be in several)."""
    params = {"lang": lang}
    if dataset != DEFAULT_DATASET:
        params["dataset"] = catalog.dataset_slug(dataset)
    if not is_latest:
        params["version"] = f"v{number}"
    return params


def _labels(lang: str) -> dict[str, Callable[[str], str]]:
    """How the code columns read on screen: each code with its name in ``lang``."""
    return {
        "window": lambda v: f"{v} – {refdata.WINDOWS.get(v, {}).get(lang, v)}",
        # in French the table already holds the template's words (national, régional): kept as they are
        "scope": lambda v: refdata.SCOPES.get(v, {}).get(lang, v) if lang == "en" else v,
        "countries": lambda v: ", ".join(f"{c} – {refdata.country_name(c, lang)}" for c in v.split(";") if c),
        "objectives": lambda v: ", ".join(f"{o} – {refdata.OBJECTIVES[int(o)][lang]}" for o in v.split(";") if o),
        "valletta_domains": lambda v: ", ".join(
            f"{d} – {refdata.VALLETTA_DOMAINS[int(d)][lang]}" for d in v.split(";") if d
        ),
    }


def table_of(rows: pd.DataFrame, positions: np.ndarray, columns: list[str], lang: str) -> pd.DataFrame:
    """The export table of the chosen columns for the rows at ``positions`` (:func:`downloads.tables.export_frame`)."""
    return export_frame(rows.iloc[positions], columns, lang)


def display_table(
    rows: pd.DataFrame, positions: np.ndarray, columns: list[str], lang: str, params: dict[str, str]
) -> pd.DataFrame:
    """The table on screen: only the rows at ``positions`` (the page shown), built, labelled and linked.

    Returns:
        The chosen columns (template headers' codes as column names; codes shown with their names),
        preceded by ``view``, a link to each project's page (``/project?ref=…`` with ``params``) when
        ``reference`` is among them.
    """
    display = table_of(rows, positions, columns, lang)
    if "reference" in display:
        display.insert(0, "view", ["/project?" + urlencode({"ref": ref, **params}) for ref in display["reference"]])
    for column, label in _labels(lang).items():
        if column in display:
            display[column] = display[column].map(label, na_action="ignore")
    return display


@dataclass(frozen=True)
class ColumnSpec:
    """How one column of the table is shown.

    Attributes:
        code: the column's code (its name in :func:`display_table`).
        kind: ``column`` (plain), ``link`` (the project link), ``text`` (long text, medium width),
            ``number`` (localized grouping), ``date`` (``date_format``).
        label: the header in the interface language.
        date_format: a date column's format (``DD/MM/YYYY`` in French, else ISO).
    """

    code: str
    kind: str
    label: str
    date_format: str = ""


def column_specs(columns: list[str], lang: str) -> tuple[ColumnSpec, ...]:
    """Each shown column's settings, in the chosen order, then the project link's."""
    specs = {}
    for code in columns:
        kind = "text" if code in LONG_TEXTS else "number" if code in MONEY else "column"
        specs[code] = ColumnSpec(code, kind, tables.header(code, lang))
    specs["view"] = ColumnSpec("view", "link", _("Project", lang))
    if "approval_date" in columns:
        date_format = "DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD"
        specs["approval_date"] = ColumnSpec("approval_date", "date", tables.header("approval_date", lang), date_format)
    return tuple(specs.values())


def about(
    *,
    dataset: str,
    version: str,
    number: int,
    sha256: str,
    filters: tuple[str, ...],
    profile: DatasetProfile,
    has_contracts: bool,
    columns: list[str],
    lang: str,
    now: pd.Timestamp,
) -> About:
    """What the XLSX's About sheet and the IATI file say: the dataset, version, filters, sources, citation.

    Args:
        dataset: the dataset's name.
        version: the version's label (number, date, file, SHA-256).
        number: the version's number.
        sha256: the version's file's SHA-256 (its first 8 digits are cited).
        filters: the active filters in words (:func:`dashboard.sidebar.described`).
        profile: the dataset's profile (sources, caveat).
        has_contracts: whether the dataset has contracts (a line says they are inside the budgets).
        columns: the chosen columns (whether the Source column is among them).
        lang: the interface language.
        now: the export time (UTC), for the citation's access date.
    """
    if profile.communique:
        sources: tuple[str, ...] = (
            _("European Commission, EU Emergency Trust Fund for Africa (EUTF) — decisions and action documents", lang),
            _("Joint communiqué Mali–EU, second High-Level Dialogue on migration, Bamako, 11 December 2016", lang),
        )
    else:
        sources = (profile.source_in(lang).split(":", 1)[-1].strip(),)
    caveat = (profile.caveat_in(lang),) if profile.caveat else ()
    if has_contracts:
        caveat = (_("Contracts: inside their decisions' budgets; the totals count the decision budgets only", lang),
                  *caveat)  # fmt: skip
    per_project = (
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
        )
    )
    return About(
        dataset=dataset_title(dataset, lang),
        version=version,
        filters=filters,
        sources=(*sources, *caveat, per_project),
        citation=_(
            "EUTF allocations dashboard, {dataset}, version {n} ({sha}), accessed {date}.",
            lang,
            dataset=dataset_title(dataset, lang),
            n=number,
            sha=sha256[:8],
            date=long_date(now, lang),
        ),
        lang=lang,
    )


def download_table(
    rows: pd.DataFrame, order: np.ndarray, columns: list[str], contracts: pd.DataFrame | None, lang: str
) -> pd.DataFrame:
    """The rows on screen (every page), in order; with ``contracts``, each decision followed by its own as rows."""
    if contracts is None:
        return table_of(rows, order, columns, lang)
    return export_frame(with_contract_rows(rows.iloc[order], contracts), columns_with_hierarchy(columns), lang)


def shown_references(rows: pd.DataFrame, order: np.ndarray) -> list[str]:
    """The shown decisions' references, in the table's order (whose reported results the XLSX holds)."""
    return list(rows["reference"].iloc[order])


def with_results(
    about: About, reported: pd.DataFrame, results_file: str, lang: str
) -> tuple[About, pd.DataFrame | None]:
    """The XLSX's About and its Results sheet: the shown decisions' reported values, and a line on their source."""
    if reported.empty:
        return about, None
    line = _(EXPORT_SOURCE, lang, file=results_file, date=RESULTS_AS_OF)
    return dataclasses.replace(about, sources=(*about.sources, line)), reported


@dataclass(frozen=True)
class Download:
    """One download button.

    Attributes:
        label: the button's text.
        data: builds the file's bytes when clicked (the whole table, every page).
        file_name: e.g. ``mali-2016_v3_excel-fr.csv``.
        mime: the file's media type.
        key: the button's widget key (``dl_<extension><suffix>``).
        help: what the file is.
    """

    label: str
    data: Callable[[], bytes | str]
    file_name: str
    mime: str
    key: str
    help: str


def downloads(
    *,
    table: Callable[[str], pd.DataFrame],
    about: About,
    results: Callable[[], tuple[pd.DataFrame, str]],
    iati: Callable[[], bytes | str],
    stem: str,
    number: int,
    lang: str,
) -> tuple[Download, ...]:
    """The table's downloads, in the order of the buttons: CSV, French-Excel CSV, XLSX, JSON, IATI XML.

    Args:
        table: the download table in a language (:func:`download_table`).
        about: the About sheet's content (:func:`about`).
        results: the shown decisions' reported results and the results file's name (built when clicked).
        iati: the IATI XML of the shown projects (built when clicked).
        stem: the files' name stem (:func:`file_stem`).
        number: the version's number.
        lang: the interface language.
    """

    def xlsx() -> bytes:
        reported, source = results()
        return to_xlsx(table(lang), *with_results(about, reported, source, lang))

    specs = (
        (_("CSV (standard)", lang), lambda: to_csv(table("en"), STANDARD), "csv", "", "text/csv",
         _("UTF-8 with BOM, comma separator, ISO dates, English headers.", lang)),
        (_("CSV (French Excel)", lang), lambda: to_csv(table("fr"), FRENCH_EXCEL), "csv", "_excel-fr", "text/csv",
         _("UTF-8 with BOM, semicolon separator, dd/mm/yyyy dates, French headers: opens directly in French Excel.",
           lang)),
        ("Excel (.xlsx)", xlsx, "xlsx", "", XLSX,
         _("With an 'About' sheet: filters, version, export time, totals, sources and a suggested citation.", lang)),
        ("JSON", lambda: to_json(table("en")), "json", "", "application/json",
         _("Records, for scripts: codes and English spellings in every language, like the standard CSV.", lang)),
        ("IATI (.xml)", iati, "xml", "_iati", "application/xml",
         _("IATI 2.03 activity XML, valid against the IATI schema: these projects with their contracts, every field "
           "whatever the columns chosen, and the version's IATI transactions; provenance as reporting-org and a "
           "comment.", lang)),
    )  # fmt: skip
    return tuple(
        Download(label, data, file_name(stem, number, extension, suffix=suffix), mime, f"dl_{extension}{suffix}", text)
        for label, data, extension, suffix, mime, text in specs
    )


def iati_file(
    records: pd.DataFrame,
    about: About,
    fallback_date,
    transactions: pd.DataFrame | None,
    sectors: pd.DataFrame | None = None,
) -> bytes | str:
    """The IATI XML of the shown projects (:func:`downloads.iati.to_iati`), with the version's sectors when given."""
    return to_iati(records, about, fallback_date=fallback_date, transactions=transactions, sectors=sectors)


def file_stem(dataset: str, communique: bool) -> str:
    """The downloads' file-name stem: ``eutf-allocations`` for the communiqué's dataset, else the dataset's slug."""
    return "eutf-allocations" if communique else catalog.dataset_slug(dataset)
