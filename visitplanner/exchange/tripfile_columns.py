"""What a trip file holds, and how a sentence names its parts.

Only the tables and columns in :data:`EXPECTED` are read (each text value cut at its bound);
:data:`RECORD` names a row ("Meeting 12") and :data:`COLUMN_LABELS` a column in the
reader's language.
"""

from __future__ import annotations

from visitplanner import rules
from visitplanner.i18n import N_

# The tables and columns a trip file has; only these are read.
_S, _L = rules.MAX_SHORT_TEXT, rules.MAX_LONG_TEXT
_NUMBER = 0  # not text: read at most a few characters of it in case it is
EXPECTED: dict[str, dict[str, int]] = {
    "place": {
        "id": _NUMBER,
        "name": _S,
        "street": _S,
        "city": _S,
        "region": _S,
        "postal_code": _S,
        "country": _S,
        "lat": _NUMBER,
        "lon": _NUMBER,
        "precision": _S,
        "source": _S,
    },
    "organization": {
        "id": _NUMBER,
        "name": _S,
        "kind": _S,
        "website": _S,
        "phone": _S,
        "email": _S,
        "notes": _L,
        "place_id": _NUMBER,
        "cancelled": _NUMBER,
    },
    "organization_tag": {"organization_id": _NUMBER, "tag": _S},
    "contact": {
        "id": _NUMBER,
        "given_name": _S,
        "family_name": _S,
        "title": _S,
        "organization_id": _NUMBER,
        "email": _S,
        "phone": _S,
        "mobile": _S,
        "language": _S,
        "notes": _L,
    },
    "trip": {
        "id": _NUMBER,
        "name": _S,
        "region": _S,
        "first_day": _S,
        "last_day": _S,
        "timezone": _S,
        "day_start": _S,
        "day_end": _S,
        "buffer_minutes": _NUMBER,
        "default_mode": _S,
        "base_place_id": _NUMBER,
        "language": _S,
        "organizer": _S,
        "emergency": _S,
        "notes": _L,
    },
    "delegate": {
        "id": _NUMBER,
        "trip_id": _NUMBER,
        "name": _S,
        "company": _S,
        "title": _S,
        "email": _S,
        "phone": _S,
        "colour": _S,
        "arrival": _S,
        "departure": _S,
        "arrival_by": _S,
        "departure_by": _S,
    },
    "meeting": {
        "id": _NUMBER,
        "trip_id": _NUMBER,
        "title": _S,
        "kind": _S,
        "status": _S,
        "organization_id": _NUMBER,
        "place_id": _NUMBER,
        "start": _S,
        "duration_minutes": _NUMBER,
        "priority": _NUMBER,
        "fixed": _NUMBER,
        "mode": _S,
        "travel_minutes": _NUMBER,
        "notes": _L,
        "to_place_id": _NUMBER,
        "transfer_mode": _S,
        "reference": _S,
    },
    "meeting_window": {"id": _NUMBER, "meeting_id": _NUMBER, "start": _S, "end": _S},
    "meeting_delegate": {"meeting_id": _NUMBER, "delegate_id": _NUMBER},
    "meeting_host": {"meeting_id": _NUMBER, "contact_id": _NUMBER},
    "stay": {
        "id": _NUMBER,
        "trip_id": _NUMBER,
        "delegate_id": _NUMBER,
        "first_night": _S,
        "last_night": _S,
        "place_id": _NUMBER,
    },
    "busy": {
        "id": _NUMBER,
        "delegate_id": _NUMBER,
        "start": _S,
        "end": _S,
        "title": _S,
        "place_id": _NUMBER,
    },
}

# What a trip file of an older format may lack: the file is read with these columns NULL
# (their default) and these tables empty. Version 3 added the mission model.
ADDED_IN: dict[int, dict[str, tuple[str, ...]]] = {
    3: {
        "delegate": ("arrival", "departure", "arrival_by", "departure_by"),
        "meeting": ("to_place_id", "transfer_mode", "reference"),
        "stay": tuple(EXPECTED["stay"]),
        "busy": tuple(EXPECTED["busy"]),
    }
}


def optional_columns(version: int) -> dict[str, set[str]]:
    """table -> the columns a trip file of format ``version`` may lack."""
    out: dict[str, set[str]] = {}
    for added, tables in ADDED_IN.items():
        if version < added:
            for table, columns in tables.items():
                out.setdefault(table, set()).update(columns)
    return out


# How a sentence names a row: "Meeting 12", "A host of meeting 7".
RECORD = {
    "place": N_("Place {id}"),
    "organization": N_("Organization {id}"),
    "organization_tag": N_("A tag of organization {id}"),
    "contact": N_("Contact {id}"),
    "trip": N_("Trip {id}"),
    "delegate": N_("Delegate {id}"),
    "meeting": N_("Meeting {id}"),
    "meeting_window": N_("Availability window {id}"),
    "meeting_delegate": N_("An attendee of meeting {id}"),
    "meeting_host": N_("A host of meeting {id}"),
    "stay": N_("Stay {id}"),
    "busy": N_("Busy time {id}"),
}
ID_COLUMN = {
    "organization_tag": "organization_id",
    "meeting_delegate": "meeting_id",
    "meeting_host": "meeting_id",
}


# What a sentence calls a column (the others are named as the file does).
COLUMN_LABELS = {
    "status": N_("status"),
    "kind": N_("kind"),
    "region": N_("region"),
    "mode": N_("travel mode"),
    "precision": N_("precision"),
    "language": N_("language"),
    "colour": N_("colour"),
    "name": N_("name"),
    "title": N_("title"),
    "start": N_("start"),
    "end": N_("end"),
    "first_day": N_("first day"),
    "last_day": N_("last day"),
    "day_start": N_("start of the day"),
    "day_end": N_("end of the day"),
    "duration_minutes": N_("duration"),
    "priority": N_("priority"),
    "timezone": N_("time zone"),
    "notes": N_("notes"),
    "arrival": N_("arrival"),
    "departure": N_("departure"),
    "first_night": N_("first night"),
    "last_night": N_("last night"),
    "transfer_mode": N_("transfer mode"),
}
