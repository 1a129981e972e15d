"""The mission model's editors, shared by the trip and delegates dialogs: hotel nights (a list
of stays: nights -> hotel, with the find-or-create place field), busy times, and a
delegate's arrival and departure. They collect values; the dialogs' callers store them as one
step (``edits.SetStays``, ``edits.SaveDelegate``)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.schedule.fields import Form, date_format, hint, pydate, pytime, qdate, qtime, time_format
from ui.shell.formats import format_day_short, format_time
from ui.shell.place_field import PlaceField
from ui.shell.when_fields import DateField, DateTimeField, TimeField
from visitplanner import rules
from visitplanner.errors import InputError
from visitplanner.i18n import _
from visitplanner.library import Library, directory
from visitplanner.model import BusyBlock, Place, Stay, Trip


def _list_with_buttons(
    owner: QWidget, items: QListWidget, add: QPushButton, remove: QPushButton
) -> None:
    """The list, and its buttons in a row under it (the list keeps the dialog's width for
    long lines such as "Nights of Sun May 12 to Tue May 14: Fairmont The Queen Elizabeth")."""
    items.setWordWrap(True)
    buttons = QHBoxLayout()
    buttons.addWidget(add)
    buttons.addWidget(remove)
    buttons.addStretch(1)
    column = QVBoxLayout(owner)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(items, 1)
    column.addLayout(buttons)


# -- hotel nights -----------------------------------------------------------------------------


class StayDialog(Form):
    """Nights from a first to a last night (both included) at one hotel."""

    def __init__(
        self, parent: QWidget | None, library: Library, trip: Trip, stay: Stay, new: Place | None
    ) -> None:
        super().__init__(parent, _("Hotel Nights"))
        self.trip = trip
        self.original = stay
        self.first_night = DateField(qdate(stay.first_night))
        self.last_night = DateField(qdate(stay.last_night))
        for edit in (self.first_night, self.last_night):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
        self.hotel = PlaceField(
            library,
            stay.place_id,
            empty_text=_("Type the hotel's name or address"),
            region=lambda: trip.region.value,
        )
        if new is not None:
            self.hotel.set_default(new)
        form = QFormLayout()
        form.addRow(_("&First night:"), self.first_night)
        form.addRow(_("&Last night:"), self.last_night)
        form.addRow(_("&Hotel:"), self.hotel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.finished.connect(lambda _result: self.hotel.close_lookups())

    def validate(self) -> None:
        self.value()

    def value(self) -> tuple[Stay, Place | None]:
        """The stay and, when its hotel was found by geocoding, the place to add."""
        first, last = pydate(self.first_night.date()), pydate(self.last_night.date())
        rules.check_stay(self.trip.first_day, self.trip.last_day, first, last)
        new = self.hotel.place_to_add()
        place_id = self.hotel.place_id()
        if place_id is None and new is None:
            raise InputError(_("Choose the hotel of these nights."))
        stay = dataclasses.replace(
            self.original, first_night=first, last_night=last, place_id=place_id
        )
        return stay, new


class StaysEditor(QWidget):
    """A list of stays (the delegation's, or one delegate's own) with Add and Remove;
    double-click edits one. ``stays()`` and ``new_places()`` are what to store."""

    def __init__(
        self,
        library: Library,
        trip: Trip,
        stays: list[Stay],
        delegate_id: int | None,
        texts: tuple[str, str, str],
    ) -> None:
        super().__init__()
        self.library = library
        self.trip = trip
        self.delegate_id = delegate_id
        self.empty_text = texts[2]
        self.items: list[tuple[Stay, Place | None]] = [(copy.deepcopy(s), None) for s in stays]
        self.changed = False
        self.list = QListWidget()
        self.list.setMaximumHeight(90)
        self.list.itemDoubleClicked.connect(lambda _item: self.edit())
        self.add_button = QPushButton(texts[0])
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton(texts[1])
        self.remove_button.clicked.connect(self.remove)
        _list_with_buttons(self, self.list, self.add_button, self.remove_button)
        self._show()

    def _label(self, stay: Stay, new: Place | None) -> str:
        place = new or (
            directory.places(self.library, [stay.place_id]).get(stay.place_id)
            if stay.place_id is not None
            else None
        )
        hotel = place.label() if place is not None else _("hotel to be confirmed")
        return _("Nights of {first} to {last}: {hotel}").format(
            first=format_day_short(stay.first_night),
            last=format_day_short(stay.last_night),
            hotel=hotel,
        )

    def _show(self) -> None:
        self.list.clear()
        self.items.sort(key=lambda item: item[0].first_night)
        for stay, new in self.items:
            self.list.addItem(QListWidgetItem(self._label(stay, new)))
        if not self.items:
            hint(self.list, self.empty_text)
        self.remove_button.setEnabled(bool(self.items))

    def _open(self, stay: Stay, new: Place | None) -> tuple[Stay, Place | None] | None:
        dialog = StayDialog(self, self.library, self.trip, stay, new)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.value()

    def add(self) -> None:
        last = self.items[-1][0].last_night if self.items else None
        first = last + dt.timedelta(days=1) if last else self.trip.first_day - dt.timedelta(1)
        first = min(first, self.trip.last_day)
        fresh = Stay(
            self.trip.id or 0,
            first,
            max(first, self.trip.last_day - dt.timedelta(1)),
            None,
            self.delegate_id,
        )
        result = self._open(fresh, None)
        if result is not None:
            self.items.append(result)
            self.changed = True
            self._show()

    def edit(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.items):
            return
        result = self._open(*self.items[row])
        if result is not None:
            self.items[row] = result
            self.changed = True
            self._show()

    def remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.items):
            del self.items[row]
            self.changed = True
            self._show()

    def stays(self) -> tuple[Stay, ...]:
        return tuple(stay for stay, _new in self.items)

    def new_places(self) -> tuple[Place | None, ...]:
        return tuple(new for _stay, new in self.items)


# -- busy times -------------------------------------------------------------------------------


class BusyDialog(Form):
    """One busy time: a day, a start and an end, a title."""

    def __init__(self, parent: QWidget | None, trip: Trip, block: BusyBlock) -> None:
        super().__init__(parent, _("Busy Time"))
        self.trip = trip
        self.original = block
        self.day = DateField(qdate(block.start.date()))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat(date_format())
        self.start = TimeField(qtime(block.start.time()))
        self.end = TimeField(qtime(block.end.time()))
        for edit in (self.start, self.end):
            edit.setDisplayFormat(time_format())
        self.title_edit = QLineEdit(block.title)
        self.title_edit.setPlaceholderText(_("e.g. partnering meeting at the convention"))
        form = QFormLayout()
        form.addRow(_("&Day:"), self.day)
        form.addRow(_("&Starts:"), self.start)
        form.addRow(_("&Ends:"), self.end)
        form.addRow(_("&What:"), self.title_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(400)

    def validate(self) -> None:
        self.value()

    def value(self) -> BusyBlock:
        day = pydate(self.day.date())
        start = dt.datetime.combine(day, pytime(self.start.time()))
        end = dt.datetime.combine(day, pytime(self.end.time()))
        rules.check_busy(self.trip.first_day, self.trip.last_day, start, end)
        return dataclasses.replace(
            self.original, start=start, end=end, title=self.title_edit.text().strip()
        )


class BusyEditor(QWidget):
    """A delegate's busy times with Add and Remove; double-click edits one."""

    def __init__(self, trip: Trip, blocks: list[BusyBlock], delegate_id: int | None) -> None:
        super().__init__()
        self.trip = trip
        self.delegate_id = delegate_id or 0
        self.blocks = [copy.deepcopy(b) for b in blocks]
        self.changed = False
        self.list = QListWidget()
        self.list.setMaximumHeight(90)
        self.list.itemDoubleClicked.connect(lambda _item: self.edit())
        self.add_button = QPushButton(_("Add &Busy Time…"))
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton(_("Remove B&usy Time"))
        self.remove_button.clicked.connect(self.remove)
        _list_with_buttons(self, self.list, self.add_button, self.remove_button)
        self._show()

    def _show(self) -> None:
        self.list.clear()
        self.blocks.sort(key=lambda b: b.start)
        for b in self.blocks:
            when = _("{day}, {start}–{end}").format(
                day=format_day_short(b.start.date()),
                start=format_time(b.start),
                end=format_time(b.end),
            )
            text = f"{when} · {b.title}" if b.title else when
            self.list.addItem(QListWidgetItem(text))
        if not self.blocks:
            hint(self.list, _("No busy time: free for the whole of their stay."))
        self.remove_button.setEnabled(bool(self.blocks))

    def _open(self, block: BusyBlock) -> BusyBlock | None:
        dialog = BusyDialog(self, self.trip, block)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.value()

    def add(self) -> None:
        day = self.blocks[-1].start.date() if self.blocks else self.trip.first_day
        start = dt.datetime.combine(day, dt.time(10))
        result = self._open(BusyBlock(self.delegate_id, start, start + dt.timedelta(minutes=30)))
        if result is not None:
            self.blocks.append(result)
            self.changed = True
            self._show()

    def edit(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.blocks):
            return
        result = self._open(self.blocks[row])
        if result is not None:
            self.blocks[row] = result
            self.changed = True
            self._show()

    def remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.blocks):
            del self.blocks[row]
            self.changed = True
            self._show()


# -- arrival and departure --------------------------------------------------------------------


class MomentField(QWidget):
    """A checkbox ("Arrives later than the first morning") and the date and time it opens."""

    def __init__(self, text: str, moment: dt.datetime | None, default: dt.datetime) -> None:
        super().__init__()
        self.check = QCheckBox(text)
        self.check.setChecked(moment is not None)
        when = moment or default
        self.edit = DateTimeField(QDateTime(qdate(when.date()), qtime(when.time())))
        self.edit.setDisplayFormat(f"{date_format()} {time_format()}")
        self.edit.setEnabled(moment is not None)
        self.check.toggled.connect(self.edit.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.check)
        row.addWidget(self.edit, 1)
        self.setFocusProxy(self.check)

    def value(self) -> dt.datetime | None:
        if not self.check.isChecked():
            return None
        value = self.edit.dateTime()
        return dt.datetime.combine(pydate(value.date()), pytime(value.time()))

    def set_value(self, moment: dt.datetime | None) -> None:
        """As a person would: tick the box and type the date and time (tests use it)."""
        self.check.setChecked(moment is not None)
        if moment is not None:
            self.edit.setDateTime(QDateTime(qdate(moment.date()), qtime(moment.time())))
