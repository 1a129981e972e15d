"""Plan > Arrange…: run auto-arrange off the GUI thread, show its proposal as ghost blocks on
the timeline with the requests it could not place, then Accept (one undo step) or Discard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from ui.shell.formats import format_day_short, format_time
from ui.shell.tasks import Progress
from ui.shell.undo import push_edit
from visitplanner.edits import AcceptArrangement
from visitplanner.i18n import _, ngettext
from visitplanner.planning.snapshot import load_snapshot

if TYPE_CHECKING:  # the solver/parser modules load when used, not at start-up
    from ui.schedule.timeline_area import ScheduleArea
    from visitplanner.planning.arrange import Arrangement


class ProposalBar(QFrame):
    """What auto-arrange proposes: counts, unplaced requests with reasons, Accept/Discard."""

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("ProposalBar { background: #fff8e1; }")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.accept_button = QPushButton(_("&Accept Proposal"))
        self.discard_button = QPushButton(_("&Discard"))
        self.unplaced = QListWidget()
        self.unplaced.setWordWrap(True)
        self.unplaced.setMaximumHeight(90)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.accept_button)
        top.addWidget(self.discard_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addWidget(self.unplaced)

    def show_arrangement(self, arrangement: Arrangement) -> None:
        placed, unplaced = len(arrangement.placed), len(arrangement.unplaced)
        parts = [
            ngettext(
                "Auto-arrange proposes a time for {n} request (dashed blocks).",
                "Auto-arrange proposes times for {n} requests (dashed blocks).",
                placed,
            ).format(n=placed),
            ngettext(
                "{n} request could not be placed.", "{n} requests could not be placed.", unplaced
            ).format(n=unplaced)
            if unplaced
            else _("Every request fits."),
            _("Travel in all: {minutes} min.").format(minutes=arrangement.travel_minutes),
        ]
        self.summary.setText(" ".join(parts))
        self.unplaced.clear()
        for u in arrangement.unplaced:
            item = QListWidgetItem(_("“{title}”: {reason}").format(title=u.title, reason=u.reason))
            item.setData(Qt.ItemDataRole.UserRole, u.meeting_id)
            self.unplaced.addItem(item)
        self.unplaced.setVisible(bool(unplaced))
        self.accept_button.setEnabled(bool(placed))
        for p in arrangement.placed[:1]:
            self.accept_button.setToolTip(
                _("First proposed meeting: {day}, {time}.").format(
                    day=format_day_short(p.start.date()), time=format_time(p.start)
                )
            )


class ArrangeController(QObject):
    def __init__(self, area: ScheduleArea, time_limit: float = 4.0) -> None:
        super().__init__(area)
        self.area = area
        self.context = area.context
        self.time_limit = time_limit
        self.arrangement: Arrangement | None = None
        self.bar = ProposalBar()
        self.bar.hide()
        area.proposal_slot.addWidget(self.bar)
        self.bar.accept_button.clicked.connect(self.accept)
        self.bar.discard_button.clicked.connect(self.discard)
        self.bar.unplaced.itemClicked.connect(
            lambda item: self.context.select_meetings([int(item.data(Qt.ItemDataRole.UserRole))])
        )
        self.action = QAction(_("&Arrange…"), self.context.window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.action.setStatusTip(_("Propose times for the requests around the scheduled meetings"))
        self.action.triggered.connect(self.start)
        area.plan_menu.addAction(self.action)
        self.context.tripChanged.connect(lambda _trip: self.discard())

    def start(self) -> None:
        trip_id = self.context.trip_id
        if trip_id is None:
            return
        self.discard()
        # The worker gets a snapshot, never the GUI thread's library connection.
        library = self.context.library
        snap = load_snapshot(library, trip_id)
        limit = self.time_limit

        def work(progress: Progress) -> Arrangement:
            from visitplanner.planning.arrange import arrange

            return arrange(snap, time_limit=limit, progress=progress)

        def done(arrangement: Arrangement) -> None:
            # Another library opened meanwhile may hold a trip with the same id: drop it.
            if self.context.library is library:
                self.show(arrangement)

        self.context.run_task(work, done, title=_("Arranging the requests…"))

    def show(self, arrangement: Arrangement) -> None:
        if arrangement.trip_id != self.context.trip_id:
            return
        self.arrangement = arrangement
        self.area.set_proposal(
            {p.meeting_id: (p.start, list(p.delegate_ids)) for p in arrangement.placed}
        )
        self.bar.show_arrangement(arrangement)
        self.bar.show()
        self.area.show_view(1)
        if arrangement.placed:
            self.area.show_day(arrangement.placed[0].start.date())

    def accept(self) -> bool:
        arrangement = self.arrangement
        if arrangement is None:
            return False
        n = len(arrangement.placed)
        text = ngettext("Arrange {n} request", "Arrange {n} requests", n).format(n=n)
        done = push_edit(self.context, text, AcceptArrangement(arrangement)) is not None
        self.discard()
        return done

    def discard(self) -> None:
        self.arrangement = None
        self.bar.hide()
        if self.area.proposal:
            self.area.set_proposal({})
