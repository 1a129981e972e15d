"""Street names and typed addresses reduced to comparable keys (street-level geocoding).

"795 Mass. Ave", "795 Massachusetts Avenue" and "Massachusetts Ave 795" give one street key;
"rue St-Jean", "Rue Saint-Jean" and "saint jean rue" another. Used both by the build script
(resources/streets/make_streets.py) and at run time (:mod:`visitplanner.geo.streets`), so the
two always agree.

A key is the street's words, accents and case removed, abbreviations expanded, small words
("de", "la", "of") dropped, ordinals written one way ("1re", "1st", "First" are ``1th``),
sorted: word order does not matter. The *core* key drops the street type (street, rue,
avenue…), the *loose* key also drops the direction (Est, Ouest, North…), so "boul.
René-Lévesque" still finds "Boulevard René-Lévesque Ouest" and "Est".
"""

from __future__ import annotations

import re

from visitplanner.geo import text

# The type of a street (English and French), abbreviations to one spelling.
STREET_TYPES = {
    "st": "street",
    "str": "street",
    "street": "street",
    "ave": "avenue",
    "av": "avenue",
    "avenue": "avenue",
    "rd": "road",
    "road": "road",
    "blvd": "boulevard",
    "boul": "boulevard",
    "bd": "boulevard",
    "boulevard": "boulevard",
    "pl": "place",
    "place": "place",
    "sq": "square",
    "square": "square",
    "pkwy": "parkway",
    "pky": "parkway",
    "parkway": "parkway",
    "dr": "drive",
    "drive": "drive",
    "ct": "court",
    "court": "court",
    "ter": "terrace",
    "terr": "terrace",
    "terrace": "terrace",
    "ln": "lane",
    "lane": "lane",
    "hwy": "highway",
    "highway": "highway",
    "cir": "circle",
    "circle": "circle",
    "pk": "park",
    "way": "way",
    "wy": "way",
    "aly": "alley",
    "alley": "alley",
    "ext": "extension",
    "lndg": "landing",
    "tpk": "turnpike",
    "rue": "rue",
    "ch": "chemin",
    "chemin": "chemin",
    "rte": "route",
    "route": "route",
    "mtee": "montee",
    "montee": "montee",
    "cote": "cote",
    "allee": "allee",
    "all": "allee",
    "carre": "carre",
    "terrasse": "terrasse",
    "impasse": "impasse",
    "promenade": "promenade",
    "prom": "promenade",
    "ruelle": "ruelle",
    "cours": "cours",
    "autoroute": "autoroute",
    "aut": "autoroute",
}
# Types that are never also part of a name (dropped from the core key). "Park", "Way", "Cote",
# "Place", "Square" and "Route" are kept in names ("Place Royale") but also dropped here:
# the core key is only the second try after the full key.
DIRECTIONS = {
    "n": "north",
    "north": "north",
    "nord": "north",
    "s": "south",
    "south": "south",
    "sud": "south",
    "e": "east",
    "east": "east",
    "est": "east",
    "w": "west",
    "west": "west",
    "o": "west",
    "ouest": "west",
}
_ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "premier": 1,
    "premiere": 1,
    "deuxieme": 2,
    "troisieme": 3,
    "quatrieme": 4,
    "cinquieme": 5,
}
_ORDINAL = re.compile(r"^(\d+)(?:re|ere|er|e|eme|ieme|st|nd|rd|th)$")
_OTHER = {"mass": "massachusetts", "mt": "mount", "ste": "sainte", "jfk": "kennedy"}
_STOP = text.STOP_WORDS | {"of", "the"}


def words(name: str) -> list[str]:
    """The words of a street name: normalised, expanded, small words dropped, in order."""
    raw = text.normalize(name).split()
    out: list[str] = []
    for i, word in enumerate(raw):
        following = raw[i + 1] if i + 1 < len(raw) else ""
        if word == "st":
            # "St Paul St", "rue St-Jean": a saint before a name, a street at the end.
            nxt = following
            word = (
                "saint" if nxt and nxt not in STREET_TYPES and nxt not in DIRECTIONS else "street"
            )
        elif word in _ORDINAL_WORDS:
            word = f"{_ORDINAL_WORDS[word]}th"
        elif match := _ORDINAL.match(word):
            word = f"{int(match.group(1))}th"
        elif word in STREET_TYPES:
            word = STREET_TYPES[word]
        elif word in DIRECTIONS:
            word = DIRECTIONS[word]
        else:
            word = _OTHER.get(word, word)
        if word not in _STOP:
            out.append(word)
    return out


def full_key(name: str) -> str:
    return " ".join(sorted(words(name)))


def keys(name_words: list[str]) -> tuple[str, str, str]:
    """The full key, the core key (without the street type: "massachusetts", "jean saint") and
    the loose key (nor the direction: "levesque rene") of a name's :func:`words`."""
    core = [w for w in name_words if w not in _TYPE_SET]
    loose = [w for w in core if w not in _DIRECTION_SET]
    return " ".join(sorted(name_words)), " ".join(sorted(core)), " ".join(sorted(loose))


_TYPE_SET = frozenset(STREET_TYPES.values())
_DIRECTION_SET = frozenset(DIRECTIONS.values())
