"""Demo trips: loaded from the JSON files shipped in ``resources/demo/``.

Each file holds places, organizations, contacts, one trip, its delegates and meetings,
cross-referenced by "key". Organizations already in the library (same name) are reused.

The mission model (all optional): a delegate's ``arrival``, ``departure`` (ISO local
times), ``arrival_by``, ``departure_by``; ``stays``: ``[{"delegate": key or null,
"first_night", "last_night", "place": key}]``; ``busy``: ``[{"delegate": key, "start",
"end", "title", "place": key or null}]``; a transfer meeting's ``to_place`` (key),
``transfer_mode`` (train, flight, coach, drive) and ``reference`` ("VIA 22").
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from visitplanner.errors import InputError
from visitplanner.i18n import _
from visitplanner.library import Library, directory, stays, trips
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
from visitplanner.names import name_key
from visitplanner.resources import resource_path

DEMO_FILES = ("boston_bio_2023.json", "quebec_mission_2024.json")
FORMAT = "visitplanner-demo/1"


def demo_paths() -> list[Path]:
    return [resource_path("demo", name) for name in DEMO_FILES]


_demo_names: frozenset[str] | None = None


def is_demo(trip: Trip) -> bool:
    """True for a trip loaded from the shipped demo (same name, same first day): the app
    marks it "Demo" so that nobody takes it for their own."""
    global _demo_names
    if _demo_names is None:
        names: set[str] = set()
        for path in demo_paths():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                names.add(f"{data['trip']['name']}|{data['trip']['first_day']}")
            except (OSError, ValueError, KeyError, TypeError):
                continue
        _demo_names = frozenset(names)
    return f"{trip.name}|{trip.first_day.isoformat()}" in _demo_names


def load_demo(lib: Library) -> list[int]:
    """Add the shipped demo trips to ``lib`` in one transaction; returns the trip ids."""
    with lib.write():
        return [load_trip_file(lib, path) for path in demo_paths() if path.exists()]


def load_trip_file(lib: Library, path: Path) -> int:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(
            _("Cannot read the demo file {path}: {reason}").format(path=path, reason=error)
        ) from error
    if data.get("format") != FORMAT:
        raise InputError(_("{path} is not a Visit Planner demo file.").format(path=path))
    try:
        with lib.write():
            return _load(lib, data)
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(
            _("The demo file {path} is malformed: {reason}").format(path=path, reason=error)
        ) from error


def _when(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _load(lib: Library, data: dict[str, Any]) -> int:
    place_ids: dict[str, int] = {}
    for p in data["places"]:
        place_ids[p["key"]] = directory.add_place(
            lib,
            Place(
                name=p["name"],
                street=p.get("street", ""),
                city=p.get("city", ""),
                region=p.get("region", ""),
                postal_code=p.get("postal_code", ""),
                country=p.get("country", ""),
                lat=p.get("lat"),
                lon=p.get("lon"),
                precision=Precision(p["precision"]) if p.get("precision") else None,
                source=p.get("source", ""),
            ),
        )
    existing = {name_key(o.name): oid for oid, o in directory.organizations(lib).items()}
    org_ids: dict[str, int] = {}
    for o in data["organizations"]:
        known = existing.get(name_key(o["name"]))
        org_ids[o["key"]] = (
            known
            if known is not None
            else directory.add_organization(
                lib,
                Organization(
                    name=o["name"],
                    kind=OrgKind(o.get("kind", "other")),
                    website=o.get("website", ""),
                    phone=o.get("phone", ""),
                    email=o.get("email", ""),
                    notes=o.get("notes", ""),
                    place_id=place_ids[o["place"]] if o.get("place") else None,
                    tags=list(o.get("tags", [])),
                    cancelled=bool(o.get("cancelled", False)),
                ),
            )
        )
    contact_ids: dict[str, int] = {}
    for c in data["contacts"]:
        contact_ids[c["key"]] = directory.add_contact(
            lib,
            Contact(
                given_name=c.get("given_name", ""),
                family_name=c.get("family_name", ""),
                title=c.get("title", ""),
                organization_id=org_ids[c["organization"]] if c.get("organization") else None,
                email=c.get("email", ""),
                phone=c.get("phone", ""),
                mobile=c.get("mobile", ""),
                language=c.get("language", ""),
                notes=c.get("notes", ""),
            ),
        )
    t = data["trip"]
    trip_id = trips.add_trip(
        lib,
        Trip(
            name=t["name"],
            region=Region(t.get("region", "other")),
            first_day=dt.date.fromisoformat(t["first_day"]),
            last_day=dt.date.fromisoformat(t["last_day"]),
            timezone=t["timezone"],
            day_start=dt.time.fromisoformat(t.get("day_start", "08:30")),
            day_end=dt.time.fromisoformat(t.get("day_end", "18:00")),
            buffer_minutes=int(t.get("buffer_minutes", 10)),
            default_mode=TravelMode(t.get("default_mode", "taxi")),
            base_place_id=place_ids[t["base_place"]] if t.get("base_place") else None,
            language=Language(t.get("language", "en")),
            organizer=t.get("organizer", ""),
            emergency=t.get("emergency", ""),
            notes=t.get("notes", ""),
        ),
    )
    delegate_ids: dict[str, int] = {}
    for d in data["delegates"]:
        delegate_ids[d["key"]] = trips.add_delegate(
            lib,
            Delegate(
                trip_id=trip_id,
                name=d["name"],
                company=d.get("company", ""),
                title=d.get("title", ""),
                email=d.get("email", ""),
                phone=d.get("phone", ""),
                colour=d.get("colour", "#1f77b4"),
                arrival=_when(d.get("arrival")),
                departure=_when(d.get("departure")),
                arrival_by=d.get("arrival_by", ""),
                departure_by=d.get("departure_by", ""),
            ),
        )
    for m in data["meetings"]:
        windows = []
        for start, end in m.get("windows", []):
            ws, we = _when(start), _when(end)
            assert ws is not None and we is not None
            windows.append(Window(ws, we))
        trips.add_meeting(
            lib,
            Meeting(
                trip_id=trip_id,
                title=m["title"],
                kind=MeetingKind(m.get("kind", "meeting")),
                status=MeetingStatus(m.get("status", "requested")),
                organization_id=org_ids[m["organization"]] if m.get("organization") else None,
                place_id=place_ids[m["place"]] if m.get("place") else None,
                start=_when(m.get("start")),
                duration_minutes=int(m.get("duration_minutes", 60)),
                priority=int(m.get("priority", 2)),
                fixed=bool(m.get("fixed", False)),
                mode=TravelMode(m["mode"]) if m.get("mode") else None,
                windows=windows,
                delegate_ids=[delegate_ids[k] for k in m.get("delegates", [])],
                host_ids=[contact_ids[k] for k in m.get("hosts", [])],
                notes=m.get("notes", ""),
                to_place_id=place_ids[m["to_place"]] if m.get("to_place") else None,
                transfer_mode=TransferMode(m["transfer_mode"]) if m.get("transfer_mode") else None,
                reference=m.get("reference", ""),
            ),
        )
    _load_mission(lib, data, trip_id, place_ids, delegate_ids)
    return trip_id


def _load_mission(
    lib: Library,
    data: dict[str, Any],
    trip_id: int,
    place_ids: dict[str, int],
    delegate_ids: dict[str, int],
) -> None:
    """The trip's stays and its delegates' busy blocks."""
    for s in data.get("stays", []):
        stays.add_stay(
            lib,
            Stay(
                trip_id=trip_id,
                first_night=dt.date.fromisoformat(s["first_night"]),
                last_night=dt.date.fromisoformat(s["last_night"]),
                place_id=place_ids[s["place"]] if s.get("place") else None,
                delegate_id=delegate_ids[s["delegate"]] if s.get("delegate") else None,
            ),
        )
    for b in data.get("busy", []):
        start, end = _when(b["start"]), _when(b["end"])
        if start is None or end is None:
            raise ValueError("a busy block needs a start and an end")
        stays.add_busy(
            lib,
            BusyBlock(
                delegate_id=delegate_ids[b["delegate"]],
                start=start,
                end=end,
                title=b.get("title", ""),
                place_id=place_ids[b["place"]] if b.get("place") else None,
            ),
        )
