"""EUTF allocations dashboard: the router and the frame shared by every page.

Run with ``make run`` (``streamlit run app.py``). Pages live in ``pages/`` and are listed
in :mod:`dashboard.registry`.
"""

import logging

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from dashboard import sidebar, url
from dashboard.cache import datasets, published, settle_heap_once, version_list
from dashboard.registry import PAGES
from dashboard.widgets import database_unavailable, follow_drill, md_escape
from domain.i18n import _
from store.versions import StoreError

st.set_page_config(page_icon="📊", layout="wide")  # each page's own title names the browser tab

lang = sidebar.language()
pages = {
    spec.url_path: st.Page(
        spec.script,
        title=_(spec.title, lang),
        # the first page is served at "/": its own path name is the alias's below, so it takes another
        url_path=spec.url_path if i else f"{spec.url_path}-home",
        icon=spec.icon,
        default=(i == 0),
        visibility="visible" if spec.visible else "hidden",
    )
    for i, spec in enumerate(PAGES)
}
# "/overview" (the first page's own name, as in a link someone typed or shared) opens it at "/" with
# the link's values, instead of Streamlit's "Page not found" over it.
home = PAGES[0]
alias = st.Page(lambda: None, title=_(home.title, lang), url_path=home.url_path, icon=home.icon, visibility="hidden")
page = st.navigation([*pages.values(), alias])
if page is alias:
    url.open_page(pages[home.url_path], url.carried_params())
st.session_state["_router"] = True  # the pages check that they run inside this navigation
follow_drill()
spec = next(s for s in PAGES if pages[s.url_path] is page)
DATABASE_ERRORS = (SQLAlchemyError, StoreError, OSError)


def database_away(exc: Exception) -> None:
    """Log why, say so on the page (it reruns by itself when the database answers), stop."""
    logging.getLogger(__name__).log(logging.WARNING, "The allocation database cannot be read: %s", exc)
    database_unavailable(exc)
    st.stop()


try:
    dataset_note = sidebar.dataset_picker(datasets())
    versions = version_list()
    sidebar.version_picker(versions)
    pub = published(sidebar.chosen_version())
except DATABASE_ERRORS as exc:
    database_away(exc)
unread = url.read_url(pub)
sidebar.sidebar(pub, with_filters=spec.filtered)
url.write_url(sidebar.current(), sidebar.language())  # the language the sidebar shows now
if unread:
    st.warning(
        _("This link holds values that are not applied: ", lang) + md_escape("; ".join(unread)),
        icon=":material/link_off:",
    )
for note in (dataset_note, st.session_state.pop("_version_note", None)):
    if note:
        st.info(md_escape(note), icon=":material/info:")
try:
    page.run()
except DATABASE_ERRORS as exc:  # the database went away between the frame's read and the page's
    database_away(exc)
settle_heap_once()  # the imports and caches of a first run are not walked by every later run's GC
