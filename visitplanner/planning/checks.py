"""Checks: turn a trip into a list of problems a person understands.

Each check is a function of a :class:`TripSnapshot`; :func:`check_snapshot` runs them all.
They run on every edit, so they stay linear-ish in the number of meetings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from visitplanner.errors import InputError
from visitplanner.geo.travel import Leg
from visitplanner.i18n import Translator, current
from visitplanner.library import Library
from visitplanner.model import (
    MODE_LABELS,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Place,
    Precision,
)
from visitplanner.planning.dayplan import LegEstimator, build_day_plan
from visitplanner.planning.snapshot import TripSnapshot, load_snapshot


class ProblemKind(StrEnum):
    OVERLAP = "overlap"
    TRAVEL = "travel"
    AVAILABILITY = "availability"
    OUTSIDE_TRIP = "outside_trip"
    OUTSIDE_DAY = "outside_day"
    NO_PLACE = "no_place"
    IMPRECISE_PLACE = "imprecise_place"
    NO_ATTENDEE = "no_attendee"
    CANCELLED_HOST = "cancelled_host"
    CLOCK_CHANGE = "clock_change"
    ABSENT = "absent"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    severity: Severity
    meeting_ids: tuple[int, ...]
    delegate_ids: tuple[int, ...]
    message: str
    fix: str = ""  # what to do about it, when there is one thing to do
    place_id: int | None = None  # the place a place problem is about


Check = Callable[[TripSnapshot, Translator], Iterator[Problem]]

# Meetings that need no place or attendee of their own.
_PLACELESS_KINDS = {MeetingKind.FREE_TIME, MeetingKind.TRANSFER}


def active(meeting: Meeting) -> bool:
    """Scheduled and not cancelled: the meetings that occupy someone's time."""
    return meeting.start is not None and meeting.status is not MeetingStatus.CANCELLED


def _id(meeting: Meeting) -> int:
    assert meeting.id is not None
    return meeting.id


def delegate_days(snap: TripSnapshot) -> dict[tuple[int, dt.date], list[Meeting]]:
    """Active meetings of each (delegate, day), in time order."""
    out: dict[tuple[int, dt.date], list[Meeting]] = {}
    for m in snap.meetings:
        if not active(m):
            continue
        assert m.start is not None
        for d in m.delegate_ids:
            out.setdefault((d, m.start.date()), []).append(m)
    for day in out.values():
        day.sort(key=lambda m: (m.start, m.id))
    return out


def check_overlap(snap: TripSnapshot, tr: Translator) -> Iterator[Problem]:
    pairs: dict[tuple[int, int], list[int]] = {}
    # Each delegate's whole trip, not day by day: a meeting past midnight (23:30–00:30)
    # overlaps the next day's first one.
    trip_of: dict[int, list[Meeting]] = {}
    for (delegate_id, _day), day in sorted(delegate_days(snap).items()):
        trip_of.setdefault(delegate_id, []).extend(day)
    for delegate_id, meetings in trip_of.items():
        # Sweep: compare each meeting with those still running when it starts.
        running: list[Meeting] = []
        for m in meetings:
            assert m.start is not None
            running = [r for r in running if r.end is not None and r.end > m.start]
            for r in running:
                key = (_id(r), _id(m))
                pairs.setdefault(key, []).append(delegate_id)
            running.append(m)
    for (a, b), who in sorted(pairs.items()):
        first, second = snap.meeting(a), snap.meeting(b)
        names = ", ".join(snap.delegates[d].name for d in who if d in snap.delegates)
        yield Problem(
            ProblemKind.OVERLAP,
            Severity.ERROR,
            (a, b),
            tuple(who),
            tr.gettext("{names}: “{first}” and “{second}” overlap.").format(
                names=names, first=first.title, second=second.title
            ),
        )


