"""The library's SQLite schema and its forward-only migrations.

``PRAGMA application_id`` marks a file as a Visit Planner library;
``PRAGMA user_version`` is the schema version. ``MIGRATIONS[n]`` takes a library from
version n to n + 1; version 0 is an empty file.
"""

from __future__ import annotations

APPLICATION_ID = 0x56504C4E  # "VPLN"

_ORG_KINDS = (
    "'biotech','pharma','medtech','cro_cdmo','hospital','university','research_institute',"
    "'investor','government','association','venue','hotel','other'"
)
_PRECISIONS = "'venue','address','postal','city','manual'"
_MODES = "'walk','transit','taxi','drive','train'"

# Ids are AUTOINCREMENT: a deleted row's id is never given to a new one, so an undo step
# that recreates a record (under a new id) can never be confused with another record
# created meanwhile, by the app or the command line.
SCHEMA_V1 = f"""
CREATE TABLE place (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL DEFAULT '',
    street TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    lat REAL CHECK (lat BETWEEN -90 AND 90),
    lon REAL CHECK (lon BETWEEN -180 AND 180),
    precision TEXT CHECK (precision IN ({_PRECISIONS})),
    source TEXT NOT NULL DEFAULT '',
    CHECK ((lat IS NULL) = (lon IS NULL))
);

CREATE TABLE organization (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind TEXT NOT NULL DEFAULT 'other' CHECK (kind IN ({_ORG_KINDS})),
    website TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    place_id INTEGER REFERENCES place(id) ON DELETE SET NULL,
    cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1))
);
CREATE INDEX organization_place ON organization(place_id);

CREATE TABLE organization_tag (
    organization_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
    tag TEXT NOT NULL CHECK (length(trim(tag)) > 0),
    PRIMARY KEY (organization_id, tag)
) WITHOUT ROWID;

CREATE TABLE contact (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    given_name TEXT NOT NULL DEFAULT '',
    family_name TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    organization_id INTEGER REFERENCES organization(id) ON DELETE SET NULL,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    mobile TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '' CHECK (language IN ('', 'en', 'fr')),
    notes TEXT NOT NULL DEFAULT '',
    CHECK (length(trim(given_name || family_name)) > 0)
);
CREATE INDEX contact_organization ON contact(organization_id);
CREATE INDEX contact_email ON contact(email COLLATE NOCASE) WHERE email <> '';

CREATE TABLE trip (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    region TEXT NOT NULL DEFAULT 'other' CHECK (region IN ('boston','quebec','other')),
    first_day TEXT NOT NULL CHECK (date(first_day) = first_day),
    last_day TEXT NOT NULL CHECK (date(last_day) = last_day),
    timezone TEXT NOT NULL,
    day_start TEXT NOT NULL DEFAULT '08:30',
    day_end TEXT NOT NULL DEFAULT '18:00',
    buffer_minutes INTEGER NOT NULL DEFAULT 10 CHECK (buffer_minutes BETWEEN 0 AND 240),
    default_mode TEXT NOT NULL DEFAULT 'taxi' CHECK (default_mode IN ({_MODES})),
    base_place_id INTEGER REFERENCES place(id) ON DELETE SET NULL,
    language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en','fr')),
    organizer TEXT NOT NULL DEFAULT '',
    emergency TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    CHECK (last_day >= first_day),
    CHECK (day_end > day_start)
);

CREATE TABLE delegate (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trip_id INTEGER NOT NULL REFERENCES trip(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    company TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    colour TEXT NOT NULL DEFAULT '#1f77b4'
);
CREATE INDEX delegate_trip ON delegate(trip_id);

CREATE TABLE meeting (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trip_id INTEGER NOT NULL REFERENCES trip(id) ON DELETE CASCADE,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    kind TEXT NOT NULL DEFAULT 'meeting'
        CHECK (kind IN ('meeting','site_visit','session','meal','transfer','free_time')),
    status TEXT NOT NULL DEFAULT 'requested'
        CHECK (status IN ('requested','proposed','confirmed','cancelled')),
    organization_id INTEGER REFERENCES organization(id) ON DELETE SET NULL,
    place_id INTEGER REFERENCES place(id) ON DELETE SET NULL,
    start TEXT CHECK (start IS NULL OR datetime(start) IS NOT NULL),
    duration_minutes INTEGER NOT NULL DEFAULT 60 CHECK (duration_minutes BETWEEN 1 AND 1440),
    priority INTEGER NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 3),
    fixed INTEGER NOT NULL DEFAULT 0 CHECK (fixed IN (0, 1)),
    mode TEXT CHECK (mode IS NULL OR mode IN ({_MODES})),
    travel_minutes INTEGER CHECK (travel_minutes IS NULL OR travel_minutes >= 0),
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX meeting_trip_start ON meeting(trip_id, start);
CREATE INDEX meeting_organization ON meeting(organization_id);
CREATE INDEX meeting_place ON meeting(place_id);

CREATE TABLE meeting_window (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    start TEXT NOT NULL CHECK (datetime(start) IS NOT NULL),
    "end" TEXT NOT NULL CHECK (datetime("end") IS NOT NULL),
    CHECK ("end" > start)
);
CREATE INDEX meeting_window_meeting ON meeting_window(meeting_id);

CREATE TABLE meeting_delegate (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    delegate_id INTEGER NOT NULL REFERENCES delegate(id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, delegate_id)
) WITHOUT ROWID;
CREATE INDEX meeting_delegate_delegate ON meeting_delegate(delegate_id);

CREATE TABLE meeting_host (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX meeting_host_contact ON meeting_host(contact_id);

CREATE TABLE geocode_cache (
    query_key TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    precision TEXT NOT NULL,
    source TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    fetched_at TEXT NOT NULL DEFAULT (datetime('now'))
);

-- Accent-insensitive search over the directory. rowid = 2*id for contacts and
-- 2*id+1 for organizations; kept in step by the triggers below so no edit path forgets.
CREATE VIRTUAL TABLE directory_fts USING fts5(
    text, kind UNINDEXED, ref UNINDEXED,
    tokenize = "unicode61 remove_diacritics 2", prefix = '1 2 3'
);

CREATE VIEW contact_search_text(id, text) AS
SELECT c.id,
       c.given_name || ' ' || c.family_name || ' ' || c.title || ' '
       -- only the mailbox part: a domain shared by thousands (example.com, gmail.com)
       -- would make every prefix of it match the whole directory
       || substr(c.email, 1, instr(c.email || '@', '@') - 1) || ' ' || c.notes || ' '
       || coalesce(o.name, '') || ' ' || coalesce(p.city, '')
FROM contact c
LEFT JOIN organization o ON o.id = c.organization_id
LEFT JOIN place p ON p.id = o.place_id;

CREATE VIEW organization_search_text(id, text) AS
SELECT o.id,
       o.name || ' ' || o.email || ' ' || o.website || ' ' || o.notes || ' '
       || coalesce(p.name, '') || ' ' || coalesce(p.city, '') || ' '
       || coalesce((SELECT group_concat(tag, ' ') FROM organization_tag t
                    WHERE t.organization_id = o.id), '')
FROM organization o
LEFT JOIN place p ON p.id = o.place_id;

CREATE TRIGGER contact_fts_insert AFTER INSERT ON contact BEGIN
    INSERT INTO directory_fts(rowid, text, kind, ref)
    SELECT 2 * id, text, 'contact', id FROM contact_search_text WHERE id = new.id;
END;
CREATE TRIGGER contact_fts_update AFTER UPDATE ON contact BEGIN
    DELETE FROM directory_fts WHERE rowid = 2 * old.id;
    INSERT INTO directory_fts(rowid, text, kind, ref)
    SELECT 2 * id, text, 'contact', id FROM contact_search_text WHERE id = new.id;
END;
CREATE TRIGGER contact_fts_delete AFTER DELETE ON contact BEGIN
    DELETE FROM directory_fts WHERE rowid = 2 * old.id;
END;

CREATE TRIGGER organization_fts_insert AFTER INSERT ON organization BEGIN
    INSERT INTO directory_fts(rowid, text, kind, ref)
    SELECT 2 * id + 1, text, 'organization', id FROM organization_search_text
    WHERE id = new.id;
END;
CREATE TRIGGER organization_fts_update AFTER UPDATE ON organization BEGIN
    DELETE FROM directory_fts WHERE rowid = 2 * old.id + 1;
    INSERT INTO directory_fts(rowid, text, kind, ref)
    SELECT 2 * id + 1, text, 'organization', id FROM organization_search_text
    WHERE id = new.id;
    DELETE FROM directory_fts
    WHERE rowid IN (SELECT 2 * id FROM contact WHERE organization_id = new.id);
    INSERT INTO directory_fts(rowid, text, kind, ref)
    SELECT 2 * s.id, s.text, 'contact', s.id FROM contact_search_text s
    JOIN contact c ON c.id = s.id WHERE c.organization_id = new.id;
END;
CREATE TRIGGER organization_fts_delete AFTER DELETE ON organization BEGIN
    DELETE FROM directory_fts WHERE rowid = 2 * old.id + 1;
END;

CREATE TRIGGER organization_tag_fts AFTER INSERT ON organization_tag BEGIN
    UPDATE organization SET name = name WHERE id = new.organization_id;
END;
CREATE TRIGGER organization_tag_fts_delete AFTER DELETE ON organization_tag BEGIN
    UPDATE organization SET name = name WHERE id = old.organization_id;
END;

CREATE TRIGGER place_fts_update AFTER UPDATE OF name, city ON place BEGIN
    UPDATE organization SET name = name WHERE place_id = new.id;
END;
"""


