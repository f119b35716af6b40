"""Sources & method: where each figure comes from, what is inferred, and what the terms mean."""

import streamlit as st

from dashboard.cache import comparison_with_other_datasets, control_totals, import_report, view
from dashboard.sections import same_decisions
from dashboard.widgets import PageContext, md_escape, page_of, require_router
from domain.filters import Filters
from domain.i18n import _, ngettext
from viewmodels import comparison
from viewmodels import sources as sources_model

require_router(__file__)

ctx = PageContext()
lang, pub, profile = ctx.lang, ctx.pub, ctx.profile
allocations = pub.dataset.allocations  # the whole dataset: sources do not depend on filters
file = sources_model.export_file(pub.name)
model = sources_model.sources(
    pub.name, lang, control_totals(), import_report(file, pub.info.file_sha256) if file else None
)

st.title(_("Sources & method", lang))
st.caption(
    ngettext(
        "Data: {name} · {version} · {n} project (filters do not apply on this page)",
        "Data: {name} · {version} · {n} projects (filters do not apply on this page)",
        len(allocations),
        lang,
        name=md_escape(model.dataset_title),
        version=md_escape(pub.version),
    )
)

st.markdown("**" + _("Source of this dataset.", lang) + f"** {md_escape(model.source)}.")
if model.caveat:
    st.markdown(md_escape(model.caveat))
if model.control is not None:
    st.subheader(_("Control totals", lang))
    st.dataframe(model.control, hide_index=True)

if (export := model.export) is not None:
    st.subheader(_("How the public export is read", lang))
    st.markdown(
        _(
            "The file **{file}** is the {label}: {description}. It ships with the dashboard exactly as published "
            "(data/SOURCES.md) and goes through the same checks as an analyst's workbook. Its columns map onto the "
            "template's as follows.",
            lang,
            file=md_escape(export.file),
            label=md_escape(export.label),
            description=md_escape(export.description),
        )
    )
    st.dataframe(export.mapping, hide_index=True)
    st.markdown(
        _("Where the export lacks a field the template requires, the row is kept and the import report says so.", lang)
        + " "
        + " ".join(md_escape(v) for v in export.relaxed)
        + " "
        + _(
            "Rows that are not EUTF records (no reference, a reference that is not an EUTF one, no amount, a "
            "repeated reference) are left out, each reported with its amount. Amounts written in scientific "
            "notation are read exactly; amounts with cents are rounded to the euro and reported. The full report is "
            "shown when the file is uploaded, or by `python -m cli validate <file>`.",
            lang,
        )
    )
    if (report := export.report) is None:
        st.caption(
            _(
                "The file this version was published from is not beside the dashboard (or has changed since), so "
                "its import report cannot be shown here; run `python -m cli validate {file}` where it lies.",
                lang,
                file=export.shipped_path,
            )
        )
    else:
        st.markdown(_("**Rows of the export left out of this dataset**", lang))
        if report.excluded is None:
            st.caption(_("None: every row of the export is in this dataset.", lang))
        else:
            st.caption(md_escape(report.excluded))
            st.dataframe(
                report.left_out,
                hide_index=True,
                column_config={_("Why", lang): st.column_config.TextColumn(width="large")},
            )
        st.markdown(_("**Other warnings of the import, on rows kept**", lang))
        if report.kept is not None:
            st.dataframe(report.kept, hide_index=True)
        st.caption(
            _(
                "The full report, row by row: upload the file on the *Upload* page, or run `python -m cli validate "
                "{file} --lang {lang}`.",
                lang,
                file=export.shipped_path,
                lang=lang,
            )
        )

orphans = view(pub, Filters(), sources_model.orphans, lang)  # the whole version, computed once
if orphans.count:
    st.subheader(_("Contracts whose decision is missing", lang))
    st.caption(orphans.caption)
    st.dataframe(orphans.table, hide_index=True)

same_decisions(comparison.same_decisions(comparison_with_other_datasets(pub), lang, whole=True))

st.subheader(_("Each project: amount, basis, date and source", lang))
rows = page_of(allocations, "sources_page", lang)  # only the rows on screen are formatted and sent
st.dataframe(
    sources_model.project_rows(rows, lang),
    hide_index=True,
    column_config={_("Source", lang): st.column_config.TextColumn(width="large")},
)

st.subheader(_("What is sourced, inferred or classified by us", lang))
if not profile.communique:
    st.caption(
        _(
            "These notes are those of the Mali dataset (the communiqué's nine projects, at 2016 approval amounts); "
            "how this dataset's export is read is described above.",
            lang,
        )
    )
for heading, text, source in model.notes:
    with st.container(border=True):
        st.text(heading)
        st.text(text)
        st.text(source)

st.subheader(_("Definitions", lang))
col1, col2 = st.columns(2)
with col1:
    st.markdown("**" + _("EUTF windows", lang) + "**")
    st.dataframe(model.windows, hide_index=True)
    st.markdown("**" + _("EUTF strategic objectives", lang) + "**")
    st.dataframe(model.objectives, hide_index=True)
with col2:
    st.markdown("**" + _("Valletta Action Plan domains", lang) + "**")
    st.dataframe(model.domains, hide_index=True)
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
