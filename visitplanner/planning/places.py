"""Finding a place a person named ("Westin Boston Seaport", "415 Summer St") in the library.

Used by ``trip new --base`` and the meeting import. Matching is case- and accent-insensitive:
first a place or organization whose name is the text, then one whose name or street starts
with it. An online or gazetteer geocoder (visitplanner.geo) is tried by the callers when one
exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from visitplanner.library import Library, directory
from visitplanner.model import Place
from visitplanner.names import fold, name_key


class PlaceIndex:
    """The library's places by folded label, read once, for matching many texts (an import
    of a spreadsheet matches each of its places: one read, not one per row)."""

    def __init__(self, lib: Library) -> None:
        self.places = directory.places(lib)
        self.by_label: dict[str, Place] = {}
        for place in sorted(self.places.values(), key=lambda p: p.id or 0):
            for label in (place.name, place.address(), place.street):
                if label:
                    self.by_label.setdefault(fold(label), place)
        self.by_organization: dict[str, Place] = {}
        for row in lib.query(
            "SELECT name, place_id FROM organization WHERE place_id IS NOT NULL ORDER BY id"
        ):
            if row["place_id"] in self.places:
                self.by_organization.setdefault(name_key(row["name"]), self.places[row["place_id"]])

    def match(self, text: str) -> Place | None:
        """The place best matching ``text``, or None."""
        wanted = fold(text)
        if not wanted:
            return None
        if wanted in self.by_label:
            return self.by_label[wanted]
        if name_key(text) in self.by_organization:
            return self.by_organization[name_key(text)]
        words = wanted.split()
        tests = (
            lambda label: label.startswith(wanted),
            lambda label: wanted in label,
            lambda label: all(w in label.split() for w in words),
        )
        for test in tests:
            found = {p.id: p for label, p in self.by_label.items() if test(label)}
            if len(found) == 1:
                return next(iter(found.values()))
            if found:
                return None  # ambiguous: better no answer than a wrong hotel
        return None


def match_place(lib: Library, text: str) -> Place | None:
    """The library's place best matching ``text``, or None."""
    if not fold(text):
        return None
    return PlaceIndex(lib).match(text)


# -- near-identical places, and what uses each place (issue 13: places in dialogs) -----------

SAME_PLACE_METRES = 30.0  # two points this close with a similar name are one building
SIMILAR_NAME = 0.5  # geo.text.similarity of the names' words, 0 to 1


def _same_address(a: Place, b: Place) -> bool:
    from visitplanner.geo import text

    street_a, street_b = text.key(a.street), text.key(b.street)
    if not street_a or street_a != street_b:
        return False
    city_a, city_b = text.normalize(a.city), text.normalize(b.city)
    return not city_a or not city_b or city_a == city_b


def _metres(a: Place, b: Place) -> float | None:
    from visitplanner.geo.travel import distance_km

    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return distance_km((a.lat, a.lon), (b.lat, b.lon)) * 1000.0


def _similar_names(a: Place, b: Place) -> bool:
    from visitplanner.geo import text

    words_a, words_b = text.tokens(a.label()), text.tokens(b.label())
    return text.similarity(words_a, words_b) >= SIMILAR_NAME


def similar_places(lib: Library, place: Place) -> list[Place]:
    """The library's places that are probably ``place`` (a new one, not stored yet, or a
    stored one, which is left out): the same street address in the same city, or within
    SAME_PLACE_METRES with a similar name. Same address first, then nearest first."""
    found: list[tuple[int, float, str, Place]] = []
    for other in directory.places(lib).values():
        if place.id is not None and other.id == place.id:
            continue
        metres = _metres(place, other)
        if _same_address(place, other):
            found.append((0, metres or 0.0, fold(other.label()), other))
        elif metres is not None and metres <= SAME_PLACE_METRES and _similar_names(place, other):
            found.append((1, metres, fold(other.label()), other))
    return [entry[3] for entry in sorted(found, key=lambda e: e[:3])]


def search_places(places: dict[int, Place], text: str, limit: int = 8) -> list[Place]:
    """Places whose name or address has every typed word at the start of one of its words
    (accent- and case-insensitive: "universit mcgill" finds "McGill University"), those
    whose name starts with the text first, then by name."""
    words = fold(text).split()
    if not words:
        return []
    ranked: list[tuple[int, str, Place]] = []
    for place in places.values():
        label = fold(f"{place.name} {place.address()}")
        own = label.replace(",", " ").split()
        if all(any(w.startswith(typed) for w in own) for typed in words):
            first = 0 if fold(place.label()).startswith(" ".join(words)) else 1
            ranked.append((first, fold(place.label()), place))
    ranked.sort(key=lambda r: r[:2])
    return [r[2] for r in ranked[:limit]]


@dataclass(frozen=True)
class PlaceUse:
    """How many records refer to a place: a place nobody uses may be deleted."""

    meetings: int = 0
    organizations: int = 0
    trips: int = 0

    @property
    def total(self) -> int:
        return self.meetings + self.organizations + self.trips


def place_uses(lib: Library) -> dict[int, PlaceUse]:
    """Every place's uses by meetings, organizations and trips (the hotel), by place id."""
    counts: dict[int, dict[str, int]] = {pid: {} for pid in directory.places(lib)}
    for table, column, key in (
        ("meeting", "place_id", "meetings"),
        ("organization", "place_id", "organizations"),
        ("trip", "base_place_id", "trips"),
    ):
        for row in lib.query(
            f"SELECT {column} AS place_id, COUNT(*) AS n FROM {table} "
            f"WHERE {column} IS NOT NULL GROUP BY {column}"
        ):
            counts.setdefault(row["place_id"], {})[key] = row["n"]
    return {pid: PlaceUse(**c) for pid, c in counts.items()}
