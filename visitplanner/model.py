"""Domain types of Visit Planner: plain dataclasses, no I/O.

Times of meetings are *local wall times* in the trip's IANA time zone, stored naive.
``id`` is None until a record is stored in a library.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from visitplanner.i18n import N_


class OrgKind(StrEnum):
    BIOTECH = "biotech"
    PHARMA = "pharma"
    MEDTECH = "medtech"
    CRO_CDMO = "cro_cdmo"
    HOSPITAL = "hospital"
    UNIVERSITY = "university"
    RESEARCH_INSTITUTE = "research_institute"
    INVESTOR = "investor"
    GOVERNMENT = "government"
    ASSOCIATION = "association"
    VENUE = "venue"
    HOTEL = "hotel"
    OTHER = "other"


class Precision(StrEnum):
    """How precise a place's coordinates are, best first."""

    VENUE = "venue"
    ADDRESS = "address"
    STREET = "street"  # on the right street, the building not found
    POSTAL = "postal"
    CITY = "city"
    MANUAL = "manual"


# Precisions whose point is not the building: the street's, the postal area's or the city's.
APPROXIMATE_PRECISIONS = frozenset({Precision.STREET, Precision.POSTAL, Precision.CITY})


def is_approximate(precision: Precision | None) -> bool:
    return precision in APPROXIMATE_PRECISIONS


class Region(StrEnum):
    BOSTON = "boston"
    QUEBEC = "quebec"
    OTHER = "other"


class MeetingKind(StrEnum):
    MEETING = "meeting"
    SITE_VISIT = "site_visit"
    SESSION = "session"
    MEAL = "meal"
    TRANSFER = "transfer"
    FREE_TIME = "free_time"


class MeetingStatus(StrEnum):
    REQUESTED = "requested"
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class TravelMode(StrEnum):
    WALK = "walk"
    TRANSIT = "transit"
    TAXI = "taxi"
    DRIVE = "drive"
    TRAIN = "train"


class TransferMode(StrEnum):
    """How a transfer (a meeting of kind ``transfer``) travels between two places."""

    TRAIN = "train"
    FLIGHT = "flight"
    COACH = "coach"
    DRIVE = "drive"


class Language(StrEnum):
    EN = "en"
    FR = "fr"


# Labels a person reads, marked for translation; translate with i18n._ at display time.
ORG_KIND_LABELS: dict[OrgKind, str] = {
    OrgKind.BIOTECH: N_("Biotech"),
    OrgKind.PHARMA: N_("Pharma"),
    OrgKind.MEDTECH: N_("Medtech"),
    OrgKind.CRO_CDMO: N_("CRO/CDMO"),
    OrgKind.HOSPITAL: N_("Hospital"),
    OrgKind.UNIVERSITY: N_("University"),
    OrgKind.RESEARCH_INSTITUTE: N_("Research institute"),
    OrgKind.INVESTOR: N_("Investor"),
    OrgKind.GOVERNMENT: N_("Government"),
    OrgKind.ASSOCIATION: N_("Association"),
    OrgKind.VENUE: N_("Venue"),
    OrgKind.HOTEL: N_("Hotel"),
    OrgKind.OTHER: N_("Other"),
}
PRECISION_LABELS: dict[Precision, str] = {
    Precision.VENUE: N_("Venue"),
    Precision.ADDRESS: N_("Street address"),
    Precision.STREET: N_("Street"),
    Precision.POSTAL: N_("Postal code"),
    Precision.CITY: N_("City"),
    Precision.MANUAL: N_("Set by hand"),
}
REGION_LABELS: dict[Region, str] = {
    Region.BOSTON: N_("Greater Boston"),
    Region.QUEBEC: N_("Québec"),
    Region.OTHER: N_("Other"),
}
MEETING_KIND_LABELS: dict[MeetingKind, str] = {
    MeetingKind.MEETING: N_("Meeting"),
    MeetingKind.SITE_VISIT: N_("Site visit"),
    MeetingKind.SESSION: N_("Session"),
    MeetingKind.MEAL: N_("Meal"),
    MeetingKind.TRANSFER: N_("Transfer"),
    MeetingKind.FREE_TIME: N_("Free time"),
}
STATUS_LABELS: dict[MeetingStatus, str] = {
    MeetingStatus.REQUESTED: N_("Requested"),
    MeetingStatus.PROPOSED: N_("Proposed"),
    MeetingStatus.CONFIRMED: N_("Confirmed"),
    MeetingStatus.CANCELLED: N_("Cancelled"),
}
MODE_LABELS: dict[TravelMode, str] = {
    TravelMode.WALK: N_("Walk"),
    TravelMode.TRANSIT: N_("Transit"),
    TravelMode.TAXI: N_("Taxi"),
    TravelMode.DRIVE: N_("Drive"),
    TravelMode.TRAIN: N_("Train"),
}
TRANSFER_MODE_LABELS: dict[TransferMode, str] = {
    TransferMode.TRAIN: N_("Train"),
    TransferMode.FLIGHT: N_("Flight"),
    TransferMode.COACH: N_("Coach"),
    TransferMode.DRIVE: N_("Drive"),
}


