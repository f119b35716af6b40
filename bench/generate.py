"""Generate realistic allocation workbooks following TEMPLATE.md, for benchmarks.

Distributions (window, countries, implementing partner, strategic objectives, amount,
adoption date) are drawn from the real EUTF portfolio in
``data/public/published/EUTF-Projects-Database-2022-01.csv`` (252 rows, DW/EC 2022); every row
is synthetic and says so in its Source column.

Workbooks are cached in ``bench/out`` by size and seed. They are written by
:func:`write_xlsx`, a minimal SpreadsheetML writer (shared strings, dates as serial
numbers with Excel's built-in date format, as Excel itself saves them): generation is
not what is measured, and openpyxl's writer took 4 minutes for the 1M-row workbook.
``tests/test_bench.py`` checks that openpyxl and python-calamine read back exactly the
rows generated.
"""

from __future__ import annotations

import itertools
import random
import zipfile
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd

from domain import refdata
from domain.template import COLUMNS

PORTFOLIO = Path(__file__).resolve().parents[1] / "data" / "public" / "published" / "EUTF-Projects-Database-2022-01.csv"
OUT = Path(__file__).resolve().parent / "out"
SEED = 2016


def _portfolio() -> pd.DataFrame:
    frame = pd.read_csv(PORTFOLIO).rename(
        columns={
            "Region": "window",
            "ProjectLocation": "countries",
            "ProjectTheme": "eutf_objective",
            "ProjectTitle": "title",
            "ProjectBudget": "amount_eur",
            "ProjectImplementor": "implementing_partner",
        }
    )
    return frame[frame["window"].isin(list(refdata.WINDOWS))]


def _records() -> list[tuple]:
    """The portfolio's projects, with what a row needs from them parsed once."""
    out = []
    for base in _portfolio().to_dict("records"):
        countries = [refdata.country_code(c.strip()) for c in str(base["countries"]).split(",") if c.strip()]
        objectives = [refdata.objective_number(o.strip()) for o in str(base["eutf_objective"]).split(",")]
        partner = base["implementing_partner"].strip() if isinstance(base["implementing_partner"], str) else None
        out.append(
            (
                base["window"],
                [c for c in countries if c] or ["ML"],
                sorted({o for o in objectives if o}),
                base["title"][:80],
                float(base["amount_eur"]),
                partner,
            )
        )
    return out


def rows(n: int, seed: int = SEED):
    """Yield ``n`` template rows (French spellings), reproducibly."""
    rng = random.Random(seed)
    records = _records()
    launch = refdata.EUTF_LAUNCH
    counters: dict[tuple[str, str], int] = {}
    for i in range(n):
        window, countries, objectives, title, amount, partner = rng.choice(records)
        national = len(countries) == 1
        objectives = objectives or [rng.randint(1, 4)]
        approved = launch + timedelta(days=rng.randint(0, 2200))
        segment = countries[0] if national else "REG"
        # EUTF references have up to 3 digits: vary the T-prefix to keep synthetic ones unique
        k = counters.get((window, segment), 0)
        counters[(window, segment)] = k + 1
        spill, k = divmod(k, 99 * 999)  # past 98 901 references, spill into made-up segments RA, RB, ...
        if spill:
            segment = "R" + chr(ord("A") + spill - 1)
        yield [
            f"T{k // 999:02d}-EUTF-{window}-{segment}-{k % 999 + 1:03d}",
            f"{title} ({i + 1})",
            window,
            "national" if national else "régional",
            ";".join(countries),
            ";".join(str(o) for o in objectives),
            rng.choice(["1", "4", "1;4", None, None, None]),
            rng.choice(["résilience", "création d'emploi", "gestion des migrations", "gouvernance", None]),
            int(round(amount * rng.uniform(0.5, 1.5), -3)),
            rng.choice(["sourcé"] * 9 + ["inféré"]),
            approved,
            None,
            partner,
            "Données synthétiques (banc d'essai), distributions du portefeuille EUTF (DW 2022)",
        ]


_EPOCH = date(1899, 12, 30)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="{_PKG}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{_DOC}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} {_R_NS}>'
        '<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/styles.xml": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {_NS}>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}


def _column_letters(count: int) -> list[str]:
    letters = []
    for i in range(1, count + 1):
        name = ""
        while i:
            i, rest = divmod(i - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def write_xlsx(path: Path, sheet: str, table: Iterable[list]) -> None:
    """Write ``table`` (a header row, then rows of str, int, float, date or None) as a one-sheet workbook.

    Strings go to the shared-string table, dates become serial numbers styled with
    Excel's built-in date format 14, None leaves the cell out.
    """
    strings: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS}><sheetData>'.encode()
            )
            letters: list[str] = []
            chunk: list[str] = []
            for r, values in enumerate(table, start=1):
                if len(letters) < len(values):
                    letters = _column_letters(len(values))
                cells = []
                for letter, v in zip(letters, values, strict=False):
                    if v is None:
                        continue
                    if isinstance(v, str):
                        index = strings.setdefault(v, len(strings))
                        cells.append(f'<c r="{letter}{r}" t="s"><v>{index}</v></c>')
                    elif isinstance(v, date):
                        cells.append(f'<c r="{letter}{r}" s="1"><v>{(v - _EPOCH).days}</v></c>')
                    else:
                        cells.append(f'<c r="{letter}{r}"><v>{v}</v></c>')
                chunk.append(f'<row r="{r}">{"".join(cells)}</row>')
                if len(chunk) >= 10_000:
                    part.write("".join(chunk).encode())
                    chunk = []
            part.write(("".join(chunk) + "</sheetData></worksheet>").encode())
        for name, text in _PARTS.items():
            zf.writestr(name, text.replace("{sheet}", escape(sheet)))
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {_NS} uniqueCount="{len(strings)}">'
            part.write(head.encode())
            ordered = list(strings)
            for start in range(0, len(ordered), 10_000):
                part.write(
                    "".join(
                        f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in ordered[start : start + 10_000]
                    ).encode()
                )
            part.write(b"</sst>")


def workbook(n: int, path: Path | None = None, seed: int = SEED) -> Path:
    """The ``n``-row allocation workbook of ``seed`` (generated once, cached in ``bench/out``)."""
    path = path or OUT / f"allocations_{n}_seed{seed}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp")
    write_xlsx(tmp, "Allocations", itertools.chain([[c.fr for c in COLUMNS]], rows(n, seed)))
    tmp.rename(path)
    return path


if __name__ == "__main__":
    import sys

    for size in sys.argv[1:] or ["10000"]:
        print(workbook(int(size)))