def _between(text: str, start: str, end: str) -> str:
    """The statement of SCHEMA_V1 from ``start`` up to and including ``end``."""
    head = text.index(start)
    return text[head : text.index(end, head) + len(end)]


_PLACE_V1 = _between(SCHEMA_V1, "CREATE TABLE place (", ");")
_VIEW_END = "LEFT JOIN place p ON p.id = o.place_id;"
_PLACE_VIEWS = (
    _between(SCHEMA_V1, "CREATE VIEW contact_search_text", _VIEW_END)
    + "\n"
    + _between(SCHEMA_V1, "CREATE VIEW organization_search_text", _VIEW_END)
)
_PLACE_TRIGGER = _between(SCHEMA_V1, "CREATE TRIGGER place_fts_update", "END;")

# Version 2: a place can be located to its street only (precision 'street'), and an answer
# found online is cached with its address (a place made from it later has one). SQLite cannot
# change a CHECK constraint in place, so the table is rebuilt (the documented procedure, run
# with foreign keys off so that no reference to a place is cleared) and the views and trigger
# that read it are made again. The AUTOINCREMENT counter is carried over, so that the id of a
# place deleted before the upgrade is still never given again.
SCHEMA_V2 = f"""
DROP TRIGGER place_fts_update;
DROP VIEW contact_search_text;
DROP VIEW organization_search_text;
{
    _PLACE_V1.replace("CREATE TABLE place (", "CREATE TABLE place_v2 (").replace(
        "'city','manual'", "'city','manual','street'"
    )
}
INSERT INTO place_v2 SELECT id, name, street, city, region, postal_code, country, lat, lon,
    precision, source FROM place;
CREATE TEMP TABLE place_seq AS SELECT seq FROM sqlite_sequence WHERE name = 'place';
DROP TABLE place;
ALTER TABLE place_v2 RENAME TO place;
DELETE FROM sqlite_sequence WHERE name = 'place';
INSERT INTO sqlite_sequence (name, seq) SELECT 'place', seq FROM temp.place_seq;
DROP TABLE temp.place_seq;
{_PLACE_VIEWS}
{_PLACE_TRIGGER}
ALTER TABLE geocode_cache ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE geocode_cache ADD COLUMN street TEXT NOT NULL DEFAULT '';
ALTER TABLE geocode_cache ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE geocode_cache ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE geocode_cache ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE geocode_cache ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE geocode_cache ADD COLUMN kind TEXT NOT NULL DEFAULT '';
"""

