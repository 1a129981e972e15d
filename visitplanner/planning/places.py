"""Finding a place a person named ("Westin Boston Seaport", "415 Summer St") in the library.

Used by ``trip new --base`` and the meeting import. A place matches on its whole name, its
street or its address, never on a part of one: first a place whose label is the text (case,
accents and punctuation aside), then an organization of that name with a place, then a place
whose name or street has the same words (in any order, "St" is "Street", a small typo
forgiven). "Montréal" is not "Montréal–Trudeau International Airport": a prefix or one shared
word is no match. A place at city precision matches only its own label, never another text by
its words. When two places match equally, there is no answer (better none than a wrong hotel);
the callers then try the geocoder (visitplanner.geo), which finds "Montréal" as the city.
"""

from __future__ import annotations

from dataclasses import dataclass

from visitplanner.geo import text as geotext
from visitplanner.library import Library, directory
from visitplanner.model import Place, Precision
from visitplanner.names import fold, name_key

# Words in common over the longer side: 1 for the same words; a small typo in one of them
# costs 0.1 divided by the number of words (geo.text.similarity).
WORDS_MATCH = 0.95


class PlaceIndex:
    """The library's places by folded label, read once, for matching many texts (an import
    of a spreadsheet matches each of its places: one read, not one per row)."""

    def __init__(self, lib: Library) -> None:
        self.places = directory.places(lib)
        self.by_label: dict[str, Place] = {}
        # (words of a name or street, place) for the places that are more than a city, and
        # word -> the positions in by_words of the labels having it.
        self.by_words: list[tuple[list[str], Place]] = []
        self._with_word: dict[str, list[int]] = {}
        for place in sorted(self.places.values(), key=lambda p: p.id or 0):
            for label in (place.name, place.address(), place.street):
                if label:
                    self.by_label.setdefault(fold(label), place)
            if place.precision is not Precision.CITY:
                for label in (place.name, place.street):
                    words = geotext.tokens(label)
                    if words:
                        for word in set(words):
                            self._with_word.setdefault(word, []).append(len(self.by_words))
                        self.by_words.append((words, place))
        self.by_organization: dict[str, Place] = {}
        for row in lib.query(
            "SELECT name, place_id FROM organization WHERE place_id IS NOT NULL ORDER BY id"
        ):
            if row["place_id"] in self.places:
                self.by_organization.setdefault(name_key(row["name"]), self.places[row["place_id"]])

    def match(self, text: str) -> Place | None:
        """The place whose whole name, street or address is ``text``, or None."""
        wanted = fold(text)
        if not wanted:
            return None
        if wanted in self.by_label:
            return self.by_label[wanted]
        if name_key(text) in self.by_organization:
            return self.by_organization[name_key(text)]
        words = geotext.tokens(text)
        # Each typo costs 0.1 and a missing word 1, so WORDS_MATCH (0.95 of the longer side)
        # leaves at least half the words of a matching label exact: score only those labels.
        shared: dict[int, int] = {}
        for word in set(words):
            for i in self._with_word.get(word, ()):
                shared[i] = shared.get(i, 0) + 1
        needed = max(1, (len(set(words)) + 1) // 2)
        scored = [
            (geotext.similarity(words, self.by_words[i][0]), self.by_words[i][1])
            for i, count in sorted(shared.items())
            if count >= needed
        ]
        best = max((score for score, _place in scored), default=0.0)
        if best < WORDS_MATCH:
            return None
        found = {place.id: place for score, place in scored if score >= best - 0.001}
        if len(found) == 1:
            return next(iter(found.values()))
        return None  # ambiguous: better no answer than a wrong hotel


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
