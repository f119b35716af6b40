"""Sources & method: where each figure comes from, what is inferred, and what the terms mean."""

import pandas as pd
import streamlit as st

from charts.figures import round_label
from charts.fmt import eur, long_date
from dashboard.data import control_totals, import_report, latest_of_every_dataset
from dashboard.ui import PageContext, md_escape, require_router
from dashboard.views import page_of
from etl import catalog, formats, refdata
from etl.aggregate import orphan_contracts
from etl.compare import compare_amounts

require_router(__file__)

ctx = PageContext()
lang, pub, profile = ctx.lang, ctx.pub, ctx.profile
allocations = pub.dataset.allocations  # the whole dataset: sources do not depend on filters

st.title("Sources & method")
st.caption(
    f"Data: {md_escape(pub.name)} · {md_escape(pub.version)} · {len(allocations)} projects "
    "(filters do not apply on this page)"
)

st.markdown(f"**Source of this dataset.** {md_escape(profile.source[lang].split(':', 1)[-1].strip())}.")
if profile.caveat:
    st.markdown(md_escape(profile.caveat[lang]))
if profile.communique:
    st.subheader("Control totals")
    control = control_totals()
    st.dataframe(
        pd.DataFrame(
            {
                "Dialogue": [round_label(int(r), lang) for r in control["dialogue_round"]],
                "Total": control["total"].map(
                    {"all": "All projects", "national": "Projects targeting Mali", "regional": "Regional initiatives"}
                ),
                "Projects": control["n_projects"],
                "Amount": [eur(v, lang) for v in control["amount_eur"]],
                "Source": control["source"],
            }
        ),
        hide_index=True,
    )

export = next((e for e in catalog.PUBLIC_EXPORTS if e.dataset == pub.name), None)
source_format = next((f for f in formats.FORMATS if export and f.key == export.format_key), None)
if source_format is not None:
    st.subheader("How the public export is read")
    st.markdown(
        f"The file **{md_escape(export.file_name)}** is the {md_escape(source_format.label)}: "
        f"{md_escape(export.description)}. It is read where it lies, never copied into the project, through the "
        "same checks as an analyst's workbook. Its columns map onto the template's as follows."
    )
    derived_notes = {
        "scope": "national when exactly one country is listed, regional (multi-country) otherwise",
        "window": "the window written in the reference (T05-EUTF-HOA-… is the Horn of Africa)",
        "approval_date": "not in the export: shown as unknown",
    }
    mapping = [
        {"Column in the export": header, "Read as": column, "Note": ""}
        for header, column in source_format.columns.items()
    ]
    mapping += [
        {"Column in the export": header, "Read as": "not read", "Note": why}
        for header, why in source_format.ignored.items()
    ]
    mapping += [
        {"Column in the export": "–", "Read as": column, "Note": "derived: " + derived_notes[column]}
        for column in sorted(source_format.derived)
    ]
    st.dataframe(pd.DataFrame(mapping), hide_index=True)
    st.markdown(
        "Where the export lacks a field the template requires, the row is kept and the import report says so. "
        + " ".join(md_escape(v) for v in source_format.relaxed.values())
        + " Rows that are not EUTF records (no reference, a reference that is not an EUTF one, no amount, a "
        "repeated reference) are left out, each reported with its amount. Amounts written in scientific notation "
        "are read exactly; amounts with cents are rounded to the euro and reported. The full report is shown when "
        "the file is uploaded, or by `python -m etl validate <file>`."
    )

    report = import_report(export.file_name, pub.info.file_sha256)
    if report is None:
        st.caption(
            f"The file this version was published from is not beside the dashboard (or has changed since), so its "
            f"import report cannot be shown here; run `python -m etl validate {export.file_name}` where it lies."
        )
    else:
        left_out = [f for f in report if f.rule not in ("row-excluded",) and "not imported" in f.message]
        summary = next((f for f in report if f.rule == "row-excluded"), None)
        st.markdown("**Rows of the export left out of this dataset**")
        if summary is None:
            st.caption("None: every row of the export is in this dataset.")
        else:
            st.caption(md_escape(summary.message))
            st.dataframe(
                pd.DataFrame(
                    {
                        "Row": [f.row for f in left_out],
                        "Cell": [f.cell for f in left_out],
                        "Why": [f.message for f in left_out],
                    }
                ),
                hide_index=True,
                column_config={"Why": st.column_config.TextColumn(width="large")},
            )
        counts = report.to_frame().query("level == 'warning'").groupby("rule").size().sort_values(ascending=False)
        st.caption(
            "Other warnings of the import (rows kept): "
            + "; ".join(f"{rule} × {n}" for rule, n in counts.items() if rule not in ("row-excluded",))
            + ". The full report: upload the file on the Upload page, or `python -m etl validate`."
        )

