"""Sources & method: where each figure comes from, what is inferred, and what the terms mean."""

import pandas as pd
import streamlit as st

from analysis.aggregate import orphan_contracts
from charts.figures import round_label
from dashboard.cache import comparison_with_other_datasets, control_totals, import_report, view
from dashboard.widgets import PageContext, comparison_frame, md_escape, page_of, require_router
from domain import refdata
from domain.filters import Filters
from domain.fmt import eur, long_date
from domain.i18n import _, ngettext
from downloads.tables import header as export_header
from etl import catalog, layouts
from etl.catalog import dataset_title

require_router(__file__)

ctx = PageContext()
lang, pub, profile = ctx.lang, ctx.pub, ctx.profile
allocations = pub.dataset.allocations  # the whole dataset: sources do not depend on filters

st.title(_("Sources & method", lang))
st.caption(
    ngettext(
        "Data: {name} · {version} · {n} project (filters do not apply on this page)",
        "Data: {name} · {version} · {n} projects (filters do not apply on this page)",
        len(allocations),
        lang,
        name=md_escape(dataset_title(pub.name, lang)),
        version=md_escape(pub.version),
    )
)

st.markdown(
    "**" + _("Source of this dataset.", lang) + f"** {md_escape(profile.source_in(lang).split(':', 1)[-1].strip())}."
)
if profile.caveat:
    st.markdown(md_escape(profile.caveat_in(lang)))
if profile.communique:
    st.subheader(_("Control totals", lang))
    control = control_totals()
    st.dataframe(
        pd.DataFrame(
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
        ),
        hide_index=True,
    )

export = next((e for e in catalog.PUBLIC_EXPORTS if e.dataset == pub.name), None)
source_format = next((f for f in layouts.FORMATS if export and f.key == export.format_key), None)
if source_format is not None:
    st.subheader(_("How the public export is read", lang))
    st.markdown(
        _(
            "The file **{file}** is the {label}: {description}. It ships with the dashboard exactly as published "
            "(data/SOURCES.md) and goes through the same checks as an analyst's workbook. Its columns map onto the "
            "template's as follows.",
            lang,
            file=md_escape(export.file_name),
            label=md_escape(_(source_format.label, lang)),
            description=md_escape(_(export.description, lang)),
        )
    )
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
    st.dataframe(pd.DataFrame(mapping), hide_index=True)
    st.markdown(
        _("Where the export lacks a field the template requires, the row is kept and the import report says so.", lang)
        + " "
        + " ".join(md_escape(_(v, lang)) for v in source_format.relaxed.values())
        + " "
        + _(
            "Rows that are not EUTF records (no reference, a reference that is not an EUTF one, no amount, a "
            "repeated reference) are left out, each reported with its amount. Amounts written in scientific "
            "notation are read exactly; amounts with cents are rounded to the euro and reported. The full report is "
            "shown when the file is uploaded, or by `python -m cli validate <file>`.",
            lang,
        )
    )

    report = import_report(export.file_name, pub.info.file_sha256)
    # the command a user can run from the repository's root
    shipped_path = (catalog.PUBLIC_DATA_DIR / export.file_name).relative_to(catalog.DATA_DIR.parent).as_posix()
    if report is None:
        st.caption(
            _(
                "The file this version was published from is not beside the dashboard (or has changed since), so "
                "its import report cannot be shown here; run `python -m cli validate {file}` where it lies.",
                lang,
                file=shipped_path,
            )
        )
    else:
        summary = next((f for f in report if f.rule == "row-excluded"), None)
        excluded_rows = set(summary.extra["rows"]) if summary else set()
        left_out = [f for f in report if f.rule != "row-excluded" and f.row in excluded_rows]
        st.markdown(_("**Rows of the export left out of this dataset**", lang))
        if summary is None:
            st.caption(_("None: every row of the export is in this dataset.", lang))
        else:
            st.caption(md_escape(summary.message_in(lang)))
            st.dataframe(
                pd.DataFrame(
                    {
                        _("Row", lang): [f.row for f in left_out],
                        _("Cell", lang): [f.cell or "–" for f in left_out],
                        _("Why", lang): [f.message_in(lang) for f in left_out],
                    }
                ),
                hide_index=True,
                column_config={_("Why", lang): st.column_config.TextColumn(width="large")},
            )
        kept = [
            f for f in report if f.severity == "warning" and f.rule != "row-excluded" and f.row not in excluded_rows
        ]
        st.markdown(_("**Other warnings of the import, on rows kept**", lang))
        if kept:
            by_rule = pd.Series([f.rule for f in kept]).value_counts()
            example = {}
            for f in kept:
                example.setdefault(f.rule, f)
            st.dataframe(
                pd.DataFrame(
                    {
                        _("Rule", lang): by_rule.index,
                        _("Rows", lang): by_rule.to_numpy(),
                        _("For example", lang): [example[r].message_in(lang) for r in by_rule.index],
                        _("What to do", lang): [example[r].advice_in(lang) for r in by_rule.index],
                    }
                ),
                hide_index=True,
            )
        st.caption(
            _(
                "The full report, row by row: upload the file on the *Upload* page, or run `python -m cli validate "
                "{file} --lang {lang}`.",
                lang,
                file=shipped_path,
                lang=lang,
            )
        )

