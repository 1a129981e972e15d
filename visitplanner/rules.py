"""The rules a trip, a meeting and the records around them follow, in one place.

``trip new`` on the command line, the trip dialog and the trip-file import all check
with these functions, so a trip the app refuses to make can never come in through a file.
Each check raises :class:`InputError` with one sentence for the user.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import TypeVar

from visitplanner.errors import InputError
from visitplanner.i18n import _

# -- a trip ------------------------------------------------------------------------------

MAX_TRIP_DAYS = 61
BUFFER_MINUTES = (0, 240)

# -- a meeting ---------------------------------------------------------------------------

DURATION_MINUTES = (1, 1440)
PRIORITIES = (1, 2, 3)
MAX_TRAVEL_MINUTES = 600
MAX_WINDOWS_PER_MEETING = 50

# -- text --------------------------------------------------------------------------------

MAX_SHORT_TEXT = 1_000  # names, titles, emails, phones, address parts
MAX_LONG_TEXT = 20_000  # notes

# -- a trip file: a few thousand of each at most ----------------------------------------

MAX_TRIP_FILE_RECORDS = {
    "place": 5_000,
    "organization": 5_000,
    "organization_tag": 20_000,
    "contact": 5_000,
    "trip": 1,
    "delegate": 500,
    "meeting": 5_000,
    "meeting_window": 20_000,
    "meeting_delegate": 50_000,
    "meeting_host": 50_000,
}

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

E = TypeVar("E", bound=StrEnum)


def check_trip_days(first: dt.date, last: dt.date) -> None:
    """The trip's days run forward and number :data:`MAX_TRIP_DAYS` at most."""
    if last < first:
        raise InputError(_("The trip's last day comes before its first day."))
    if (last - first).days + 1 > MAX_TRIP_DAYS:
        raise InputError(_("A trip lasts {days} days at most.").format(days=MAX_TRIP_DAYS))


def check_day_hours(start: dt.time, end: dt.time) -> None:
    if end <= start:
        raise InputError(_("The day must end after it starts."))


def check_buffer(minutes: int) -> None:
    low, high = BUFFER_MINUTES
    if not low <= minutes <= high:
        raise InputError(
            _("The buffer must be between {low} and {high} minutes.").format(low=low, high=high)
        )


def check_duration(minutes: int) -> None:
    low, high = DURATION_MINUTES
    if not low <= minutes <= high:
        raise InputError(
            _("A meeting lasts between {low} and {high} minutes.").format(low=low, high=high)
        )


def check_priority(priority: int) -> None:
    if priority not in PRIORITIES:
        raise InputError(_("The priority is 1 (high), 2 (normal) or 3 (low)."))


def check_travel_minutes(minutes: int | None) -> None:
    if minutes is not None and not 0 <= minutes <= MAX_TRAVEL_MINUTES:
        raise InputError(
            _("A travel time is between 0 and {high} minutes.").format(high=MAX_TRAVEL_MINUTES)
        )


def check_in_trip_days(first: dt.date, last: dt.date, start: dt.datetime) -> None:
    """A scheduled meeting starts on one of the trip's days."""
    if not first <= start.date() <= last:
        raise InputError(
            _("It starts on {day}, outside the trip's days ({first} to {last}).").format(
                day=start.date().isoformat(), first=first.isoformat(), last=last.isoformat()
            )
        )


def check_window(first: dt.date, last: dt.date, start: dt.datetime, end: dt.datetime) -> None:
    """An availability window runs forward, within the trip's days."""
    if end <= start:
        raise InputError(_("The window ends before it starts."))
    trip_start = dt.datetime.combine(first, dt.time())
    trip_end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    if start < trip_start or end > trip_end:
        raise InputError(
            _("The window lies outside the trip's days ({first} to {last}).").format(
                first=first.isoformat(), last=last.isoformat()
            )
        )


def enum_value(kind: type[E], value: object) -> E | None:
    """The member of ``kind`` whose value is ``value``, or None."""
    if not isinstance(value, str):
        return None
    try:
        return kind(value)
    except ValueError:
        return None
