"""The Problems dock: the current trip's problems; a click selects their meetings."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QListWidget, QListWidgetItem, QStyle, QWidget

from visitplanner.i18n import _
from visitplanner.planning.checks import Problem, Severity

PROBLEM_MEETINGS_ROLE = Qt.ItemDataRole.UserRole + 10


class ProblemsDock(QDockWidget):
    meetingsActivated = Signal(list)  # the meeting ids of the problem clicked

    def __init__(self, parent: QWidget) -> None:
        super().__init__(_("Problems"), parent)
        self.setObjectName("problems_dock")
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self.activate)
        self.list.itemClicked.connect(self.activate)
        self.setWidget(self.list)
        toggle = self.toggleViewAction()
        toggle.setText(_("&Problems"))
        toggle.setShortcut(QKeySequence("Ctrl+3"))

    def show_problems(self, problems: list[Problem]) -> None:
        self.list.clear()
        style = self.style()
        for problem in problems:
            text = f"{problem.message}\n{problem.fix}" if problem.fix else problem.message
            item = QListWidgetItem(text)
            item.setToolTip(text)
            icon = (
                QStyle.StandardPixmap.SP_MessageBoxCritical
                if problem.severity is Severity.ERROR
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            item.setIcon(style.standardIcon(icon))
            item.setData(PROBLEM_MEETINGS_ROLE, list(problem.meeting_ids))
            self.list.addItem(item)
        count = len(problems)
        self.setWindowTitle(_("Problems ({n})").format(n=count) if count else _("Problems: none"))
        # The dock renames its View menu entry after its title: keep the menu's own text.
        self.toggleViewAction().setText(_("&Problems"))

    def activate(self, item: QListWidgetItem) -> None:
        ids = item.data(PROBLEM_MEETINGS_ROLE)
        self.meetingsActivated.emit([int(i) for i in ids] if isinstance(ids, list) else [])
