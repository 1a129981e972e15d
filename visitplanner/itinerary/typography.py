"""Typography of the printed itinerary, English and French (Québec).

Times ("8:30 AM", "8 h 30", never "08 h 00"), elision ("Itinéraire d'Émilie"), the
meeting's status agreeing with its kind ("Repas · Confirmé", "Visite · Confirmée"),
capitalised headings, and the non-breaking spaces that keep "12 min", "3,3 km", "Hôtel :"
and "a · b" from breaking badly (no line starts with a separator or a unit).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from visitplanner.i18n import N_, Translator
from visitplanner.model import MeetingKind, MeetingStatus

NBSP = "\u00a0"

# What a meeting's status reads in the itinerary, by kind: French agrees the participle
# with the kind's gender (une rencontre confirmée, un repas confirmé).
STATUS_BY_KIND: dict[tuple[MeetingKind, MeetingStatus], str] = {
    (MeetingKind.MEETING, MeetingStatus.CONFIRMED): N_("Meeting · Confirmed"),
    (MeetingKind.SITE_VISIT, MeetingStatus.CONFIRMED): N_("Site visit · Confirmed"),
    (MeetingKind.SESSION, MeetingStatus.CONFIRMED): N_("Session · Confirmed"),
    (MeetingKind.MEAL, MeetingStatus.CONFIRMED): N_("Meal · Confirmed"),
    (MeetingKind.TRANSFER, MeetingStatus.CONFIRMED): N_("Transfer · Confirmed"),
    (MeetingKind.FREE_TIME, MeetingStatus.CONFIRMED): N_("Free time · Confirmed"),
    (MeetingKind.MEETING, MeetingStatus.REQUESTED): N_("Meeting · Requested"),
    (MeetingKind.SITE_VISIT, MeetingStatus.REQUESTED): N_("Site visit · Requested"),
    (MeetingKind.SESSION, MeetingStatus.REQUESTED): N_("Session · Requested"),
    (MeetingKind.MEAL, MeetingStatus.REQUESTED): N_("Meal · Requested"),
    (MeetingKind.TRANSFER, MeetingStatus.REQUESTED): N_("Transfer · Requested"),
    (MeetingKind.FREE_TIME, MeetingStatus.REQUESTED): N_("Free time · Requested"),
}
KIND_ONLY: dict[MeetingKind, str] = {
    MeetingKind.MEETING: N_("Meeting"),
    MeetingKind.SITE_VISIT: N_("Site visit"),
    MeetingKind.SESSION: N_("Session"),
    MeetingKind.MEAL: N_("Meal"),
    MeetingKind.TRANSFER: N_("Transfer"),
    MeetingKind.FREE_TIME: N_("Free time"),
}
TO_BE_CONFIRMED = N_("To be confirmed")


def status_line(tr: Translator, kind: MeetingKind, status: MeetingStatus) -> str:
    """'Meal · Confirmed' / 'Repas · Confirmé'; a proposed meeting: its kind alone (the
    page says "To be confirmed" in its own, visible mark)."""
    text = STATUS_BY_KIND.get((kind, status))
    if text is None:
        return tr.gettext(KIND_ONLY[kind])
    return tie(tr, tr.gettext(text))


def clock(tr: Translator, moment: dt.time | dt.datetime) -> str:
    """'8:30 AM' in English; '8 h', '8 h 30' in French (no leading zero, no ':00')."""
    if tr.language == "fr":
        hour = f"{moment.hour}{NBSP}h"
        return hour if moment.minute == 0 else f"{hour}{NBSP}{moment.minute:02d}"
    return tr.format_time(moment).replace(" ", NBSP).replace("\u202f", NBSP)


_VOWEL = re.compile(r"[aeiouyh]", re.IGNORECASE)


def starts_with_vowel(name: str) -> bool:
    first = unicodedata.normalize("NFKD", name.strip()[:1])[:1]
    return bool(first) and _VOWEL.fullmatch(first) is not None


def of_name(tr: Translator, template: str, name: str) -> str:
    """``template`` (translated, with "{name}") filled in, French "de" elided before a vowel
    or a mute h: "Itinéraire d’Émilie Côté", "Itinéraire de Zoë Tremblay"."""
    if tr.language == "fr" and starts_with_vowel(name):
        template = re.sub(r"\b([dD])e \{name\}", "\\1\u2019{name}", template)
    return template.format(name=name)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


_UNIT = re.compile(r"(\d)[ \u202f](min|km|h|m|%)(?=\W|$)")
_SEPARATOR = re.compile(r" ([·•–—→|])")
_COLON_FR = re.compile(r"[ \u202f]?([:;!?])(?=\s|$)")


def tie(tr: Translator, text: str) -> str:
    """Non-breaking spaces: between a number and its unit, before a separator ("a · b" never
    puts "·" at a line's start), and in French before ":" (Québec: no space before ; ! ?)."""
    text = _UNIT.sub(f"\\1{NBSP}\\2", text)
    text = _SEPARATOR.sub(f"{NBSP}\\1", text)
    if tr.language == "fr":
        text = re.sub(r"(?<=\w)[ \u202f]?:(?=\s|$)", f"{NBSP}:", text)
    return text
