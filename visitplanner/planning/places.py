"""Finding a place a person named ("Westin Boston Seaport", "415 Summer St") in the library.

Used by ``trip new --base`` and the meeting import. Matching is case- and accent-insensitive:
first a place or organization whose name is the text, then one whose name or street starts
with it. An online or gazetteer geocoder (visitplanner.geo) is tried by the callers when one
exists.
"""

from __future__ import annotations

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
