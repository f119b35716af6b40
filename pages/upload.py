"""Upload: analysts check an updated allocation workbook, see every problem, preview the change, publish it."""

import hashlib

import streamlit as st

from charts.figures import round_label
from charts.fmt import eur
from dashboard import access
from dashboard.data import (
    calendar,
    control_totals,
    current_dataset,
    datasets,
    export_dataset,
    published,
    refresh_after_publish,
    store,
)
from dashboard.filters import language
from dashboard.report import show_report
from dashboard.ui import md_escape, require_router, show_diff
from etl.diff import diff
from etl.pipeline import load_bytes
from etl.read import Limits
from etl.workbooks import template_bytes
from store.versions import PublishConflict

require_router(__file__)

lang = language()
st.title("Upload an allocation workbook")
st.caption(
    "Check an updated workbook against the template's rules, see what it changes, and publish it as a new "
    "version. Every version is kept; nothing already published is changed."
)
st.download_button(
    "Download the empty template (.xlsx)",
    data=template_bytes,
    file_name="eutf-allocations-template.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="template_download",
    icon=":material/download:",
)

if flash := st.session_state.pop("_publish_flash", None):
    st.success(flash, icon=":material/check_circle:")

if not access.sign_in():
    st.stop()

# the same figure as Streamlit's own upload limit (.streamlit/config.toml, server.maxUploadSize)
limits = Limits(max_upload_bytes=st.get_option("server.maxUploadSize") * 1024 * 1024)
nonce = st.session_state.setdefault("_upload_nonce", 0)
uploaded = st.file_uploader(
    f"Allocation workbook: .xlsx, .xlsm or .csv (UTF-8), at most {limits.max_upload_bytes // 1048576} MB",
    key=f"upload_{nonce}",
    help="The format is recognised from the content, whatever the file's extension. Macros are never run.",
)
if uploaded is None:
    st.session_state.pop("_checked", None)  # nothing of a previous file stays on the page
    st.stop()

data = uploaded.getvalue()  # read the bytes once; every consumer gets its own copy
digest = hashlib.sha256(data).hexdigest()
if st.session_state.get("_checked", {}).get("key") != (digest, uploaded.name):
    bar = st.progress(0.0, text=f"Reading {uploaded.name}…")

    def progress(rows: int) -> None:
        """Move the bar as rows are read."""
        bar.progress(min(0.95, rows / 100_000), text=f"Reading {uploaded.name}: {rows:,} rows…")

    result = load_bytes(
        data, uploaded.name, calendar=calendar(), control=control_totals(), limits=limits, progress=progress
    )
    bar.empty()
    st.session_state["_checked"] = {"key": (digest, uploaded.name), "result": result, "bases": {}}
checked = st.session_state["_checked"]
result = checked["result"]

st.subheader("1. Validation report")
if result.source_format is not None:
    st.info(
        f"Recognised as the **{result.source_format.label}**: its columns are mapped onto the template's, "
        "and what the export lacks or gets wrong is listed below.",
        icon=":material/table_view:",
    )
show_report(result.report, data, uploaded.name, key="upload_report")
if result.dataset is None:
    st.stop()

st.subheader("2. Where it goes, and what it changes")
NEW_DATASET = "＋ a new dataset…"
suggested = export_dataset(result.source_format) or current_dataset()
names = datasets()
options = [*names, *([suggested] if suggested not in names else []), NEW_DATASET]
target = st.selectbox(
    "Publish into the dataset",
    options,
    index=options.index(suggested),
    key="publish_target",
    help="Datasets are kept apart: a version of one never changes another. The public EUTF exports each "
    "have their own.",
)
if target == NEW_DATASET:
    target = st.text_input("Name of the new dataset", key="publish_new_dataset", max_chars=200).strip()
    if not target:
        st.caption("Give the new dataset a name, e.g. 'Mali — allocations of March 2017'.")
        st.stop()
if result.source_format is not None and target != suggested:
    st.warning(
        f"This file is the {result.source_format.label}; it is normally kept in its own dataset, "
        f"'{md_escape(suggested)}'. Publishing it into another dataset replaces that dataset's figures.",
        icon=":material/warning:",
    )
base = checked["bases"].setdefault(target, store(target).latest_number())
current = published(base, target).dataset.allocations if base else None
new_table = result.dataset.records
decisions = result.dataset.allocations
if current is not None:
    show_diff(diff(current, decisions), f"v{base} of '{target}' (published)", "this file", lang)
else:
    st.info(f"'{md_escape(target)}' has no version yet: this file will be its version 1.")
if len(result.dataset.contracts):
    st.caption(
        f"{len(decisions)} decisions ({eur(int(decisions['amount_eur'].sum()), lang)}) and "
        f"{len(result.dataset.contracts)} contracts ({eur(int(result.dataset.contracts['amount_eur'].sum()), lang)}, "
        "inside their decisions' budgets, never added to the totals)."
    )
if result.reconciliation:
    st.markdown("**Against the communiqué's control totals**")
    st.dataframe(
        [
            {
                "Dialogue": round_label(line.dialogue_round, lang),
                "Total": line.total,
                "Control": eur(line.control_eur, lang),
                "This file": eur(line.found_eur, lang),
                "Gap": eur(line.gap_eur, lang),
                "Projects (control / file)": f"{line.control_n} / {line.found_n}",
                "Reconciles": "yes ✓" if line.reconciles else "NO ✗",
            }
            for line in result.reconciliation
        ],
        hide_index=True,
    )
elif result.source_format is not None:
    st.caption("The communiqué's control totals are those of the Mali dataset; this export is checked row by row only.")

st.subheader("3. Publish")
warnings = result.report.warnings
comment = st.text_input("Comment (why this version)", key="publish_comment", max_chars=500)
confirmed = True
if warnings:
    confirmed = st.checkbox(
        f"I have read the {len(warnings)} warning(s) above and confirm that this file should be published as it is.",
        key="confirm_warnings",
    )
ready = confirmed and bool(comment.strip())
if not comment.strip():
    st.caption("A comment is required: it is shown in the history.")
if st.button(f"Publish as version {(base or 0) + 1}", type="primary", disabled=not ready, key="publish"):
    if not access.is_analyst():  # checked again on the server, whatever the page showed
        st.error("Only analysts can publish.")
        st.stop()
    try:
        info = store(target).publish(
            new_table,
            base=base,
            by=access.analyst_name(),
            file_name=uploaded.name,
            file_sha256=digest,
            comment=comment.strip(),
            n_warnings=len(warnings),
        )
    except PublishConflict as conflict:
        refresh_after_publish()
        st.session_state["_checked"]["bases"][target] = conflict.latest
        st.error(str(conflict), icon=":material/sync_problem:")
        st.button("Show the changes against the new version", key="reload_after_conflict")
        st.stop()
    refresh_after_publish()
    st.session_state.pop("_checked", None)
    st.session_state["_upload_nonce"] = nonce + 1
    st.session_state["_publish_flash"] = (
        f"Published version {info.number} of '{target}': {info.row_count} projects, {eur(info.total_eur, lang)}. "
        "Every page now shows it; the previous version is kept in the history."
    )
    st.rerun()
