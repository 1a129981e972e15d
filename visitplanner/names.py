"""Folding text and matching names: one rule for the whole application.

:func:`fold` is how two texts a person typed are compared everywhere: spreadsheet headers,
yes/no and status words, delegates' names, place labels. :func:`name_key` is how an
organization or a contact is recognised: the contact import, the meeting import, the
trip-file merge, the demo loader and the duplicates the contact import reports all call
it, so "Harbor Assay Inc" and "Harbor Assay, Inc." are the same organization in each of them.

The geocoder (``visitplanner.geo.text``) keeps its own address normalisation on top of
:func:`strip_accents`; the directory search is SQLite FTS5's (``directory.search``).
"""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not split: "Cœur" and "Coeur" are one word.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})
# An apostrophe inside a word joins it ("O'Brien", "O’Brien" and "OBrien").
_APOSTROPHE = re.compile(r"(?<=\w)['’ʼ`´](?=\w)")
# Dotted initials are one word ("S.A.", "U.S.A."): "S.A." and "SA" match.
_INITIALS = re.compile(r"\b(?:[^\W\d_]\.){2,}")
_WORD = re.compile(r"[^\W_]+")

# Legal forms at the end of an organization's name, folded (English, French, and the forms
# seen from European partners): "Harbor Assay, Inc." is "Harbor Assay".
LEGAL_SUFFIXES = frozenset(
    {
        "inc", "incorporated", "incorporee", "corp", "corporation", "co", "ltd", "limited",
        "ltee", "limitee", "llc", "llp", "lp", "plc", "ulc", "pllc", "pty", "sa", "sas",
        "sarl", "sca", "senc", "sencrl", "snc", "gmbh", "ag", "nv", "bv", "srl", "spa", "ab",
        "oy", "bhd",
    }
)  # fmt: skip


def strip_accents(text: str) -> str:
    """``text`` with its letters' accents removed ("Côté" -> "Cote"); case kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """``text`` for comparing: no case, accents, punctuation or extra spaces.

    "  Université de Montréal " -> "universite de montreal"; "Harbor Assay, Inc." ->
    "harbor assay inc"; "S.A." -> "sa"; "O’Brien" -> "obrien"; "Cœur" -> "coeur".
    """
    text = strip_accents(text.casefold()).translate(_LIGATURES)
    text = _APOSTROPHE.sub("", text)
    text = _INITIALS.sub(lambda m: m.group().replace(".", ""), text)
    return " ".join(_WORD.findall(text))


def name_key(name: str) -> str:
    """What two names of one organization or person have in common: :func:`fold` without
    the legal form at the end ("Harbor Assay, Inc." and "HARBOR ASSAY LTÉE" -> "harbor
    assay"). A name that is only a legal form keeps it ("Inc" -> "inc")."""
    words = fold(name).split()
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def same_name(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` name the same organization or person."""
    key = name_key(a)
    return bool(key) and key == name_key(b)
