"""Local wall times that do not exist or happen twice in a trip's time zone.

Meetings are stored as naive wall times in the trip's zone (see :mod:`visitplanner.model`).
When the clocks go forward (spring), an hour of wall time never happens: 2:30 AM on
2025-03-09 in America/Toronto is refused with a sentence. When they go back (fall), an hour
happens twice: 1:30 AM on 2025-11-02 is accepted with a warning saying that the first one
(before the change) is used — what the calendar export and every other part of the app
read, since they attach the zone with ``fold=0``.

:func:`check_wall_time` is the one place this is decided: the meeting import, the meeting
editor and any command taking a date and time call it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from visitplanner.errors import InputError
from visitplanner.i18n import Translator, current

_MINUTE = dt.timedelta(minutes=1)
_SEARCH = 24 * 60  # minutes: no zone's transition is longer than a day


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _exists(moment: dt.datetime, zone: ZoneInfo) -> bool:
    """A wall time exists when it comes back unchanged through UTC."""
    aware = moment.replace(tzinfo=zone, fold=0)
    return aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) == moment


def exists(moment: dt.datetime, zone_name: str) -> bool:
    """True unless ``moment`` (naive wall time) falls in a gap of ``zone_name``'s clock."""
    zone = _zone(zone_name)
    return zone is None or _exists(moment.replace(tzinfo=None, fold=0), zone)


def _when(moment: dt.datetime, tr: Translator) -> str:
    return tr.gettext("{date} at {time}").format(
        date=tr.format_date(moment.date(), "long"), time=tr.format_time(moment)
    )


def _gap(moment: dt.datetime, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The wall times (first missing, first existing again) of the gap around ``moment``."""
    start = moment.replace(second=0, microsecond=0)
    for _step in range(_SEARCH):
        if _exists(start - _MINUTE, zone):
            break
        start -= _MINUTE
    before = moment.replace(tzinfo=zone, fold=0).utcoffset() or dt.timedelta()
    after = moment.replace(tzinfo=zone, fold=1).utcoffset() or dt.timedelta()
    if after < before:  # zoneinfo swaps the folds inside a gap
        before, after = after, before
    return start, start + (after - before)


def _repeat(moment: dt.datetime, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The wall times (clocks go back to, clocks went back from) of the repeated span."""
    first = moment.replace(tzinfo=zone, fold=0).utcoffset() or dt.timedelta()
    second = moment.replace(tzinfo=zone, fold=1).utcoffset() or dt.timedelta()
    start = moment.replace(second=0, microsecond=0)
    for _step in range(_SEARCH):
        earlier = (start - _MINUTE).replace(tzinfo=zone)
        if earlier.utcoffset() == earlier.replace(fold=1).utcoffset():
            break
        start -= _MINUTE
    return start, start + (first - second)


def check_wall_time(
    moment: dt.datetime, zone_name: str, tr: Translator | None = None
) -> str | None:
    """Check a naive local wall time of a trip in time zone ``zone_name``.

    Raises :class:`InputError` (one sentence: the date, the time, the zone and why) when the
    time does not exist there; returns a warning sentence when it happens twice (saying
    which one is used), else None. An unknown zone is not this function's business: None.
    """
    tr = tr or current()
    zone = _zone(zone_name)
    if zone is None:
        return None
    naive = moment.replace(tzinfo=None, fold=0)
    if not _exists(naive, zone):
        first_missing, back = _gap(naive, zone)
        raise InputError(
            tr.gettext(
                "{when} does not exist in the time zone {zone}: that night the clocks go "
                "forward from {skipped} to {back}. Choose a time before {skipped} or from "
                "{back} on."
            ).format(
                when=_when(naive, tr),
                zone=zone_name,
                skipped=tr.format_time(first_missing),
                back=tr.format_time(back),
            )
        )
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    repeat_start, repeat_end = _repeat(naive, zone)
    return tr.gettext(
        "{when} happens twice in the time zone {zone}: that night the clocks go back from "
        "{back_from} to {back_to}. The first one ({name}, before the change) is used."
    ).format(
        when=_when(naive, tr),
        zone=zone_name,
        back_from=tr.format_time(repeat_end),
        back_to=tr.format_time(repeat_start),
        name=first.tzname() or "",
    )
