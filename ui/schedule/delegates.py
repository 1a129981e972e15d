"""The delegates of a trip: one delegate's dialog and the list that adds, edits and removes
them, each change one undo step."""

from __future__ import annotations

import copy
import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.schedule.fields import (
    Form,
)
from ui.shell.context import AppContext
from ui.shell.undo import push_edit
from visitplanner import edits, rules
from visitplanner.errors import InputError
from visitplanner.exchange.phones import check_email, check_phone
from visitplanner.i18n import _
from visitplanner.library import Library, stays, trips
from visitplanner.model import (
    Delegate,
)

# -- delegates -------------------------------------------------------------------------------

DELEGATE_COLOURS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
)


class DelegateDialog(Form):
    """A delegate's details; with ``library``, also their arrival and departure, their busy
    times and their own hotel nights (saved together: ``edits.SaveDelegate``)."""

    def __init__(
        self, parent: QWidget | None, delegate: Delegate, library: Library | None = None
    ) -> None:
        super().__init__(parent, _("Edit Delegate") if delegate.id else _("New Delegate"))
        self.original = delegate
        self.mission: _MissionPart | None = None
        self.name = QLineEdit(delegate.name)
        self.company = QLineEdit(delegate.company)
        self.title_edit = QLineEdit(delegate.title)
        self.email = QLineEdit(delegate.email)
        self.phone = QLineEdit(delegate.phone)
        self.colour = delegate.colour
        self.colour_button = QPushButton()
        self.colour_button.clicked.connect(self._pick_colour)
        self._show_colour()
        form = QFormLayout()
        form.addRow(_("&Name:"), self.name)
        form.addRow(_("&Company:"), self.company)
        form.addRow(_("&Title:"), self.title_edit)
        form.addRow(_("&Email:"), self.email)
        form.addRow(_("&Phone:"), self.phone)
        form.addRow(_("Co&lour:"), self.colour_button)
        if library is not None:
            self.mission = _MissionPart(library, delegate, form)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(400 if library is None else 640)

    def operation(self) -> edits.Operation:
        """The step that stores what the dialog holds: the delegate with, when they
        changed, their busy times and hotel nights."""
        d = self.value()
        if self.mission is None:
            return edits.Add(d) if d.id is None else edits.Update(d)
        busy, stays = self.mission.busy, self.mission.stays
        return edits.SaveDelegate(
            d,
            busy=tuple(busy.blocks) if busy.changed or d.id is None else None,
            stays=stays.stays() if stays.changed else None,
            new_places=stays.new_places() if stays.changed else (),
        )

    def _show_colour(self) -> None:
        self.colour_button.setText(self.colour)
        self.colour_button.setStyleSheet(
            f"background-color: {self.colour}; color: white; font-weight: bold;"
        )

    def _pick_colour(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.colour), self, _("Delegate colour"))
        if chosen.isValid():
            self.colour = chosen.name()
            self._show_colour()

    def validate(self) -> None:
        self.value()

    def value(self) -> Delegate:
        name = self.name.text().strip()
        if not name:
            raise InputError(_("Give the delegate a name."))
        email, phone = check_email(self.email.text()), check_phone(self.phone.text())
        for checked in (email, phone):
            if checked.problem:
                raise InputError(checked.problem)
        d = copy.deepcopy(self.original)
        d.name, d.company, d.title = name, self.company.text().strip(), self.title_edit.text()
        d.email, d.phone, d.colour = email.value, phone.value, self.colour
        if self.mission is not None:
            self.mission.fill(d)
        return d


