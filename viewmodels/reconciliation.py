"""The reconciliation table: each control total of the communiqué against the data, as shown.

One builder for every page that shows it (the Overview, against the published version; the Upload
page, against the file being checked).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

import pandas as pd

from charts.figures import round_label
from domain.fmt import eur
from domain.i18n import _
from validation.reconcile import Line


def scope_labels(lang: str) -> dict[str, str]:
    """The default names of the totals (``all``, ``national``, ``regional``), in ``lang``."""
    return {"all": _("All projects", lang), "national": _("National", lang), "regional": _("Regional", lang)}


def all_met(lines: Iterable[Line]) -> bool:
    """True when every control total is met to the euro (and in number of projects)."""
    return all(line.reconciles for line in lines)


def reconciliation_table(
    lines: Iterable[Line],
    lang: str,
    *,
    labels: Mapping[str, str] | None = None,
    against: Literal["loaded", "file"] = "loaded",
    source: bool = True,
) -> pd.DataFrame:
    """One row per control total (:func:`validation.reconcile.reconcile`), every cell text, labelled in ``lang``.

    Args:
        lines: the control totals against the data.
        lang: ``en`` or ``fr``.
        labels: the name of each total (``all``/``national``/``regional``); default :func:`scope_labels`.
            A total without a name is shown by its code.
        against: what the control totals are compared with: ``loaded`` (the published data: columns
            "Control (EUR)", "Loaded (EUR)", "Gap (EUR)", "Projects (control / loaded)") or ``file``
            (a file being checked: "Control", "This file", "Gap", "Projects (control / file)").
        source: add the column "Source of the control figure".

    Returns:
        Columns Dialogue, Total, the control, found and gap amounts (EUR, formatted per locale),
        the projects (``control / found``), Reconciles (``yes ✓`` / ``NO ✗``) and, with ``source``,
        the source of the control figure; all ``object`` (text).
    """
    labels = scope_labels(lang) if labels is None else labels
    if against == "file":
        control, found, gap = _("Control", lang), _("This file", lang), _("Gap", lang)
        projects = _("Projects (control / file)", lang)
    else:
        control, found, gap = _("Control (EUR)", lang), _("Loaded (EUR)", lang), _("Gap (EUR)", lang)
        projects = _("Projects (control / loaded)", lang)
    rows = []
    for line in lines:
        row = {
            _("Dialogue", lang): round_label(line.dialogue_round, lang),
            _("Total", lang): labels.get(line.total, line.total),
            control: eur(line.control_eur, lang),
            found: eur(line.found_eur, lang),
            gap: eur(line.gap_eur, lang),
            projects: f"{line.control_n} / {line.found_n}",
            _("Reconciles", lang): _("yes ✓", lang) if line.reconciles else _("NO ✗", lang),
        }
        if source:
            row[_("Source of the control figure", lang)] = line.source
        rows.append(row)
    return pd.DataFrame(rows)
