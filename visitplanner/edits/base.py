"""The one protocol every edit follows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from visitplanner.edits.rows import Applied
    from visitplanner.library import Library


class Operation(Protocol):
    """A user's action on the library.

    ``apply`` does it in one transaction (``lib.write()``) and returns an
    :class:`~visitplanner.edits.rows.Applied`: what it changed and its exact inverse,
    itself an operation. A record it cannot find raises NotFoundError; a value the
    library refuses raises InputError; nothing is written then.
    """

    def apply(self, lib: Library) -> Applied: ...
