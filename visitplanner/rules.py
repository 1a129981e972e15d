"""The rules a trip, a meeting and the records around them follow, in one place.

``trip new`` on the command line, the trip dialog and the trip-file import all check
with these functions, so a trip the app refuses to make can never come in through a file.
Each check raises :class:`InputError` with one sentence for the user.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from visitplanner.errors import InputError
from visitplanner.i18n import N_, _

# -- a trip ------------------------------------------------------------------------------

MAX_TRIP_DAYS = 61
BUFFER_MINUTES = (0, 240)

# -- a meeting ---------------------------------------------------------------------------

DURATION_MINUTES = (5, 1440)  # the meeting dialog's steps; a day's free-time block at most
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
    "stay": 5_000,
    "busy": 20_000,
}

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

# C0 controls but tab and line breaks, DEL and C1: an escape sequence in a name would drive
# the terminal that prints it; nothing a person types or a file of ours holds has them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LONG_TEXT_FIELDS = frozenset({"notes", "emergency"})
# Field -> what a sentence calls it.
TEXT_FIELDS = {
    "name": N_("the name"),
    "title": N_("the title"),
    "notes": N_("the notes"),
    "organizer": N_("the organizer"),
    "emergency": N_("the emergency contacts"),
    "company": N_("the company"),
    "email": N_("the email address"),
    "phone": N_("the phone number"),
    "mobile": N_("the mobile number"),
    "website": N_("the website"),
    "given_name": N_("the given name"),
    "family_name": N_("the family name"),
    "street": N_("the street"),
    "city": N_("the city"),
    "region": N_("the province or state"),
    "postal_code": N_("the postal code"),
    "country": N_("the country"),
    "source": N_("the source"),
    "timezone": N_("the time zone"),
    "arrival_by": N_("how they arrive"),
    "departure_by": N_("how they leave"),
    "reference": N_("the train or flight"),
}
OTHER_TEXT_FIELD = N_("a text field")


def check_record_text(record: object, before: Mapping[str, object] | None = None) -> None:
    """Every text field of ``record`` (a trip, delegate, meeting, contact, organization or
    place) within its length and free of control characters: what ``trip new``, the
    editors, the imports and the trip-file import all keep. With ``before`` (the stored
    row, column -> value), only the fields that change are checked: data an older version let in can
    still be edited, dragged or exported."""
    import dataclasses

    if not dataclasses.is_dataclass(record):
        return
    for item in dataclasses.fields(record):
        value = getattr(record, item.name)
        if not isinstance(value, str) or not value:
            continue
        if before is not None and before.get(item.name) == value:
            continue
        label = _(TEXT_FIELDS.get(item.name, OTHER_TEXT_FIELD))
        limit = MAX_LONG_TEXT if item.name in LONG_TEXT_FIELDS else MAX_SHORT_TEXT
        if len(value) > limit:
            raise InputError(
                _("{field}: {count} characters, more than the {limit} allowed.").format(
                    field=_capitalized(label), count=len(value), limit=limit
                )
            )
        if CONTROL_CHARACTERS.search(value):
            raise InputError(
                _(
                    "{field}: control characters (such as a terminal escape sequence) are not "
                    "allowed; remove them."
                ).format(field=_capitalized(label))
            )


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


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
            _("A meeting lasts between {low} minutes and {high} hours.").format(
                low=low, high=high // 60
            )
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


# -- a mission: presence, hotels, busy blocks, transfers -----------------------------------


def _day(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def check_presence(
    first: dt.date, last: dt.date, arrival: dt.datetime | None, departure: dt.datetime | None
) -> None:
    """A delegate arrives and leaves within the trip's days, one day either side (the eve's
    flight, the morning after), and leaves after they arrive."""
    low = dt.datetime.combine(first - dt.timedelta(days=1), dt.time())
    high = dt.datetime.combine(last + dt.timedelta(days=2), dt.time())
    for moment in (arrival, departure):
        if moment is not None and not low <= moment < high:
            raise InputError(
                _(
                    "{moment} is too far from the trip's days ({first} to {last}): a delegate "
                    "arrives and leaves within a day of them."
                ).format(moment=_day(moment), first=first.isoformat(), last=last.isoformat())
            )
    if arrival is not None and departure is not None and departure <= arrival:
        raise InputError(_("A delegate must leave after they arrive."))


def check_busy(first: dt.date, last: dt.date, start: dt.datetime, end: dt.datetime) -> None:
    """A busy block ends after it starts, within the trip's days (one day either side)."""
    if end <= start:
        raise InputError(_("A busy time must end after it starts."))
    low = dt.datetime.combine(first - dt.timedelta(days=1), dt.time())
    high = dt.datetime.combine(last + dt.timedelta(days=2), dt.time())
    if start < low or end > high:
        raise InputError(
            _("The busy time {start} lies outside the trip's days ({first} to {last}).").format(
                start=_day(start), first=first.isoformat(), last=last.isoformat()
            )
        )


def check_stay(first: dt.date, last: dt.date, first_night: dt.date, last_night: dt.date) -> None:
    """A stay's nights run forward within the trip's nights: from the eve of its first day
    to the night of its last day."""
    if last_night < first_night:
        raise InputError(_("A stay's last night comes before its first night."))
    if first_night < first - dt.timedelta(days=1) or last_night > last:
        raise InputError(
            _(
                "The nights {first_night} to {last_night} are not all within the trip "
                "(from the night before {first} to the night of {last})."
            ).format(
                first_night=first_night.isoformat(),
                last_night=last_night.isoformat(),
                first=first.isoformat(),
                last=last.isoformat(),
            )
        )


def check_transfer(
    place_id: int | None, to_place_id: int | None, mode: object, *, transfer: bool
) -> None:
    """A transfer leaves one place for another by a mode; other meetings have neither.

    A transfer with neither an arrival place nor a mode is one as libraries before version 3
    hold them (a block at one place): still accepted, so that they can be edited; as soon as
    it has either, it needs both places and the mode."""
    if not transfer:
        if to_place_id is not None or mode is not None:
            raise InputError(_("Only a transfer has an arrival place and a transfer mode."))
        return
    if to_place_id is None and mode is None:
        return
    if place_id is None or to_place_id is None:
        raise InputError(_("A transfer needs a departure place and an arrival place."))
    if mode is None:
        raise InputError(_("A transfer needs a mode: train, flight, coach or drive."))


def enum_value(kind: type[E], value: object) -> E | None:
    """The member of ``kind`` whose value is ``value``, or None."""
    if not isinstance(value, str):
        return None
    try:
        return kind(value)
    except ValueError:
        return None