orphans = orphan_contracts(pub.dataset)
if len(orphans):
    st.subheader("Contracts whose decision is missing")
    st.caption(
        f"{len(orphans)} contracts, {eur(int(orphans['amount_eur'].sum()), lang)} in all, name a decision that is "
        "not in this dataset (or none). They are kept here and counted in no total."
    )
    st.dataframe(
        pd.DataFrame(
            {
                "Contract": orphans["reference"],
                "Parent named": orphans["parent_reference"].fillna("(none)"),
                "Title": orphans["title"],
                "Amount": [eur(v, lang) for v in orphans["amount_eur"]],
            }
        ),
        hide_index=True,
    )

comparison = compare_amounts(pub.name, allocations, latest_of_every_dataset())
if len(comparison):
    st.subheader("The same decisions in other datasets")
    st.caption(
        "Datasets are never added together; this table only sets the amounts side by side. Later datasets give "
        "amounts after top-ups: a change is what happened after approval, not an error in either."
    )
    st.dataframe(
        pd.DataFrame(
            {
                "Reference": comparison["reference"],
                "Other dataset": comparison["dataset"],
                "Amount in this dataset": [
                    eur(v, lang) + (" (inferred)" if b == "inferred" else "")
                    for v, b in zip(comparison["base_eur"], comparison["base_basis"], strict=True)
                ],
                "Amount in the other": [
                    eur(v, lang) + (" (inferred)" if b == "inferred" else "")
                    for v, b in zip(comparison["other_eur"], comparison["other_basis"], strict=True)
                ],
                "Other minus this": [eur(v, lang) if v else "same" for v in comparison["change_eur"]],
            }
        ),
        hide_index=True,
    )

st.subheader("Each project: amount, basis, date and source")
rows = page_of(allocations, "sources_page", lang)  # only the rows on screen are formatted and sent
st.dataframe(
    pd.DataFrame(
        {
            "Reference": rows["reference"],
            "Amount": [eur(v, lang) for v in rows["amount_eur"]],
            "Amount basis": rows["amount_basis"],
            "Approval date": [long_date(d, lang) for d in rows["approval_date"]],
            "Dialogue": [round_label(int(r), lang) if pd.notna(r) else "–" for r in rows["dialogue_round"]],
            "Dialogue from": rows["round_basis"].map({"typed": "workbook", "derived": "approval date"}).fillna("–"),
            "Implementing partner": rows["implementing_partner"].fillna("–"),
            "Source": rows["source"].fillna("–"),
        }
    ),
    hide_index=True,
    column_config={"Source": st.column_config.TextColumn(width="large")},
)

st.subheader("What is sourced, inferred or classified by us")
notes = catalog.load_method_notes()
if not profile.communique:
    st.caption(
        "These notes are those of the Mali dataset (the communiqué's nine projects, at 2016 approval amounts); "
        "how this dataset's export is read is described above."
    )
kinds = {
    "sourced": "sourced",
    "sourced or unknown": "sourced, else shown as unknown",
    "inferred": "INFERRED",
    "classification": "our classification",
    "context": "context",
    "licence": "licence",
}
for note in notes.itertuples(index=False):
    with st.container(border=True):
        st.text(f"{note.topic} · {kinds.get(note.kind, note.kind)}")
        st.text(note.note)
        st.text("Source: " + note.source)

st.subheader("Definitions")
col1, col2 = st.columns(2)
with col1:
    st.markdown("**EUTF windows**")
    st.dataframe(
        pd.DataFrame([(k, v[lang]) for k, v in refdata.WINDOWS.items()], columns=["Code", "Window"]), hide_index=True
    )
    st.markdown("**EUTF strategic objectives**")
    st.dataframe(
        pd.DataFrame([(k, v[lang]) for k, v in refdata.OBJECTIVES.items()], columns=["No.", "Objective"]),
        hide_index=True,
    )
with col2:
    st.markdown("**Valletta Action Plan domains**")
    st.dataframe(
        pd.DataFrame([(k, v[lang]) for k, v in refdata.VALLETTA_DOMAINS.items()], columns=["No.", "Domain"]),
        hide_index=True,
    )
    st.markdown(
        "**Allocation**: the EU contribution from the EUTF approved for a decision (project), in whole euros, "
        "at approval in the Mali dataset, and as of the export's date (top-ups included) in the EUTF portfolio "
        "datasets. **Contract**: a contract signed to implement a decision, inside its budget. **National** "
        "projects target one country; **regional** initiatives cover several and are "
        "never apportioned between them. **Inferred**: a figure computed from other sourced figures rather than "
        "read in a source; it is hatched in charts and labelled in tables."
    )