def check_travel(snap: TripSnapshot, tr: Translator) -> Iterator[Problem]:
    """A gap between consecutive stops of a delegate shorter than the travel time plus the
    trip's buffer: their meetings and their busy blocks with a place (legs leave a transfer
    from its arrival place). Overlaps are reported by :func:`check_overlap` and
    :func:`check_absent`; legs with a place that has no coordinates by :func:`check_places`."""
    estimator = LegEstimator(snap)
    buffer = snap.trip.buffer_minutes
    Ident = tuple[str, int]
    found: dict[tuple[Ident, Ident], tuple[int, Leg, tuple[str, str], tuple[int, ...], list[int]]]
    found = {}
    for (delegate_id, day), meetings in sorted(delegate_days(snap).items()):
        plan = build_day_plan(snap, day, delegate_id, meetings, estimator=estimator)
        for day_leg in plan.legs:
            gap, leg = day_leg.gap_minutes, day_leg.leg
            if gap is None or gap < 0 or leg is None or gap >= leg.minutes + buffer:
                continue
            ends: list[tuple[Ident, str, int | None]] = []
            for meeting, busy in (
                (day_leg.origin, day_leg.origin_busy),
                (day_leg.destination, day_leg.destination_busy),
            ):
                if meeting is not None:
                    ends.append((("meeting", _id(meeting)), meeting.title, _id(meeting)))
                elif busy is not None:
                    title = busy.title or tr.gettext("Busy")
                    ends.append((("busy", busy.id or 0), title, None))
            if len(ends) != 2 or all(e[2] is None for e in ends):
                continue  # two busy blocks: the delegate's own affair
            key = (ends[0][0], ends[1][0])
            ids = tuple(e[2] for e in ends if e[2] is not None)
            entry = found.setdefault(key, (gap, leg, (ends[0][1], ends[1][1]), ids, []))
            entry[4].append(delegate_id)
    for _key, (gap, leg, (first, second), ids, who) in sorted(found.items()):
        names = ", ".join(snap.delegates[d].name for d in who if d in snap.delegates)
        values = {
            "names": names,
            "first": first,
            "second": second,
            "available": tr.format_minutes(gap),
            "needed": tr.format_minutes(leg.minutes + buffer),
            "travel": tr.format_minutes(leg.minutes),
            "buffer": buffer,
            "mode": tr.gettext(MODE_LABELS[leg.mode]),
            "distance": tr.format_decimal(leg.distance_km, 1),
        }
        if leg.rough:
            text = tr.gettext(
                "{names}: {available} min between “{first}” and “{second}”, about {needed} min "
                "needed ({mode}, about {distance} km: roughly {travel} min as an address is to "
                "be confirmed, plus a {buffer} min buffer)."
            )
        elif leg.estimated:
            text = tr.gettext(
                "{names}: {available} min between “{first}” and “{second}”, {needed} min "
                "needed ({mode}, {distance} km: about {travel} min, plus a {buffer} min buffer)."
            )
        else:
            text = tr.gettext(
                "{names}: {available} min between “{first}” and “{second}”, {needed} min "
                "needed ({mode}, travel set by hand to {travel} min, plus a {buffer} min buffer)."
            )
        yield Problem(ProblemKind.TRAVEL, Severity.ERROR, ids, tuple(who), text.format(**values))


def check_absent(snap: TripSnapshot, tr: Translator) -> Iterator[Problem]:
    """A delegate down for a meeting before they arrive, after they leave, or during one of
    their busy blocks: one problem per delegate and meeting, naming both."""
    from visitplanner.planning.presence import busy_overlaps

    for m in snap.meetings:
        if not active(m):
            continue
        assert m.start is not None and m.end is not None
        for delegate_id in m.delegate_ids:
            delegate = snap.delegates.get(delegate_id)
            if delegate is None:
                continue
            values = {"name": delegate.name, "title": m.title}
            if delegate.arrival is not None and m.start < delegate.arrival:
                values["when"] = _moment(tr, delegate.arrival, m.start)
                text = tr.gettext("{name} arrives {when}, after “{title}” starts.")
            elif delegate.departure is not None and m.end > delegate.departure:
                values["when"] = _moment(tr, delegate.departure, m.start)
                text = tr.gettext("{name} leaves {when}, before “{title}” ends.")
            else:
                blocks = busy_overlaps(snap.busy_of(delegate_id), m.start, m.end)
                if not blocks:
                    continue
                block = blocks[0]
                values["busy"] = block.title or tr.gettext("Busy")
                values["start"] = tr.format_time(block.start)
                values["end"] = tr.format_time(block.end)
                text = tr.gettext("{name} is busy during “{title}”: “{busy}”, {start}–{end}.")
            yield Problem(
                ProblemKind.ABSENT,
                Severity.ERROR,
                (_id(m),),
                (delegate_id,),
                text.format(**values),
            )


def _moment(tr: Translator, when: dt.datetime, reference: dt.datetime) -> str:
    """ "at 13:40" on the meeting's day, else "on May 14 at 13:40"."""
    if when.date() == reference.date():
        return tr.gettext("at {time}").format(time=tr.format_time(when))
    return tr.gettext("on {day} at {time}").format(
        day=tr.format_date(when.date(), "medium"), time=tr.format_time(when)
    )


