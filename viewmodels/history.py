"""The History page's view model: the versions' table, the diff of two, the restore's texts. No Streamlit."""

from __future__ import annotations

import pandas as pd

from analysis.diff import Diff, diff
from domain.fmt import eur, short_datetime
from domain.i18n import _
from etl.catalog import dataset_title
from store.versions import VersionInfo, publisher

__all__ = ["dataset_title"]  # the dataset's name in the language, for the page's caption


def version_label(number: int) -> str:
    """A version as the pickers show it: ``v3``."""
    return f"v{number}"


def version_table(versions: list[VersionInfo], lang: str) -> pd.DataFrame:
    """Every published version, newest first, as the page shows it.

    Returns:
        One row per version; columns (headers in ``lang``): Version (``v3``), Published (UTC) (day and
        time), By, File, SHA-256 (first 16 digits), Projects (``int``), Total, National, Regional (EUR, as
        text), Warnings confirmed (``int``), Comment (with "(restore of vN)" for a restore).
    """
    return pd.DataFrame(
        {
            _("Version", lang): [version_label(v.number) for v in versions],
            _("Published (UTC)", lang): [short_datetime(v.published_at, lang) for v in versions],
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
    )


def changes(old: pd.DataFrame, new: pd.DataFrame) -> Diff:
    """What differs between two versions' decisions tables (:func:`analysis.diff.diff`), for ``show_diff``."""
    return diff(old, new)


def restore_confirmation(versions: list[VersionInfo], target: int, lang: str) -> str:
    """The restore's confirmation: what every page will show instead of the latest version (EUR as text)."""
    latest, chosen = versions[0], next(v for v in versions if v.number == target)
    return _(
        "I confirm: every page will show v{n} again ({total}, {rows} projects) instead of v{latest} "
        "({latest_total}, {latest_rows} projects); v{latest} stays in the history.",
        lang,
        n=target,
        total=eur(chosen.total_eur, lang),
        rows=chosen.row_count,
        latest=latest.number,
        latest_total=eur(latest.total_eur, lang),
        latest_rows=latest.row_count,
    )
