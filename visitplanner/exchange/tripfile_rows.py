"""The rows of a trip file, each checked with the app's rules (:mod:`visitplanner.rules`,
the rules of ``trip new`` and the editors): the first bad row is reported in one sentence.

Only the tables and columns in :data:`visitplanner.exchange.tripfile_columns.EXPECTED` are
read, every text value cut at its bound in SQL so that a 10 MB field costs nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import NoReturn

from visitplanner import rules
from visitplanner.errors import InputError
from visitplanner.exchange.tripfile_columns import COLUMN_LABELS, EXPECTED, ID_COLUMN, RECORD
from visitplanner.i18n import _
from visitplanner.localtime import check_wall_time
from visitplanner.model import (
    BusyBlock,
    Contact,
    Delegate,
    Language,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Organization,
    OrgKind,
    Place,
    Precision,
    Region,
    Stay,
    TransferMode,
    TravelMode,
    Trip,
    Window,
)

Progress = Callable[[float, str], None]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}$")
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$")
# Never in a trip file Visit Planner wrote (the library refuses them too).
_CONTROL = rules.CONTROL_CHARACTERS


@dataclass
class TripFile:
    """What a trip file holds, read and checked; ids are the file's own."""

    name: str
    trip: Trip
    places: dict[int, Place] = field(default_factory=dict)
    organizations: dict[int, Organization] = field(default_factory=dict)
    contacts: dict[int, Contact] = field(default_factory=dict)
    delegates: list[Delegate] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    stays: list[Stay] = field(default_factory=list)
    busy: list[BusyBlock] = field(default_factory=list)


def _shown(value: object) -> str:
    """A value from the file as a sentence may quote it: short, no control characters."""
    if isinstance(value, bytes):
        return _("(binary data)")
    text = _CONTROL.sub("?", str(value)).replace("\n", " ")
    return text if len(text) <= 40 else text[:39] + "…"


def _lower_first(text: str) -> str:
    """A sentence or a record's name, to go in the middle of another sentence."""
    return text[:1].lower() + text[1:]


class _Row:
    """One row of the file; each accessor checks its column or raises the sentence."""

    def __init__(self, table: str, row: sqlite3.Row) -> None:
        self.table = table
        self.row = row
        id_value = row[ID_COLUMN.get(table, "id")]
        self.record = _(RECORD[table]).format(id=_shown(id_value))

    def fail(self, message: str, **values: object) -> NoReturn:
        column = values.get("column")
        if isinstance(column, str) and column in COLUMN_LABELS:
            values["column"] = _(COLUMN_LABELS[column])  # "statut", not "status", in French
        raise InputError(message.format(record=self.record, **values))

    def refused(self, error: InputError) -> NoReturn:
        self.fail(
            _("{record} of the trip file is refused: {reason}"), reason=_lower_first(str(error))
        )

    def text(self, column: str, *, required: bool = False, single_line: bool = False) -> str:
        value = self.row[column]
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            self.fail(
                _("{record} of the trip file has a “{column}” that is not text."), column=column
            )
        if len(value) > EXPECTED[self.table][column]:
            self.fail(
                _("{record} of the trip file has a “{column}” longer than {limit} characters."),
                column=column,
                limit=EXPECTED[self.table][column],
            )
        if _CONTROL.search(value) or (single_line and ("\n" in value or "\r" in value)):
            self.fail(
                _("{record} of the trip file has control characters in its “{column}”."),
                column=column,
            )
        if required and not value.strip():
            self.fail(_("{record} of the trip file has no “{column}”."), column=column)
        return value

    def integer(self, column: str, low: int, high: int, *, optional: bool = False) -> int | None:
        value = self.row[column]
        if value is None and optional:
            return None
        if not isinstance(value, int):
            self.fail(
                _("{record} of the trip file has a “{column}” that is not a number: “{value}”."),
                column=column,
                value=_shown(value),
            )
        if not low <= value <= high:
            self.fail(
                _(
                    "{record} of the trip file has a “{column}” of {value}; "
                    "it must be between {low} and {high}."
                ),
                column=column,
                value=value,
                low=low,
                high=high,
            )
        return value

    def id(self, column: str = "id") -> int:
        value = self.integer(column, 1, 2**63 - 1)
        assert value is not None
        return value

    def ref(
        self, column: str, target: str, ids: Collection[int], *, required: bool = False
    ) -> int | None:
        value = self.row[column]
        if value is None:
            if required:
                self.fail(_("{record} of the trip file has no “{column}”."), column=column)
            return None
        if not isinstance(value, int) or value not in ids:
            self.fail(
                _("{record} of the trip file refers to {target}, which is not in the file."),
                target=_lower_first(_(RECORD[target]).format(id=_shown(value))),
            )
        return value

    def real(self, column: str, low: float, high: float) -> float | None:
        value = self.row[column]
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            self.fail(
                _(
                    "{record} of the trip file has a “{column}” of {value}; "
                    "it must be between {low} and {high}."
                ),
                column=column,
                value=_shown(value),
                low=low,
                high=high,
            )
        return float(value)

    def choice(self, column: str, kind: type[rules.E], *, optional: bool = False) -> rules.E | None:
        value = self.row[column]
        if value is None and optional:
            return None
        member = rules.enum_value(kind, value)
        if member is None:
            self.fail(
                _("{record} of the trip file has an unknown {column} “{value}”."),
                column=column,
                value=_shown(value),
            )
        return member

    def _impossible(self, column: str) -> NoReturn:
        self.fail(
            _("{record} of the trip file has an impossible {column} “{value}”."),
            column=column,
            value=_shown(self.row[column]),
        )

    def date(self, column: str) -> dt.date:
        value = self.text(column, required=True)
        try:
            if not _DATE.match(value):
                raise ValueError(value)
            return dt.date.fromisoformat(value)
        except ValueError:
            self._impossible(column)

    def time(self, column: str) -> dt.time:
        value = self.text(column, required=True)
        try:
            if not _TIME.match(value):
                raise ValueError(value)
            return dt.datetime.strptime(value, "%H:%M").time()
        except ValueError:
            self._impossible(column)

    def moment(self, column: str, *, optional: bool = False) -> dt.datetime | None:
        value = self.text(column, required=not optional)
        if not value and optional:
            return None
        try:
            if not _MOMENT.match(value):
                raise ValueError(value)
            return dt.datetime.fromisoformat(value.replace(" ", "T"))
        except ValueError:
            self._impossible(column)


