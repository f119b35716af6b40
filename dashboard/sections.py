"""Page sections drawn the same way on several pages, from their view models (:mod:`viewmodels`)."""

from __future__ import annotations

import streamlit as st


def same_decisions(section) -> None:
    """The "same decision(s) in other datasets" section, or nothing when no other dataset holds them.

    Args:
        section: a :class:`viewmodels.comparison.SameDecisions` (heading, caption, table; the dashboard does
            not import the view models, its siblings).
    """
    if section.table.empty:
        return
    st.subheader(section.heading)
    st.caption(section.caption)
    st.dataframe(section.table, hide_index=True)