@dataclass
class Place:
    name: str = ""
    street: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    lat: float | None = None
    lon: float | None = None
    precision: Precision | None = None
    source: str = ""
    id: int | None = None

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def approximate(self) -> bool:
        """Its point is a guess (the street, postal area or city, not the building): drawn
        hollow, printed "address to be confirmed", never given a pinpoint QR code."""
        return is_approximate(self.precision)

    def address(self) -> str:
        """One-line postal address, e.g. '415 Summer St, Boston, MA 02210'."""
        region_postal = " ".join(p for p in (self.region, self.postal_code) if p)
        parts = [self.street, self.city, region_postal]
        return ", ".join(p for p in parts if p)

    def label(self) -> str:
        return self.name or self.address()


@dataclass
class Organization:
    name: str
    kind: OrgKind = OrgKind.OTHER
    website: str = ""
    phone: str = ""
    email: str = ""
    notes: str = ""
    place_id: int | None = None
    tags: list[str] = field(default_factory=list)
    cancelled: bool = False
    id: int | None = None


@dataclass
class Contact:
    given_name: str = ""
    family_name: str = ""
    title: str = ""
    organization_id: int | None = None
    email: str = ""
    phone: str = ""
    mobile: str = ""
    language: str = ""
    notes: str = ""
    id: int | None = None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p)


@dataclass
class Trip:
    name: str
    first_day: dt.date
    last_day: dt.date
    timezone: str = "America/New_York"
    region: Region = Region.OTHER
    day_start: dt.time = dt.time(8, 30)
    day_end: dt.time = dt.time(18, 0)
    buffer_minutes: int = 10
    default_mode: TravelMode = TravelMode.TAXI
    base_place_id: int | None = None
    language: Language = Language.EN
    organizer: str = ""
    emergency: str = ""
    notes: str = ""
    id: int | None = None

    def days(self) -> list[dt.date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + dt.timedelta(days=i) for i in range(count)]


@dataclass
class Delegate:
    """A member of the delegation. ``arrival`` and ``departure`` are local wall times of the
    trip; None means from the trip's first morning, to its last evening. ``arrival_by`` and
    ``departure_by`` say how (free text: "AC 8790 YUL", "VIA 22")."""

    trip_id: int
    name: str
    company: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""
    colour: str = "#1f77b4"
    arrival: dt.datetime | None = None
    departure: dt.datetime | None = None
    arrival_by: str = ""
    departure_by: str = ""
    id: int | None = None


@dataclass
class Stay:
    """Nights ``first_night`` to ``last_night`` (both included) at the hotel ``place_id``.
    The night of date D is the one slept after day D. ``delegate_id`` None: the whole
    delegation; a delegate's own stay overrides the delegation's for those nights. A night no
    stay covers is at the trip's ``base_place_id``; ``place_id`` None is a hotel not known yet.
    See :func:`visitplanner.planning.presence.hotel_for`."""

    trip_id: int
    first_night: dt.date
    last_night: dt.date
    place_id: int | None
    delegate_id: int | None = None
    id: int | None = None

    def nights(self) -> list[dt.date]:
        count = (self.last_night - self.first_night).days + 1
        return [self.first_night + dt.timedelta(days=i) for i in range(count)]

    def covers(self, night: dt.date) -> bool:
        return self.first_night <= night <= self.last_night


@dataclass
class BusyBlock:
    """A delegate's own engagement from ``start`` to ``end`` (local wall times), e.g. a
    partnering meeting at the convention; with ``place_id``, their travel to it counts."""

    delegate_id: int
    start: dt.datetime
    end: dt.datetime
    title: str = ""
    place_id: int | None = None
    id: int | None = None

    def overlaps(self, start: dt.datetime, end: dt.datetime) -> bool:
        return self.start < end and start < self.end


@dataclass(frozen=True)
class Window:
    """A span of local wall time in which a host is available."""

    start: dt.datetime
    end: dt.datetime

    def contains(self, start: dt.datetime, end: dt.datetime) -> bool:
        return self.start <= start and end <= self.end


@dataclass
class Meeting:
    trip_id: int
    title: str
    kind: MeetingKind = MeetingKind.MEETING
    status: MeetingStatus = MeetingStatus.REQUESTED
    organization_id: int | None = None
    place_id: int | None = None
    start: dt.datetime | None = None
    duration_minutes: int = 60
    priority: int = 2
    fixed: bool = False
    mode: TravelMode | None = None
    travel_minutes: int | None = None  # per-leg override of the estimate, None = estimate
    windows: list[Window] = field(default_factory=list)
    delegate_ids: list[int] = field(default_factory=list)
    host_ids: list[int] = field(default_factory=list)
    notes: str = ""
    # A transfer (kind TRANSFER) leaves place_id at start and reaches to_place_id at end.
    to_place_id: int | None = None
    transfer_mode: TransferMode | None = None
    reference: str = ""  # the train or flight: "VIA 22", "AC 8790"
    id: int | None = None

    @property
    def is_transfer(self) -> bool:
        return self.kind is MeetingKind.TRANSFER

    @property
    def end(self) -> dt.datetime | None:
        if self.start is None:
            return None
        return self.start + dt.timedelta(minutes=self.duration_minutes)

    @property
    def scheduled(self) -> bool:
        return self.start is not None

    @property
    def day(self) -> dt.date | None:
        return self.start.date() if self.start else None
