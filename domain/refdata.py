"""Reference codes of the EUTF for Africa: windows, strategic objectives, Valletta domains, countries.

Every fixed list here comes from a public source, named next to it. Lookups are
case-, accent- and spacing-insensitive so that analysts can type codes or names
in French or English.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from datetime import date
from functools import cache

import pandas as pd
import pycountry

#: The EUTF for Africa was launched at the Valletta Summit on 12 November 2015
#: (European Commission, EUTF for Africa page; joint communiqué of 11 Dec 2016).
EUTF_LAUNCH = date(2015, 11, 12)

#: EUTF windows (European Commission, EUTF for Africa "Regions" pages). `REG` is used in
#: the EUTF references for actions that span several windows.
WINDOWS: dict[str, dict[str, str]] = {
    "SAH": {"en": "Sahel & Lake Chad", "fr": "Sahel et lac Tchad"},
    "HOA": {"en": "Horn of Africa", "fr": "Corne de l'Afrique"},
    "NOA": {"en": "North of Africa", "fr": "Afrique du Nord"},
    "REG": {"en": "Cross-window", "fr": "Multi-volets"},
}

#: EUTF strategic objectives (EUTF Strategic Orientation Document, 2016).
OBJECTIVES: dict[int, dict[str, str]] = {
    1: {
        "en": "Greater economic and employment opportunities",
        "fr": "Développement économique et emploi",
    },
    2: {
        "en": "Strengthening resilience",
        "fr": "Renforcement de la résilience",
    },
    3: {
        "en": "Improved migration management",
        "fr": "Amélioration de la gestion des migrations",
    },
    4: {
        "en": "Improved governance and conflict prevention",
        "fr": "Amélioration de la gouvernance et prévention des conflits",
    },
}

#: Valletta Action Plan domains (Valletta Summit Action Plan, 11-12 November 2015).
VALLETTA_DOMAINS: dict[int, dict[str, str]] = {
    1: {
        "en": "Development benefits of migration and root causes",
        "fr": "Avantages des migrations en termes de développement et causes profondes",
    },
    2: {"en": "Legal migration and mobility", "fr": "Migration légale et mobilité"},
    3: {"en": "Protection and asylum", "fr": "Protection et asile"},
    4: {
        "en": "Prevention of and fight against irregular migration, smuggling and trafficking",
        "fr": "Prévention de la migration irrégulière, du trafic de migrants et de la traite",
    },
    5: {
        "en": "Return, readmission and reintegration",
        "fr": "Retour, réadmission et réintégration",
    },
}

SCOPES: dict[str, dict[str, str]] = {
    "national": {"en": "National", "fr": "National"},
    "regional": {"en": "Regional", "fr": "Régional"},
}

AMOUNT_BASES: dict[str, dict[str, str]] = {
    "sourced": {"en": "Sourced", "fr": "Sourcé"},
    "inferred": {"en": "Inferred", "fr": "Inféré"},
}

# Names that pycountry does not carry but that EUTF documents use (DW/EUTF project list).
_COUNTRY_ALIASES = {
    "the gambia": "GM",
    "gambie": "GM",
    "democratic republic of the congo": "CD",
    "dr congo": "CD",
    "rdc": "CD",
    "republique democratique du congo": "CD",
    "tanzania": "TZ",
    "tanzanie": "TZ",
    "ivory coast": "CI",
    "cote divoire": "CI",
    "cape verde": "CV",
    "cap vert": "CV",
    "cabo verde": "CV",
    "guinee": "GN",
    "guinee bissau": "GW",
    "cameroun": "CM",
    "south sudan": "SS",
    "soudan du sud": "SS",
    "libya": "LY",
    "libye": "LY",
}


def reference_key(references: pd.Series) -> pd.Series:
    """EUTF references compared as the template says: ignoring surrounding spaces and case.

    Returns:
        A ``string`` Series of keys (missing where the reference is), index kept.
    """
    return references.astype("string").str.strip().str.casefold()


def fold(text: str) -> str:
    """Fold text for matching: strip accents, case-fold, keep letters and digits only.

    >>> fold("  Portée ")
    'portee'
    >>> fold("Montant UE (EUR)")
    'montantueeur'
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    no_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", "", no_marks.casefold())


def _fold_words(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text))
    no_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", " ", no_marks.casefold()).strip()


@cache
def _french_names() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)


@cache
def _country_index() -> dict[str, str]:
    """Map folded codes and names (EN and FR) to ISO 3166-1 alpha-2."""
    fr = _french_names()
    index: dict[str, str] = {}
    for country in pycountry.countries:
        a2 = country.alpha_2
        names = {country.alpha_2, country.alpha_3, country.name, fr.gettext(country.name)}
        for attr in ("common_name", "official_name"):
            if hasattr(country, attr):
                names.add(getattr(country, attr))
                names.add(fr.gettext(getattr(country, attr)))
        for name in names:
            index.setdefault(fold(name), a2)
    for alias, a2 in _COUNTRY_ALIASES.items():
        index[fold(alias)] = a2
    return index


