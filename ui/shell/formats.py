"""Dates and times on screen, formatted by Qt's locale.

They read exactly as :class:`visitplanner.i18n.Translator` writes them with Babel for the
PDF and the command line (``tests/test_ui_formats.py`` compares the two over every day of
two years and every minute pattern), but Qt has its locale data loaded already: the schedule
and the trip bar are filled at start-up without loading Babel's (about 35 ms).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale, QTime

from visitplanner.i18n import Translator, current

# Babel's "medium" date, written as a Qt pattern per language.
_MEDIUM = {"en": "MMM d, yyyy", "fr": "d MMM yyyy"}


def _locale(tr: Translator) -> QLocale:
    return QLocale(tr.babel_locale)


def format_date(day: dt.date, style: str = "full", tr: Translator | None = None) -> str:
    """'Monday, June 5, 2023' / 'lundi 5 juin 2023' (full) or 'Jun 5, 2023' (medium)."""
    tr = tr or current()
    qdate = QDate(day.year, day.month, day.day)
    if style == "medium":
        return _locale(tr).toString(qdate, _MEDIUM[tr.language])
    if style != "full":
        return tr.format_date(day, style)
    return _locale(tr).toString(qdate, QLocale.FormatType.LongFormat)


_DAY_SHORT = {"en": "ddd, MMM d", "fr": "ddd d MMM"}


def format_day_short(day: dt.date, tr: Translator | None = None) -> str:
    """'Mon, Jun 5' / 'lun. 5 juin'."""
    tr = tr or current()
    return _locale(tr).toString(QDate(day.year, day.month, day.day), _DAY_SHORT[tr.language])


def format_time(moment: dt.time | dt.datetime, tr: Translator | None = None) -> str:
    """'2:30 PM' / '14 h 30', '9 h' (French without a leading zero: Translator.format_time)."""
    tr = tr or current()
    if tr.language == "fr":
        return tr.format_time(moment)
    return _locale(tr).toString(QTime(moment.hour, moment.minute), QLocale.FormatType.ShortFormat)
