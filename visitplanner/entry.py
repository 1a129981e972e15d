"""Dates and times as a person types them in a form field, in English or in French.

Dates: "2023-06-06", "June 6", "6 juin", "Jun 6, 2023", "mardi 6 juin 2023", "6" (that day
of the month shown), "6/6" (month
first in English, day first in French, as each language writes them); a date without a year
takes the year that puts it nearest to the day the field held. Times: "9", "9:30", "930",
"1430", "9 h 30", "9h", "2 pm", "2:30 p.m.", "midi"/"noon". The words are those of the
meeting import (:mod:`visitplanner.exchange.meeting_values`), so a date reads the same
everywhere in the app.
"""

from __future__ import annotations

import datetime as dt
import re

from visitplanner.exchange.meeting_values import MONTHS, RowError, time_of
from visitplanner.i18n import Translator, current
from visitplanner.names import strip_accents

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?$")
_FILLER = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "lun", "mer", "jeu", "ven", "sam", "dim", "er", "st", "nd", "rd", "th", "the", "of", "le",
}  # fmt: skip
_DIGITS_ONLY = re.compile(r"^(\d{1,2})(\d{2})$")  # 930, 1430


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest(month: int, day: int, near: dt.date) -> dt.date | None:
    """``month``/``day`` in the year that puts it nearest to ``near``."""
    found = [d for y in (near.year - 1, near.year, near.year + 1) if (d := _safe(y, month, day))]
    return min(found, key=lambda d: abs((d - near).days)) if found else None


def _year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def typed_date(text: str, near: dt.date, tr: Translator | None = None) -> dt.date | None:
    """The date ``text`` names, None when it names none; ``near`` is the date the field
    held (a date without a year is the one nearest to it)."""
    tr = tr or current()
    raw = " ".join(strip_accents(text).casefold().split()).rstrip(".").strip()
    if not raw:
        return None
    match = _ISO.match(raw)
    if match:
        return _safe(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if raw.isdigit() and len(raw) <= 2:  # "6": that day of the month shown, as typed in it
        return _safe(near.year, near.month, int(raw))
    match = _NUMERIC.match(raw)
    if match:
        a, b, year = int(match.group(1)), int(match.group(2)), _year(match.group(3))
        month, day = (b, a) if tr.language == "fr" else (a, b)
        if month > 12 >= day:  # 25/6 in English, 6/25 in French: only one reading exists
            month, day = day, month
        return _nearest(month, day, near) if year is None else _safe(year, month, day)
    tokens = [t for t in re.findall(r"[a-z]+|\d+", raw) if t not in _FILLER]
    months = [MONTHS[t] for t in tokens if t in MONTHS]
    numbers = [t for t in tokens if t.isdigit()]
    if len(months) != 1 or len(tokens) != len(numbers) + 1 or not 1 <= len(numbers) <= 2:
        return None
    if len(numbers[0]) > 2:
        return None
    day, year = int(numbers[0]), _year(numbers[1] if len(numbers) == 2 else None)
    return _nearest(months[0], day, near) if year is None else _safe(year, months[0], day)


def typed_time(text: str, tr: Translator | None = None) -> dt.time | None:
    """The time of day ``text`` names, None when it names none."""
    tr = tr or current()
    key = " ".join(strip_accents(text).casefold().split())
    key = re.sub(r"\b(?:noon|midi)\b", "12:00", key)
    key = re.sub(r"\b(?:midnight|minuit)\b", "0:00", key)
    compact = re.sub(r"\s+", "", key)
    match = _DIGITS_ONLY.match(compact)
    if match:
        key = f"{match.group(1)}:{match.group(2)}"
    if not key:
        return None
    try:
        return time_of(key, tr)
    except RowError:
        return None
