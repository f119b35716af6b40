"""EUTF allocations dashboard: the router and the frame shared by every page.

Run with ``make run`` (``streamlit run app.py``). Pages live in ``pages/`` and are listed
in :mod:`dashboard.registry`.
"""

import streamlit as st

from dashboard import filters
from dashboard.data import published
from dashboard.registry import PAGES

st.set_page_config(page_title="EUTF allocations", page_icon="📊", layout="wide")

pages = [
    st.Page(p.script, title=p.title, url_path=p.url_path, icon=p.icon, default=(i == 0)) for i, p in enumerate(PAGES)
]
page = st.navigation(pages)

pub = published()
if hasattr(pub, "report"):
    st.error("The published allocation workbook does not pass validation; nothing can be shown.")
    st.code(pub.report.text(), language=None)
    st.stop()
filters.sidebar(pub.dataset)
page.run()
