"""Translations and locale-aware formatting for the core and the UI alike.

One system: gettext catalogs, extracted and compiled with Babel, in
``resources/locale/fr_CA/LC_MESSAGES/*.mo`` (one catalog per area of the app, chained).
Message ids are English. Outputs (PDF, calendars) may use another language than the
window, so each language has its own :class:`Translator`; module-level :func:`_` uses the
current one.

Mark strings that must be translated later (module constants) with :func:`N_`.
"""

from __future__ import annotations

import datetime as dt
import gettext
import os
from dataclasses import dataclass
from functools import cache

from visitplanner.resources import resource_path

LANGUAGES = ("en", "fr")
_BABEL_LOCALES = {"en": "en_US", "fr": "fr_CA"}
_CATALOG_LOCALES = {"fr": "fr_CA"}


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now."""
    return message


def system_language() -> str:
    """'fr' when the system's locale is French, else 'en'."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def normalize_language(code: str | None) -> str:
    """'en' or 'fr' from a code such as 'fr_CA', 'FR', None (system) or 'system'."""
    if not code or code == "system":
        return system_language()
    code = code.lower()[:2]
    if code not in LANGUAGES:
        raise ValueError(f"unsupported language: {code}")
    return code


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    locale_name = _CATALOG_LOCALES.get(language)
    if locale_name is None:
        return gettext.NullTranslations()
    folder = resource_path("locale", locale_name, "LC_MESSAGES")
    chain: gettext.NullTranslations = gettext.NullTranslations()
    for mo in sorted(folder.glob("*.mo")):
        with mo.open("rb") as fh:
            catalog = gettext.GNUTranslations(fh)
        catalog.add_fallback(chain)
        chain = catalog
    return chain


@dataclass(frozen=True)
class Translator:
    """Translate and format for one language ('en' or 'fr')."""

    language: str

    @property
    def babel_locale(self) -> str:
        return _BABEL_LOCALES[self.language]

    def gettext(self, message: str) -> str:
        return _catalog(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _catalog(self.language).ngettext(singular, plural, n)

    def format_date(self, day: dt.date, format: str = "full") -> str:
        """'Monday, June 5, 2023' / 'lundi 5 juin 2023' (format: full, long, medium, short)."""
        from babel.dates import format_date

        return str(format_date(day, format=format, locale=self.babel_locale))

    def format_day_short(self, day: dt.date) -> str:
        """'Mon, Jun 5' / 'lun. 5 juin'."""
        from babel.dates import format_skeleton

        return str(format_skeleton("MMMEd", day, locale=self.babel_locale))

    def format_time(self, moment: dt.time | dt.datetime) -> str:
        """'2:30 PM' / '14 h 30', '9 h': in French as the Office québécois de la langue
        française writes the time of day, without a leading zero or " 00" minutes."""
        if self.language == "fr":
            hour = f"{moment.hour} h"
            return hour if moment.minute == 0 else f"{hour} {moment.minute:02d}"
        from babel.dates import format_time

        return str(format_time(moment, format="short", locale=self.babel_locale))

    def format_minutes(self, minutes: int) -> str:
        """A number of minutes for a "{minutes} min" message: "33", or from an hour on
        "7 h 31" (so "about 7 h 31 min", not "about 451 min"), as both languages write it."""
        if minutes < 60:
            return str(minutes)
        return f"{minutes // 60}\u00a0h\u00a0{minutes % 60:02d}"

    def format_decimal(self, value: float, digits: int = 1) -> str:
        """``value`` with ``digits`` decimals as the language writes it ("1,234.5",
        "1 234,5"): the same text as Babel's ``format_decimal`` (half-even rounding of the
        decimal the float prints as), without loading Babel's locale data (40 ms, felt at
        start-up when the first check writes a distance)."""
        from decimal import ROUND_HALF_EVEN, Decimal

        exact = Decimal(repr(float(value))).quantize(
            Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN
        )
        text = f"{exact:,.{digits}f}"
        if self.language == "fr":
            return text.replace(",", "\u00a0").replace(".", ",")
        return text


_current = Translator(system_language())


def set_language(code: str | None) -> Translator:
    """Make ``code`` ('en', 'fr', or None/'system') the language of :func:`_`."""
    global _current
    _current = Translator(normalize_language(code))
    return _current


def current() -> Translator:
    return _current


def translator(code: str | None) -> Translator:
    return Translator(normalize_language(code))


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)
