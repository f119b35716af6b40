"""Compare loaded totals with the communiqué's control totals, to the euro.

Control totals: joint communiqué Mali-EU, Bamako, 11 Dec 2016 (9 projects,
145 100 000 EUR; 3 regional, 53 600 000 EUR; 6 targeting Mali, 91 500 000 EUR), and
the 1st High-Level Dialogue (3 national projects, 43 500 000 EUR), read from
``data/control_totals.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from domain.findings import Finding
from domain.i18n import N_, Count, Money, Text

_LABELS = {
    "all": N_("All projects"),
    "national": N_("National projects (targeting Mali)"),
    "regional": N_("Regional initiatives"),
}


@dataclass(frozen=True)
class Line:
    """One control total against what was found.

    Attributes:
        dialogue_round: the High-Level Dialogue whose figure this is (1 or 2).
        total: ``all``, ``national`` or ``regional``.
        control_eur, found_eur, gap_eur: EUR; ``gap_eur = found - control``.
        control_n, found_n: numbers of projects.
        source: where the control figure comes from.
    """

    dialogue_round: int
    total: str
    control_eur: int
    found_eur: int
    control_n: int
    found_n: int
    source: str

    @property
    def gap_eur(self) -> int:
        """Found minus control, in EUR."""
        return self.found_eur - self.control_eur

    @property
    def reconciles(self) -> bool:
        """True when both the amount and the number of projects match exactly."""
        return self.gap_eur == 0 and self.found_n == self.control_n


def totals(allocations: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Totals by scope: ``{"all"|"national"|"regional": (n_projects, amount_eur)}`` in EUR.

    The one rule for national and regional totals: the control totals, the headline figures
    (:func:`analysis.aggregate.totals_by_scope`) and the change between versions (:mod:`analysis.diff`)
    all count by it. A project counts under its ``scope``; ``all`` is every project, whatever its scope.
    """
    amounts = allocations["amount_eur"]
    out = {"all": (len(allocations), int(amounts.sum()))}
    for scope in ("national", "regional"):
        # a mask of the amounts only: a mask of the table would copy every column (1M rows: 300 MB of texts)
        at = (allocations["scope"] == scope).fillna(False).to_numpy(dtype=bool)
        out[scope] = (int(at.sum()), int(amounts[at].sum()))
    return out


def reconcile(allocations: pd.DataFrame, control: pd.DataFrame) -> list[Line]:
    """Compare each control total with the allocations reported up to its dialogue round.

    Args:
        allocations: the clean allocation table (``scope``, ``amount_eur``, ``dialogue_round``).
        control: :func:`etl.catalog.load_control_totals`.

    Returns:
        One :class:`Line` per control total, latest round first. Allocations with no
        round (after the last dated dialogue) count in no round.
    """
    lines = []
    allocations = allocations[["scope", "amount_eur", "dialogue_round"]]  # the masks below copy these only
    for item in control.sort_values("dialogue_round", ascending=False).itertuples(index=False):
        rnd = int(item.dialogue_round)
        upto = allocations[allocations["dialogue_round"].fillna(10**6) <= rnd]
        n, amount = totals(upto)[item.total]
        lines.append(Line(rnd, item.total, int(item.amount_eur), amount, int(item.n_projects), n, str(item.source)))
    return lines


def _projects(n: int) -> Count:
    """``n`` projects, shown as ``1 project`` / ``2 projects`` (``1 projet`` / ``2 projets``)."""
    return Count(n, "{n} project", "{n} projects")  # the catalogue's ngettext entry (dashboard/widgets.py)


def gap_findings(lines: list[Line]) -> list[Finding]:
    """A ``reconciliation-gap`` warning for each control total that is not met to the euro."""
    findings = []
    for line in lines:
        if line.reconciles:
            continue
        gap = line.gap_eur
        template = (
            N_(
                "{total} at the High-Level Dialogue no. {round}: {found} ({found_projects}) against {control} "
                "({control_projects}) in the control total, a gap of +{gap} ({gap} more). Which row differs is "
                "not guessed."
            )
            if gap > 0
            else N_(
                "{total} at the High-Level Dialogue no. {round}: {found} ({found_projects}) against {control} "
                "({control_projects}) in the control total, a gap of −{gap} ({gap} less). Which row differs is "
                "not guessed."
            )
        )
        findings.append(
            Finding.of(
                "reconciliation-gap",
                template,
                {
                    "total": Text(_LABELS[line.total]),
                    "round": line.dialogue_round,
                    "found": Money(line.found_eur),
                    "found_projects": _projects(line.found_n),
                    "control": Money(line.control_eur),
                    "control_projects": _projects(line.control_n),
                    "gap": Money(abs(gap)),
                },
                extra={
                    "total": line.total,
                    "dialogue_round": line.dialogue_round,
                    "control_eur": line.control_eur,
                    "found_eur": line.found_eur,
                    "gap_eur": gap,
                    "control_n": line.control_n,
                    "found_n": line.found_n,
                },
            )
        )
    return findings
