"""A one-day trip whose places are partly approximate, for the tests/test_precision_* files.

Fictional organizations; real Boston coordinates. Ann and Bob attend every meeting, in order:

- 09:00 "AAV intro" at Atlantic Avenue Ventures (city precision: Boston's centre);
- 10:00 "AAV follow-up" at the same place record (the same place: no travel);
- 11:00 "Beacon Hill Labs" at another city-precision place on the very same point (not the
  same place: the travel time is unknown, never 0 min);
- 12:30 "Harborline Tower" (a venue: its QR code stays; the leg from Beacon Hill is rough);
- 13:30 "Harborline Annex" (another venue 6 m away: the same place);
- 15:00 "Summer Street Biotech" (street precision: rough leg, no QR);
- 16:00 "Fort Point Postal" (postal precision: rough leg, no QR); then back to the hotel.
"""

from __future__ import annotations

import datetime as dt

from visitplanner.library import Library, directory, trips
from visitplanner.model import (
    Delegate,
    Meeting,
    MeetingStatus,
    Organization,
    OrgKind,
    Place,
    Precision,
    TravelMode,
    Trip,
)

DAY = dt.date(2023, 6, 6)
BOSTON = (42.35806, -71.06361)  # the city's coordinates: where a city-precision place falls


def _place(lib: Library, name: str, lat: float, lon: float, precision: Precision, **kw: str) -> int:
    fields = {"city": "Boston", "region": "MA", "country": "US", **kw}
    return directory.add_place(
        lib, Place(name=name, lat=lat, lon=lon, precision=precision, **fields)
    )


def build(lib: Library, *, hotel_precision: Precision = Precision.VENUE) -> dict[str, int]:
    """The trip in ``lib``; returns the ids by key (places, organizations, meetings, trip)."""
    ids: dict[str, int] = {}
    ids["hotel"] = _place(
        lib,
        "Harbourview Hotel",
        42.3456,
        -71.0424,
        hotel_precision,
        street="425 Summer St",
        postal_code="02210",
    )
    ids["aav_place"] = _place(lib, "Atlantic Avenue Ventures", *BOSTON, Precision.CITY)
    ids["beacon_place"] = _place(lib, "Beacon Hill Labs", *BOSTON, Precision.CITY)
    ids["tower"] = _place(
        lib,
        "Harborline Tower",
        42.35600,
        -71.05000,
        Precision.VENUE,
        street="70 Rowes Wharf",
        postal_code="02110",
    )
    ids["annex"] = _place(
        lib,
        "Harborline Annex",
        42.35605,
        -71.05003,
        Precision.VENUE,
        street="72 Rowes Wharf",
        postal_code="02110",
    )
    ids["summer"] = _place(
        lib, "Summer Street Biotech", 42.35200, -71.05600, Precision.STREET, street="Summer St"
    )
    ids["postal"] = _place(
        lib, "Fort Point Postal", 42.34800, -71.04500, Precision.POSTAL, postal_code="02210"
    )
    ids["aav"] = directory.add_organization(
        lib, Organization("Atlantic Avenue Ventures", OrgKind.INVESTOR, place_id=ids["aav_place"])
    )
    ids["harborline"] = directory.add_organization(
        lib, Organization("Harborline Capital", OrgKind.INVESTOR, place_id=ids["tower"])
    )
    trip_id = trips.add_trip(
        lib,
        Trip(
            name="Precision Mission",
            first_day=DAY,
            last_day=DAY,
            base_place_id=ids["hotel"],
            buffer_minutes=10,
            default_mode=TravelMode.TAXI,
        ),
    )
    ids["trip"] = trip_id
    ids["ann"] = trips.add_delegate(lib, Delegate(trip_id, "Ann Example"))
    ids["bob"] = trips.add_delegate(lib, Delegate(trip_id, "Bob Example"))
    both = [ids["ann"], ids["bob"]]
    plan = [
        ("intro", "AAV intro", "aav_place", "aav", 9, 0),
        ("followup", "AAV follow-up", "aav_place", "aav", 10, 0),
        ("beacon", "Beacon Hill Labs", "beacon_place", None, 11, 0),
        ("tower_m", "Harborline Tower", "tower", "harborline", 12, 30),
        ("annex_m", "Harborline Annex", "annex", "harborline", 13, 30),
        ("summer_m", "Summer Street Biotech", "summer", None, 15, 0),
        ("postal_m", "Fort Point Postal", "postal", None, 16, 0),
    ]
    for key, title, where, org, hour, minute in plan:
        ids[key] = trips.add_meeting(
            lib,
            Meeting(
                trip_id=trip_id,
                title=title,
                place_id=ids[where],
                organization_id=ids[org] if org else None,
                start=dt.datetime.combine(DAY, dt.time(hour, minute)),
                duration_minutes=30,
                status=MeetingStatus.CONFIRMED,
                delegate_ids=both,
            ),
        )
    return ids
