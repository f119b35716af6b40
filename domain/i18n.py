"""The interface text in English and French, from one message catalogue.

The catalogue is ``locales/<lang>/LC_MESSAGES/messages.po`` (gettext): each msgid is the
English source text written in the code, each msgstr its text in that language. It is
read with Babel at first use (no compile step). ``{name}`` placeholders are filled after
translation, so a translation may move them::

    _("{n} of {total} projects", lang, n=3, total=9)   # "3 projets sur 9"

Regenerate the catalogue after changing text in the code with ``make messages``
(``pybabel extract`` with ``babel.cfg``, then ``pybabel update``); ``tests/test_i18n.py``
fails when a message of the code is missing, empty or fuzzy in either catalogue, or when
its placeholders differ.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

#: The interface languages, the first being the default.
LANGS = ("en", "fr")
LOCALES = Path(__file__).resolve().parent.parent / "locales"


def catalogue_path(lang: str) -> Path:
    """Where the catalogue of ``lang`` (``en`` or ``fr``) lies."""
    return LOCALES / lang / "LC_MESSAGES" / "messages.po"


def read_catalogue(lang: str) -> Catalog:
    """The Babel catalogue of ``lang``, as written (fuzzy entries included).

    Raises:
        KeyError: ``lang`` is not one of :data:`LANGS`.
    """
    if lang not in LANGS:
        raise KeyError(f"no catalogue for language {lang!r}; expected one of {LANGS}")
    with catalogue_path(lang).open("rb") as file:
        return read_po(file, locale=lang)


@cache
def _messages(lang: str) -> tuple[dict, object]:
    """Each msgid (or (singular, plural)) -> its translation, without fuzzy or empty entries; the plural rule."""
    catalogue = read_catalogue(lang)
    table = {}
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if all(message.string) if isinstance(message.string, tuple) else message.string:
            table[key] = message.string
    return table, gettext.c2py(catalogue.plural_expr)


def _(text: str, lang: str, /, **params: object) -> str:
    """``text`` (English, as written in the code) in ``lang``, its ``{placeholders}`` filled with ``params``.

    An unknown language or a message missing from the catalogue falls back to the English
    text (the completeness test keeps that from shipping).
    """
    translated = _messages(lang)[0].get(text, text) if lang in LANGS else text
    return translated.format(**params) if params else translated


def ngettext(singular: str, plural: str, n: int, lang: str, /, **params: object) -> str:
    """The singular or plural form for the count ``n`` in ``lang`` (French: 0 and 1 are singular).

    ``n`` is also available to the text as ``{n}``.
    """
    table, rule = _messages(lang) if lang in LANGS else ({}, lambda k: int(k != 1))
    forms = table.get(singular) or (singular, plural)
    text = forms[min(rule(int(n)), len(forms) - 1)]
    return text.format(n=n, **params)


def N_(text: str) -> str:
    """Mark ``text`` for the catalogue without translating it (module-level labels translated at render)."""
    return text


class Text(str):
    """A placeholder value that is itself a catalogue text (e.g. a source's name), translated with its message.

    ``Finding.of(rule, N_("The {source} has no dates."), {"source": Text(label)})`` shows the
    label in the language of the message; plain ``str`` values (cells as typed) stay as they are.
    """

    __slots__ = ()


class Count(int):
    """A count shown with its noun in the plural form of the message's language: ``1 project`` / ``2 projects``.

    ``Count(n, singular, plural)``: the two English forms of an entry that the catalogue has
    as a plural (``ngettext`` somewhere in the code), e.g. ``"{n} project", "{n} projects"``.
    """

    def __new__(cls, n: int, singular: str, plural: str):
        """``n`` with the English ``singular`` and ``plural`` forms of its text."""
        count = super().__new__(cls, n)
        count.forms = (singular, plural)
        return count

    def __reduce__(self):
        return (Count, (int(self), *self.forms))

    def in_lang(self, lang: str) -> str:
        """The count with its noun in ``lang``."""
        return ngettext(*self.forms, int(self), lang)


class Money(int):
    """A placeholder value in whole euros, formatted with its message: ``55 000 000 EUR`` / ``55 000 000 €``."""

    __slots__ = ()
