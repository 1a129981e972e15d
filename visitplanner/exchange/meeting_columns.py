"""The columns of a meeting list: which header names which field, in English or French.

Headers are compared folded (accents, case and punctuation removed), with the words around
them that do not change their meaning ("Meeting date", "Durée (min)") taken off.
"""

from __future__ import annotations

from visitplanner.names import fold

# Folded header (accents, case and punctuation removed) -> field. Partnering platforms
# (BIO One-on-One Partnering, b2match, Meetmax) and Excel sheets in English and French.
COLUMNS: dict[str, str] = {}
for _field, _names in {
    "title": (
        "title",
        "titre",
        "subject",
        "sujet",
        "meeting",
        "rencontre",
        "objet",
        "meeting title",
        "meeting name",
        "meeting subject",
        "topic",
        "theme",
        "rendez vous",
        "rdv",
        "reunion",
        "titre de la rencontre",
        "objet de la rencontre",
        "name of meeting",
        "purpose",
        "but",
    ),
    "organization": (
        "organization",
        "organisation",
        "organisme",
        "company",
        "entreprise",
        "host",
        "hote",
        "societe",
        "host company",
        "host organization",
        "host organisation",
        "company name",
        "organization name",
        "organisation name",
        "counterpart",
        "partner",
        "partenaire",
        "meeting with",
        "with",
        "avec",
        "compagnie",
        "institution",
        "entreprise hote",
        "nom de l entreprise",
        "nom de la societe",
        "account",
        "account name",
        "target company",
        "partner company",
        "partner organization",
        "partner organisation",
        "organisme hote",
    ),
    "place": (
        "place",
        "lieu",
        "address",
        "adresse",
        "location",
        "endroit",
        "room",
        "salle",
        "table",
        "table number",
        "table no",
        "numero de table",
        "booth",
        "stand",
        "venue",
        "meeting room",
        "meeting point",
        "local",
        "location table",
        "room table",
        "salle table",
    ),
    "date": ("date", "jour", "day", "date of meeting", "start date", "date de debut"),
    "start": (
        "start",
        "debut",
        "heure",
        "time",
        "start time",
        "heure de debut",
        "heure debut",
        "from",
        "time slot",
        "timeslot",
        "slot",
        "creneau",
        "plage horaire",
        "starts",
        "begin",
        "start date time",
        "date time",
        "date and time",
        "date et heure",
        "starting time",
    ),
    "end": (
        "end",
        "fin",
        "end time",
        "heure de fin",
        "heure fin",
        "to",
        "until",
        "ends",
        "finish",
        "ending time",
    ),
    "duration": (
        "duration",
        "duree",
        "minutes",
        "length",
        "duree en minutes",
        "mins",
        "min",
        "temps",
    ),
    "available": (
        "available",
        "availability",
        "disponibilites",
        "disponibilite",
        "disponible",
        "windows",
    ),
    "attendees": (
        "attendees",
        "participants",
        "delegates",
        "delegues",
        "delegue",
        "delegate",
        "requester",
        "requested by",
        "demandeur",
        "demande par",
        "participant",
        "attendee",
        "delegation",
        "representants",
        "our attendees",
        "nos participants",
        "requester name",
    ),
    "priority": ("priority", "priorite", "importance", "rank", "rang"),
    "fixed": ("fixed", "fixe", "locked", "verrouille"),
    "mode": ("mode", "transport", "travel mode", "mode de transport", "mode de deplacement"),
    "status": ("status", "statut", "etat", "state", "response", "reponse"),
    "notes": (
        "notes",
        "note",
        "remarques",
        "commentaires",
        "comments",
        "comment",
        "commentaire",
        "description",
        "details",
        "agenda",
        "message",
        "remarks",
        "ordre du jour",
    ),
}.items():
    for _name in _names:
        COLUMNS[_name] = _field
# Words around a header that do not change its meaning ("Meeting date", "Date du rendez-vous",
# "Durée (min)", "Date (jj/mm/aaaa)").
_PREFIXES = ("meeting ", "rencontre ", "rendez vous ", "rdv ", "nom du ", "nom de la ")
_SUFFIXES = (
    " du rendez vous", " de la rencontre", " de la reunion", " du rdv", " of meeting",
    " of the meeting", " min", " minutes", " mn", " hh mm", " hh mm ss", " yyyy mm dd",
    " mm dd yyyy", " dd mm yyyy", " jj mm aaaa", " aaaa mm jj", " 1", " name", " nom",
    " s", " es",
)  # fmt: skip


def column_of(name: str) -> str | None:
    """The field a header names, or None."""
    key = fold(name.strip("\ufeff"))
    for _round in range(3):
        if key in COLUMNS:
            return COLUMNS[key]
        for prefix in _PREFIXES:
            if key.startswith(prefix) and key[len(prefix) :] in COLUMNS:
                return COLUMNS[key[len(prefix) :]]
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)]
                break
        else:
            return None
    return COLUMNS.get(key)


def header_score(cells: list[str]) -> int:
    """How much ``cells`` look like the header of a meeting list (0: not at all)."""
    found = {column_of(c) for c in cells if c.strip()} - {None}
    if not found & {"title", "organization"}:
        return 0
    return len(found)
