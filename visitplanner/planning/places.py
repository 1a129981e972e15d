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
