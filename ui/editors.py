"""Dialogs that create and edit trips, delegates and meetings.

A dialog only collects and validates values; the entry points at the bottom turn an accepted
dialog into one undo command (``ui.undo``) on the window's undo stack.
"""

from __future__ import annotations

import copy
import datetime as dt
import zoneinfo
from functools import cache
from typing import Any

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ui.forms import ERROR_STYLE, ValidatingDialog
from ui.undo import push_edit
from visitplanner import edits, rules
from visitplanner.availability import format_availability, parse_availability
from visitplanner.errors import InputError, VisitPlannerError
from visitplanner.exchange.phones import check_email, check_phone
from visitplanner.i18n import _, current
from visitplanner.library import Library, directory, trips
from visitplanner.localtime import check_wall_time
from visitplanner.model import (
    MEETING_KIND_LABELS,
    MODE_LABELS,
    PRECISION_LABELS,
    REGION_LABELS,
    STATUS_LABELS,
    Delegate,
    Language,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Place,
    Region,
    TravelMode,
    Trip,
)
from visitplanner.names import name_key

NEW_PLACE = -1  # the place combo's entry for a place found by geocoding
WARNING_STYLE = "color: #8a5a00;"  # a note that does not stop OK (beside forms.ERROR_STYLE)


def _priority_label(priority: int) -> str:
    return {1: _("High"), 2: _("Normal"), 3: _("Low")}[priority]


@cache
def time_zones() -> list[str]:
    return sorted(z for z in zoneinfo.available_timezones() if "/" in z)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _qtime(moment: dt.time) -> QTime:
    return QTime(moment.hour, moment.minute)


def _pytime(value: QTime) -> dt.time:
    return dt.time(value.hour(), value.minute())


def date_format() -> str:
    """A QDateEdit format in the window's language: 'Mon Jun 5, 2023' / 'lun. 5 juin 2023'."""
    return "ddd d MMM yyyy" if current().language == "fr" else "ddd MMM d, yyyy"


def time_format() -> str:
    """A QTimeEdit format as the schedule writes times: '2:30 PM' / '14 h 30'."""
    return "HH 'h' mm" if current().language == "fr" else "h:mm AP"


def _buddy(text: str, widget: QWidget) -> QLabel:
    """A form label whose &-shortcut focuses ``widget`` (for rows holding a layout)."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def _hint(widget: QListWidget, text: str) -> None:
    """A greyed sentence in an empty list, saying why it is empty (not a choice)."""
    item = QListWidgetItem(text)
    item.setFlags(Qt.ItemFlag.NoItemFlags)
    widget.addItem(item)


def _searchable(combo: QComboBox) -> None:
    """Let the user type to find an entry (contains, case-insensitive)."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = combo.completer()
    if completer is not None:
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


def _picked(combo: QComboBox, message: str) -> Any:
    """The data of the entry whose text the user typed; else InputError(message) naming it.

    An entry matches as names match everywhere (visitplanner.names.name_key): "harbor assay"
    picks "Harbor Assay, Inc."."""
    index = combo.findText(combo.currentText(), Qt.MatchFlag.MatchFixedString)
    if index < 0 and (key := name_key(combo.currentText())):
        index = next((i for i in range(combo.count()) if name_key(combo.itemText(i)) == key), -1)
    if index < 0:
        raise InputError(message.format(text=combo.currentText()))
    combo.setCurrentIndex(index)
    return combo.itemData(index)


class _Form(ValidatingDialog):
    """The editors of this module: see ui.forms.ValidatingDialog."""


# -- trip ------------------------------------------------------------------------------------


