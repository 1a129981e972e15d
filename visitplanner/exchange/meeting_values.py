"""The values of a meeting spreadsheet as Excel and partnering platforms write them.

Dates: 2023-06-05, 6/5/2023, 05/06/2023, 5-Jun-23, "June 5, 2023", "lundi 5 juin 2023",
and without a year: "Dec 30", "2 janv.", 30/12 (the year that puts the date within the trip's
days, else the nearest one, with a warning: a trip from Dec 29 to Jan 3 spans two years);
times: 14:30, 2:30 PM, 2:30pm, 14 h 30, 14h30, 9h, and ranges ("9:00 AM - 9:30 AM");
durations: 45, 45 min, 1h, 1 h 30, 01:30. Day and month written as numbers are read in
the order the file shows elsewhere (a day above 12), else the one that falls within the
trip, else the trip's country's habit (month first in the US), with a warning.
"""

from __future__ import annotations

import datetime as dt
import re

from visitplanner import rules
from visitplanner.errors import VisitPlannerError
from visitplanner.i18n import Translator
from visitplanner.model import MeetingStatus, Region, Trip
from visitplanner.names import fold


class RowError(VisitPlannerError):
    """Why one row is rejected."""


MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("january", "jan", "janvier", "janv"),
        ("february", "feb", "fevrier", "fevr", "fev"),
        ("march", "mar", "mars"),
        ("april", "apr", "avril", "avr"),
        ("may", "mai"),
        ("june", "jun", "juin"),
        ("july", "jul", "juillet", "juil"),
        ("august", "aug", "aout"),
        ("september", "sep", "sept", "septembre"),
        ("october", "oct", "octobre"),
        ("november", "nov", "novembre"),
        ("december", "dec", "decembre"),
    ),
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number
_FILLER = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "lun", "mer", "jeu", "ven", "sam", "dim",
    "er", "st", "nd", "rd", "th", "the", "of", "le", "de",
}  # fmt: skip
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$")
_NUMERIC_NO_YEAR = re.compile(r"^(\d{1,2})[/.](\d{1,2})\.?$")  # 30/12, 12/30, 30.12.
_TIME = re.compile(r"^(\d{1,2})(?:(?::|h|\.)(\d{2})?)?(?::(\d{2}))?(am|pm|a|p)?$")
_RANGE = re.compile(r"\s*[-–—]\s*|\s+(?:to|a|à|au|jusqu'a)\s+")
_EXCEL_TEXT = re.compile(r'^="(.*)"$')  # ="05/06/2023": a platform forcing Excel to keep text

PRIORITY: dict[str, int] = {
    **{k: 1 for k in ("1", "high", "haute", "elevee", "urgent", "top", "p1", "must")},
    **{k: 2 for k in ("2", "medium", "moyenne", "normale", "normal", "med", "p2", "moyen")},
    **{k: 3 for k in ("3", "low", "basse", "faible", "p3", "nice to have", "bas")},
}
STATUS: dict[str, MeetingStatus] = {}
for _status, _words in {
    MeetingStatus.REQUESTED: (
        "requested",
        "demandee",
        "demande",
        "pending",
        "en attente",
        "awaiting",
        "awaiting response",
        "waiting",
        "sent",
        "envoyee",
        "envoye",
        "open",
        "new",
        "nouvelle",
        "nouveau",
        "a confirmer",
        "to be confirmed",
        "tbc",
        "unconfirmed",
    ),
    MeetingStatus.PROPOSED: (
        "proposed",
        "proposee",
        "propose",
        "tentative",
        "provisoire",
        "suggested",
        "suggere",
    ),
    MeetingStatus.CONFIRMED: (
        "confirmed",
        "confirmee",
        "confirme",
        "accepted",
        "acceptee",
        "accepte",
        "booked",
        "scheduled",
        "planifiee",
        "planifie",
        "reservee",
        "reserve",
    ),
    MeetingStatus.CANCELLED: (
        "cancelled",
        "canceled",
        "annulee",
        "annule",
        "decommandee",  # the French app's word for a cancelled meeting
        "decommande",
        "declined",
        "refused",
        "refusee",
        "refuse",
        "rejected",
        "rejetee",
        "rejete",
    ),
}.items():
    for _word in _words:
        STATUS[_word] = _status


def unwrap(text: str) -> str:
    match = _EXCEL_TEXT.match(text.strip())
    return match.group(1) if match else text.strip()


