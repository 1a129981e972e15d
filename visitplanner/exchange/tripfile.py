"""Trip files: one trip and what it references, as a standalone library file.

``export_trip`` writes a new library (``Library.open(create=True)``) holding the trip, its
delegates and meetings, and the places, organizations and host contacts they refer to,
so a colleague can open it or import it. ``import_trip`` reads such a file as untrusted
input (:mod:`visitplanner.exchange.tripfile_reader`: copied under a shared lock, every row
checked) and merges it into a library in one transaction, matching places,
organizations and contacts that are already there instead of doubling them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from visitplanner.errors import InputError
from visitplanner.exchange.phones import email_key
from visitplanner.exchange.tripfile_reader import Progress, TripFile, read_trip_file
from visitplanner.i18n import _
from visitplanner.library import Library, directory, stays, trips
from visitplanner.model import BusyBlock, Contact, Delegate, Meeting, Organization, Place, Stay
from visitplanner.names import fold, name_key
from visitplanner.outputs import atomic_output, check_output_target


@dataclass(frozen=True)
class TripImport:
    trip_id: int
    trip_name: str
    meetings: int
    delegates: int
    new_organizations: int
    matched_organizations: int
    new_contacts: int
    matched_contacts: int
    new_places: int
    matched_places: int
    # ids this import added, so it can be undone: entity -> ids
    created: dict[str, list[int]] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k != "created"}

    def summary(self) -> str:
        """The sentence the app and the command line show after an import."""
        return _(
            "Imported “{name}”: {meetings} meetings; {orgs} organizations and "
            "{contacts} contacts matched in the directory, {new_orgs} and {new_contacts} added."
        ).format(
            name=self.trip_name,
            meetings=self.meetings,
            orgs=self.matched_organizations,
            contacts=self.matched_contacts,
            new_orgs=self.new_organizations,
            new_contacts=self.new_contacts,
        )


def export_trip(lib: Library, trip_ref: str, out: Path, *, overwrite: bool = False) -> int:
    """Write trip ``trip_ref`` to the new library file ``out``; returns its meeting count.

    The file is built beside ``out`` and renamed over it at the end, so an existing file
    (with ``overwrite``) is replaced whole or left as it was.
    """
    trip = trips.resolve_trip(lib, trip_ref)
    assert trip.id is not None
    check_output_target(out, replace_trip_file=overwrite, protect=lib.path)
    if out.exists() and not overwrite:
        raise InputError(_("{path} already exists; choose another name.").format(path=out))
    meetings = trips.meetings(lib, trip.id)
    hosts = directory.contacts(lib, sorted({h for m in meetings for h in m.host_ids}))
    org_ids = {m.organization_id for m in meetings if m.organization_id is not None}
    org_ids |= {c.organization_id for c in hosts.values() if c.organization_id is not None}
    orgs = directory.organizations(lib, sorted(org_ids))
    trip_stays, busy = stays.stays(lib, trip.id), stays.busy_blocks(lib, trip.id)
    place_ids = {m.place_id for m in meetings if m.place_id is not None}
    place_ids |= {m.to_place_id for m in meetings if m.to_place_id is not None}
    place_ids |= {o.place_id for o in orgs.values() if o.place_id is not None}
    place_ids |= {s.place_id for s in trip_stays if s.place_id is not None}
    place_ids |= {b.place_id for b in busy if b.place_id is not None}
    if trip.base_place_id is not None:
        place_ids.add(trip.base_place_id)
    places = directory.places(lib, sorted(place_ids))
    delegates = trips.delegates(lib, trip.id)

    with (
        atomic_output(
            out, replace_trip_file=overwrite, protect=lib.path, private=True
        ) as temporary,
        Library.open(temporary, create=True) as target,
    ):
        with target.write():
            place_map = {
                pid: directory.add_place(target, replace(p, id=None)) for pid, p in places.items()
            }
            org_map = {
                oid: directory.add_organization(
                    target, replace(o, id=None, place_id=place_map.get(o.place_id or -1))
                )
                for oid, o in orgs.items()
            }
            contact_map = {
                cid: directory.add_contact(
                    target,
                    replace(c, id=None, organization_id=org_map.get(c.organization_id or -1)),
                )
                for cid, c in hosts.items()
            }
            new_trip = trips.add_trip(
                target,
                replace(trip, id=None, base_place_id=place_map.get(trip.base_place_id or -1)),
            )
            _copy_people_and_meetings(
                target,
                new_trip,
                (delegates, meetings, trip_stays, busy),
                place_map,
                org_map,
                contact_map,
            )
        # A trip file travels alone: no -wal or -shm beside it, ever.
        target.db.execute("PRAGMA journal_mode = DELETE")
    return len(meetings)


People = tuple[Sequence[Delegate], Sequence[Meeting], Sequence[Stay], Sequence[BusyBlock]]


def _copy_people_and_meetings(
    target: Library,
    trip_id: int,
    people: People,
    place_map: dict[int, int],
    org_map: dict[int, int],
    contact_map: dict[int, int],
) -> dict[int, int]:
    """Copy the delegates, meetings, stays and busy blocks of a trip under ``trip_id``,
    their references mapped to the target's records."""
    delegates, meetings, trip_stays, busy = people
    delegate_map: dict[int, int] = {}
    for d in delegates:
        assert d.id is not None
        delegate_map[d.id] = trips.add_delegate(target, replace(d, id=None, trip_id=trip_id))
    for m in meetings:
        trips.add_meeting(
            target,
            replace(
                m,
                id=None,
                trip_id=trip_id,
                organization_id=org_map.get(m.organization_id or -1),
                place_id=place_map.get(m.place_id or -1),
                to_place_id=place_map.get(m.to_place_id or -1),
                delegate_ids=[delegate_map[d] for d in m.delegate_ids if d in delegate_map],
                host_ids=[contact_map[h] for h in m.host_ids if h in contact_map],
                windows=list(m.windows),
            ),
        )
    for s in trip_stays:
        if s.delegate_id is not None and s.delegate_id not in delegate_map:
            continue
        stays.add_stay(
            target,
            replace(
                s,
                id=None,
                trip_id=trip_id,
                place_id=place_map.get(s.place_id or -1),
                delegate_id=delegate_map.get(s.delegate_id) if s.delegate_id else None,
            ),
        )
    for b in busy:
        if b.delegate_id in delegate_map:
            stays.add_busy(
                target,
                replace(
                    b,
                    id=None,
                    delegate_id=delegate_map[b.delegate_id],
                    place_id=place_map.get(b.place_id or -1),
                ),
            )
    return delegate_map