class TripDialog(_Form):
    def __init__(self, parent: QWidget | None, library: Library, trip: Trip | None) -> None:
        super().__init__(parent, _("Edit Trip") if trip else _("New Trip"))
        today = dt.date.today()
        self.original = trip or Trip("", today, today + dt.timedelta(days=3))
        t = self.original
        self.name = QLineEdit(t.name)
        self.region = QComboBox()
        for region, label in REGION_LABELS.items():
            self.region.addItem(_(label), region)
        self.region.setCurrentIndex(self.region.findData(t.region))
        self.first_day = QDateEdit(_qdate(t.first_day))
        self.last_day = QDateEdit(_qdate(t.last_day))
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
        self.timezone = QComboBox()
        self.timezone.addItems(time_zones())
        _searchable(self.timezone)
        self.timezone.setCurrentText(t.timezone)
        self.day_start = QTimeEdit(_qtime(t.day_start))
        self.day_end = QTimeEdit(_qtime(t.day_end))
        for time_edit in (self.day_start, self.day_end):
            time_edit.setDisplayFormat(time_format())
        self.buffer = QSpinBox()
        self.buffer.setRange(*rules.BUFFER_MINUTES)
        self.buffer.setSuffix(_(" min"))
        self.buffer.setValue(t.buffer_minutes)
        self.mode = QComboBox()
        for mode, label in MODE_LABELS.items():
            self.mode.addItem(_(label), mode)
        self.mode.setCurrentIndex(self.mode.findData(t.default_mode))
        self.base = QComboBox()
        self.base.addItem(_("(none)"), None)
        for place_id, place in sorted(
            directory.places(library).items(), key=lambda kv: kv[1].label().casefold()
        ):
            self.base.addItem(place.label(), place_id)
        _searchable(self.base)
        self.base.setCurrentIndex(max(0, self.base.findData(t.base_place_id)))
        self.language = QComboBox()
        self.language.addItem("English", Language.EN)
        self.language.addItem("Français", Language.FR)
        self.language.setCurrentIndex(self.language.findData(t.language))
        self.organizer = QLineEdit(t.organizer)
        self.emergency = QLineEdit(t.emergency)
        for line in (self.organizer, self.emergency):
            line.setCursorPosition(0)
        self.notes = QPlainTextEdit(t.notes)
        self.notes.setFixedHeight(70)
        hours = QHBoxLayout()
        hours.addWidget(self.day_start)
        hours.addWidget(QLabel("–"))
        hours.addWidget(self.day_end)
        hours.addStretch(1)
        days = QHBoxLayout()
        days.addWidget(self.first_day)
        days.addWidget(QLabel("–"))
        days.addWidget(self.last_day)
        days.addStretch(1)
        form = QFormLayout()
        form.addRow(_("&Name:"), self.name)
        form.addRow(_("&Region:"), self.region)
        form.addRow(_buddy(_("&Days:"), self.first_day), days)
        form.addRow(_("&Time zone:"), self.timezone)
        form.addRow(_buddy(_("Da&y hours:"), self.day_start), hours)
        form.addRow(_("&Buffer between meetings:"), self.buffer)
        form.addRow(_("Default travel &mode:"), self.mode)
        form.addRow(_("&Hotel (base):"), self.base)
        form.addRow(_("Output &language:"), self.language)
        form.addRow(_("Or&ganizer:"), self.organizer)
        form.addRow(_("&Emergency contacts:"), self.emergency)
        form.addRow(_("N&otes:"), self.notes)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)

    def validate(self) -> None:
        self.value()

    def value(self) -> Trip:
        name = self.name.text().strip()
        if not name:
            raise InputError(_("Give the trip a name."))
        first, last = _pydate(self.first_day.date()), _pydate(self.last_day.date())
        rules.check_trip_days(first, last)
        zone = self.timezone.currentText().strip()
        if zone not in time_zones():
            raise InputError(
                _("“{zone}” is not a time zone; pick one such as America/New_York.").format(
                    zone=zone
                )
            )
        start, end = _pytime(self.day_start.time()), _pytime(self.day_end.time())
        rules.check_day_hours(start, end)
        base = _picked(self.base, _("“{text}” is not one of the directory's places."))
        trip = copy.deepcopy(self.original)
        trip.name = name
        trip.region = Region(self.region.currentData())
        trip.first_day, trip.last_day = first, last
        trip.timezone = zone
        trip.day_start, trip.day_end = start, end
        trip.buffer_minutes = self.buffer.value()
        trip.default_mode = TravelMode(self.mode.currentData())
        trip.base_place_id = base
        trip.language = Language(self.language.currentData())
        trip.organizer = self.organizer.text().strip()
        trip.emergency = self.emergency.text().strip()
        trip.notes = self.notes.toPlainText().strip()
        return trip


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