class _MissionPart:
    """The delegate dialog's rows of the mission model."""

    def __init__(self, library: Library, delegate: Delegate, form: QFormLayout) -> None:
        from ui.schedule.mission_fields import BusyEditor, MomentField, StaysEditor

        self.trip = trips.get_trip(library, delegate.trip_id)
        t = self.trip
        own = [
            s
            for s in stays.stays(library, delegate.trip_id)
            if delegate.id is not None and s.delegate_id == delegate.id
        ]
        blocks = (
            [b for b in stays.busy_blocks(library, t.id or 0) if b.delegate_id == delegate.id]
            if delegate.id is not None
            else []
        )
        morning = dt.datetime.combine(t.first_day, t.day_start)
        evening = dt.datetime.combine(t.last_day, t.day_end)
        self.arrival = MomentField(_("after the first morning"), delegate.arrival, morning)
        self.departure = MomentField(_("before the last evening"), delegate.departure, evening)
        self.arrival_by = QLineEdit(delegate.arrival_by)
        self.departure_by = QLineEdit(delegate.departure_by)
        for line in (self.arrival_by, self.departure_by):
            line.setPlaceholderText(_("flight or train, e.g. AC 8790 YUL"))
        self.busy = BusyEditor(t, blocks, delegate.id)
        self.stays = StaysEditor(
            library,
            t,
            own,
            delegate.id,
            (
                _("Add &Hotel Nights…"),
                _("Remove Hotel N&ights"),
                _("The delegation's hotel every night."),
            ),
        )
        form.addRow(_("&Arrives:"), self.arrival)
        form.addRow(_("Arri&ving by:"), self.arrival_by)
        form.addRow(_("&Departs:"), self.departure)
        form.addRow(_("Leaving b&y:"), self.departure_by)
        form.addRow(_("Busy times:"), self.busy)
        form.addRow(_("Own hotel nights:"), self.stays)

    def fill(self, d: Delegate) -> None:
        d.arrival, d.departure = self.arrival.value(), self.departure.value()
        d.arrival_by = self.arrival_by.text().strip()
        d.departure_by = self.departure_by.text().strip()
        rules.check_presence(self.trip.first_day, self.trip.last_day, d.arrival, d.departure)


class DelegatesDialog(QDialog):
    """The delegates of one trip: add, edit, remove; each change is one undo step."""

    def __init__(self, context: AppContext, trip_id: int) -> None:
        super().__init__(context.window)
        self.context = context
        self.trip_id = trip_id
        self.setWindowTitle(_("Delegates"))
        self.list = QListWidget()
        self.list.itemDoubleClicked.connect(lambda _item: self.edit())
        add = QPushButton(_("&Add…"))
        add.clicked.connect(self.add)
        edit = QPushButton(_("&Edit…"))
        edit.clicked.connect(self.edit)
        remove = QPushButton(_("&Remove"))
        remove.clicked.connect(self.remove)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons = QVBoxLayout()
        for button in (add, edit, remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(close)
        self.resize(480, 360)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        trip_id = self.trip_id
        for d in trips.delegates(self.context.library, trip_id):
            text = d.name if not d.company else f"{d.name} — {d.company}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, d.id)
            item.setData(Qt.ItemDataRole.DecorationRole, QColor(d.colour))
            self.list.addItem(item)

    def _current(self) -> Delegate | None:
        item = self.list.currentItem()
        if item is None:
            return None
        wanted = item.data(Qt.ItemDataRole.UserRole)
        for d in trips.delegates(self.context.library, self.trip_id):
            if d.id == wanted:
                return d
        return None

    def add(self) -> None:
        trip_id = self.trip_id
        count = self.list.count()
        fresh = Delegate(trip_id, "", colour=DELEGATE_COLOURS[count % len(DELEGATE_COLOURS)])
        dialog = DelegateDialog(self, fresh, self.context.library)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            d = dialog.value()
            text = _("New Delegate “{name}”").format(name=d.name)
            push_edit(self.context, text, dialog.operation(), self)
            self.reload()

    def edit(self) -> None:
        d = self._current()
        if d is None:
            return
        dialog = DelegateDialog(self, d, self.context.library)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            text = _("Edit Delegate “{name}”").format(name=d.name)
            push_edit(self.context, text, dialog.operation(), self)
            self.reload()

    def remove(self) -> None:
        d = self._current()
        if d is None or d.id is None:
            return
        answer = QMessageBox.question(
            self,
            _("Remove Delegate"),
            _("Remove {name} from the trip? Their meetings stay, without them.").format(
                name=d.name
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        text = _("Remove Delegate “{name}”").format(name=d.name)
        push_edit(self.context, text, edits.Delete("delegate", d.id), self)
        self.reload()