def country_code(token: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for a code or a country name, or None.

    Accepts alpha-2 (``ML``), alpha-3 (``MLI``) and English or French names
    (``Mali``, ``Tchad``, ``Côte d'Ivoire``), in any case, with or without accents.
    """
    return _country_index().get(fold(token))


@cache
def iso_alpha2_codes() -> frozenset[str]:
    """All ISO 3166-1 alpha-2 codes known to pycountry."""
    return frozenset(c.alpha_2 for c in pycountry.countries)


#: Short names where ISO 3166's is inverted or long (as the EU's Interinstitutional Style Guide writes them).
_SHORT_NAMES = {
    "CD": {"en": "DR Congo", "fr": "RD Congo"},
    "TZ": {"en": "Tanzania", "fr": "Tanzanie"},
}


@cache  # pycountry's lookup costs ~100 µs; tables label thousands of rows
def country_name(code: str, lang: str = "en") -> str:
    """Name of an ISO 3166-1 alpha-2 country in English or French; the code if unknown."""
    if code in _SHORT_NAMES:
        return _SHORT_NAMES[code][lang]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    return _french_names().gettext(country.name) if lang == "fr" else name


def country_alpha3(code: str) -> str | None:
    """ISO 3166-1 alpha-3 code of an alpha-2 country, or None."""
    country = pycountry.countries.get(alpha_2=code)
    return country.alpha_3 if country else None


@cache
def _window_index() -> dict[str, str]:
    index = {fold(code): code for code in WINDOWS}
    for code, names in WINDOWS.items():
        for name in names.values():
            index[fold(name)] = code
    index.update(
        {
            fold("Sahel and Lake Chad"): "SAH",
            fold("Sahel"): "SAH",
            fold("North Africa"): "NOA",
            fold("Afrique du Nord"): "NOA",
            fold("Nord de l'Afrique"): "NOA",
        }
    )
    return index


def window_code(token: str) -> str | None:
    """Return the EUTF window code (SAH, HOA, NOA, REG) for a code or name, or None."""
    return _window_index().get(fold(token))


def scope_code(token: str) -> str | None:
    """Return ``national`` or ``regional`` for FR/EN spellings, or None."""
    folded = fold(token)
    if folded in {"national", "nationale", "pays"}:
        return "national"
    if folded in {"regional", "regionale", "multipays", "multicountry", "regionaux"}:
        return "regional"
    return None


def _numbered_index(table: dict[int, dict[str, str]]) -> dict[str, int]:
    index: dict[str, int] = {}
    for number, names in table.items():
        index[str(number)] = number
        for name in names.values():
            index[fold(name)] = number
    return index


@cache
def _objective_index() -> dict[str, int]:
    index = _numbered_index(OBJECTIVES)
    # Spellings met in EUTF action documents and the DW compilation.
    index.update(
        {
            fold("Economic and employment opportunities"): 1,
            fold("Resilience"): 2,
            fold("Résilience"): 2,
            fold("Migration management"): 3,
            fold("Improved governance"): 4,
            fold("Governance and conflict prevention"): 4,
        }
    )
    for n in OBJECTIVES:
        index[fold(f"TFP.{n}")] = n
        index[fold(f"SO{n}")] = n
        index[fold(f"OS{n}")] = n
    return index


def objective_number(token: str) -> int | None:
    """Return the EUTF strategic objective number for ``"2"``, ``"TFP.2"`` or a name.

    A number outside 1-4 is returned as is so that validation can name it; text
    that is not a known objective returns None.
    """
    text = str(token).strip()
    if re.fullmatch(r"\d+", text):
        return int(text)
    return _objective_index().get(fold(text))


def domain_number(token: str) -> int | None:
    """Return the Valletta Action Plan domain number for ``"4"`` or a domain name, or None."""
    text = str(token).strip()
    match = re.fullmatch(r"(?:domaine|domain)?\s*(\d+)", _fold_words(text))
    if match:
        return int(match.group(1))
    return _numbered_index(VALLETTA_DOMAINS).get(fold(text))


def basis_code(token: str) -> str | None:
    """Return ``sourced`` or ``inferred`` for FR/EN spellings, or None."""
    folded = fold(token)
    if folded in {"source", "sourced", "sourcee"}:
        return "sourced"
    if folded in {"infere", "inferred", "inferee", "estime", "estimated"}:
        return "inferred"
    return None
