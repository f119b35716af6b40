"""Upload: analysts check an updated allocation workbook, see every problem, preview the change, publish it."""

import hashlib

import streamlit as st

from dashboard import access
from dashboard.cache import current_dataset, datasets, export_dataset, published, store
from dashboard.iati import show_transactions
from dashboard.publishing import PublishConflict, check, limits, publish, template_bytes
from dashboard.report import show_report
from dashboard.sidebar import language
from dashboard.widgets import md_escape, require_router, show_diff
from domain.i18n import _, ngettext
from viewmodels import upload as vm
from viewmodels.reconciliation import reconciliation_table

require_router(__file__)

lang = language()
st.title(_("Upload an allocation workbook", lang))
st.caption(
    _(
        "Check an updated workbook against the template's rules, see what it changes, and publish it as a new "
        "version. Every version is kept; nothing already published is changed.",
        lang,
    )
)
st.download_button(
    _("Download the empty template (.xlsx)", lang),
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

nonce = st.session_state.setdefault("_upload_nonce", 0)
uploaded = st.file_uploader(
    _(
        "Allocation workbook: .xlsx, .xlsm or .csv (UTF-8), or an IATI activity file (XML), at most {n} MB",
        lang,
        n=limits().max_upload_bytes // 1048576,
    ),
    key=f"upload_{nonce}",
    help=_("The format is recognised from the content, whatever the file's extension. Macros are never run.", lang),
)
if uploaded is None:
    st.session_state.pop("_checked", None)  # nothing of a previous file stays on the page
    st.stop()

data = uploaded.getvalue()  # read the bytes once; every consumer gets its own copy
digest = hashlib.sha256(data).hexdigest()
if st.session_state.get("_checked", {}).get("key") != (digest, uploaded.name):
    bar = st.progress(0.0, text=_("Reading {file}…", lang, file=uploaded.name))

    def progress(rows: int) -> None:
        """Move the bar as rows are read."""
        bar.progress(vm.reading_share(rows), text=vm.reading_text(uploaded.name, rows, lang))

    result = check(data, uploaded.name, progress, lang)
    bar.empty()
    st.session_state["_checked"] = {"key": (digest, uploaded.name), "result": result, "bases": {}}
checked = st.session_state["_checked"]
result = checked["result"]
summary = vm.summary(result, lang, escape=md_escape)

st.subheader(_("1. Validation report", lang))
if summary.recognised is not None:
    st.info(
        _(
            "Recognised as the **{label}**: its columns are mapped onto the template's, and what the export lacks "
            "or gets wrong is listed below.",
            lang,
            label=summary.recognised,
        ),
        icon=":material/table_view:",
    )
if summary.sheet is not None:
    st.caption(summary.sheet)
show_report(result.report, data, uploaded.name, key="upload_report")
show_transactions(result.transactions, result.table, lang)  # an IATI file's commitments and disbursements
if not summary.publishable:
    st.stop()

st.subheader(_("2. Where it goes, and what it changes", lang))
NEW_DATASET = _("＋ a new dataset…", lang)
suggested = export_dataset(result.source_format) or current_dataset()
names = datasets()
options = vm.target_options(names, suggested, NEW_DATASET)
target = st.selectbox(
    _("Publish into the dataset", lang),
    options,
    index=options.index(suggested),
    key="publish_target",
    format_func=lambda name: vm.dataset_title(name, lang),
    help=_(
        "Datasets are kept apart: a version of one never changes another. The public EUTF exports each have their own.",
        lang,
    ),
)
if target == NEW_DATASET:
    target = st.text_input(_("Name of the new dataset", lang), key="publish_new_dataset", max_chars=200).strip()
    if not target:
        st.caption(_("Give the new dataset a name, e.g. 'Mali — allocations of March 2017'.", lang))
        st.stop()
if summary.recognised is not None and target != suggested:
    st.warning(
        _(
            "This file is the {label}; it is normally kept in its own dataset, '{dataset}'. Publishing it into "
            "another dataset replaces that dataset's figures.",
            lang,
            label=summary.recognised,
            dataset=md_escape(vm.dataset_title(suggested, lang)),
        ),
        icon=":material/warning:",
    )
base = checked["bases"].setdefault(target, store(target).latest_number())
current = published(base, target).dataset.allocations if base else None
if current is not None:
    show_diff(
        vm.changes(current, result),
        _("v{n} of '{dataset}' (published)", lang, n=base, dataset=vm.dataset_title(target, lang)),
        _("this file", lang),
        lang,
    )
else:
    st.info(
        _(
            "'{dataset}' has no version yet: this file will be its version 1.",
            lang,
            dataset=md_escape(vm.dataset_title(target, lang)),
        )
    )
if summary.contracts_text is not None:
    st.caption(summary.contracts_text)
if result.reconciliation:
    st.markdown("**" + _("Against the communiqué's control totals", lang) + "**")
    st.dataframe(
        reconciliation_table(result.reconciliation, lang, against="file", source=False),
        hide_index=True,
    )
elif result.source_format is not None:
    st.caption(
        _(
            "The communiqué's control totals are those of the Mali dataset; this export is checked row by row only.",
            lang,
        )
    )

st.subheader(_("3. Publish", lang))
comment = st.text_input(_("Comment (why this version)", lang), key="publish_comment", max_chars=500)
confirmed = True
if summary.n_warnings:
    confirmed = st.checkbox(
        ngettext(
            "I have read the warning above and confirm that this file should be published as it is.",
            "I have read the {n} warnings above and confirm that this file should be published as it is.",
            summary.n_warnings,
            lang,
        ),
        key="confirm_warnings",
    )
ready = confirmed and bool(comment.strip())
if not comment.strip():
    st.caption(_("A comment is required: it is shown in the history.", lang))
if st.button(_("Publish as version {n}", lang, n=(base or 0) + 1), type="primary", disabled=not ready, key="publish"):
    if not access.is_analyst():  # checked again on the server, whatever the page showed
        st.error(_("Only analysts can publish.", lang))
        st.stop()
    try:
        info = publish(
            target,
            result.dataset.records,
            base=base,
            file_name=uploaded.name,
            file_sha256=digest,
            comment=comment.strip(),
            n_warnings=summary.n_warnings,
            transactions=result.transactions,  # an IATI file's, stored with the version
            sectors=result.sectors,  # likewise
        )
    except PublishConflict as conflict:
        st.session_state["_checked"]["bases"][target] = conflict.latest
        st.error(str(conflict), icon=":material/sync_problem:")
        st.button(_("Show the changes against the new version", lang), key="reload_after_conflict")
        st.stop()
    st.session_state.pop("_checked", None)
    st.session_state["_upload_nonce"] = nonce + 1
    st.session_state["_publish_flash"] = vm.published_text(info, target, lang)
    st.rerun()
