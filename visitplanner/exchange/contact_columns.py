"""The columns of a contact list: which header names which field, in English or French.

Headers are compared the way the meeting import compares them (:mod:`meeting_columns`):
folded (accents, case and punctuation removed), with the words that only say whose or which
value a column holds ("Work", "Home", "(travail)", "2") taken off and kept as a rank, so that
"Work Phone", "Téléphone (travail)", "Email Home" and "E-mail 2 Address" are a phone and
emails, the work one preferred. Families: Google Contacts (current and older), Outlook
(English and French), Thunderbird (English, UK, French), Apple Contacts and Numbers exports,
HubSpot, Salesforce, Zoho, LinkedIn connections and Excel sheets.
"""

from __future__ import annotations

import re

from visitplanner.names import fold

# Fields of which a row may hold several values: the preferred one is the field's value,
# the others go to the notes.
MULTI_FIELDS = ("email", "phone", "mobile", "website")
# A column kept in the notes, never a field's value (faxes, pagers, profile addresses).
OTHER = "other"

# Folded header -> (field, rank): for each field the column of the lowest rank is taken
# (Outlook's "Title" is "Mr."/"Ms." and its "Titre" "M."/"Mme": "Job Title" and "Fonction"
# come first). Rank 0 is a work value, 1 a neutral one, 3 a home one, 4 another one.
COLUMNS: dict[str, tuple[str, int]] = {}
for _field, _rank, _names in (
    ("given_name", 1, ("first name", "given name", "prenom", "firstname", "first", "given")),
    (
        "family_name",
        1,
        ("last name", "family name", "surname", "nom de famille", "nom", "lastname", "last"),
    ),
    (
        "full_name",
        1,
        (
            "name",
            "full name",
            "display name",
            "nom complet",
            "contact",
            "contact name",
            "nom a afficher",
            "nom du contact",
        ),
    ),
    (
        "organization",
        1,
        (
            "organization name",
            "organization 1 name",
            "organisation name",
            "company",
            "company name",
            "account name",
            "account",
            "organization",
            "organisation",
            "organisme",
            "business",
            "employer",
            "entreprise",
            "nom de lentreprise",
            "societe",
            "nom de la societe",
            "compagnie",
            "employeur",
        ),
    ),
    (
        "title",
        0,
        (
            "job title",
            "organization title",
            "organization 1 title",
            "fonction",
            "titre du poste",
            "intitule du poste",
            "titre professionnel",
        ),
    ),
    ("title", 1, ("poste", "position", "role", "job", "occupation", "profession")),
    ("title", 2, ("titre", "title")),
    (
        "email",
        1,
        (
            "e mail 1 value",
            "e mail address",
            "email address",
            "email",
            "emails",
            "e mail",
            "courriel",
            "adresse courriel",
            "adresse email",
            "adresse e mail",
            "adresse electronique",
            "adresse de messagerie",
            "mail",
            "contact email",
            "email id",
        ),
    ),
    ("phone", 0, ("business phone", "work phone", "office phone")),
    (
        "phone",
        1,
        (
            "phone 1 value",
            "phone",
            "phones",
            "telephone",
            "tel",
            "phone number",
            "numero de telephone",
            "no de telephone",
            "direct line",
            "ligne directe",
        ),
    ),
    ("phone", 2, ("company main phone", "company phone", "main phone")),
    (
        "mobile",
        0,
        (
            "mobile phone",
            "mobile phone number",
            "mobile number",
            "mobile",
            "cell",
            "cellular",
            "cell phone",
            "cellphone",
            "iphone",
            "cellulaire",
            "portable",
            "tel mobile",
            "tel cellulaire",
            "tel portable",
            "telephone mobile",
            "telephone cellulaire",
            "telephone portable",
            "phone mobile",
            "numero de cellulaire",
            "numero de portable",
        ),
    ),
    (
        OTHER,
        1,
        (
            "fax",
            "fax number",
            "telecopieur",
            "telecopie",
            "pager",
            "pager number",
            "radiomessageur",
            # Outlook's other numbers: kept, with their column's name, in the notes
            "car phone",
            "assistant s phone",
            "assistants phone",
            "assistant phone",
            "phone video",
            "video phone",
            "callback",
            "radio phone",
            "company main phone",
            "isdn",
            "telex",
            "tty tdd phone",
            "url",
            "linkedin url",
            "linkedin",
            "profile url",
            "linkedin profile",
        ),
    ),
    ("language", 1, ("language", "langue", "preferred language", "langue preferee")),
    ("notes", 1, ("notes", "note", "commentaires", "remarques", "comments")),
    (
        "website",
        1,
        (
            "website 1 value",
            "web page",
            "webpage",
            "website",
            "website url",
            "web site",
            "web",
            "site web",
            "site internet",
            "page web",
            "site",
        ),
    ),
    (
        "street",
        1,
        (
            "address 1 street",
            "address street",
            "street address",
            "street",
            "rue",
            "adresse",
            "address",
            "adresse civique",
        ),
    ),
    ("city", 1, ("address 1 city", "address city", "city", "ville", "town")),
    (
        "region",
        1,
        (
            "address 1 region",
            "address region",
            "state region",
            "state province",
            "dep region",
            "pays etat",
            "county",
            "state",
            "province",
            "region",
        ),
    ),
    (
        "postal_code",
        1,
        (
            "address 1 postal code",
            "address postal code",
            "postal code",
            "zip postal code",
            "zip",
            "zipcode",
            "zip code",
            "post code",
            "postcode",
            "code postal",
        ),
    ),
    (
        "country",
        1,
        (
            "address 1 country",
            "address country",
            "country region",
            "country",
            "pays",
            "pays region",
        ),
    ),
):
    for _name in _names:
        COLUMNS.setdefault(_name, (_field, _rank))

