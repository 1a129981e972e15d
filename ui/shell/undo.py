"""Undo: one QUndoCommand over the core's operations (:mod:`visitplanner.edits`).

Every edit of the app is an operation of the core; :func:`push_edit` applies it once (a
user's mistake shows a message and pushes nothing), then pushes an :class:`EditCommand`
holding its inverse. Undo applies the inverse and keeps the inverse's inverse for redo;
records come back under their own ids, so no command remaps ids. The one guard: when the
library changed under a step (a record deleted or changed elsewhere), the status bar says
so and the step leaves the history; no exception leaves ``QUndoStack.undo``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QMessageBox, QWidget

from ui.shell.context import AppContext
from visitplanner.edits import Applied, Operation, SetRows
from visitplanner.errors import VisitPlannerError
from visitplanner.i18n import _
from visitplanner.library import ChangeSet, Library


class EditCommand(QUndoCommand):
    """One undo step: ``text`` names it in Edit > Undo; holds operations, never widgets."""

    def __init__(
        self,
        library: Library,
        text: str,
        applied: Applied,
        report: Callable[[str], None],
        follow: Callable[[ChangeSet, str], None] | None = None,
    ) -> None:
        super().__init__(text)
        self.library = library
        self.report = report
        self.follow = follow
        self.backward: Operation = applied.inverse
        self.forward: Operation | None = None  # None: applied already, by push_edit

    def redo(self) -> None:
        if self.forward is not None:
            self.backward = self._apply(
                self.forward, _("Cannot redo “{action}”. {reason}"), _("Redone: {action}.")
            )

    def undo(self) -> None:
        self.forward = self._apply(
            self.backward, _("Cannot undo “{action}”. {reason}"), _("Undone: {action}.")
        )

    def _apply(self, operation: Operation, failed: str, done: str) -> Operation:
        try:
            applied = operation.apply(self.library)
        except VisitPlannerError as error:
            # The library changed under the step (another edit, the command line): drop it.
            self.setObsolete(True)
            self.report(failed.format(action=self.text(), reason=error))
            return operation
        if self.follow is not None:  # done: showing it cannot undo it
            self.follow(applied.changes, done.format(action=self.text()))
        return applied.inverse


def push_edit(
    context: AppContext, text: str, operation: Operation, parent: QWidget | None = None
) -> Applied | None:
    """Apply ``operation`` to the context's library and push it on its undo stack.

    Returns what it did (``Applied.created`` holds new ids), or None after showing why it
    could not be done. A step that changed nothing is not pushed.
    """
    library = context.library
    try:
        applied = operation.apply(library)
    except VisitPlannerError as error:
        QMessageBox.warning(parent or context.window, _("Cannot make this change"), str(error))
        return None
    if isinstance(applied.inverse, SetRows) and not applied.inverse.rows:
        return applied

    context.undo_stack.push(
        EditCommand(library, text, applied, context.show_status, context.show_changes)
    )
    return applied
