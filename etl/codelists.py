"""The IATI codelists the dashboard names things with, read from the shipped copies (never fetched).

Only the OECD DAC 5-digit purpose codes (``Sector``) for now, with their English and French names,
from ``data/iati/codelists/Sector.xml`` (origin, commit and licence in ``data/iati/README.md``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import defusedxml.ElementTree as SafeElementTree

CODELIST_DIR = Path(__file__).resolve().parent.parent / "data" / "iati" / "codelists"
SECTOR_XML = CODELIST_DIR / "Sector.xml"
#: Where the sector names come from, as shown under a sector chart.
SECTOR_SOURCE = "OECD DAC 5-digit purpose codes, IATI codelist Sector (IATI-Codelists-NonEmbedded 7aeece7, June 2026)"
#: IATI sector vocabularies: 1 = OECD DAC 5-digit purpose code (the default), 2 = DAC 3-digit category.
DAC_5 = "1"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@cache
def dac_sectors() -> dict[str, dict[str, str]]:
    """Each DAC 5-digit purpose code with its name: ``{"11110": {"en": "Education policy…", "fr": "Politique…"}}``.

    Withdrawn codes are kept (an old activity may still use one). A name missing in French is the
    English one.

    Raises:
        OSError: when the shipped codelist is missing (a broken installation).
    """
    root = SafeElementTree.parse(SECTOR_XML).getroot()
    names: dict[str, dict[str, str]] = {}
    for item in root.iter("codelist-item"):
        code = (item.findtext("code") or "").strip()
        narratives = item.find("name")
        if not code or narratives is None:
            continue
        by_lang = {n.get(_XML_LANG, "en"): (n.text or "").strip() for n in narratives.iter("narrative")}
        english = by_lang.get("en", "")
        names[code] = {"en": english, "fr": by_lang.get("fr") or english}
    return names


def sector_name(code: str, lang: str) -> str:
    """``code`` – its name in ``lang`` (``en``/``fr``), or the bare code when the codelist does not know it."""
    name = dac_sectors().get(str(code), {}).get(lang)
    return f"{code} – {name}" if name else str(code)
