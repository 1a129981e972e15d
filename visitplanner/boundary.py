"""The one error boundary: what a person is told when something fails.

The command line and the window both pass every exception that escapes a command, a slot
or a background task through :func:`user_message`. A user's mistake, a storage problem
(SQLite's "database is locked", a full disk, an I/O error), a shortage of memory or a file
that cannot be parsed becomes one sentence; anything else is a bug, told as such, with
details that :func:`redact` has stripped of personal data (email addresses, phone numbers).
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import traceback
from pathlib import Path

from visitplanner.errors import VisitPlannerError
from visitplanner.i18n import _

_EMAIL = re.compile(r"[\w.+\-']+@[\w\-]+(\.[\w\-]+)+")
# Runs of 7+ digits with the separators phone numbers use: "+1 (617) 555-0147".
_PHONE = re.compile(r"\+?\d[\d ().\-]{5,}\d")


def redact(text: str) -> str:
    """``text`` with email addresses and phone numbers replaced by placeholders."""
    text = _EMAIL.sub("<email>", text)
    return _PHONE.sub(lambda m: m.group(0) if len(_digits(m.group(0))) < 7 else "<phone>", text)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def is_expected(error: BaseException) -> bool:
    """True for failures that are not bugs: the user's input, the disk, the memory."""
    return isinstance(
        error,
        VisitPlannerError
        | sqlite3.OperationalError
        | sqlite3.DatabaseError
        | OSError
        | MemoryError
        | RecursionError
        | UnicodeError,
    ) and not isinstance(
        error, sqlite3.ProgrammingError | sqlite3.InterfaceError | sqlite3.IntegrityError
    )


_library: Path | None = None


def set_library(path: Path | None) -> None:
    """The library in use, named by storage errors that do not say which file they are about."""
    global _library
    _library = path


def user_message(error: BaseException, library: Path | None = None) -> str:
    """One sentence for ``error``; a bug gets the sentence that asks for a report."""
    if isinstance(error, VisitPlannerError):
        return str(error)
    if isinstance(error, sqlite3.DatabaseError) and not isinstance(
        error, sqlite3.ProgrammingError | sqlite3.InterfaceError | sqlite3.IntegrityError
    ):
        from visitplanner.library.database import storage_error
        from visitplanner.paths import default_library_path

        return str(storage_error(error, library or _library or default_library_path()))
    if isinstance(error, MemoryError):
        return _(
            "There was not enough memory to finish; nothing was changed. The file or the "
            "selection is probably too large."
        )
    if isinstance(error, RecursionError):
        return _("The input is nested too deeply to be read; nothing was changed.")
    if isinstance(error, UnicodeError):
        return _("The file is not text in an encoding Visit Planner can read; nothing was changed.")
    if isinstance(error, OSError):
        return os_error_message(error)
    return bug_message(error)


def os_error_message(error: OSError) -> str:
    where = error.filename if error.filename is not None else ""
    if error.errno == errno.ENOSPC or error.errno == errno.EDQUOT:
        return _("The disk is full; the last action was not finished. Free some space.")
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _("Permission denied: {path} cannot be read or written.").format(path=where)
    if error.errno == errno.ENOENT:
        return _("{path} does not exist.").format(path=where)
    if error.errno == errno.EIO:
        return _("The disk reported an input/output error with {path}.").format(path=where)
    reason = error.strerror or type(error).__name__
    if where:
        return _("{path}: {reason}").format(path=where, reason=reason)
    return _("The system reported an error: {reason}.").format(reason=reason)


def bug_message(error: BaseException) -> str:
    """The sentence for a bug: where it happened, never its message (which may quote data)."""
    return _(
        "Visit Planner met an unexpected problem ({where}) and stopped this action; what "
        "was saved before is safe. Please report it (set VISITPLANNER_DEBUG=1 to see the "
        "details)."
    ).format(where=bug_location(error))


def bug_location(error: BaseException) -> str:
    """'KeyError in visitplanner/library/trips.py:123' (the innermost frame of ours)."""
    frames = traceback.extract_tb(error.__traceback__)
    place = ""
    for frame in reversed(frames):
        parts = Path(frame.filename).parts
        for root in ("visitplanner", "ui"):
            if root in parts:
                place = "/".join(parts[parts.index(root) :]) + f":{frame.lineno}"
                break
        if place:
            break
    kind = type(error).__name__
    return f"{kind} in {place}" if place else kind


def bug_details(error: BaseException) -> str:
    """The traceback of a bug, for a report, with personal data taken out."""
    text = "".join(traceback.format_exception(error))
    return redact(text)


def debugging() -> bool:
    return bool(os.environ.get("VISITPLANNER_DEBUG"))