def _numeric(text: str) -> tuple[int, int, int | None] | None:
    """(first number, second number, year or None when the text has no year)."""
    key = unwrap(text).replace(" ", "")
    match = _NUMERIC.match(key)
    if match:
        year = int(match.group(3))
        return int(match.group(1)), int(match.group(2)), year + 2000 if year < 100 else year
    match = _NUMERIC_NO_YEAR.match(key)
    if match:
        return int(match.group(1)), int(match.group(2)), None
    return None


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


class DateReader:
    """Reads the dates of one file for one trip, deciding day/month order once.

    A date written without a year takes the year that puts it within the trip's days (a
    trip from Dec 29 to Jan 3 spans two years), else the year that puts it nearest to them,
    with a warning.
    """

    def __init__(self, trip: Trip, values: list[str], tr: Translator) -> None:
        self.trip = trip
        self.days = set(trip.days())
        self.first_day, self.last_day = trip.first_day, trip.last_day
        self.month_first = trip.region is Region.BOSTON
        self.tr = tr
        # The warning of the last read() covers "outside the trip's days" (a year-less date
        # that no year puts within the trip): the caller need not say it again.
        self.outside_reported = False
        votes: set[bool] = set()  # True: month first
        for value in values:
            parts = _numeric(value)
            if parts is None or parts[0] == parts[1]:
                continue
            a, b, year = parts
            if a > 12 or b > 12:
                votes.add(b > 12)
                continue
            in_trip = {
                first for first in (True, False) if self._build(a, b, year, first) in self.days
            }
            if len(in_trip) == 1:
                votes |= in_trip
        self.order: bool | None = votes.pop() if len(votes) == 1 else None

    def _distance(self, day: dt.date) -> int:
        """Days from ``day`` to the trip (0 within it)."""
        if day < self.first_day:
            return (self.first_day - day).days
        return max(0, (day - self.last_day).days)

    def _year_for(self, month: int, day: int) -> dt.date | None:
        """The date of ``month``/``day`` within the trip, else nearest to it; None if it
        exists in no year around the trip (31/02)."""
        candidates = [
            found
            for year in range(self.first_day.year - 1, self.last_day.year + 2)
            if (found := _safe(year, month, day)) is not None
        ]
        if not candidates:
            return None
        return min(candidates, key=lambda d: (self._distance(d), d))

    def _date(self, year: int | None, month: int, day: int) -> dt.date | None:
        return self._year_for(month, day) if year is None else _safe(year, month, day)

    def _build(self, a: int, b: int, year: int | None, month_first: bool) -> dt.date | None:
        return self._date(year, a, b) if month_first else self._date(year, b, a)

    def error(self, text: str) -> RowError:
        return RowError(
            self.tr.gettext(
                "“{value}” is not a date (write 2023-06-06, 06/06/2023 or 6 juin 2023)."
            ).format(value=text)
        )

    def read(self, text: str) -> tuple[dt.date, str | None]:
        """(date, warning or None) of ``text``; raises :class:`RowError`."""
        self.outside_reported = False
        raw = unwrap(text)
        match = _ISO.match(raw.lower())
        if match:
            day = _safe(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            if day is None:
                raise self.error(text)
            return day, None
        parts = _numeric(raw)
        if parts is not None:
            found, warning = self._numeric_date(parts, text)
        else:
            found, warning = self._words(raw, text)
        if warning is None and found not in self.days and self._year_less(parts, raw):
            self.outside_reported = True
            warning = self.tr.gettext(
                "“{value}” has no year, and no year puts it within the trip's days; it was "
                "read as {date}, the nearest to the trip."
            ).format(value=text.strip(), date=found.isoformat())
        return found, warning

    @staticmethod
    def _year_less(parts: tuple[int, int, int | None] | None, raw: str) -> bool:
        if parts is not None:
            return parts[2] is None
        return len(re.findall(r"\d+", raw)) == 1

    def _numeric_date(
        self, parts: tuple[int, int, int | None], text: str
    ) -> tuple[dt.date, str | None]:
        a, b, year = parts
        month_first = self._build(a, b, year, True)
        day_first = self._build(a, b, year, False)
        if month_first is None or day_first is None or month_first == day_first:
            day = month_first or day_first
            if day is None:
                raise self.error(text)
            return day, None
        if self.order is not None:
            return (month_first if self.order else day_first), None
        in_trip = [d for d in (month_first, day_first) if d in self.days]
        if len(in_trip) == 1:
            return in_trip[0], None
        chosen = month_first if self.month_first else day_first
        other = day_first if self.month_first else month_first
        return chosen, self.tr.gettext(
            "“{value}” could be {chosen} or {other}; it was read as {chosen}."
        ).format(value=text.strip(), chosen=chosen.isoformat(), other=other.isoformat())

    def _words(self, raw: str, text: str) -> tuple[dt.date, str | None]:
        tokens = [t for t in re.findall(r"[a-z]+|\d+", fold(raw)) if t not in _FILLER]
        months = [MONTHS[t] for t in tokens if t in MONTHS]
        numbers = [t for t in tokens if t.isdigit()]
        if len(months) != 1 or len(tokens) != len(numbers) + 1 or not 1 <= len(numbers) <= 2:
            raise self.error(text)
        if len(numbers[0]) == 4:  # "2023 June 5" is not a form people write; refuse it
            raise self.error(text)
        day = int(numbers[0])
        year: int | None = None
        if len(numbers) == 2:
            year = int(numbers[1])
            year = year + 2000 if year < 100 else year
        found = self._date(year, months[0], day)  # "June 5": the year of the trip's days
        if found is None:
            raise self.error(text)
        return found, None


def split_date_time(text: str) -> tuple[str, str]:
    """("2023-06-05", "14:30") of a cell holding both, as workbooks and platforms write."""
    match = re.match(r"^\s*(\S+(?:\s+\S+){0,3}?)\s+(\d{1,2}(?::|h)\d{2}.*)$", unwrap(text))
    if match:
        return match.group(1).rstrip(",").strip(), match.group(2).strip()
    return "", text


def time_of(text: str, tr: Translator) -> dt.time:
    key = re.sub(r"\s+", "", unwrap(text).lower().replace(".m.", "m").replace(".m", "m"))
    match = _TIME.match(key)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        meridian = match.group(4)
        if meridian and 1 <= hour <= 12:
            hour = hour % 12 + (12 if meridian.startswith("p") else 0)
        elif meridian:
            hour = 99
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise RowError(
        tr.gettext("“{value}” is not a time (write 14:30, 2:30 PM or 14 h 30).").format(
            value=text.strip()
        )
    )


def time_range(text: str, tr: Translator) -> tuple[dt.time, dt.time | None]:
    """(start, end or None) of "14:30", "9:00 AM - 9:30 AM", "de 9 h à 10 h"."""
    value = re.sub(r"^(?:de|from)\s+", "", unwrap(text).strip(), flags=re.IGNORECASE)
    parts = [p for p in _RANGE.split(value) if p.strip()]
    if len(parts) == 2:
        end_text = parts[1]
        start_text = parts[0]
        # "9 - 10 AM": the meridian written once belongs to both
        meridian = re.search(r"([ap])\.?m\.?\s*$", end_text, re.IGNORECASE)
        if meridian and not re.search(r"[ap]\.?m", start_text, re.IGNORECASE):
            start_text = f"{start_text} {meridian.group(1)}m"
        return time_of(start_text, tr), time_of(end_text, tr)
    return time_of(value, tr), None


def duration_of(text: str, tr: Translator) -> int:
    """Minutes of "45", "45 min", "1h", "1 h 30", "1.5 h", "01:30"."""
    key = unwrap(text).lower().replace(",", ".").strip()
    minutes: float | None = None
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:m|mn|min|mins|minute|minutes)?", key):
        minutes = float(m.group(1))
    elif m := re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours|heure|heures)", key):
        minutes = float(m.group(1)) * 60
    elif (
        m := re.fullmatch(
            r"(\d+)\s*(?:h|hr|hrs|hours?|heures?)\s*(?:and\s+|et\s+)?(\d{1,2})\s*"
            r"(?:m|mn|min|mins|minutes?)?",
            key,
        )
    ) or (m := re.fullmatch(r"(\d{1,2}):(\d{2})(?::00)?", key)):
        minutes = int(m.group(1)) * 60 + int(m.group(2))
    low, high = rules.DURATION_MINUTES
    if minutes is None or minutes != int(minutes) or not low <= minutes <= high:
        raise RowError(
            tr.gettext(
                "“{value}” is not a duration between 5 minutes and 24 hours "
                "(write 45, 45 min, 1 h 30 or 01:30)."
            ).format(value=text.strip())
        )
    return int(minutes)
