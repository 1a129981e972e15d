"""Text normalisation for matching place names and addresses typed by people.

"Université de Montréal", "universite de montreal" and "Montreal, Universite de" all reduce to
the same tokens; abbreviations used in street addresses ("St", "Ave", "boul.") become one form.

Accents are removed by the application's one rule, :func:`visitplanner.names.strip_accents`.
The rest differs from :func:`visitplanner.names.fold` on purpose, because addresses are not
names: the gazetteer, the postal-code table and the city list are ASCII keys built with
:func:`normalize`, so only ``a-z`` and digits survive (a letter outside Latin script cannot match
them); street words have synonyms ("St" is "street", "boul" is "boulevard") and small words
("de", "the") are dropped by :func:`tokens`, which would wrongly merge two organizations' names;
and words are compared in any order with small typos forgiven (:func:`similarity`), which an
import must never do with a name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from visitplanner.names import strip_accents

_NON_WORD = re.compile(r"[^0-9a-z]+")

# Words that carry no meaning for matching (English and French).
STOP_WORDS = frozenset(
    [
        "the",
        "of",
        "at",
        "and",
        "a",
        "an",
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "l",
        "d",
        "et",
        "en",
        "au",
        "aux",
        "a",
        "the",
    ]
)
# One spelling for common address and place words.
SYNONYMS = {
    "st": "street",
    "str": "street",
    "ave": "avenue",
    "av": "avenue",
    "blvd": "boulevard",
    "boul": "boulevard",
    "bd": "boulevard",
    "rd": "road",
    "dr": "drive",
    "pl": "place",
    "sq": "square",
    "pkwy": "parkway",
    "hwy": "highway",
    "ch": "chemin",
    "n": "north",
    "s": "south",
    "e": "east",
    "w": "west",
    "o": "west",
    "ouest": "west",
    "est": "east",
    "ste": "sainte",
    "mt": "mount",
    "univ": "university",
    "universite": "university",
    "hopital": "hospital",
    "centre": "center",
    "ctr": "center",
    "intl": "international",
    "aeroport": "airport",
}


def normalize(text: str) -> str:
    """Lower case, no accents, words separated by single spaces."""
    return _NON_WORD.sub(" ", strip_accents(text).lower().replace("'", "")).strip()


def tokens(text: str) -> list[str]:
    """Meaningful words of `text`, abbreviations expanded, stop words dropped."""
    words = [SYNONYMS.get(w, w) for w in normalize(text).split()]
    return [w for w in words if w not in STOP_WORDS]


def key(text: str) -> str:
    """A key equal for the same words in any order, case or accents."""
    return " ".join(sorted(tokens(text)))


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


@lru_cache(maxsize=100_000)
def word_similarity(a: str, b: str) -> float:
    """1 for equal words, a bit less for a small typo (the first letter right), 0 otherwise."""
    if a == b:
        return 1.0
    if a.isdigit() or b.isdigit() or min(len(a), len(b)) < 5:  # abbreviations: exact
        return 0.0
    if a[0] != b[0]:  # people rarely mistype a first letter: "laval" is not "ulaval"
        return 0.0
    allowed = 1 if min(len(a), len(b)) < 8 else 2
    distance = edit_distance(a, b, allowed)
    return 1.0 - 0.1 * distance if distance <= allowed else 0.0


def similarity(query: list[str], name: list[str]) -> float:
    """How well the words of a query match the words of a name, 0 to 1, in any order.

    Each word of either side must find its partner in the other; small typos cost a little.
    """
    if not query or not name:
        return 0.0
    used: set[int] = set()
    total = 0.0
    for word in query:
        best, best_j = 0.0, -1
        for j, other in enumerate(name):
            if j in used:
                continue
            s = word_similarity(word, other)
            if s > best:
                best, best_j = s, j
        if best_j >= 0:
            used.add(best_j)
            total += best
    return total / max(len(query), len(name))