def check_availability(snap: TripSnapshot, tr: Translator) -> Iterator[Problem]:
    for m in snap.meetings:
        if not active(m) or not m.windows:
            continue
        assert m.start is not None and m.end is not None
        if not any(w.contains(m.start, m.end) for w in m.windows):
            yield Problem(
                ProblemKind.AVAILABILITY,
                Severity.ERROR,
                (_id(m),),
                tuple(m.delegate_ids),
                tr.gettext("“{title}” is outside the host's availability.").format(title=m.title),
            )


def check_outside_trip(snap: TripSnapshot, tr: Translator) -> Iterator[Problem]:
    trip = snap.trip
    for m in snap.meetings:
        if not active(m):
            continue
        assert m.start is not None and m.end is not None
        last_day = (m.end - dt.timedelta(microseconds=1)).date()  # ending at 00:00: the day before
        if trip.first_day <= m.start.date() <= trip.last_day < last_day:
            yield Problem(  # past midnight on the last day
                ProblemKind.OUTSIDE_TRIP,
                Severity.ERROR,
                (_id(m),),
                tuple(m.delegate_ids),
                tr.gettext("“{title}” ends on {day}, after the trip's last day.").format(
                    title=m.title, day=tr.format_date(m.end.date(), "medium")
                ),
            )
        elif m.start.date() < trip.first_day or last_day > trip.last_day:
            yield Problem(
                ProblemKind.OUTSIDE_TRIP,
                Severity.ERROR,
                (_id(m),),
                tuple(m.delegate_ids),
                tr.gettext("“{title}” is on {day}, outside the trip's days.").format(
                    title=m.title, day=tr.format_date(m.start.date(), "medium")
                ),
            )


def check_clock_change(snap: TripSnapshot, tr: Translator) -> Iterator[Problem]:
    """A start the trip's clocks skip (spring) or repeat (fall): the editors and imports
    refuse or warn; a meeting already in the library (an older file, another program) is
    named here."""
    from visitplanner.localtime import check_wall_time

    for m in snap.meetings:
        if not active(m):
            continue
        assert m.start is not None
        try:
            warning = check_wall_time(m.start, snap.trip.timezone, tr)
        except InputError as error:
            yield Problem(
                ProblemKind.CLOCK_CHANGE,
                Severity.ERROR,
                (_id(m),),
                tuple(m.delegate_ids),
                tr.gettext("“{title}”: {reason}").format(title=m.title, reason=error),
            )
            continue
        if warning:
            yield Problem(
                ProblemKind.CLOCK_CHANGE,
                Severity.WARNING,
                (_id(m),),
                tuple(m.delegate_ids),
                tr.gettext("“{title}”: {reason}").format(title=m.title, reason=warning),
            )


def check_outside_day(snap: TripSnapshot, tr: Translator) -> Iterator[Problem]:
    trip = snap.trip
    for m in snap.meetings:
        if not active(m) or m.kind in _PLACELESS_KINDS:
            continue
        assert m.start is not None and m.end is not None
        day_start = dt.datetime.combine(m.start.date(), trip.day_start)
        day_end = dt.datetime.combine(m.start.date(), trip.day_end)
        if m.start < day_start or m.end > day_end:
            yield Problem(
                ProblemKind.OUTSIDE_DAY,
                Severity.WARNING,
                (_id(m),),
                tuple(m.delegate_ids),
                tr.gettext("“{title}” runs outside the day's hours ({start}–{end}).").format(
                    title=m.title,
                    start=tr.format_time(trip.day_start),
                    end=tr.format_time(trip.day_end),
                ),
            )


def check_places(
    snap: TripSnapshot, tr: Translator, *, online_lookups: bool = False
) -> Iterator[Problem]:
    """Meetings with no place on the map (one problem each), and every approximate place the
    trip uses (its meetings', its hotel): one problem per place, naming the meetings, with
    the fix. ``online_lookups``: online geocoding is allowed already (not offered then)."""
    approximate: dict[int, list[Meeting]] = {}
    places: dict[int, Place] = {}
    for m in snap.meetings:
        if m.status is MeetingStatus.CANCELLED or m.kind in _PLACELESS_KINDS:
            continue
        place = snap.place_of(m)
        if place is None or not place.has_coordinates:
            yield Problem(
                ProblemKind.NO_PLACE,
                Severity.WARNING,
                (_id(m),),
                tuple(m.delegate_ids),
                tr.gettext("“{title}” has no place on the map.").format(title=m.title),
            )
        elif place.approximate and place.id is not None:
            places[place.id] = place
            approximate.setdefault(place.id, []).append(m)
    base = snap.base
    if base is not None and base.approximate and base.has_coordinates and base.id is not None:
        places[base.id] = base
        approximate.setdefault(base.id, [])
    fix = approximate_place_fix(tr, online_lookups=online_lookups)
    for place_id, meetings in approximate.items():
        place = places[place_id]
        text = approximate_place_text(tr, place)
        uses = []
        if base is not None and base.id == place_id:
            uses.append(tr.gettext("It is the trip's hotel."))
        if meetings:
            quoted = tr.gettext("“{title}”")
            titles = ", ".join(quoted.format(title=m.title) for m in meetings[:_LISTED_MEETINGS])
            more = len(meetings) - _LISTED_MEETINGS
            if more > 0:
                titles = tr.ngettext(
                    "{titles} and {count} other", "{titles} and {count} others", more
                ).format(titles=titles, count=more)
            uses.append(
                tr.ngettext("Meeting: {titles}.", "Meetings: {titles}.", len(meetings)).format(
                    titles=titles
                )
            )
        yield Problem(
            ProblemKind.IMPRECISE_PLACE,
            Severity.WARNING,
            tuple(_id(m) for m in meetings),
            tuple(sorted({d for m in meetings for d in m.delegate_ids})),
            " ".join([text, *uses]),
            fix,
            place_id,
        )


