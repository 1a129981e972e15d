"""Finding a place a person named ("Westin Boston Seaport", "415 Summer St") in the library.

Used by ``trip new --base`` and the meeting import. Matching is case- and accent-insensitive:
first a place or organization whose name is the text, then one whose name or street starts
with it. An online or gazetteer geocoder (visitplanner.geo) is tried by the callers when one
exists.
"""

from __future__ import annotations

import unicodedata

from visitplanner.library import Library, directory
from visitplanner.model import Place


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: 'Montréal  ' -> 'montreal'."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def match_place(lib: Library, text: str) -> Place | None:
    """The library's place best matching ``text``, or None."""
    wanted = fold(text)
    if not wanted:
        return None
    places = directory.places(lib)
    by_label: dict[str, Place] = {}
    for place in sorted(places.values(), key=lambda p: p.id or 0):
        for label in (place.name, place.address(), place.street):
            if label:
                by_label.setdefault(fold(label), place)
    if wanted in by_label:
        return by_label[wanted]
    for row in lib.query(
        "SELECT name, place_id FROM organization WHERE place_id IS NOT NULL ORDER BY id"
    ):
        if fold(row["name"]) == wanted and row["place_id"] in places:
            return places[row["place_id"]]
    words = wanted.split()
    tests = (
        lambda label: label.startswith(wanted),
        lambda label: wanted in label,
        lambda label: all(w in label.split() for w in words),
    )
    for test in tests:
        found = {p.id: p for label, p in by_label.items() if test(label)}
        if len(found) == 1:
            return next(iter(found.values()))
        if found:
            return None  # ambiguous: better no answer than a wrong hotel
    return None
