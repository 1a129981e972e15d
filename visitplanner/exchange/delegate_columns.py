"""The columns of a registration file (a delegation's sign-up form exported to CSV or Excel):
which header names which field, in English or French.

Headers are compared folded (accents, case and punctuation removed), as
:mod:`visitplanner.exchange.meeting_columns` does, with the words around them that do not
change their meaning taken off ("Date d'arrivée", "Arrival (date and time)").
"""

from __future__ import annotations

from visitplanner.names import fold

COLUMNS: dict[str, str] = {}
for _field, _names in {
    "name": (
        "name",
        "nom",
        "full name",
        "nom complet",
        "delegate",
        "delegue",
        "participant",
        "attendee",
        "nom et prenom",
        "prenom et nom",
        "prenom nom",
        "last name",
        "family name",
        "surname",
        "nom de famille",
    ),
    "given_name": ("first name", "given name", "prenom", "first"),
    "company": (
        "company",
        "entreprise",
        "organization",
        "organisation",
        "organisme",
        "societe",
        "compagnie",
        "employer",
        "employeur",
        "company name",
        "nom de l entreprise",
        "institution",
    ),
    "title": (
        "title",
        "titre",
        "job title",
        "position",
        "poste",
        "fonction",
        "role",
        "titre du poste",
    ),
    "email": (
        "email",
        "e mail",
        "courriel",
        "mail",
        "email address",
        "e mail address",
        "adresse courriel",
        "adresse electronique",
        "adresse e mail",
        "courriel professionnel",
    ),
    "mobile": (
        "mobile",
        "cellulaire",
        "cell",
        "cellular",
        "cell phone",
        "mobile phone",
        "mobile number",
        "telephone mobile",
        "telephone cellulaire",
        "numero de cellulaire",
        "phone",
        "telephone",
        "tel",
        "phone number",
        "numero de telephone",
    ),
    "arrival": (
        "arrival",
        "arrivee",
        "arrives",
        "arrival date",
        "arrival time",
        "arrival date and time",
        "date d arrivee",
        "heure d arrivee",
        "date et heure d arrivee",
    ),
    "arrival_by": (
        "arrival flight",
        "arriving by",
        "arrival by",
        "inbound flight",
        "flight in",
        "vol d arrivee",
        "vol aller",
        "train d arrivee",
        "arrivee par",
        "moyen d arrivee",
    ),
    "departure": (
        "departure",
        "depart",
        "leaves",
        "departure date",
        "departure time",
        "departure date and time",
        "date de depart",
        "heure de depart",
        "date et heure de depart",
    ),
    "departure_by": (
        "departure flight",
        "leaving by",
        "departure by",
        "return flight",
        "outbound flight",
        "flight out",
        "vol de depart",
        "vol de retour",
        "vol retour",
        "train de depart",
        "depart par",
        "moyen de depart",
    ),
    "hotel": (
        "hotel",
        "hebergement",
        "accommodation",
        "lodging",
        "hotel name",
        "nom de l hotel",
    ),
    "busy": (
        "busy",
        "occupe",
        "occupee",
        "indisponible",
        "indisponibilites",
        "indisponibilite",
        "unavailable",
        "not available",
        "busy slots",
        "busy times",
        "plages occupees",
        "partnering",
        "partnering meetings",
        "rencontres de partenariat",
        "rendez vous de partenariat",
        "engagements",
        "conflicts",
    ),
}.items():
    for _name in _names:
        COLUMNS[_name] = _field

_SUFFIXES = (
    " date and time", " date et heure", " hh mm", " yyyy mm dd hh mm", " aaaa mm jj hh mm",
    " s", " es", " 1",
)  # fmt: skip


def column_of(name: str) -> str | None:
    """The field a header names, or None."""
    key = fold(name.strip("\ufeff").replace("'", " ").replace("\u2019", " "))
    if key in COLUMNS:
        return COLUMNS[key]
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in COLUMNS:
            return COLUMNS[key[: -len(suffix)]]
    return None


def header_score(cells: list[str]) -> int:
    """How much ``cells`` look like the header of a registration list (0: not at all)."""
    found = {column_of(c) for c in cells if c.strip()} - {None}
    if "name" not in found or len(found) < 2:
        return 0
    return len(found)
