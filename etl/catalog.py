"""The project's data sources, declared in one place, and their loaders.

``data/`` holds the shipped allocation workbook (the default dataset), the High-Level
Dialogue calendar and the communiqué's control totals, each row with its source.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

#: The allocation workbook an analyst keeps (TEMPLATE.md, French headers): the nine EUTF
#: projects behind the Mali-EU joint communiqué of 11 Dec 2016.
ALLOCATIONS_XLSX = DATA_DIR / "eutf_allocations.xlsx"
#: Summit, High-Level Dialogues and the Commissioner's visit, 2015-2017, with sources.
CALENDAR_CSV = DATA_DIR / "dialogue_calendar.csv"
#: The control totals reported at each High-Level Dialogue, with sources.
CONTROL_TOTALS_CSV = DATA_DIR / "control_totals.csv"
#: Geometry for the offline map (Natural Earth via world-atlas, see data/geo/SOURCE.md).
GEO_DIR = DATA_DIR / "geo"

#: Name of the default dataset, shown on every page.
DEFAULT_DATASET = "Mali — joint communiqué of 11 Dec 2016"


def load_calendar(path: Path = CALENDAR_CSV) -> pd.DataFrame:
    """Read the dialogue calendar.

    Returns:
        One row per event, in date order. Columns: event, kind, place, date_note,
        source (``string``); dialogue_round, reported_n_projects (``Int64``);
        reported_amount_eur (``Int64``, EUR); amount_approximate (``bool``: the source
        gives "about" that amount); date_start, date_end (``datetime64[ns]``, missing for
        a dialogue whose date was not set).

    Raises:
        FileNotFoundError: when the file is missing (a broken installation).
    """
    frame = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
    out = frame.astype({"dialogue_round": "Int64", "reported_n_projects": "Int64", "reported_amount_eur": "Int64"})
    out["amount_approximate"] = (out["amount_approximate"] == "true").astype(bool)
    for column in ("date_start", "date_end"):
        out[column] = pd.to_datetime(out[column], format="%Y-%m-%d").astype("datetime64[ns]")
    return out.reset_index(drop=True)


def load_control_totals(path: Path = CONTROL_TOTALS_CSV) -> pd.DataFrame:
    """Read the control totals.

    Returns:
        Columns: dialogue_round (``Int64``), total (``all``/``national``/``regional``),
        n_projects (``Int64``), amount_eur (``Int64``, EUR), source (``string``).
        Figures: 145 100 000 / 53 600 000 / 91 500 000 EUR at the 2nd High-Level
        Dialogue (joint communiqué of 11 Dec 2016), 43 500 000 EUR national at the 1st.
    """
    frame = pd.read_csv(path, dtype="string")
    return frame.astype({"dialogue_round": "Int64", "n_projects": "Int64", "amount_eur": "Int64"})


#: Where each figure comes from and what is inferred, one note per row, with its source.
METHOD_NOTES_CSV = DATA_DIR / "method_notes.csv"


def load_method_notes(path: Path = METHOD_NOTES_CSV) -> pd.DataFrame:
    """Read the method notes: columns topic, kind (sourced/inferred/classification/context/licence), note, source."""
    return pd.read_csv(path, dtype="string")
