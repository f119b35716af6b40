"""The allocation workbook's columns: the contract between analysts and the dashboard.

Transcribes ``docs/TEMPLATE.md``. Headers are matched after folding (accents, case,
spacing and punctuation ignored), in French or English, in any order.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.refdata import fold


@dataclass(frozen=True)
class Column:
    """One column of the template.

    Attributes:
        name: internal name, used in every DataFrame.
        fr: French header, as written in the template.
        en: English header.
        required: True when the column must be present (``approval_date`` is required
            unless ``dialogue_round`` is present).
        aliases: further accepted headers.
    """

    name: str
    fr: str
    en: str
    required: bool
    aliases: tuple[str, ...] = ()

    def headers(self) -> set[str]:
        """All folded headers that map to this column."""
        return {fold(h) for h in (self.fr, self.en, self.name, *self.aliases)}


COLUMNS: tuple[Column, ...] = (
    Column("reference", "Référence", "Reference", True, ("Réf.", "Ref", "Référence EUTF", "EUTF reference")),
    Column("title", "Intitulé", "Title", True, ("Titre", "Intitulé du projet", "Project title")),
    Column("window", "Fenêtre", "Window", True, ("Fenêtre EUTF", "EUTF window")),
    Column("scope", "Portée", "Scope", True),
    Column("countries", "Pays", "Countries", True, ("Country", "Pays bénéficiaires")),
    Column(
        "objectives",
        "Objectif(s) stratégique(s)",
        "Strategic objective(s)",
        True,
        ("Objectifs stratégiques", "Objectif stratégique", "Strategic objectives", "Strategic objective"),
    ),
    Column(
        "valletta_domains",
        "Domaine(s) PAV",
        "Valletta domain(s)",
        False,
        ("Domaines PAV", "Domaine PAV", "Valletta domains", "Valletta domain", "Valletta Action Plan domain(s)"),
    ),
    Column("theme", "Thème", "Theme", False),
    Column(
        "amount_eur",
        "Montant UE (EUR)",
        "EU contribution (EUR)",
        True,
        ("Montant UE", "Montant (EUR)", "Montant", "EU contribution", "Amount (EUR)", "Amount"),
    ),
    Column("amount_basis", "Base du montant", "Amount basis", False),
    Column("approval_date", "Date d'approbation", "Approval date", True, ("Date d'adoption", "Adoption date")),
    Column("dialogue_round", "Dialogue", "Dialogue round", False, ("Dialogue de haut niveau", "High-Level Dialogue")),
    Column(
        "implementing_partner",
        "Partenaire de mise en œuvre",
        "Implementing partner",
        False,
        ("Partenaire de mise en oeuvre", "Partenaire", "Partner"),
    ),
    Column("source", "Source", "Source", False, ("Sources",)),
    # Decision -> contract hierarchy (EUTF monitoring exports); optional: a row without them
    # is a decision.
    Column("record_type", "Type", "Record type", False, ("Type de ligne", "Décision ou contrat")),
    Column("parent_reference", "Décision mère", "Parent decision", False, ("Référence de la décision", "Parent")),
)

BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}
_HEADER_INDEX: dict[str, str] = {h: c.name for c in COLUMNS for h in c.headers()}


def column_for_header(header: object) -> str | None:
    """Internal column name for a header cell's text, or None when it is not a template header."""
    if header is None:
        return None
    return _HEADER_INDEX.get(fold(str(header)))


def header_score(row: tuple[object, ...]) -> int:
    """How many distinct template columns a row's cells name (used to find the header row)."""
    return len({name for cell in row if (name := column_for_header(cell))})


#: Columns of the clean allocation table, in display order.
CLEAN_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS)