orphans = view(pub, Filters(), orphan_contracts)  # the whole version, computed once
if len(orphans):
    st.subheader(_("Contracts whose decision is missing", lang))
    st.caption(
        ngettext(
            "{n} contract, {amount}, names a decision that is not in this dataset (or none). It is kept here and "
            "counted in no total.",
            "{n} contracts, {amount} in all, name a decision that is not in this dataset (or none). They are kept "
            "here and counted in no total.",
            len(orphans),
            lang,
            amount=eur(int(orphans["amount_eur"].sum()), lang),
        )
    )
    st.dataframe(
        pd.DataFrame(
            {
                _("Contract", lang): orphans["reference"],
                _("Parent named", lang): orphans["parent_reference"].fillna(_("(none)", lang)),
                _("Title", lang): orphans["title"],
                _("Amount", lang): [eur(v, lang) for v in orphans["amount_eur"]],
            }
        ),
        hide_index=True,
    )

comparison = comparison_with_other_datasets(pub)
if len(comparison):
    st.subheader(_("The same decisions in other datasets", lang))
    st.caption(
        _(
            "Datasets are never added together; this table only sets the amounts side by side. Later datasets give "
            "amounts after top-ups: a change is what happened after approval, not an error in either.",
            lang,
        )
    )
    st.dataframe(comparison_frame(comparison, lang), hide_index=True)

st.subheader(_("Each project: amount, basis, date and source", lang))
rows = page_of(allocations, "sources_page", lang)  # only the rows on screen are formatted and sent
st.dataframe(
    pd.DataFrame(
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
    ),
    hide_index=True,
    column_config={_("Source", lang): st.column_config.TextColumn(width="large")},
)

st.subheader(_("What is sourced, inferred or classified by us", lang))
notes = catalog.load_method_notes()
if not profile.communique:
    st.caption(
        _(
            "These notes are those of the Mali dataset (the communiqué's nine projects, at 2016 approval amounts); "
            "how this dataset's export is read is described above.",
            lang,
        )
    )
kinds = {
    "sourced": _("sourced", lang),
    "sourced or unknown": _("sourced, else shown as unknown", lang),
    "inferred": _("INFERRED", lang),
    "classification": _("our classification", lang),
    "context": _("context", lang),
    "licence": _("licence", lang),
}
for note in notes.itertuples(index=False):
    topic, text = (note.topic_fr, note.note_fr) if lang == "fr" else (note.topic, note.note)
    with st.container(border=True):
        st.text(f"{topic} · {kinds.get(note.kind, note.kind)}")
        st.text(text)
        st.text(_("Source: ", lang) + note.source)

st.subheader(_("Definitions", lang))
col1, col2 = st.columns(2)
with col1:
    st.markdown("**" + _("EUTF windows", lang) + "**")
    st.dataframe(
        pd.DataFrame([(k, v[lang]) for k, v in refdata.WINDOWS.items()], columns=["Code", _("Window", lang)]),
        hide_index=True,
    )
    st.markdown("**" + _("EUTF strategic objectives", lang) + "**")
    st.dataframe(
        pd.DataFrame(
            [(k, v[lang]) for k, v in refdata.OBJECTIVES.items()], columns=[_("No.", lang), _("Objective", lang)]
        ),
        hide_index=True,
    )
with col2:
    st.markdown("**" + _("Valletta Action Plan domains", lang) + "**")
    st.dataframe(
        pd.DataFrame(
            [(k, v[lang]) for k, v in refdata.VALLETTA_DOMAINS.items()], columns=[_("No.", lang), _("Domain", lang)]
        ),
        hide_index=True,
    )
    st.markdown(
        _(
            "**Allocation**: the EU contribution from the EUTF approved for a decision (project), in whole euros, "
            "at approval in the Mali dataset, and as of the export's date (top-ups included) in the EUTF portfolio "
            "datasets. **Contract**: a contract signed to implement a decision, inside its budget. **National** "
            "projects target one country; **regional** initiatives cover several and are never apportioned between "
            "them. **Inferred**: a figure computed from other sourced figures rather than read in a source; it is "
            "hatched in charts and labelled in tables.",
            lang,
        )
    )

st.subheader(_("Counting and split rules", lang))
st.markdown(
    _(
        "- **Several strategic objectives or Valletta domains**: a project's amount is split equally between "
        "those it lists, to the euro (the remainder euros go to the first ones), so that each chart adds up to "
        "the total. The table under each chart also gives the full amount of the projects that list each item; "
        "those figures overlap.\n"
        "- **Multi-country (regional) projects** are their own bucket by default: never apportioned to the "
        "countries they cover, never counted in full under each. The map colours single-country allocations only; "
        "a country's hover lists the multi-country projects covering it, with their full amounts.\n"
        "- **Equal split by country** (Regions, an explicit choice, `?split=equal`): each multi-country project's "
        "amount is split into equal shares, to the euro, among the countries it lists. It is a stated rule, not a "
        "source figure, and every chart and table of that view says so; projects that list no country stay apart.\n"
        "- **Dialogue round**: the round typed in the workbook, else the first dated High-Level Dialogue on or "
        "after the approval date; projects approved after the last dialogue, and projects without a date, are "
        "two separate bars. Control totals are cumulative.\n"
        "- **Contracts** are inside their decisions' budgets and never added to a total.",
        lang,
    )
)
