"""Sources & method: where each figure comes from, what is inferred, and what the terms mean.

Filters do not apply on this page: everything is of the whole version.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.aggregate import orphan_contracts
from charts.figures import round_label
from domain import refdata
from domain.dataset import Dataset
from domain.findings import Report
from domain.fmt import eur, long_date
from domain.i18n import _, ngettext
from downloads.tables import header as export_header
from etl import catalog, layouts
from etl.catalog import dataset_title


@dataclass(frozen=True)
class ImportReport:
    """The import report of the public export a version was published from, as shown.

    Attributes:
        excluded: the summary of the rows left out (text, from the data: escape it), or None when none was.
        left_out: the rows left out: Row, Cell, Why (text), labelled in ``lang``.
        kept: the other warnings, on rows kept, one row per rule: Rule, Rows (int), For example, What to do;
            None when there are none.
    """

    excluded: str | None
    left_out: pd.DataFrame
    kept: pd.DataFrame | None


@dataclass(frozen=True)
class ExportSection:
    """How the public export behind a dataset is read.

    Attributes:
        file: its file name; label, description: the format's label and the export's description in ``lang``
            (all three from the catalogue: escape them for markdown).
        mapping: the export's columns: Column in the export, Read as, Note (text, labelled in ``lang``).
        relaxed: what is kept although the template requires it (sentences in ``lang``, to escape).
        shipped_path: the file's path from the repository's root (for ``python -m cli validate``).
        report: its import report, or None when the file is absent or has changed since.
    """

    file: str
    label: str
    description: str
    mapping: pd.DataFrame
    relaxed: tuple[str, ...]
    shipped_path: str
    report: ImportReport | None


@dataclass(frozen=True)
class Sources:
    """Everything the Sources & method page shows, but two sections computed apart.

    The per-project table is :func:`project_rows` (of the rows on screen), the contracts whose decision is
    missing :func:`orphans` (cached per version).

    Attributes:
        dataset_title: the dataset's name in ``lang``.
        source: where the dataset comes from (text, to escape).
        caveat: its caveat in ``lang``, or None.
        control: the communiqué's control totals (Dialogue, Total, Projects, Amount, Source; text but Projects),
            or None for another dataset.
        export: how its public export is read, or None when it is not a public export.
        notes: the method notes: (heading, text, source line) each, in ``lang``.
        windows, objectives, domains: the definitions tables (code and name in ``lang``).
    """

    dataset_title: str
    source: str
    caveat: str | None
    control: pd.DataFrame | None
    export: ExportSection | None
    notes: tuple[tuple[str, str, str], ...]
    windows: pd.DataFrame
    objectives: pd.DataFrame
    domains: pd.DataFrame


@dataclass(frozen=True)
class Orphans:
    """Contracts whose decision is not in the dataset.

    Attributes:
        count: how many (0: the section is not shown).
        caption: their number and amount (text).
        table: Contract, Parent named, Title, Amount (text, labelled in ``lang``).
    """

    count: int
    caption: str
    table: pd.DataFrame


def export_file(name: str) -> str | None:
    """The file name of the public export a dataset is read from (for its import report), or None."""
    export = next((e for e in catalog.PUBLIC_EXPORTS if e.dataset == name), None)
    return export.file_name if export else None


def _control(control: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _("Dialogue", lang): [round_label(int(r), lang) for r in control["dialogue_round"]],
            _("Total", lang): control["total"].map(
                {
                    "all": _("All projects", lang),
                    "national": _("Projects targeting {country}", lang, country=refdata.country_name("ML", lang)),
                    "regional": _("Regional initiatives", lang),
                }
            ),
            _("Projects", lang): control["n_projects"],
            _("Amount", lang): [eur(v, lang) for v in control["amount_eur"]],
            _("Source", lang): control["source"],
        }
    )


def _mapping(source_format: layouts.SourceFormat, lang: str) -> pd.DataFrame:
    derived_notes = {
        "scope": _("national when exactly one country is listed, regional (multi-country) otherwise", lang),
        "window": _("the window written in the reference (T05-EUTF-HOA-… is the Horn of Africa)", lang),
        "approval_date": _("not in the export: shown as unknown", lang),
    }
    mapping = [
        {_("Column in the export", lang): header, _("Read as", lang): export_header(column, lang), _("Note", lang): ""}
        for header, column in source_format.columns.items()
    ]
    mapping += [
        {
            _("Column in the export", lang): header,
            _("Read as", lang): _("not read", lang),
            _("Note", lang): _(why, lang),
        }
        for header, why in source_format.ignored.items()
    ]
    mapping += [
        {
            _("Column in the export", lang): "–",
            _("Read as", lang): export_header(column, lang),
            _("Note", lang): _("derived: ", lang) + derived_notes[column],
        }
        for column in sorted(source_format.derived)
    ]
    return pd.DataFrame(mapping)


def _import_report(report: Report, lang: str) -> ImportReport:
    summary = next((f for f in report if f.rule == "row-excluded"), None)
    excluded_rows = set(summary.extra["rows"]) if summary else set()
    left_out = [f for f in report if f.rule != "row-excluded" and f.row in excluded_rows]
    kept = [f for f in report if f.severity == "warning" and f.rule != "row-excluded" and f.row not in excluded_rows]
    kept_table = None
    if kept:
        by_rule = pd.Series([f.rule for f in kept]).value_counts()
        example = {}
        for f in kept:
            example.setdefault(f.rule, f)
        kept_table = pd.DataFrame(
            {
                _("Rule", lang): by_rule.index,
                _("Rows", lang): by_rule.to_numpy(),
                _("For example", lang): [example[r].message_in(lang) for r in by_rule.index],
                _("What to do", lang): [example[r].advice_in(lang) for r in by_rule.index],
            }
        )
    return ImportReport(
        excluded=summary.message_in(lang) if summary else None,
        left_out=pd.DataFrame(
            {
                _("Row", lang): [f.row for f in left_out],
                _("Cell", lang): [f.cell or "–" for f in left_out],
                _("Why", lang): [f.message_in(lang) for f in left_out],
            }
        ),
        kept=kept_table,
    )


def _export(name: str, lang: str, report: Report | None) -> ExportSection | None:
    export = next((e for e in catalog.PUBLIC_EXPORTS if e.dataset == name), None)
    source_format = next((f for f in layouts.FORMATS if export and f.key == export.format_key), None)
    if export is None or source_format is None:
        return None
    return ExportSection(
        file=export.file_name,
        label=_(source_format.label, lang),
        description=_(export.description, lang),
        mapping=_mapping(source_format, lang),
        relaxed=tuple(_(v, lang) for v in source_format.relaxed.values()),
        # the command a user can run from the repository's root
        shipped_path=(catalog.PUBLIC_DATA_DIR / export.file_name).relative_to(catalog.DATA_DIR.parent).as_posix(),
        report=None if report is None else _import_report(report, lang),
    )


def _notes(lang: str) -> tuple[tuple[str, str, str], ...]:
    kinds = {
        "sourced": _("sourced", lang),
        "sourced or unknown": _("sourced, else shown as unknown", lang),
        "inferred": _("INFERRED", lang),
        "classification": _("our classification", lang),
        "context": _("context", lang),
        "licence": _("licence", lang),
    }
    out = []
    for note in catalog.load_method_notes().itertuples(index=False):
        topic, text = (note.topic_fr, note.note_fr) if lang == "fr" else (note.topic, note.note)
        out.append((f"{topic} · {kinds.get(note.kind, note.kind)}", text, _("Source: ", lang) + note.source))
    return tuple(out)


def sources(name: str, lang: str, control: pd.DataFrame, report: Report | None) -> Sources:
    """The page's model.

    Args:
        name: the dataset's name.
        lang: ``en`` or ``fr``.
        control: :func:`etl.catalog.load_control_totals` (shown for the communiqué's dataset only).
        report: the import report of its public export (:func:`export_file`), or None.
    """
    profile = catalog.profile(name)
    return Sources(
        dataset_title=dataset_title(name, lang),
        source=profile.source_in(lang).split(":", 1)[-1].strip(),
        caveat=profile.caveat_in(lang) if profile.caveat else None,
        control=_control(control, lang) if profile.communique else None,
        export=_export(name, lang, report),
        notes=_notes(lang),
        windows=pd.DataFrame([(k, v[lang]) for k, v in refdata.WINDOWS.items()], columns=["Code", _("Window", lang)]),
        objectives=pd.DataFrame(
            [(k, v[lang]) for k, v in refdata.OBJECTIVES.items()], columns=[_("No.", lang), _("Objective", lang)]
        ),
        domains=pd.DataFrame(
            [(k, v[lang]) for k, v in refdata.VALLETTA_DOMAINS.items()], columns=[_("No.", lang), _("Domain", lang)]
        ),
    )


def orphans(dataset: Dataset, lang: str) -> Orphans:
    """Contracts whose decision is missing (:func:`analysis.aggregate.orphan_contracts` of the whole version)."""
    rows = orphan_contracts(dataset)
    caption = ngettext(
        "{n} contract, {amount}, names a decision that is not in this dataset (or none). It is kept here and "
        "counted in no total.",
        "{n} contracts, {amount} in all, name a decision that is not in this dataset (or none). They are kept "
        "here and counted in no total.",
        len(rows),
        lang,
        amount=eur(int(rows["amount_eur"].sum()), lang),
    )
    table = pd.DataFrame(
        {
            _("Contract", lang): rows["reference"],
            _("Parent named", lang): rows["parent_reference"].fillna(_("(none)", lang)),
            _("Title", lang): rows["title"],
            _("Amount", lang): [eur(v, lang) for v in rows["amount_eur"]],
        }
    )
    return Orphans(len(rows), caption, table)


def project_rows(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The per-project table (amount, basis, date, dialogue, partner, source; text) of some decisions' rows.

    Args:
        rows: decisions (:class:`validation.schemas.Allocation` rows): the page's slice on screen.
        lang: ``en`` or ``fr``.
    """
    return pd.DataFrame(
        {
            _("Reference", lang): rows["reference"],
            _("Amount", lang): [eur(v, lang) for v in rows["amount_eur"]],
            _("Amount basis", lang): rows["amount_basis"].map(lambda b: refdata.AMOUNT_BASES[b][lang]),
            _("Approval date", lang): [long_date(d, lang) for d in rows["approval_date"]],
            _("Dialogue", lang): [round_label(int(r), lang) if pd.notna(r) else "–" for r in rows["dialogue_round"]],
            _("Dialogue from", lang): rows["round_basis"]
            .map({"typed": _("workbook", lang), "derived": _("approval date", lang)})
            .fillna("–"),
            _("Implementing partner", lang): rows["implementing_partner"].fillna("–"),
            _("Source", lang): rows["source"].fillna("–"),
        }
    )