class DelegateDialog(_Form):
    def __init__(self, parent: QWidget | None, delegate: Delegate) -> None:
        super().__init__(parent, _("Edit Delegate") if delegate.id else _("New Delegate"))
        self.original = delegate
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
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(400)

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
        return d


class DelegatesDialog(QDialog):
    """The delegates of one trip: add, edit, remove; each change is one undo step."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window_ = window
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
        trip_id = self.window_.trip_id
        if trip_id is None:
            return
        for d in trips.delegates(self.window_.library, trip_id):
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
        for d in trips.delegates(self.window_.library, self.window_.trip_id):
            if d.id == wanted:
                return d
        return None

    def add(self) -> None:
        trip_id = self.window_.trip_id
        count = self.list.count()
        fresh = Delegate(trip_id, "", colour=DELEGATE_COLOURS[count % len(DELEGATE_COLOURS)])
        dialog = DelegateDialog(self, fresh)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            d = dialog.value()
            text = _("New Delegate “{name}”").format(name=d.name)
            push_edit(self.window_, text, edits.Add(d), self)
            self.reload()

    def edit(self) -> None:
        d = self._current()
        if d is None:
            return
        dialog = DelegateDialog(self, d)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            text = _("Edit Delegate “{name}”").format(name=d.name)
            push_edit(self.window_, text, edits.Update(dialog.value()), self)
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
        push_edit(self.window_, text, edits.Delete("delegate", d.id), self)
        self.reload()


# -- meeting ---------------------------------------------------------------------------------


class MeetingDialog(_Form):
    def __init__(
        self, parent: QWidget | None, library: Library, trip: Trip, meeting: Meeting
    ) -> None:
        super().__init__(parent, _("Edit Meeting") if meeting.id else _("New Meeting"))
        self.library = library
        self.trip = trip
        self.original = meeting
        m = meeting
        self.title_edit = QLineEdit(m.title)
        self.kind = QComboBox()
        for kind, label in MEETING_KIND_LABELS.items():
            self.kind.addItem(_(label), kind)
        self.kind.setCurrentIndex(self.kind.findData(m.kind))
        self.status = QComboBox()
        for status, label in STATUS_LABELS.items():
            self.status.addItem(_(label), status)
        self.status.setCurrentIndex(self.status.findData(m.status))
        self.organizations = directory.organizations(library)
        self.organization = QComboBox()
        self.organization.addItem(_("(none)"), None)
        for org in sorted(self.organizations.values(), key=lambda o: o.name.casefold()):
            self.organization.addItem(org.name, org.id)
        _searchable(self.organization)
        self.organization.setCurrentIndex(max(0, self.organization.findData(m.organization_id)))
        self.place = QComboBox()
        self.place.addItem(_("(the organization's place)"), None)
        for place_id, place in sorted(
            directory.places(library).items(), key=lambda kv: kv[1].label().casefold()
        ):
            self.place.addItem(place.label(), place_id)
        _searchable(self.place)
        self.place.setCurrentIndex(max(0, self.place.findData(m.place_id)))
        self.found_place: Place | None = None  # geocoded, added to the directory on OK
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText(_("A venue, an address, a postal code or a city"))
        self.find_button = QPushButton(_("&Find"))
        self.find_button.clicked.connect(self._find_place)
        self.find_edit.returnPressed.connect(self._find_place)
        self.scheduled = QCheckBox(_("&Scheduled"))
        self.scheduled.setChecked(m.start is not None)
        start = m.start or dt.datetime.combine(trip.first_day, trip.day_start)
        self.date = QDateEdit(_qdate(start.date()))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(date_format())
        self.start = QTimeEdit(_qtime(start.time()))
        self.start.setDisplayFormat(time_format())
        self.scheduled.toggled.connect(self.date.setEnabled)
        self.scheduled.toggled.connect(self.start.setEnabled)
        self.date.setEnabled(m.start is not None)
        self.start.setEnabled(m.start is not None)
        # A start the trip's clock skips (spring) or repeats (fall), said as it is picked.
        self.time_note = QLabel()
        self.time_note.setWordWrap(True)
        self.time_note.hide()
        self.time_warning: str | None = None
        self.scheduled.toggled.connect(self._check_time)
        self.date.dateChanged.connect(self._check_time)
        self.start.timeChanged.connect(self._check_time)
        self.duration = QSpinBox()
        self.duration.setRange(5, rules.DURATION_MINUTES[1])
        self.duration.setSingleStep(5)
        self.duration.setSuffix(_(" min"))
        self.duration.setValue(m.duration_minutes)
        self.priority = QComboBox()
        for priority in (1, 2, 3):
            self.priority.addItem(_priority_label(priority), priority)
        self.priority.setCurrentIndex(self.priority.findData(m.priority))
        self.fixed = QCheckBox(_("Fi&xed (auto-arrange leaves it where it is)"))
        self.fixed.setChecked(m.fixed)
        self.mode = QComboBox()
        self.mode.addItem(
            _("Trip default ({mode})").format(mode=_(MODE_LABELS[trip.default_mode])), None
        )
        for mode, label in MODE_LABELS.items():
            self.mode.addItem(_(label), mode)
        self.mode.setCurrentIndex(max(0, self.mode.findData(m.mode)))
        self.travel = QSpinBox()
        self.travel.setRange(-1, rules.MAX_TRAVEL_MINUTES)
        self.travel.setSpecialValueText(_("Estimate"))
        self.travel.setSuffix(_(" min"))
        self.travel.setValue(-1 if m.travel_minutes is None else m.travel_minutes)
        self.windows = QPlainTextEdit(format_availability(m.windows))
        self.windows.setPlaceholderText(
            _(
                "Empty: any time in the trip's days. Or one per line: 2023-06-06 09:00-12:00, "
                "Mon 9-12, Tue after 14:00, mercredi matin"
            )
        )
        self.windows.setFixedHeight(72)
        self.attendees = QListWidget()
        for d in trips.delegates(library, m.trip_id):
            item = QListWidgetItem(d.name)
            item.setData(Qt.ItemDataRole.UserRole, d.id)
            item.setData(Qt.ItemDataRole.DecorationRole, QColor(d.colour))
            checked = d.id in m.delegate_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.attendees.addItem(item)
        if not self.attendees.count():
            _hint(self.attendees, _("This trip has no delegates yet (Plan > Delegates…)."))
        everyone = QPushButton(_("Everyone"))
        everyone.clicked.connect(lambda: self._check_all(self.attendees, True))
        nobody = QPushButton(_("Nobody"))
        nobody.clicked.connect(lambda: self._check_all(self.attendees, False))
        self.hosts = QListWidget()
        self._host_ids = set(m.host_ids)
        self.organization.currentIndexChanged.connect(self._fill_hosts)
        self._fill_hosts()
        self.notes = QPlainTextEdit(m.notes)
        self.notes.setFixedHeight(70)
        when = QHBoxLayout()
        when.addWidget(self.scheduled)
        when.addWidget(self.date)
        when.addWidget(self.start)
        when.addStretch(1)
        form = QFormLayout()
        form.addRow(_("&Title:"), self.title_edit)
        form.addRow(_("&Kind:"), self.kind)
        form.addRow(_("Stat&us:"), self.status)
        form.addRow(_("&Organization:"), self.organization)
        form.addRow(_("&Place:"), self.place)
        find = QHBoxLayout()
        find.addWidget(self.find_edit, 1)
        find.addWidget(self.find_button)
        form.addRow(_buddy(_("Or find a place:"), self.find_edit), find)
        form.addRow(_buddy(_("&When:"), self.scheduled), when)
        form.addRow("", self.time_note)
        form.addRow(_("&Duration:"), self.duration)
        form.addRow(_("P&riority:"), self.priority)
        form.addRow("", self.fixed)
        form.addRow(_("Travel &mode to it:"), self.mode)
        form.addRow(_("Travel time (override):"), self.travel)
        form.addRow(_("Host &availability:"), self.windows)
        form.addRow(_("&Notes:"), self.notes)
        people = QVBoxLayout()
        attendees_box = QGroupBox(_("Attendees"))
        box_layout = QVBoxLayout(attendees_box)
        box_layout.addWidget(self.attendees)
        quick = QHBoxLayout()
        quick.addWidget(everyone)
        quick.addWidget(nobody)
        box_layout.addLayout(quick)
        hosts_box = QGroupBox(_("Hosts"))
        QVBoxLayout(hosts_box).addWidget(self.hosts)
        people.addWidget(attendees_box)
        people.addWidget(hosts_box)
        for people_list in (self.attendees, self.hosts):
            people_list.setMinimumWidth(260)
            people_list.setWordWrap(True)
        columns = QHBoxLayout()
        columns.addLayout(form, 3)
        columns.addLayout(people, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(900, 580)
        self._check_time()
        self._closed = False  # then a late online answer is dropped (its library may be closed)
        self.finished.connect(self._mark_closed)

    def _mark_closed(self, _result: int) -> None:
        self._closed = True

    def _start_value(self) -> dt.datetime | None:
        """The start as picked (None when not scheduled); raises InputError with a sentence
        when that wall time does not exist in the trip's time zone."""
        self.time_warning = None
        if not self.scheduled.isChecked():
            return None
        start = dt.datetime.combine(_pydate(self.date.date()), _pytime(self.start.time()))
        self.time_warning = check_wall_time(start, self.trip.timezone)
        return start

    def _check_time(self, *_args: object) -> None:
        try:
            self._start_value()
            note = self.time_warning
            style = WARNING_STYLE
        except InputError as error:
            note, style = str(error), ERROR_STYLE
        self.time_note.setStyleSheet(style)
        self.time_note.setText(note or "")
        self.time_note.setVisible(bool(note))

    def _find_place(self) -> None:
        """Geocode the typed text and offer it as the meeting's place: offline first; online
        (off the GUI thread) only when Preferences allow it and nothing precise was found."""
        from ui import settings
        from ui.tasks import run_task
        from visitplanner.geo import geocoder

        text = self.find_edit.text().strip()
        online = settings.online_geocoding()
        try:
            found = geocoder.offline(text, self.library) if text else None
            precise = found is not None and geocoder.is_precise(found)
            if precise or not online.enabled or not text:
                self._offer_place(text, geocoder.geocode(text, self.library))
                return
        except VisitPlannerError as error:
            self.show_error(str(error))
            return

        def work(_progress: object) -> geocoder.GeoResult:
            # No library here: the GUI thread owns its connection (and the cache write).
            return geocoder.geocode(text, None, online)

        def done(result: geocoder.GeoResult) -> None:
            self.find_button.setEnabled(True)
            if self._closed:
                return
            if result.source == "nominatim":
                geocoder.store_in_cache(self.library, result)
            self._offer_place(text, result)

        def failed(message: str) -> None:
            self.find_button.setEnabled(True)
            if found is not None:
                self._offer_place(text, found)
            else:
                self.show_error(message)

        self.find_button.setEnabled(False)
        run_task(self, work, done, title=_("Finding the place…"), on_error=failed)

    def _offer_place(self, text: str, result: Any) -> None:
        self.found_place = result.to_place(name=text)
        label = _("{name} (new: {where}, {precision})").format(
            name=text, where=result.label, precision=_(PRECISION_LABELS[result.precision])
        )
        index = self.place.findData(NEW_PLACE)
        if index < 0:
            self.place.addItem(label, NEW_PLACE)
            index = self.place.count() - 1
        else:
            self.place.setItemText(index, label)
        self.place.setCurrentIndex(index)
        self.error_label.hide()

    def place_to_add(self) -> Place | None:
        """The geocoded place chosen for the meeting, not in the directory yet."""
        return self.found_place if self.place.currentData() == NEW_PLACE else None

    @staticmethod
    def _check_all(widget: QListWidget, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for row in range(widget.count()):
            if widget.item(row).data(Qt.ItemDataRole.UserRole) is not None:
                widget.item(row).setCheckState(state)

    @staticmethod
    def _checked(widget: QListWidget) -> list[int]:
        return [
            int(widget.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(widget.count())
            if widget.item(row).checkState() == Qt.CheckState.Checked
        ]

    def _fill_hosts(self) -> None:
        if self.hosts.count():
            self._host_ids = set(self._checked(self.hosts))
        self.hosts.clear()
        org_id = self.organization.currentData()
        people = directory.contacts(self.library)
        for c in sorted(people.values(), key=lambda c: c.full_name.casefold()):
            if c.id is None or (c.organization_id != org_id and c.id not in self._host_ids):
                continue
            text = f"{c.full_name} — {c.title}" if c.title else c.full_name
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            checked = c.id in self._host_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.hosts.addItem(item)
        if not self.hosts.count():
            _hint(
                self.hosts,
                _("Pick an organization to list its people.")
                if org_id is None
                else _("No one from this organization is in the directory yet."),
            )

    def validate(self) -> None:
        self.value()

    def value(self) -> Meeting:
        title = self.title_edit.text().strip()
        if not title:
            raise InputError(_("Give the meeting a title."))
        m = copy.deepcopy(self.original)
        m.title = title
        m.kind = MeetingKind(self.kind.currentData())
        m.status = MeetingStatus(self.status.currentData())
        m.organization_id = _picked(
            self.organization, _("“{text}” is not one of the directory's organizations.")
        )
        place_id = _picked(self.place, _("“{text}” is not one of the directory's places."))
        m.place_id = None if place_id == NEW_PLACE else place_id
        m.start = self._start_value()
        m.duration_minutes = self.duration.value()
        m.priority = int(self.priority.currentData())
        m.fixed = self.fixed.isChecked()
        mode = self.mode.currentData()
        m.mode = TravelMode(mode) if mode else None
        m.travel_minutes = None if self.travel.value() < 0 else self.travel.value()
        m.windows = parse_availability(self.windows.toPlainText(), self.trip).windows
        m.delegate_ids = sorted(self._checked(self.attendees))
        m.host_ids = sorted(self._checked(self.hosts))
        m.notes = self.notes.toPlainText().strip()
        return m


# -- entry points from the menus -------------------------------------------------------------


def _meeting_edit(dialog: MeetingDialog, meeting: Meeting) -> edits.Operation:
    """Store ``meeting`` (add it when new); a place found by geocoding joins the directory
    in the same undo step and becomes the meeting's place."""
    place = dialog.place_to_add()
    if place is not None:
        return edits.AtNewPlace(meeting, place)
    return edits.Add(meeting) if meeting.id is None else edits.Update(meeting)


def _select_trip(window: Any, trip_id: int | None) -> None:
    combo = getattr(window, "trip_combo", None)
    if combo is not None and trip_id is not None:
        index = combo.findData(trip_id)
        if index >= 0:
            combo.setCurrentIndex(index)


def new_trip(window: Any) -> int | None:
    dialog = TripDialog(window, window.library, None)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    trip = dialog.value()
    applied = push_edit(window, _("New Trip “{name}”").format(name=trip.name), edits.Add(trip))
    if applied is None:
        return None
    trip_id = applied.created_id("trip")
    _select_trip(window, trip_id)
    return trip_id


def edit_trip(window: Any) -> bool:
    if window.trip_id is None:
        return False
    before = trips.get_trip(window.library, window.trip_id)
    dialog = TripDialog(window, window.library, before)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    text = _("Edit Trip “{name}”").format(name=before.name)
    return push_edit(window, text, edits.Update(dialog.value())) is not None


def edit_delegates(window: Any) -> None:
    if window.trip_id is not None:
        DelegatesDialog(window).exec()


def new_meeting(
    window: Any, start: dt.datetime | None = None, delegate_ids: list[int] | None = None
) -> int | None:
    if window.trip_id is None:
        return None
    trip = trips.get_trip(window.library, window.trip_id)
    fresh = Meeting(
        trip.id or 0,
        "",
        start=start,
        status=MeetingStatus.PROPOSED if start else MeetingStatus.REQUESTED,
        delegate_ids=list(delegate_ids or []),
    )
    dialog = MeetingDialog(window, window.library, trip, fresh)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    meeting = dialog.value()
    text = _("New Meeting “{title}”").format(title=meeting.title)
    applied = push_edit(window, text, _meeting_edit(dialog, meeting))
    return applied.created_id("meeting") if applied is not None else None


def edit_meeting(window: Any, meeting_id: int) -> bool:
    before = trips.get_meeting(window.library, meeting_id)
    trip = trips.get_trip(window.library, before.trip_id)
    dialog = MeetingDialog(window, window.library, trip, before)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    after = dialog.value()
    if after == before and dialog.place_to_add() is None:
        return False
    text = _("Edit “{title}”").format(title=before.title)
    return push_edit(window, text, _meeting_edit(dialog, after)) is not None
