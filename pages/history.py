"""History: every published version, what changed between any two, and restoring an old one."""

import pandas as pd
import streamlit as st

from analysis.diff import diff
from dashboard import access
from dashboard.cache import current_dataset, published, refresh_after_publish, store, version_list
from dashboard.sidebar import language
from dashboard.widgets import md_escape, require_router, show_diff
from domain.fmt import eur, short_date
from domain.i18n import _
from etl.catalog import dataset_title
from store.versions import PublishConflict, publisher

require_router(__file__)

lang = language()
st.title(_("Version history", lang))
versions = version_list()
st.caption(
    _(
        "Dataset: {dataset} (choose another in the sidebar). Every publish is an immutable version; nothing is "
        "ever deleted. A restore publishes an old version again.",
        lang,
        dataset=md_escape(dataset_title(current_dataset(), lang)),
    )
)
st.dataframe(
    pd.DataFrame(
        {
            _("Version", lang): [f"v{v.number}" for v in versions],
            _("Published (UTC)", lang): [
                f"{short_date(v.published_at, lang)} {v.published_at:%H:%M}" for v in versions
            ],
            _("By", lang): [publisher(v.published_by, lang) for v in versions],
            _("File", lang): [v.file_name for v in versions],
            "SHA-256": [v.file_sha256[:16] for v in versions],
            _("Projects", lang): [v.row_count for v in versions],
            _("Total", lang): [eur(v.total_eur, lang) for v in versions],
            _("National", lang): [eur(v.national_eur, lang) for v in versions],
            _("Regional", lang): [eur(v.regional_eur, lang) for v in versions],
            _("Warnings confirmed", lang): [v.n_warnings for v in versions],
            _("Comment", lang): [
                v.comment + (_(" (restore of v{n})", lang, n=v.restored_from) if v.restored_from else "")
                for v in versions
            ],
        }
    ),
    hide_index=True,
)

numbers = [v.number for v in versions]
if len(numbers) >= 2:
    st.subheader(_("Compare two versions", lang))
    left, right = st.columns(2)
    old = left.selectbox(_("From", lang), numbers, index=1, format_func=lambda n: f"v{n}", key="diff_from")
    new = right.selectbox(_("To", lang), numbers, index=0, format_func=lambda n: f"v{n}", key="diff_to")
    show_diff(diff(published(old).dataset.allocations, published(new).dataset.allocations), f"v{old}", f"v{new}", lang)

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
        _("Version to publish again", lang), numbers[1:], format_func=lambda n: f"v{n}", key="restore_which"
    )
    reason = st.text_input(_("Comment", lang), key="restore_comment", placeholder=_("Restore of v{n}", lang, n=target))
    latest, chosen = versions[0], next(v for v in versions if v.number == target)
    # a restore is a publish: it changes what every page shows, so it is confirmed first
    confirmed = st.checkbox(
        _(
            "I confirm: every page will show v{n} again ({total}, {rows} projects) instead of v{latest} "
            "({latest_total}, {latest_rows} projects); v{latest} stays in the history.",
            lang,
            n=target,
            total=eur(chosen.total_eur, lang),
            rows=chosen.row_count,
            latest=latest.number,
            latest_total=eur(latest.total_eur, lang),
            latest_rows=latest.row_count,
        ),
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
            info = store().restore(
                target, base=store().latest_number(), by=access.analyst_name(), comment=reason.strip()
            )
        except PublishConflict as conflict:
            refresh_after_publish()
            st.error(str(conflict))
            st.stop()
        refresh_after_publish()
        st.session_state["_restore_done"] = _(
            "Version {n} was published again as version {new}.", lang, n=target, new=info.number
        )
        st.rerun()
