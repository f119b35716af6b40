"""History: every published version, what changed between any two, and restoring an old one."""

import streamlit as st

from dashboard import access
from dashboard.cache import current_dataset, published, version_list
from dashboard.publishing import PublishConflict, restore
from dashboard.sidebar import language
from dashboard.widgets import md_escape, require_router, show_diff
from domain.i18n import _
from viewmodels import history as vm

require_router(__file__)

lang = language()
st.title(_("Version history", lang))
versions = version_list()
st.caption(
    _(
        "Dataset: {dataset} (choose another in the sidebar). Every publish is an immutable version; nothing is "
        "ever deleted. A restore publishes an old version again.",
        lang,
        dataset=md_escape(vm.dataset_title(current_dataset(), lang)),
    )
)
st.dataframe(vm.version_table(versions, lang), hide_index=True)

numbers = [v.number for v in versions]
if len(numbers) >= 2:
    st.subheader(_("Compare two versions", lang))
    left, right = st.columns(2)
    old = left.selectbox(_("From", lang), numbers, index=1, format_func=vm.version_label, key="diff_from")
    new = right.selectbox(_("To", lang), numbers, index=0, format_func=vm.version_label, key="diff_to")
    change = vm.changes(published(old).dataset.allocations, published(new).dataset.allocations)
    show_diff(change, vm.version_label(old), vm.version_label(new), lang)

st.subheader(_("Restore an old version", lang))
if not access.is_analyst():
    st.caption(_("Restoring needs the analyst role (sign in on the Upload page).", lang))
elif len(numbers) < 2:
    st.caption(_("There is only one version.", lang))
else:
    done = st.session_state.pop("_restore_done", None)
    if done:  # a restore just happened: the form starts afresh, so that one more click publishes nothing again
        for key in [k for k in st.session_state if str(k).startswith("confirm_restore_")] + ["restore_comment"]:
            st.session_state.pop(key, None)
        st.success(done)
    target = st.selectbox(
        _("Version to publish again", lang), numbers[1:], format_func=vm.version_label, key="restore_which"
    )
    reason = st.text_input(_("Comment", lang), key="restore_comment", placeholder=_("Restore of v{n}", lang, n=target))
    # a restore is a publish: it changes what every page shows, so it is confirmed first
    confirmed = st.checkbox(
        vm.restore_confirmation(versions, target, lang),
        key=f"confirm_restore_{target}",  # a confirmation is for one version
    )
    if st.button(
        _("Publish v{n} again as v{new}", lang, n=target, new=numbers[0] + 1),
        key="restore",
        type="primary",
        disabled=not confirmed,
    ):
        if not access.is_analyst():
            st.error(_("Only analysts can restore.", lang))
            st.stop()
        try:
            info = restore(target, reason.strip())
        except PublishConflict as conflict:
            st.error(str(conflict))
            st.stop()
        st.session_state["_restore_done"] = _(
            "Version {n} was published again as version {new}.", lang, n=target, new=info.number
        )
        st.rerun()