def _place_key(p: Place) -> tuple[str, str, str]:
    return fold(p.name), fold(p.street), fold(p.city)


def import_trip(lib: Library, path: Path, progress: Progress | None = None) -> TripImport:
    """Read and check the trip file ``path``, then merge it into ``lib`` (one transaction).

    The file is not changed; a file that breaks any rule is refused with a sentence naming
    its first bad row, and then nothing is written.
    """
    from visitplanner.edits import ImportTrip

    check_not_the_library(lib, path)
    result = ImportTrip(read_trip_file(path, progress)).apply(lib).detail
    assert isinstance(result, TripImport)
    return result


def check_not_the_library(lib: Library, path: Path) -> None:
    """Refuse importing the open library into itself (its lock would say "another copy")."""
    try:
        same = os.path.samefile(lib.path, path)
    except OSError:
        return  # an in-memory library, or no such file: read_trip_file says which
    if same:
        raise InputError(
            _("{name} is the library itself; choose a trip file to import.").format(
                name=Path(path).name
            )
        )


def merge_trip(lib: Library, content: TripFile) -> TripImport:
    """Merge a trip file already read by :func:`read_trip_file` into ``lib`` in one
    transaction, matching places, organizations and contacts that are already there."""
    trip, meetings, delegates = content.trip, content.meetings, content.delegates
    counts = {"new_places": 0, "matched_places": 0, "new_organizations": 0}
    counts |= {"matched_organizations": 0, "new_contacts": 0, "matched_contacts": 0}
    created: dict[str, list[int]] = {"place": [], "organization": [], "contact": []}
    with lib.write():
        existing_places = {_place_key(p): i for i, p in directory.places(lib).items()}
        place_map: dict[int, int] = {}
        for pid, place in content.places.items():
            key = _place_key(place)
            if any(key) and key in existing_places:
                place_map[pid] = existing_places[key]
                counts["matched_places"] += 1
            else:
                place_map[pid] = directory.add_place(lib, replace(place, id=None))
                created["place"].append(place_map[pid])
                existing_places[key] = place_map[pid]
                counts["new_places"] += 1
        existing_orgs = {name_key(o.name): i for i, o in directory.organizations(lib).items()}
        org_map: dict[int, int] = {}
        for oid, org in content.organizations.items():
            if name_key(org.name) in existing_orgs:
                org_map[oid] = existing_orgs[name_key(org.name)]
                counts["matched_organizations"] += 1
            else:
                org_map[oid] = directory.add_organization(lib, _with_place(org, place_map))
                created["organization"].append(org_map[oid])
                existing_orgs[name_key(org.name)] = org_map[oid]
                counts["new_organizations"] += 1
        contact_map = _merge_contacts(lib, content.contacts, org_map, counts, created["contact"])
        name = trip.name
        if lib.query_one("SELECT 1 FROM trip WHERE name = ?", (name,)):
            name = _("{name} (imported)").format(name=name)
        trip_id = trips.add_trip(
            lib,
            replace(
                trip, id=None, name=name, base_place_id=place_map.get(trip.base_place_id or -1)
            ),
        )
        _copy_people_and_meetings(
            lib,
            trip_id,
            (delegates, meetings, content.stays, content.busy),
            place_map,
            org_map,
            contact_map,
        )
    return TripImport(
        trip_id=trip_id,
        trip_name=name,
        meetings=len(meetings),
        delegates=len(delegates),
        created={**created, "trip": [trip_id]},
        **counts,
    )


def _with_place(org: Organization, place_map: dict[int, int]) -> Organization:
    return replace(org, id=None, place_id=place_map.get(org.place_id or -1))


def _merge_contacts(
    lib: Library,
    source: dict[int, Contact],
    org_map: dict[int, int],
    counts: dict[str, int],
    created: list[int],
) -> dict[int, int]:
    by_email: dict[str, int] = {}
    by_name: dict[tuple[str, int | None], int] = {}
    for cid, c in directory.contacts(lib).items():
        if c.email:
            by_email[email_key(c.email)] = cid
        by_name[(name_key(c.full_name), c.organization_id)] = cid
    contact_map: dict[int, int] = {}
    for cid, c in source.items():
        org_id = org_map.get(c.organization_id or -1)
        found = by_email.get(email_key(c.email)) if c.email else None
        found = found or by_name.get((name_key(c.full_name), org_id))
        if found is not None:
            contact_map[cid] = found
            counts["matched_contacts"] += 1
            continue
        new: Contact = replace(c, id=None, organization_id=org_id)
        contact_map[cid] = directory.add_contact(lib, new)
        created.append(contact_map[cid])
        counts["new_contacts"] += 1
    return contact_map
