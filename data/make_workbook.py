"""Build ``data/eutf_allocations.xlsx`` from the sourced facts in ``data/facts`` (see ``data/SOURCES.md``).

Run once by a maintainer, from the repository root (``python -m data.make_workbook``); the workbook it writes is
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
from etl.workbooks import template_workbook

HERE = Path(__file__).resolve().parent
FACTS = HERE / "facts"  # the sourced facts (data/SOURCES.md)

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

README = [
    ("Allocations EUTF – Mali, communiqué conjoint du 11 décembre 2016", None),
    ("", None),
    (
        "Contenu",
        "Les neuf projets du Fonds fiduciaire d'urgence de l'UE pour l'Afrique (EUTF) comptés par le communiqué conjoint Mali-UE du 11/12/2016 (Bamako) : 145 100 000 EUR, dont 3 initiatives régionales (53 600 000 EUR) et 6 projets ciblant le Mali (91 500 000 EUR).",
    ),
    (
        "Sources",
        "Colonne Source de chaque ligne : fiches et documents d'action de la Commission européenne, communiqués du SEAE, pages des agences de mise en œuvre (AECID, LuxDev, Expertise France, FIIAPP), presse. Compilation : data/SOURCES.md du dépôt.",
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
        "Voir docs/TEMPLATE.md : en-têtes français ou anglais, dans n'importe quel ordre ; montants en euros entiers ; listes séparées par « ; ».",
    ),
]


def build(out: Path = HERE / "eutf_allocations.xlsx") -> Path:
    """Write the workbook; return its path. Reads ``data/facts/eutf_mali_2016*.csv``."""
    facts = pd.read_csv(FACTS / "eutf_mali_2016.csv", dtype=str)
    detail = pd.read_csv(FACTS / "eutf_mali_2016_detail.csv", dtype=str).set_index("reference")
    wb = template_workbook(README)
    ws = wb["Allocations"]
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
    for row in ws.iter_rows(min_row=2):
        row[8].number_format = "#,##0"
        row[10].number_format = "DD/MM/YYYY"
    wb.properties.creator = "EUTF allocations dashboard"
    wb.save(out)
    return out


if __name__ == "__main__":
    print(build())
