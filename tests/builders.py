"""Build allocation workbooks in code for tests (no fixture files)."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HEADERS_FR = [
    "Référence",
    "Intitulé",
    "Fenêtre",
    "Portée",
    "Pays",
    "Objectif(s) stratégique(s)",
    "Thème",
    "Montant UE (EUR)",
    "Date d'approbation",
    "Partenaire de mise en œuvre",
    "Source",
    "Domaine(s) PAV",
    "Dialogue",
    "Base du montant",
]
COLUMN = {name: chr(ord("A") + i) for i, name in enumerate(HEADERS_FR)}

# Nine rows that reconcile with the communiqué: 6 national = 91 500 000, 3 regional = 53 600 000.
BASE = [
    [
        "T05-EUTF-SAH-ML-01",
        "Résilience",
        "SAH",
        "national",
        "ML",
        "2",
        "résilience",
        20000000,
        None,
        "ONG",
        "s",
        None,
        1,
        "inféré",
    ],
    [
        "T05-EUTF-SAH-ML-02",
        "Anacarde",
        "SAH",
        "national",
        "ML",
        "1",
        "emploi",
        13500000,
        None,
        "AECID",
        "s",
        None,
        1,
        None,
    ],
    [
        "T05-EUTF-SAH-ML-03",
        "RELAC II",
        "SAH",
        "national",
        "ML",
        "2",
        "résilience",
        10000000,
        None,
        "LuxDev",
        "s",
        None,
        1,
        None,
    ],
    [
        "T05-EUTF-SAH-ML-04",
        "SDNM 2",
        "SAH",
        "national",
        "ML",
        "4",
        "sécurité",
        13000000,
        None,
        "AFD",
        "s",
        "1",
        2,
        None,
    ],
    [
        "T05-EUTF-SAH-ML-05",
        "Diaspora",
        "SAH",
        "national",
        "ML",
        "1;3",
        "diaspora",
        6000000,
        None,
        "AFD",
        "s",
        "4",
        2,
        None,
    ],
    [
        "T05-EUTF-SAH-ML-06",
        "PARSEC",
        "SAH",
        "national",
        "ML",
        "3;4",
        "sécurité",
        29000000,
        None,
        "EF",
        "s",
        "1;4",
        2,
        None,
    ],
    [
        "T05-EUTF-SAH-REG-01",
        "G5",
        "SAH",
        "régional",
        "BF;ML;MR;NE;TD",
        "4",
        "régional",
        7000000,
        datetime(2016, 1, 14),
        "Civipol",
        "s",
        None,
        2,
        None,
    ],
    [
        "T05-EUTF-SAH-REG-03",
        "WAPIS",
        "SAH",
        "régional",
        "BF;BJ;CI;GH;ML;MR;NE;TD",
        "4",
        "régional",
        5000000,
        datetime(2016, 10, 30),
        "INTERPOL",
        "s",
        None,
        None,
        "inféré",
    ],
    [
        "T05-EUTF-SAH-REG-04",
        "GAR-SI",
        "SAH",
        "régional",
        "BF;ML;MR;NE;SN;TD",
        "4",
        "régional",
        41600000,
        None,
        "FIIAPP",
        "s",
        None,
        2,
        None,
    ],
]


def rows(**changes) -> list[list]:
    """BASE with cells replaced: ``rows(H3="n/a")`` sets column H of Excel row 3."""
    out = [list(r) for r in BASE]
    for ref, value in changes.items():
        column, row = ref[0], int(ref[1:])
        out[row - 2][ord(column) - ord("A")] = value
    return out


def xlsx_bytes(data: list[list] | None = None, headers: list[str] = HEADERS_FR, sheet: str = "Allocations") -> bytes:
    """An .xlsx holding ``headers`` on row 1 and ``data`` from row 2."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for row in BASE if data is None else data:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_xlsx(path: Path, data: list[list] | None = None, **kwargs) -> Path:
    """Write :func:`xlsx_bytes` to ``path``."""
    path.write_bytes(xlsx_bytes(data, **kwargs))
    return path
