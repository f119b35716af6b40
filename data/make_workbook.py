"""Build ``data/eutf_allocations.xlsx`` from the sourced facts in ``../shared/data``.

Run once by a maintainer (``python data/make_workbook.py``); the workbook it writes is
committed, and the dashboard reads only that workbook. What this script adds to the
shared facts, and why, is written in the workbook's ``Lisez-moi`` sheet:

* strategic objectives as numbers (1-4), from the objective names in the facts; for
  T05-EUTF-SAH-ML-04 the EUTF/AKVO coding (4, governance) is kept, where the action
  document speaks of its own "objectif n°2";
* Valletta domains only where a source gives them (3 projects);
* themes: the communiqué's four themes (lines 89-91) where one fits the title; the three
  regional security projects get a label of ours, "sécurité et coopération régionales";
* approval dates only where sourced (REG-01 14/01/2016, REG-03 30/10/2016); the other
  rows leave the date empty and give the High-Level Dialogue at which they were reported
  (ML-01..03 at the 1st, inferred from the EUR 43.5m reported then; the others at the 2nd);
* amount basis ``inféré`` for ML-01 (20m, by subtraction) and REG-03 (decision amount
  assumed equal to its 5m contract).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data"

# Our classification of each project (see the module docstring).
CLASSIFICATION = {
    "T05-EUTF-SAH-ML-01": ("2", "", "résilience et accès aux services de base", None, 1),
    "T05-EUTF-SAH-ML-02": ("1", "", "création d'emploi", None, 1),
    "T05-EUTF-SAH-ML-03": ("2", "", "résilience et accès aux services de base", None, 1),
    "T05-EUTF-SAH-ML-04": ("4", "1", "sécurité et développement au Nord du Mali", None, 2),
    "T05-EUTF-SAH-ML-05": ("1;3", "4", "appui aux investissements de la diaspora", None, 2),
    "T05-EUTF-SAH-ML-06": ("3;4", "1;4", "sécurité et développement au Nord du Mali", None, 2),
    "T05-EUTF-SAH-REG-01": ("4", "", "sécurité et coopération régionales", datetime(2016, 1, 14), 2),
    "T05-EUTF-SAH-REG-03": ("4", "", "sécurité et coopération régionales", datetime(2016, 10, 30), None),
    "T05-EUTF-SAH-REG-04": ("4", "", "sécurité et coopération régionales", None, 2),
}

HEADERS = [
    "Référence",
    "Intitulé",
    "Fenêtre",
    "Portée",
    "Pays",
    "Objectif(s) stratégique(s)",
    "Domaine(s) PAV",
    "Thème",
    "Montant UE (EUR)",
    "Base du montant",
    "Date d'approbation",
    "Dialogue",
    "Partenaire de mise en œuvre",
    "Source",
]

README = [
    ("Allocations EUTF – Mali, communiqué conjoint du 11 décembre 2016", None),
    ("", None),
    (
        "Contenu",
        "Les neuf projets du Fonds fiduciaire d'urgence de l'UE pour l'Afrique (EUTF) comptés par le communiqué conjoint Mali-UE du 11/12/2016 (Bamako) : 145 100 000 EUR, dont 3 initiatives régionales (53 600 000 EUR) et 6 projets ciblant le Mali (91 500 000 EUR).",
    ),
    (
        "Sources",
        "Colonne Source de chaque ligne : fiches et documents d'action de la Commission européenne, communiqués du SEAE, pages des agences de mise en œuvre (AECID, LuxDev, Expertise France, FIIAPP), presse. Compilation : shared/data/SOURCES.md du projet.",
    ),
    (
        "Montants inférés",
        "T05-EUTF-SAH-ML-01 : 20 000 000 EUR, obtenu par soustraction (43,5 M€ au 1er dialogue moins ML-02 et ML-03 ; aussi 91,5 M€ moins les cinq autres projets nationaux). La Commission indique plus tard 25 M€. T05-EUTF-SAH-REG-03 : montant de la décision supposé égal à celui de son contrat (5 000 000 EUR).",
    ),
    (
        "Initiatives régionales",
        "Quelles trois initiatives régionales le communiqué compte est inféré : les actions régionales 2016 de la fenêtre Sahel couvrant le Mali dont les montants font exactement 53,6 M€.",
    ),
    (
        "Dates",
        "Date d'approbation renseignée seulement quand une source la donne (REG-01 : 14/01/2016 ; REG-03 : 30/10/2016). Sinon vide, et la colonne Dialogue donne le dialogue de haut niveau où le projet a été rapporté (ML-01 à ML-03 au 1er : inféré du total de 43,5 M€ annoncé alors).",
    ),
    (
        "Objectifs, domaines, thèmes",
        "Objectifs stratégiques EUTF : 1 emploi, 2 résilience, 3 gestion des migrations, 4 gouvernance. Domaines du Plan d'action de La Valette (1-5) renseignés seulement pour 3 projets (documents d'action). Thèmes : ceux du communiqué (création d'emploi, diaspora, sécurité et développement au Nord, résilience et services de base) ; « sécurité et coopération régionales » est un libellé du projet, pas du communiqué.",
    ),
    (
        "Colonnes",
        "Voir shared/TEMPLATE.md : en-têtes français ou anglais, dans n'importe quel ordre ; montants en euros entiers ; listes séparées par « ; ».",
    ),
]


def build(out: Path = HERE / "eutf_allocations.xlsx") -> Path:
    """Write the workbook; return its path. Reads ``../shared/data/eutf_mali_2016*.csv``."""
    facts = pd.read_csv(SHARED / "eutf_mali_2016.csv", dtype=str)
    detail = pd.read_csv(SHARED / "eutf_mali_2016_detail.csv", dtype=str).set_index("reference")
    wb = Workbook()
    ws = wb.active
    ws.title = "Allocations"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for fact in facts.itertuples(index=False):
        objectives, domains, theme, approved, dialogue = CLASSIFICATION[fact.reference]
        basis = detail.at[fact.reference, "amount_basis"]
        ws.append(
            [
                fact.reference,
                fact.title,
                "SAH",
                "régional" if fact.scope == "regional" else "national",
                fact.countries,
                objectives,
                domains or None,
                theme,
                int(fact.amount_eur),
                "sourcé" if basis == "sourced" else "inféré",
                approved,
                dialogue,
                fact.implementing_partner,
                fact.source,
            ]
        )
    for row in ws.iter_rows(min_row=2, min_col=9, max_col=9):
        row[0].number_format = '#,##0" €"'
    for row in ws.iter_rows(min_row=2, min_col=11, max_col=11):
        row[0].number_format = "DD/MM/YYYY"
    widths = [22, 60, 9, 10, 20, 14, 12, 34, 16, 12, 14, 9, 40, 60]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = width
    ws.freeze_panes = "B2"
    for column, values in (("C", '"SAH,HOA,NOA,REG"'), ("D", '"national,régional"'), ("J", '"sourcé,inféré"')):
        validation = DataValidation(type="list", formula1=values, allow_blank=True)
        validation.add(f"{column}2:{column}1000")
        ws.add_data_validation(validation)
    readme = wb.create_sheet("Lisez-moi")
    for key, text in README:
        readme.append([key, text])
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 26
    readme.column_dimensions["B"].width = 120
    for row in readme.iter_rows(min_row=3):
        row[0].font = Font(bold=True)
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    wb.properties.creator = "EUTF allocations dashboard"
    wb.save(out)
    return out


if __name__ == "__main__":
    print(build())