# Version 3: a mission's model (issue 15). Times are local wall times of the trip, ISO text,
# as the meetings' are; dates are ISO dates.
# - A delegate has an arrival and a departure (NULL: from the trip's first morning, to its last
#   evening) and how they come and go ("AC 8790 YUL", "VIA 22"), free text.
# - A stay puts the delegation (delegate_id NULL) or one delegate (their own nights override the
#   delegation's) in a hotel from first_night to last_night, both included: the night of date D
#   is the one slept after day D. A night no stay covers falls back on the trip's
#   base_place_id, so a library without stays plans as before. A stay whose hotel is deleted
#   keeps its nights with no hotel (place_id NULL: "hotel to be confirmed", never a guess).
# - A busy block is a delegate's own engagement (a partnering meeting the lead does not
#   schedule); with a place, their travel to and from it counts.
# - A transfer stays a meeting of kind 'transfer' (attendees, the timeline and scheduling keep
#   working): place_id is where it leaves from, to_place_id where it arrives, start the
#   departure and start + duration the arrival; transfer_mode says how, reference names the
#   train or flight ("VIA 22").
SCHEMA_V3 = """
ALTER TABLE delegate ADD COLUMN arrival TEXT
    CHECK (arrival IS NULL OR datetime(arrival) IS NOT NULL);
ALTER TABLE delegate ADD COLUMN departure TEXT
    CHECK (departure IS NULL OR datetime(departure) IS NOT NULL);
ALTER TABLE delegate ADD COLUMN arrival_by TEXT NOT NULL DEFAULT '';
ALTER TABLE delegate ADD COLUMN departure_by TEXT NOT NULL DEFAULT '';

ALTER TABLE meeting ADD COLUMN to_place_id INTEGER REFERENCES place(id) ON DELETE SET NULL;
ALTER TABLE meeting ADD COLUMN transfer_mode TEXT
    CHECK (transfer_mode IS NULL OR transfer_mode IN ('train','flight','coach','drive'));
ALTER TABLE meeting ADD COLUMN reference TEXT NOT NULL DEFAULT '';
CREATE INDEX meeting_to_place ON meeting(to_place_id);

CREATE TABLE stay (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trip_id INTEGER NOT NULL REFERENCES trip(id) ON DELETE CASCADE,
    delegate_id INTEGER REFERENCES delegate(id) ON DELETE CASCADE,
    first_night TEXT NOT NULL CHECK (date(first_night) = first_night),
    last_night TEXT NOT NULL CHECK (date(last_night) = last_night),
    place_id INTEGER REFERENCES place(id) ON DELETE SET NULL,
    CHECK (first_night <= last_night)
);
CREATE INDEX stay_trip ON stay(trip_id);
CREATE INDEX stay_delegate ON stay(delegate_id);
CREATE INDEX stay_place ON stay(place_id);

CREATE TABLE busy (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    delegate_id INTEGER NOT NULL REFERENCES delegate(id) ON DELETE CASCADE,
    start TEXT NOT NULL CHECK (datetime(start) IS NOT NULL),
    "end" TEXT NOT NULL CHECK (datetime("end") IS NOT NULL),
    title TEXT NOT NULL DEFAULT '',
    place_id INTEGER REFERENCES place(id) ON DELETE SET NULL,
    CHECK ("end" > start)
);
CREATE INDEX busy_delegate ON busy(delegate_id);
CREATE INDEX busy_place ON busy(place_id);
"""

# MIGRATIONS[n] brings a library at user_version n to n + 1.
MIGRATIONS: list[str] = [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3]

SCHEMA_VERSION = len(MIGRATIONS)
