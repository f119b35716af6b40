"""The project's data sources, declared in one place, and their loaders.

``data/`` holds the shipped allocation workbook (the default dataset), the High-Level
Dialogue calendar and the communiqué's control totals, each row with its source.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from domain.dataset import DEFAULT_DATASET
from domain.i18n import N_, _
from domain.refdata import fold

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

#: The allocation workbook an analyst keeps (TEMPLATE.md, French headers): the nine EUTF
#: projects behind the Mali-EU joint communiqué of 11 Dec 2016.
ALLOCATIONS_XLSX = DATA_DIR / "eutf_allocations.xlsx"
#: Summit, High-Level Dialogues and the Commissioner's visit, 2015-2017, with sources.
CALENDAR_CSV = DATA_DIR / "dialogue_calendar.csv"
#: The control totals reported at each High-Level Dialogue, with sources.
CONTROL_TOTALS_CSV = DATA_DIR / "control_totals.csv"
#: The public EUTF files the dashboard seeds as datasets of their own, shipped with it
#: (origin and attribution in data/SOURCES.md).
PUBLIC_DATA_DIR = DATA_DIR / "public"


@dataclass(frozen=True)
class PublicExport:
    """A public EUTF file, shipped unchanged in ``data/public`` and seeded as a dataset of its own.

    Attributes:
        file_name: its name in the folder of public data.
        dataset: the dataset it is published under.
        description: what it is and where it comes from (``data/SOURCES.md``), in English
            (in the message catalogue: ``_(description, lang)``).
        format_key: its :class:`etl.layouts.SourceFormat` key.
    """

    file_name: str
    dataset: str
    description: str
    format_key: str


#: The two public exports of the whole EUTF portfolio, as the public has them (formats in
#: :mod:`etl.layouts`; origin in ``data/SOURCES.md``). ``file_name`` is relative to the folder
#: of public data: the files as published lie in its ``published/`` folder.
PUBLIC_EXPORTS: tuple[PublicExport, ...] = (
    PublicExport(
        "published/EUTF-Projects-Database-2022-01.csv",
        N_("EUTF portfolio — Jan 2022"),
        N_(
            "every EUTF project of the three windows, amounts as of January 2022 (after top-ups), from the EUTF "
            "project pages compiled in January 2022"
        ),
        "eutf-projects-database",
    ),
    PublicExport(
        "published/EUTF_projects_akvo.csv",
        N_("EUTF decisions and contracts — Dec 2021"),
        N_(
            "EUTF decisions and the contracts implementing them, EUTF monitoring platform (Akvo) export of December "
            "2021"
        ),
        "eutf-akvo-published",
    ),
)


def dataset_for_format(source_format) -> str | None:
    """The dataset a public EUTF export is published under, or None (an analyst's workbook).

    Args:
        source_format: the :class:`etl.layouts.SourceFormat` recognised, or None.

    A file as published and the hand-normalised copy of it (same ``dataset_family``) go to
    the same dataset.
    """
    from etl import layouts  # formats reads headers; the catalogue only names the files

    family = getattr(source_format, "dataset_family", None)
    return next((e.dataset for e in PUBLIC_EXPORTS if layouts.BY_KEY[e.format_key].dataset_family == family), None)


@dataclass(frozen=True)
class DatasetProfile:
    """What the pages say about a dataset: its source line, its caveat, what its figures can be compared with.

    Texts are English, in the message catalogue; :meth:`source_in` and :meth:`caveat_in` give
    them in the interface's language.

    Attributes:
        name: the dataset's name (English for the shipped and public datasets; see :func:`dataset_title`).
        source: the source line under every chart; ``{name}`` stands for the dataset's name.
        caveat: shown under every page's data caption, or None.
        communique: True for the Mali dataset, whose totals are checked against the joint
            communiqué's control totals and whose rounds are those of the Mali–EU dialogue.
        focus_country: ISO alpha-2 code of the country the national projects target, or None.
    """

    name: str
    source: str
    caveat: str | None = None
    communique: bool = False
    focus_country: str | None = None

    def source_in(self, lang: str) -> str:
        """The source line in ``lang`` (``en``/``fr``)."""
        return _(self.source, lang, name=dataset_title(self.name, lang))

    def caveat_in(self, lang: str) -> str | None:
        """The caveat in ``lang``, or None."""
        return _(self.caveat, lang) if self.caveat else None


_PROFILES = {
    DEFAULT_DATASET: DatasetProfile(
        DEFAULT_DATASET,
        N_("Source: European Commission (EUTF for Africa); joint communiqué Mali–EU, 11 Dec 2016"),
        communique=True,
        focus_country="ML",
    ),
    PUBLIC_EXPORTS[0].dataset: DatasetProfile(
        PUBLIC_EXPORTS[0].dataset,
        N_("Source: EUTF for Africa project pages, compiled January 2022 (amounts after top-ups)"),
        caveat=N_(
            "Amounts are as of January 2022 and include later top-ups: they are not the 2016 approval amounts of the "
            "Mali dataset. Multi-country decisions are counted once, never under each country."
        ),
    ),
    PUBLIC_EXPORTS[1].dataset: DatasetProfile(
        PUBLIC_EXPORTS[1].dataset,
        N_("Source: EUTF monitoring platform (Akvo), export of December 2021"),
        caveat=N_(
            "Totals are decision budgets (December 2021, top-ups included); contracts are shown beside them, never "
            "added. The export gives no approval dates."
        ),
    ),
}


def profile(name: str) -> DatasetProfile:
    """The :class:`DatasetProfile` of a dataset; an analyst's own dataset cites its workbook's rows."""
    return _PROFILES.get(name) or DatasetProfile(
        name, N_("Source: allocation workbook '{name}' (sources row by row: Sources & method)")
    )


def dataset_title(name: str, lang: str) -> str:
    """A dataset's name as shown in ``lang`` (``en``/``fr``).

    The shipped and public datasets have a French name (``Mali — communiqué conjoint du
    11 déc. 2016``); an analyst's dataset keeps the name it was given. The stored name, the
    URL (:func:`dataset_slug`) and file names stay the English name.
    """
    return _(name, lang) if name in _PROFILES else name


def public_data_dir() -> Path | None:
    """Where the public exports lie.

    The folder named by ``EUTF_PUBLIC_DATA`` (a deployment's newer files), else the
    repository's own ``data/public`` (see ``data/SOURCES.md``).

    Returns None when ``EUTF_PUBLIC_DATA`` names a folder that does not exist (the dashboard
    then offers the Mali dataset and whatever analysts publish).
    """
    configured = os.environ.get("EUTF_PUBLIC_DATA")
    folder = Path(configured) if configured else PUBLIC_DATA_DIR
    return folder if folder.is_dir() else None


def dataset_slug(name: str) -> str:
    """A dataset's name for URLs: ``"EUTF portfolio — Jan 2022"`` -> ``"eutf-portfolio-jan-2022"``."""
    return re.sub(r"-+", "-", "-".join(fold(word) for word in name.split())).strip("-")


def load_calendar(path: Path = CALENDAR_CSV) -> pd.DataFrame:
    """Read the dialogue calendar.

    Returns:
        One row per event, in date order. Columns: event, kind, place, date_note and
        date_note_fr (the note in English and in French), source (``string``);
        dialogue_round, reported_n_projects (``Int64``); reported_amount_eur (``Int64``,
        EUR); amount_approximate (``bool``: the source gives "about" that amount);
        date_start, date_end (``datetime64[ns]``, missing for a dialogue whose date was
        not set).

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
    """Read the method notes, one per row, all ``string``.

    Columns: topic and topic_fr, kind (sourced / sourced or unknown / inferred /
    classification / context / licence), note and note_fr (the note in English and in
    French, written by this project), source (as the source names itself).
    """
    return pd.read_csv(path, dtype="string")
