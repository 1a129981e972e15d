"""The availability grammar: when a meeting may take place, as people write it.

One parser for the meeting dialog and the meeting import (``import meetings`` on the command
line, the import dialog), in English and in French, whatever the interface's language:

    2023-06-06 09:00-12:00          a day and a range of hours
    6 juin 9 h 30 à 12 h            (dates and times as the meeting import reads them:
    06/06/2023 2:30 PM - 4 PM        exchange.meeting_values, day and month order included)
    Mon 9-12, Tue after 14:00       a day of the week: each trip day that is one
    mardi après 14 h, jeudi avant midi
    Wed morning / mercredi après-midi   the trip's day start to noon, noon to the day's end
    2023-06-06                      the whole day (also "all day", "toute la journée")
    9-12 / every day 9-12           each day of the trip
    2023-06-06 15:00-24:00          until midnight
    2023-06-06 09:00 - 2023-06-07 12:00   across midnight

Entries are separated by new lines, ";" or "|", or by a comma followed by another day
("Mon 9-12, Tue after 14:00"). "after" runs to the end of the trip's day and "before" from its
start (``Trip.day_start``, ``Trip.day_end``). Each window is then checked by
:func:`visitplanner.rules.check_window` (it runs forward, within the trip's days).
:func:`format_availability` writes windows back in a form this parser reads.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from visitplanner import rules
from visitplanner.errors import InputError
from visitplanner.exchange.meeting_values import (
    MONTHS,
    DateReader,
    RowError,
    time_of,
    time_range,
)
from visitplanner.i18n import Translator, current
from visitplanner.model import Trip, Window
from visitplanner.names import strip_accents

WEEKDAYS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("monday", "mon", "lundi", "lun"),
        ("tuesday", "tue", "tues", "mardi", "mar"),
        ("wednesday", "wed", "mercredi", "mer"),
        ("thursday", "thu", "thur", "thurs", "jeudi", "jeu"),
        ("friday", "fri", "vendredi", "ven"),
        ("saturday", "sat", "samedi", "sam"),
        ("sunday", "sun", "dimanche", "dim"),
    )
):
    for _name in _names:
        WEEKDAYS[_name] = _number
EVERY_DAY = ("every day", "each day", "daily", "any day", "tous les jours", "chaque jour")
WHOLE_DAY = ("all day", "whole day", "any time", "anytime", "toute la journee", "journee complete")
# "avant-midi" and "après-midi" are read as "before 12:00" and "after 12:00" (see _key).
MORNING = ("morning", "am", "a.m.", "matin", "le matin")
AFTERNOON = ("afternoon", "pm", "p.m.")
AFTER = ("after", "from", "since", "starting", "apres", "a partir de", "des", "depuis")
BEFORE = ("before", "until", "till", "up to", "avant", "jusqu'a", "jusqua", "jusqu a")
NOON = dt.time(12)
# A day written as numbers ("2023-02-30", "31/06") or with a month ("30 février").
_LOOKS_LIKE_A_DATE = re.compile(
    r"^[\d\s/.-]+$|\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
)

_WEEKDAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_TIME = r"\d{1,2}(?:\s*(?::|h|\.)\s*\d{0,2})?(?:\s*[ap]\.?m\.?)?"
# A comma starts another entry when a day follows it ("Mon 9-12, Tue after 14:00"), not
# inside a date ("June 5, 2023 9-12").
_NEXT_ENTRY = re.compile(
    rf",\s*(?=(?:{_WEEKDAY})\b\.?|\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}/\d{{1,2}})",
    re.IGNORECASE,
)
_ACROSS = re.compile(
    rf"^(\d{{4}}-\d{{1,2}}-\d{{1,2}})\s+({_TIME})\s*[-–—]\s*(\d{{4}}-\d{{1,2}}-\d{{1,2}})\s+({_TIME})$"
)


def _words(options: tuple[str, ...]) -> str:
    return "|".join(re.escape(o) for o in sorted(set(options), key=len, reverse=True))


# What follows the day: a range of hours, "after"/"before" a time, a part of the day.
_RANGE_TEXT = rf"(?:(?:de|from)\s+)?({_TIME})\s*(?:[-–—]|\s(?:to|a|au|jusqu'a)\s)\s*({_TIME})"
_RANGE = re.compile(_RANGE_TEXT)
_AFTER = re.compile(rf"(?:{_words(AFTER)})\s+({_TIME})")
_BEFORE = re.compile(rf"(?:{_words(BEFORE)})\s+({_TIME})")
_SPEC = re.compile(
    rf"^(?:(?P<day>.*?)\s+)?(?P<spec>{_RANGE_TEXT}|{_AFTER.pattern}|{_BEFORE.pattern}"
    rf"|{_words(MORNING)}|{_words(AFTERNOON)}|{_words(WHOLE_DAY)})$"
)


@dataclass
class Availability:
    """The windows a text describes, and what was read with a doubt (a day/month order)."""

    windows: list[Window] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _key(text: str) -> str:
    """Lower case, no accents, one space between words; ’ is ', "midi" is 12:00 (and so
    "après-midi" is "after 12:00", "avant midi" "before 12:00")."""
    text = strip_accents(text).casefold().replace("’", "'").replace("-midi", " midi")
    text = " ".join(text.split())
    text = re.sub(r"\b(?:noon|midi)\b", "12:00", text)
    return re.sub(r"\b(?:midnight|minuit)\b", "24:00", text)


def _time(text: str, tr: Translator) -> tuple[dt.time, bool]:
    """(time, True when it is the midnight that ends a day: "24:00", "24 h")."""
    if re.fullmatch(r"24\s*(?::|h|\.)?\s*(?:00?)?", text.strip()):
        return dt.time(), True
    return time_of(text, tr), False


def parse_availability(
    text: str, trip: Trip, tr: Translator | None = None, dates: DateReader | None = None
) -> Availability:
    """The windows ``text`` gives within ``trip``; raises :class:`InputError` with one
    sentence naming the entry it cannot read. ``dates`` is the reader of a whole file (its
    day/month order decided once); a fresh one is made otherwise."""
    tr = tr or current()
    entries = [
        " ".join(piece.split())
        for part in re.split(r"[;|\n]", text)
        for piece in _NEXT_ENTRY.split(part)
        if piece.strip()
    ]
    dates = dates or DateReader(trip, entries, tr)
    result = Availability()
    for entry in entries:
        try:
            windows = _entry(entry, trip, dates, result.warnings, tr)
            for window in windows:
                if window.end <= window.start:
                    raise InputError(
                        tr.gettext("The availability “{value}” ends before it starts.").format(
                            value=entry
                        )
                    )
                rules.check_window(trip.first_day, trip.last_day, window.start, window.end)
        except RowError as error:
            raise InputError(str(error)) from None
        result.windows += windows
    if len(result.windows) > rules.MAX_WINDOWS_PER_MEETING:
        raise InputError(
            tr.gettext("A meeting has {count} availability windows at most.").format(
                count=rules.MAX_WINDOWS_PER_MEETING
            )
        )
    return result


def _entry(
    entry: str, trip: Trip, dates: DateReader, warnings: list[str], tr: Translator
) -> list[Window]:
    key = _key(entry)
    if across := _ACROSS.match(key):
        first, _warning = dates.read(across.group(1))
        last, _warning = dates.read(across.group(3))
        start_time, _ = _time(across.group(2), tr)
        end_time, midnight = _time(across.group(4), tr)
        end = dt.datetime.combine(last + dt.timedelta(days=midnight), end_time)
        return [Window(dt.datetime.combine(first, start_time), end)]
    match = _SPEC.match(key)
    day_text, spec = (match.group("day") or "", match.group("spec")) if match else (key, "")
    days = _days(day_text.strip(" ,"), entry, trip, dates, warnings, tr)
    return [_window(day, spec, entry, trip, tr) for day in days]


def _days(
    text: str, entry: str, trip: Trip, dates: DateReader, warnings: list[str], tr: Translator
) -> list[dt.date]:
    if not text or text in EVERY_DAY:
        return trip.days()
    if text.rstrip(".") in WEEKDAYS:
        weekday = WEEKDAYS[text.rstrip(".")]
        days = [d for d in trip.days() if d.weekday() == weekday]
        if not days:
            raise InputError(
                tr.gettext("“{value}”: none of the trip's days falls on that day of the week.")
                .format(value=entry)
            )  # fmt: skip
        return days
    try:
        day, warning = dates.read(text)
    except RowError:
        if _LOOKS_LIKE_A_DATE.search(text):  # a date, but not one: say what a date is
            typed = entry[: len(text)]  # the day as the person wrote it, accents and all
            raise InputError(str(dates.error(typed if _key(typed) == text else text))) from None
        raise _not_understood(entry, tr) from None
    if warning:
        warnings.append(warning)
    return [day]


def _window(day: dt.date, spec: str, entry: str, trip: Trip, tr: Translator) -> Window:
    midnight = dt.datetime.combine(day, dt.time())
    next_midnight = midnight + dt.timedelta(days=1)

    def at(moment: dt.time, is_midnight: bool = False) -> dt.datetime:
        return next_midnight if is_midnight else dt.datetime.combine(day, moment)

    if not spec or spec in WHOLE_DAY:
        return Window(midnight, next_midnight)
    if spec in MORNING:
        return Window(at(trip.day_start), at(NOON))
    if spec in AFTERNOON:
        return Window(at(NOON), at(trip.day_end))
    if hours := _RANGE.fullmatch(spec):
        end, end_is_midnight = _time(hours.group(2), tr)
        if end_is_midnight or (end == dt.time() and hours.group(1).strip() not in ("0", "00")):
            return Window(at(_time(hours.group(1), tr)[0]), next_midnight)  # "22:00-0:00"
        start, end_or_none = time_range(f"{hours.group(1)} - {hours.group(2)}", tr)
        return Window(at(start), at(end_or_none or end))
    if after := _AFTER.fullmatch(spec):
        return Window(at(*_time(after.group(1), tr)), at(trip.day_end))
    if before := _BEFORE.fullmatch(spec):
        return Window(at(trip.day_start), at(*_time(before.group(1), tr)))
    raise _not_understood(entry, tr)  # pragma: no cover - _SPEC matched one of the above


def _not_understood(entry: str, tr: Translator) -> InputError:
    return InputError(
        tr.gettext(
            "“{value}” is not an availability (write 2023-06-06 09:00-12:00, "
            "Mon 9-12 or mardi après 14 h)."
        ).format(value=entry)
    )


def format_availability(windows: list[Window]) -> str:
    """``windows`` one per line, as :func:`parse_availability` reads them back."""
    lines = []
    for w in windows:
        day_after = dt.datetime.combine(w.start.date() + dt.timedelta(days=1), dt.time())
        if w.start.time() == dt.time() and w.end == day_after:
            lines.append(f"{w.start:%Y-%m-%d}")
        elif w.end == day_after:
            lines.append(f"{w.start:%Y-%m-%d %H:%M}-24:00")
        elif w.start.date() == w.end.date():
            lines.append(f"{w.start:%Y-%m-%d %H:%M}-{w.end:%H:%M}")
        else:
            lines.append(f"{w.start:%Y-%m-%d %H:%M} - {w.end:%Y-%m-%d %H:%M}")
    return "\n".join(lines)
