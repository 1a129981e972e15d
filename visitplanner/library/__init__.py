"""SQLite storage of a library: schema, migrations, queries, change events."""

from visitplanner.library.database import Library
from visitplanner.library.events import Change, ChangeSet

__all__ = ["Change", "ChangeSet", "Library"]
