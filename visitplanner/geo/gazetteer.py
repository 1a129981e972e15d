"""The shipped gazetteer: places delegations visit, with names, aliases and checked coordinates.

Matching is accent- and case-insensitive, ignores word order and forgives small typos:
"palais des congres montreal", "Congrès, Palais des" and "BCEC" all find their row.
A street address ("415 Summer St, Boston") finds the venue at that address too.

A row matches on its whole name or one of its aliases, never on a part of one: every word of
the name must be in the query and every word of the query in the name (a typo costs a little,
the first letter must be right), so "Laval" is not "Université Laval" (nor "ULaval") and
"Montréal" is not "Montréal-Trudeau International Airport". Words of the row's own city may be
added ("Kendall Square Cambridge"), and each comma-separated part of the query is tried on its
own ("BCEC, 415 Summer St").
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from visitplanner.geo import text
from visitplanner.resources import resource_path

# A name must match at least this well to be taken: one small typo in a short name, one
# word missing from a name of five words or more (scores are shared words over the longer side).
MATCH_THRESHOLD = 0.8
EXACT = 0.999  # the query is the name or an alias, word for word
MAX_TYPO_WORDS = 30
_PIECES = re.compile(r"[,()]| [—–-] ")


@dataclass(frozen=True)
class GazetteerEntry:
    id: str
    name: str
    name_fr: str
    aliases: tuple[str, ...]
    kind: str
    street: str
    city: str
    region: str
    postal_code: str
    country: str
    lat: float
    lon: float
    source: str

    def names(self) -> list[str]:
        return [n for n in (self.name, self.name_fr, *self.aliases) if n]

    def address(self) -> str:
        region_postal = " ".join(p for p in (self.region, self.postal_code) if p)
        return ", ".join(p for p in (self.street, self.city, region_postal) if p)

    def label(self) -> str:
        return f"{self.name}, {self.address()}" if self.street else self.name


@dataclass(frozen=True)
class GazetteerMatch:
    entry: GazetteerEntry
    score: float
    by_address: bool = False
    # The query is written as the row's name (2) or one of its aliases (1), letter for letter:
    # "Le Place d'Armes" is the hotel, not the basilica of the same words.
    literal: int = 0

    @property
    def exact(self) -> bool:
        return self.score >= EXACT


class Gazetteer:
    def __init__(self, entries: list[GazetteerEntry]) -> None:
        self.entries = entries
        self._names = [[text.tokens(n) for n in e.names()] for e in entries]
        self._streets = [_street_key(e.street) for e in entries]
        self._cities = [text.normalize(e.city) for e in entries]
        # word -> the entries having a name with that word: only those are scored.
        self._index: dict[str, set[int]] = {}
        # a name's words in any order (no synonyms) -> the entries having that name or alias.
        self._by_key: dict[str, list[GazetteerEntry]] = {}
        for i, names in enumerate(self._names):
            for name in names:
                for word in name:
                    self._index.setdefault(word, set()).add(i)
            for label in entries[i].names():
                by_key = self._by_key.setdefault(_literal_key(label), [])
                if entries[i] not in by_key:
                    by_key.append(entries[i])

    def _candidates(self, words: list[str]) -> set[int]:
        found: set[int] = set()
        distinct = set(words)
        for word in distinct:
            if word in self._index:
                found |= self._index[word]
            # Typos are forgiven in longer words only, and in a text of a few words (a name or
            # an address, not a paragraph pasted in a cell: that would cost seconds).
            if len(word) >= 5 and len(distinct) <= MAX_TYPO_WORDS:
                for other, entries in self._index.items():
                    if text.word_similarity(word, other) > 0:
                        found |= entries
        return found

    @classmethod
    def from_csv(cls, path: str | None = None) -> Gazetteer:
        file = resource_path("gazetteer", "gazetteer.csv") if path is None else path
        entries = []
        with open(file, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                try:
                    lat, lon = float(row["lat"]), float(row["lon"])
                except (TypeError, ValueError):
                    continue  # a row being written while we read; skip it
                entries.append(
                    GazetteerEntry(
                        id=row["id"],
                        name=row["name"],
                        name_fr=row.get("name_fr") or "",
                        aliases=tuple(
                            a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()
                        ),
                        kind=row.get("kind") or "",
                        street=row.get("street") or "",
                        city=row.get("city") or "",
                        region=row.get("region") or "",
                        postal_code=row.get("postal_code") or "",
                        country=row.get("country") or "",
                        lat=lat,
                        lon=lon,
                        source=row.get("source") or "",
                    )
                )
        return cls(entries)

    def match(self, query: str) -> GazetteerMatch | None:
        """The best row for a name or an address, or None when nothing matches well."""
        by_address = self.match_address(query)
        if by_address is not None:
            return by_address
        return self.match_name(query)

    def match_name(self, query: str) -> GazetteerMatch | None:
        found = self.matches(query)
        return found[0] if found else None

    def named(self, name: str) -> list[GazetteerEntry]:
        """The rows having exactly ``name`` (any case, accents or word order) as their name or
        an alias: "Dorval" is an alias of Montréal-Trudeau airport."""
        return list(self._by_key.get(_literal_key(name), []))

    def matches(self, query: str) -> list[GazetteerMatch]:
        """Every row whose name or an alias matches ``query`` well enough, best first (of the
        same score, a row named letter for letter as the query first, then the file's order)."""
        words = text.tokens(query)
        if not words:
            return []
        found: list[GazetteerMatch] = []
        # "BCEC, 415 Summer St, Boston", "MIT — Main campus (Building 7)": also try each part
        # on its own, at a small cost so that a match of the whole query wins.
        parts = [words]
        for piece in (text.tokens(p) for p in _PIECES.split(query)):
            if piece and piece not in parts:
                parts.append(piece)
        literal = text.normalize(query)
        for i in sorted(self._candidates(words)):
            names = self._names[i]
            city = set(text.tokens(self.entries[i].city))
            best = 0.0
            for name in names:
                for n, part in enumerate(parts):
                    score = text.similarity(part, name) - (0.02 if n else 0.0)
                    if city and n == 0:  # "Kendall Square Cambridge": the city is no mismatch
                        rest = [w for w in part if w not in city]
                        score = max(score, text.similarity(rest, name) - 0.01)
                    best = max(best, score)
            if best >= MATCH_THRESHOLD:
                entry = self.entries[i]
                same = [text.normalize(n) == literal for n in entry.names()]
                rank = 2 if any(same[:2] if entry.name_fr else same[:1]) else int(any(same))
                found.append(GazetteerMatch(entry, best, literal=rank))
        # Equal scores: a name written exactly as the query first, then the file's order.
        found.sort(key=lambda m: (-m.score, -m.literal))
        return found

    def match_address(self, query: str) -> GazetteerMatch | None:
        """A row whose street address (number and street) is in the query, in its city."""
        norm = f" {' '.join(_street_words(query))} "
        qcity = text.normalize(query)
        for i, street in enumerate(self._streets):
            if not street or f" {street} " not in norm:
                continue
            city = self._cities[i]
            if city and city not in qcity and _names_a_city(qcity):
                continue  # same street address in another city
            return GazetteerMatch(self.entries[i], 1.0, by_address=True)
        return None


def _literal_key(name: str) -> str:
    """The words of a name in any order, without the synonyms of addresses: "W Montréal" (a
    hotel) is not "Montréal-Ouest" (a town), though "W" and "Ouest" are both "west" there."""
    return " ".join(sorted(w for w in text.normalize(name).split() if w not in text.STOP_WORDS))


_STREET_TYPES = frozenset(
    [
        "rue",
        "street",
        "avenue",
        "boulevard",
        "chemin",
        "place",
        "road",
        "drive",
        "square",
        "way",
        "lane",
        "cote",
    ]
)


def _street_words(address: str) -> list[str]:
    """Words of an address without street types, so "rue X" and "X Street" compare equal."""
    return [w for w in text.tokens(address) if w not in _STREET_TYPES]


def _street_key(street: str) -> str:
    words = _street_words(street)
    # Only addresses with a number identify a building.
    if not words or not any(w.isdigit() for w in words):
        return ""
    return " ".join(words)


_CITY_WORDS = ("boston", "cambridge", "montreal", "laval", "quebec", "sherbrooke", "dorval")


def _names_a_city(normalized_query: str) -> bool:
    return any(c in normalized_query.split() for c in _CITY_WORDS)


@cache
def default_gazetteer() -> Gazetteer:
    return Gazetteer.from_csv()