# -- 3. every row, checked with the app's rules -----------------------------------------


class RowReader:
    def __init__(
        self,
        db: sqlite3.Connection,
        name: str,
        report: Progress,
        absent: dict[str, set[str]] | None = None,
    ) -> None:
        self.db = db
        self.name = name
        self.report = report
        self.absent = absent or {}  # what a file of an older format lacks: read as NULL

    def rows(self, table: str) -> Iterator[_Row]:
        lacking = self.absent.get(table, set())
        if lacking == set(EXPECTED[table]):
            return
        columns = []
        for column, limit in EXPECTED[table].items():
            if column in lacking:
                columns.append(f'NULL AS "{column}"')
                continue
            # Text is cut in SQL one past its limit (so "too long" is still seen); any other
            # value is read whole only when it is not text or a blob.
            cut = limit + 1 if limit else 40
            columns.append(
                f"CASE WHEN typeof(\"{column}\") IN ('text', 'blob') "
                f'THEN substr("{column}", 1, {cut}) ELSE "{column}" END AS "{column}"'
            )
        has_id = "id" in EXPECTED[table]
        order = "id" if has_id else ", ".join(f'"{c}"' for c in EXPECTED[table])
        sql = f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}"
        seen: set[int] = set()
        for row in self.db.execute(sql):
            checked = _Row(table, row)
            if has_id:
                row_id = checked.id()
                if row_id in seen:
                    checked.fail(_("{record} of the trip file appears twice."))
                seen.add(row_id)
            yield checked

    def read(self) -> TripFile:
        places = self._places()
        self.report(0.6, _("Checking {name}…").format(name=self.name))
        orgs = self._organizations(places)
        contacts = self._contacts(orgs)
        trip = self._trip(places)
        assert trip.id is not None
        delegates = self._delegates(trip)
        self.report(0.75, _("Checking {name}…").format(name=self.name))
        delegate_ids = {d.id for d in delegates if d.id is not None}
        meetings = self._meetings(trip, orgs, places, delegate_ids, contacts)
        stays = self._stays(trip, places, delegate_ids)
        busy = self._busy(trip, places, delegate_ids)
        self.report(0.95, _("Checking {name}…").format(name=self.name))
        return TripFile(self.name, trip, places, orgs, contacts, delegates, meetings, stays, busy)

    def _places(self) -> dict[int, Place]:
        out: dict[int, Place] = {}
        for r in self.rows("place"):
            lat, lon = r.real("lat", -90, 90), r.real("lon", -180, 180)
            if (lat is None) != (lon is None):
                r.fail(_("{record} of the trip file has only one of its two coordinates."))
            place = Place(
                name=r.text("name"),
                street=r.text("street"),
                city=r.text("city"),
                region=r.text("region"),
                postal_code=r.text("postal_code"),
                country=r.text("country"),
                lat=lat,
                lon=lon,
                precision=r.choice("precision", Precision, optional=True),
                source=r.text("source"),
                id=r.id(),
            )
            out[r.id()] = place
        return out

    def _organizations(self, places: dict[int, Place]) -> dict[int, Organization]:
        out: dict[int, Organization] = {}
        for r in self.rows("organization"):
            kind = r.choice("kind", OrgKind)
            assert kind is not None
            out[r.id()] = Organization(
                name=r.text("name", required=True),
                kind=kind,
                website=r.text("website", single_line=True),
                phone=r.text("phone", single_line=True),
                email=r.text("email", single_line=True),
                notes=r.text("notes"),
                place_id=r.ref("place_id", "place", places),
                cancelled=bool(r.integer("cancelled", 0, 1)),
                id=r.id(),
            )
        for r in self.rows("organization_tag"):
            org_id = r.ref("organization_id", "organization", out, required=True)
            assert org_id is not None
            out[org_id].tags.append(r.text("tag", required=True))
        return out

    def _contacts(self, orgs: dict[int, Organization]) -> dict[int, Contact]:
        out: dict[int, Contact] = {}
        for r in self.rows("contact"):
            contact = Contact(
                given_name=r.text("given_name"),
                family_name=r.text("family_name"),
                title=r.text("title"),
                organization_id=r.ref("organization_id", "organization", orgs),
                email=r.text("email", single_line=True),
                phone=r.text("phone", single_line=True),
                mobile=r.text("mobile", single_line=True),
                language=r.text("language"),
                notes=r.text("notes"),
                id=r.id(),
            )
            if contact.language and rules.enum_value(Language, contact.language) is None:
                r.fail(
                    _("{record} of the trip file has an unknown {column} “{value}”."),
                    column="language",
                    value=_shown(contact.language),
                )
            if not contact.full_name.strip():
                r.fail(_("{record} of the trip file has no name."))
            out[r.id()] = contact
        return out

    def _trip(self, places: dict[int, Place]) -> Trip:
        from visitplanner.library.trips import check_timezone

        (r,) = list(self.rows("trip"))
        region, mode = r.choice("region", Region), r.choice("default_mode", TravelMode)
        language = r.choice("language", Language)
        assert region is not None and mode is not None and language is not None
        trip = Trip(
            name=r.text("name", required=True),
            first_day=r.date("first_day"),
            last_day=r.date("last_day"),
            timezone=r.text("timezone", required=True, single_line=True),
            region=region,
            day_start=r.time("day_start"),
            day_end=r.time("day_end"),
            buffer_minutes=r.integer("buffer_minutes", 0, 2**31) or 0,
            default_mode=mode,
            base_place_id=r.ref("base_place_id", "place", places),
            language=language,
            organizer=r.text("organizer"),
            emergency=r.text("emergency"),
            notes=r.text("notes"),
            id=r.id(),
        )
        try:
            rules.check_trip_days(trip.first_day, trip.last_day)
            rules.check_day_hours(trip.day_start, trip.day_end)
            rules.check_buffer(trip.buffer_minutes)
            check_timezone(trip.timezone)
        except InputError as error:
            r.refused(error)
        return trip

    def _delegates(self, trip: Trip) -> list[Delegate]:
        trip_id = trip.id
        assert trip_id is not None
        out: list[Delegate] = []
        for r in self.rows("delegate"):
            r.ref("trip_id", "trip", {trip_id}, required=True)
            colour = r.text("colour", required=True)
            if not rules.COLOUR.match(colour):
                r.fail(
                    _("{record} of the trip file has an unknown {column} “{value}”."),
                    column="colour",
                    value=_shown(colour),
                )
            delegate = Delegate(
                trip_id=trip_id,
                name=r.text("name", required=True),
                company=r.text("company"),
                title=r.text("title"),
                email=r.text("email", single_line=True),
                phone=r.text("phone", single_line=True),
                colour=colour,
                arrival=r.moment("arrival", optional=True),
                departure=r.moment("departure", optional=True),
                arrival_by=r.text("arrival_by", single_line=True),
                departure_by=r.text("departure_by", single_line=True),
                id=r.id(),
            )
            try:
                rules.check_presence(
                    trip.first_day, trip.last_day, delegate.arrival, delegate.departure
                )
            except InputError as error:
                r.refused(error)
            out.append(delegate)
        return out

    def _stays(self, trip: Trip, places: dict[int, Place], delegate_ids: set[int]) -> list[Stay]:
        assert trip.id is not None
        out: list[Stay] = []
        for r in self.rows("stay"):
            r.ref("trip_id", "trip", {trip.id}, required=True)
            stay = Stay(
                trip_id=trip.id,
                first_night=r.date("first_night"),
                last_night=r.date("last_night"),
                place_id=r.ref("place_id", "place", places),
                delegate_id=r.ref("delegate_id", "delegate", delegate_ids),
                id=r.id(),
            )
            try:
                rules.check_stay(trip.first_day, trip.last_day, stay.first_night, stay.last_night)
            except InputError as error:
                r.refused(error)
            out.append(stay)
        return out

    def _busy(
        self, trip: Trip, places: dict[int, Place], delegate_ids: set[int]
    ) -> list[BusyBlock]:
        out: list[BusyBlock] = []
        for r in self.rows("busy"):
            delegate_id = r.ref("delegate_id", "delegate", delegate_ids, required=True)
            start, end = r.moment("start"), r.moment("end")
            assert delegate_id is not None and start is not None and end is not None
            block = BusyBlock(
                delegate_id=delegate_id,
                start=start,
                end=end,
                title=r.text("title", single_line=True),
                place_id=r.ref("place_id", "place", places),
                id=r.id(),
            )
            try:
                rules.check_busy(trip.first_day, trip.last_day, start, end)
            except InputError as error:
                r.refused(error)
            out.append(block)
        return out

    def _meetings(
        self,
        trip: Trip,
        orgs: dict[int, Organization],
        places: dict[int, Place],
        delegate_ids: set[int],
        contacts: dict[int, Contact],
    ) -> list[Meeting]:
        assert trip.id is not None
        by_id: dict[int, Meeting] = {}
        for r in self.rows("meeting"):
            r.ref("trip_id", "trip", {trip.id}, required=True)
            kind, status = r.choice("kind", MeetingKind), r.choice("status", MeetingStatus)
            assert kind is not None and status is not None
            meeting = Meeting(
                trip_id=trip.id,
                title=r.text("title", required=True),
                kind=kind,
                status=status,
                organization_id=r.ref("organization_id", "organization", orgs),
                place_id=r.ref("place_id", "place", places),
                start=r.moment("start", optional=True),
                duration_minutes=r.integer("duration_minutes", -(2**63), 2**63 - 1) or 0,
                priority=r.integer("priority", -(2**63), 2**63 - 1) or 0,
                fixed=bool(r.integer("fixed", 0, 1)),
                mode=r.choice("mode", TravelMode, optional=True),
                travel_minutes=r.integer("travel_minutes", -(2**63), 2**63 - 1, optional=True),
                notes=r.text("notes"),
                to_place_id=r.ref("to_place_id", "place", places),
                transfer_mode=r.choice("transfer_mode", TransferMode, optional=True),
                reference=r.text("reference", single_line=True),
                id=r.id(),
            )
            try:
                rules.check_transfer(
                    meeting.place_id,
                    meeting.to_place_id,
                    meeting.transfer_mode,
                    transfer=meeting.is_transfer,
                )
                rules.check_duration(meeting.duration_minutes)
                rules.check_priority(meeting.priority)
                rules.check_travel_minutes(meeting.travel_minutes)
                if meeting.start is not None:
                    rules.check_in_trip_days(trip.first_day, trip.last_day, meeting.start)
                    # A time the trip's clocks skip is refused as the editors refuse it; one
                    # they repeat is taken as the first, as everywhere else.
                    check_wall_time(meeting.start, trip.timezone)
            except InputError as error:
                r.refused(error)
            by_id[r.id()] = meeting
        for r in self.rows("meeting_window"):
            meeting_id = r.ref("meeting_id", "meeting", by_id, required=True)
            assert meeting_id is not None
            start, end = r.moment("start"), r.moment("end")
            assert start is not None and end is not None
            try:
                rules.check_window(trip.first_day, trip.last_day, start, end)
            except InputError as error:
                r.refused(error)
            windows = by_id[meeting_id].windows
            if len(windows) >= rules.MAX_WINDOWS_PER_MEETING:
                r.fail(
                    _("{record} of the trip file is one window too many: {limit} at most."),
                    limit=rules.MAX_WINDOWS_PER_MEETING,
                )
            windows.append(Window(start, end))
        for r in self.rows("meeting_delegate"):
            meeting_id = r.ref("meeting_id", "meeting", by_id, required=True)
            delegate_id = r.ref("delegate_id", "delegate", delegate_ids, required=True)
            assert meeting_id is not None and delegate_id is not None
            by_id[meeting_id].delegate_ids.append(delegate_id)
        for r in self.rows("meeting_host"):
            meeting_id = r.ref("meeting_id", "meeting", by_id, required=True)
            contact_id = r.ref("contact_id", "contact", contacts, required=True)
            assert meeting_id is not None and contact_id is not None
            by_id[meeting_id].host_ids.append(contact_id)
        for meeting in by_id.values():
            meeting.windows.sort(key=lambda w: w.start)
            meeting.delegate_ids.sort()
            meeting.host_ids.sort()
        return list(by_id.values())
