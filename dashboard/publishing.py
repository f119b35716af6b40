"""Publishing from the pages (Streamlit adapter): check an uploaded file, publish it, restore an old version.

The rules are :mod:`validation.pipeline`'s and :mod:`store.versions`'; this module hands them what the app
configures (the upload limit, the communiqué's calendar and control totals, the signed-in analyst) and
forgets the cached latest version after a publish. A publish prepared against a version that is no longer
the latest raises :class:`PublishConflict`.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard import access
from dashboard.cache import calendar, control_totals, refresh_after_publish, store
from downloads.workbooks import template_bytes
from etl.read import Limits
from store.versions import PublishConflict, VersionInfo
from validation.pipeline import LoadResult, load_bytes

__all__ = ["PublishConflict", "check", "limits", "publish", "restore", "template_bytes"]


def limits() -> Limits:
    """The upload limits: the same figure as Streamlit's own (``.streamlit/config.toml``, ``server.maxUploadSize``)."""
    return Limits(max_upload_bytes=st.get_option("server.maxUploadSize") * 1024 * 1024)


def check(data: bytes, file_name: str, progress: Callable[[int], None], lang: str) -> LoadResult:
    """Read and validate an uploaded file (:func:`validation.pipeline.load_bytes`) against the communiqué's totals.

    ``lang``: the titles of an IATI file in the language shown.
    """
    return load_bytes(
        data,
        file_name,
        calendar=calendar(),
        control=control_totals(),
        limits=limits(),
        progress=progress,
        lang=lang,
    )


def publish(
    target: str,
    table: pd.DataFrame,
    *,
    base: int | None,
    file_name: str,
    file_sha256: str,
    comment: str,
    n_warnings: int,
    transactions: pd.DataFrame | None,
    sectors: pd.DataFrame | None = None,
) -> VersionInfo:
    """Publish ``table`` as the next version of dataset ``target`` by the signed-in analyst.

    ``transactions`` and ``sectors`` are an IATI file's (:class:`validation.pipeline.LoadResult`),
    stored with the version (None for a workbook).

    Raises:
        PublishConflict: another version was published after ``base`` (the caches are refreshed first).
    """
    try:
        return store(target).publish(
            table,
            base=base,
            by=access.analyst_name(),
            file_name=file_name,
            file_sha256=file_sha256,
            comment=comment,
            n_warnings=n_warnings,
            transactions=transactions,
            sectors=sectors,
        )
    finally:
        refresh_after_publish()


def restore(number: int, comment: str) -> VersionInfo:
    """Publish version ``number`` of the current dataset again, as the signed-in analyst.

    Raises:
        PublishConflict: another version was published meanwhile (the caches are refreshed first).
    """
    try:
        return store().restore(number, base=store().latest_number(), by=access.analyst_name(), comment=comment)
    finally:
        refresh_after_publish()
