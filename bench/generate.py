"""Generate realistic allocation workbooks following TEMPLATE.md, for benchmarks.

Distributions (window, countries, implementing partner, strategic objectives, amount,
adoption date) are drawn from the real EUTF portfolio in
``../shared/data/eutf_all_projects_normalized.csv`` (253 projects, DW/EC 2022); every row
is synthetic and says so in its Source column.
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from etl import refdata
from etl.template import COLUMNS

PORTFOLIO = Path(__file__).resolve().parents[2] / "shared" / "data" / "eutf_all_projects_normalized.csv"
OUT = Path(__file__).resolve().parent / "out"


def _portfolio() -> pd.DataFrame:
    frame = pd.read_csv(PORTFOLIO)
    return frame[frame["window"].isin(list(refdata.WINDOWS))]


def rows(n: int, seed: int = 2016):
    """Yield ``n`` template rows (French spellings), reproducibly."""
    rng = random.Random(seed)
    source = _portfolio()
    records = source.to_dict("records")
    launch = refdata.EUTF_LAUNCH
    counters: dict[tuple[str, str], int] = {}
    for i in range(n):
        base = rng.choice(records)
        countries = [refdata.country_code(c) for c in str(base["countries"]).split(";") if c]
        countries = [c for c in countries if c] or ["ML"]
        national = len(countries) == 1
        objectives = [refdata.objective_number(o) for o in str(base["eutf_objective"]).split(";")]
        objectives = sorted({o for o in objectives if o}) or [rng.randint(1, 4)]
        approved = launch + timedelta(days=rng.randint(0, 2200))
        segment = countries[0] if national else "REG"
        # EUTF references have up to 3 digits: vary the T-prefix to keep synthetic ones unique
        k = counters.get((base["window"], segment), 0)
        counters[(base["window"], segment)] = k + 1
        spill, k = divmod(k, 99 * 999)  # past 98 901 references, spill into made-up segments RA, RB, ...
        if spill:
            segment = "R" + chr(ord("A") + spill - 1)
        yield [
            f"T{k // 999:02d}-EUTF-{base['window']}-{segment}-{k % 999 + 1:03d}",
            f"{base['title'][:80]} ({i + 1})",
            base["window"],
            "national" if national else "régional",
            ";".join(countries),
            ";".join(str(o) for o in objectives),
            rng.choice(["1", "4", "1;4", None, None, None]),
            rng.choice(["résilience", "création d'emploi", "gestion des migrations", "gouvernance", None]),
            int(round(float(base["amount_eur"]) * rng.uniform(0.5, 1.5), -3)),
            rng.choice(["sourcé"] * 9 + ["inféré"]),
            approved,
            None,
            base["implementing_partner"] if isinstance(base["implementing_partner"], str) else None,
            "Données synthétiques (banc d'essai), distributions du portefeuille EUTF (DW 2022)",
        ]


def workbook(n: int, path: Path | None = None, seed: int = 2016) -> Path:
    """Write an ``n``-row allocation workbook (openpyxl write-only) and return its path."""
    path = path or OUT / f"allocations_{n}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return path
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Allocations")
    ws.append([c.fr for c in COLUMNS])
    for row in rows(n, seed):
        ws.append(row)
    tmp = path.with_suffix(".tmp")
    wb.save(tmp)
    tmp.rename(path)
    return path


if __name__ == "__main__":
    import sys

    for size in sys.argv[1:] or ["10000"]:
        print(workbook(int(size)))
