"""Errors a user can cause, each carrying a sentence for that user.

Anything that is not a :class:`VisitPlannerError` is a bug and is reported as one.
"""

from __future__ import annotations


class VisitPlannerError(Exception):
    """A problem the user can understand and act on; ``str(error)`` is the message."""


class InputError(VisitPlannerError):
    """Bad input: an argument, a file to import, a value typed in a dialog."""


class NotFoundError(VisitPlannerError):
    """A trip, delegate, meeting or other record that does not exist."""


class LibraryError(VisitPlannerError):
    """A library file that cannot be opened; the file is left untouched."""


class NotALibraryError(LibraryError):
    pass


class DamagedLibraryError(LibraryError):
    pass


class NewerLibraryError(LibraryError):
    pass


class ReadOnlyLibraryError(LibraryError):
    pass


class LibraryInUseError(LibraryError):
    pass


class LibraryLockedError(LibraryError):
    """Another program (not Visit Planner) holds SQLite's lock on the library."""


class DiskFullError(LibraryError):
    pass


class StorageIOError(LibraryError):
    pass


class Cancelled(VisitPlannerError):
    """Long work stopped because the user asked for it."""


class ChangedElsewhereError(VisitPlannerError):
    """An undo or redo step whose records were changed or deleted since by another edit."""