# Words that say whose or which value a column holds ("Work Phone", "Email (Home)",
# "Téléphone (travail)", "E-mail 2 Address", "Mailing Street"), with the rank they give it.
QUALIFIERS: dict[str, int] = {
    **dict.fromkeys(
        ("work", "business", "office", "travail", "bureau", "professionnel", "professionnelle"),
        0,
    ),
    **dict.fromkeys(("primary", "main", "principal", "principale", "preferred", "mailing", "1"), 1),
    **dict.fromkeys(
        (
            "home",
            "personal",
            "private",
            "personnel",
            "personnelle",
            "domicile",
            "maison",
            "prive",
            "privee",
        ),
        3,
    ),
    **dict.fromkeys(
        ("other", "autre", "secondary", "secondaire", "alternate", "2", "3", "4", "5"), 4
    ),
}
_NOISE = frozenset({"value", "valeur", "de", "du", "d", "la", "le", "l", "the"})
# Words of a Google label ("* Work", "Mobile", "Fax") that move a number.
MOBILE_WORDS = frozenset({"mobile", "cell", "cellular", "cellulaire", "portable", "iphone"})
OTHER_WORDS = frozenset({"fax", "pager", "telecopieur", "radiomessageur", "telecopie"})

# Columns whose values are said again by others (Outlook's "E-mail Display Name" is the name
# and the address, its "E-mail Type" "SMTP"; Google's "Formatted" address is its parts):
# taken without a word.
REDUNDANT = frozenset(
    {
        "e mail type",
        "e mail display name",
        "e mail 2 type",
        "e mail 2 display name",
        "e mail 3 type",
        "e mail 3 display name",
        "type de messagerie",
        "nom complet de ladresse de messagerie",
        "address 1 formatted",
        "address 2 formatted",
    }
)

# The longest header compared: the longest known one is under 50 characters, and the header
# row is looked for among the first rows of the file, whose cells may be megabytes long.
MAX_HEADER = 120
_GLUED_NUMBER = re.compile(r"\b([a-z]+)([0-9])\b")


def header_key(header: str) -> str:
    """A header as it is compared: :func:`fold`, a number after a word split off
    ("Work Address2" -> "work address 2")."""
    return _GLUED_NUMBER.sub(r"\1 \2", fold(header.strip("\ufeff")))


def column_of(header: str) -> tuple[str, int] | None:
    """(field, rank) of a header, or None when no field takes it."""
    if len(header) > MAX_HEADER:  # a value, not a header: not worth folding (10 MB notes)
        return None
    key = header_key(header)
    if key in COLUMNS:
        return COLUMNS[key]
    words = key.split()
    if {"label", "type"} & set(words):  # Google's "E-mail 1 - Label", Outlook's "E-mail Type"
        return None
    if OTHER_WORDS & set(words):  # "Phone (home fax)", "Business Fax"
        return OTHER, 9
    ranks = [QUALIFIERS[w] for w in words if w in QUALIFIERS]
    base = " ".join(w for w in words if w not in QUALIFIERS and w not in _NOISE)
    if not base or base not in COLUMNS:
        return None
    found_field, rank = COLUMNS[base]
    return found_field, max(ranks) if ranks else rank
