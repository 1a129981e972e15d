"""The meeting dialog: collects and validates a meeting's values, and finds a new place by
geocoding (offline first)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ui.schedule.fields import (
    Form,
    buddy,
    date_format,
    hint,
    picked,
    pydate,
    pytime,
    qdate,
    qtime,
    searchable,
    time_format,
)
from ui.shell.forms import ERROR_STYLE
from visitplanner import rules
from visitplanner.availability import format_availability, parse_availability
from visitplanner.errors import InputError, VisitPlannerError
from visitplanner.i18n import _
from visitplanner.library import Library, directory, trips
from visitplanner.localtime import check_wall_time
from visitplanner.model import (
    MEETING_KIND_LABELS,
    MODE_LABELS,
    PRECISION_LABELS,
    STATUS_LABELS,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Place,
    TravelMode,
    Trip,
)

if TYPE_CHECKING:  # geocoding loads when a place is looked up
    from visitplanner.geo.geocoder import GeoResult

NEW_PLACE = -1  # the place combo's entry for a place found by geocoding
WARNING_STYLE = "color: #8a5a00;"  # a note that does not stop OK (beside forms.ERROR_STYLE)


def _priority_label(priority: int) -> str:
    return {1: _("High"), 2: _("Normal"), 3: _("Low")}[priority]


# -- meeting ---------------------------------------------------------------------------------


class MeetingDialog(Form):
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
        self.organization.addItem(_("(no organization)"), None)
        for org in sorted(self.organizations.values(), key=lambda o: o.name.casefold()):
            self.organization.addItem(org.name, org.id)
        searchable(self.organization)
        self.organization.setCurrentIndex(max(0, self.organization.findData(m.organization_id)))
        self.place = QComboBox()
        self.place.addItem(_("(the organization's place)"), None)
        for place_id, place in sorted(
            directory.places(library).items(), key=lambda kv: kv[1].label().casefold()
        ):
            self.place.addItem(place.label(), place_id)
        searchable(self.place)
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
        self.date = QDateEdit(qdate(start.date()))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(date_format())
        self.start = QTimeEdit(qtime(start.time()))
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
                "Mon 9-12, Tue after 14:00, Wed morning"
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
            hint(self.attendees, _("This trip has no delegates yet (Plan > Delegates…)."))
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
        form.addRow(buddy(_("Or find a place:"), self.find_edit), find)
        form.addRow(buddy(_("&When:"), self.scheduled), when)
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
        start = dt.datetime.combine(pydate(self.date.date()), pytime(self.start.time()))
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
        from ui.shell import settings
        from ui.shell.tasks import run_task
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

    def _offer_place(self, text: str, result: GeoResult) -> None:
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
            hint(
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
        m.organization_id = picked(
            self.organization, _("“{text}” is not one of the directory's organizations.")
        )
        place_id = picked(self.place, _("“{text}” is not one of the directory's places."))
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