_LISTED_MEETINGS = 6  # an approximate place's problem names this many meetings, then counts


def approximate_place_text(tr: Translator, place: Place) -> str:
    """Why an approximate place is a problem, in one sentence naming the place."""
    name = place.label()
    if place.precision is Precision.STREET:
        return tr.gettext(
            "“{place}” is located only to its street ({where}): the address is to be "
            "confirmed and travel times are rough."
        ).format(place=name, where=place.street or place.address() or name)
    if place.precision is Precision.POSTAL:
        return tr.gettext(
            "“{place}” is located only to its postal code ({where}): the address is to be "
            "confirmed and travel times are rough."
        ).format(place=name, where=place.postal_code or place.address() or name)
    return tr.gettext(
        "“{place}” is located only to its city ({where}): the address is to be confirmed "
        "and travel times are rough."
    ).format(place=name, where=place.city or name)


def approximate_place_fix(tr: Translator, *, online_lookups: bool = False) -> str:
    """What to do about an approximate place; online lookups are offered only when they are
    not allowed yet."""
    if online_lookups:
        return tr.gettext("Fix: find the address (Places) or drop the pin by hand on the map.")
    return tr.gettext(
        "Fix: find the address (Places), drop the pin by hand on the map, or look it up "
        "online (Preferences)."
    )


def check_confirmed(snap: TripSnapshot, tr: Translator) -> Iterator[Problem]:
    for m in snap.meetings:
        if m.status is not MeetingStatus.CONFIRMED:
            continue
        if not m.delegate_ids and m.kind not in _PLACELESS_KINDS:
            yield Problem(
                ProblemKind.NO_ATTENDEE,
                Severity.WARNING,
                (_id(m),),
                (),
                tr.gettext("“{title}” is confirmed but nobody attends.").format(title=m.title),
            )
        org = snap.organizations.get(m.organization_id) if m.organization_id else None
        if org is not None and org.cancelled:
            yield Problem(
                ProblemKind.CANCELLED_HOST,
                Severity.ERROR,
                (_id(m),),
                tuple(m.delegate_ids),
                tr.gettext("“{title}” is confirmed but {organization} has cancelled.").format(
                    title=m.title, organization=org.name
                ),
            )


CHECKS: list[Check] = [
    check_overlap,
    check_travel,
    check_absent,
    check_availability,
    check_outside_trip,
    check_clock_change,
    check_outside_day,
    check_places,
    check_confirmed,
]


def check_snapshot(
    snap: TripSnapshot, tr: Translator | None = None, *, online_lookups: bool = False
) -> list[Problem]:
    """Every problem of the trip; ``online_lookups``: whether online geocoding is allowed
    (the fix of an approximate place offers it only when it is not)."""
    tr = tr or current()
    problems: list[Problem] = []
    for check in CHECKS:
        if check is check_places:
            problems += check_places(snap, tr, online_lookups=online_lookups)
        else:
            problems += check(snap, tr)
    order = {m.id: i for i, m in enumerate(snap.meetings)}
    problems.sort(
        key=lambda p: (min((order.get(i, 0) for i in p.meeting_ids), default=0), p.kind.value)
    )
    return problems


def check_trip(
    lib: Library, trip_id: int, tr: Translator | None = None, *, online_lookups: bool = False
) -> list[Problem]:
    return check_snapshot(load_snapshot(lib, trip_id), tr, online_lookups=online_lookups)


def consecutive(day: list[Meeting]) -> Iterator[tuple[Meeting, Meeting]]:
    """Consecutive pairs of a delegate's day (a helper for gap checks)."""
    return iter(pairwise(day))
