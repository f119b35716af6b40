"""History: every published version, what changed between any two, and restoring an old one."""

import pandas as pd
import streamlit as st

from charts.fmt import eur
from dashboard import access
from dashboard.data import current_dataset, published, refresh_after_publish, store, version_list
from dashboard.filters import language
from dashboard.ui import md_escape, require_router, show_diff
from etl.diff import diff
from store.versions import PublishConflict

require_router(__file__)

lang = language()
st.title("Version history")
versions = version_list()
st.caption(
    f"Dataset: {md_escape(current_dataset())} (choose another in the sidebar). Every publish is an immutable "
    "version; nothing is ever deleted. A restore publishes an old version again."
)
st.dataframe(
    pd.DataFrame(
        {
            "Version": [f"v{v.number}" for v in versions],
            "Published (UTC)": [v.published_at.strftime("%d/%m/%Y %H:%M") for v in versions],
            "By": [v.published_by for v in versions],
            "File": [v.file_name for v in versions],
            "SHA-256": [v.file_sha256[:16] for v in versions],
            "Projects": [v.row_count for v in versions],
            "Total": [eur(v.total_eur, lang) for v in versions],
            "National": [eur(v.national_eur, lang) for v in versions],
            "Regional": [eur(v.regional_eur, lang) for v in versions],
            "Warnings confirmed": [v.n_warnings for v in versions],
            "Comment": [v.comment + (f" (restore of v{v.restored_from})" if v.restored_from else "") for v in versions],
        }
    ),
    hide_index=True,
)

numbers = [v.number for v in versions]
if len(numbers) >= 2:
    st.subheader("Compare two versions")
    left, right = st.columns(2)
    old = left.selectbox("From", numbers, index=1, format_func=lambda n: f"v{n}", key="diff_from")
    new = right.selectbox("To", numbers, index=0, format_func=lambda n: f"v{n}", key="diff_to")
    show_diff(diff(published(old).dataset.allocations, published(new).dataset.allocations), f"v{old}", f"v{new}", lang)

st.subheader("Restore an old version")
if not access.is_analyst():
    st.caption("Restoring needs the analyst role (sign in on the Upload page).")
elif len(numbers) < 2:
    st.caption("There is only one version.")
else:
    target = st.selectbox("Version to publish again", numbers[1:], format_func=lambda n: f"v{n}", key="restore_which")
    reason = st.text_input("Comment", key="restore_comment", placeholder=f"Restore of v{target}")
    if st.button(f"Publish v{target} again as v{numbers[0] + 1}", key="restore", type="primary"):
        if not access.is_analyst():
            st.error("Only analysts can restore.")
            st.stop()
        try:
            info = store().restore(
                target, base=store().latest_number(), by=access.analyst_name(), comment=reason.strip()
            )
        except PublishConflict as conflict:
            refresh_after_publish()
            st.error(str(conflict))
            st.stop()
        refresh_after_publish()
        st.success(f"Version {target} was published again as version {info.number}.")
        st.rerun()
