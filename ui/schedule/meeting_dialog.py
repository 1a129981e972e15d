"""The meeting dialog: collects and validates a meeting's values, and finds a new place by
geocoding (offline first)."""

from __future__ import annotations

import copy
import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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
    QVBoxLayout,
    QWidget,
)

from ui.schedule.fields import (
    Form,
    buddy,
    date_format,
    hint,
    pydate,
    pytime,
    qdate,
    qtime,
    time_format,
)
from ui.shell.choice import RecordCombo
from ui.shell.forms import ERROR_STYLE
from ui.shell.place_field import PlaceField
from ui.shell.when_fields import DateField, TimeField
from visitplanner import rules
from visitplanner.availability import format_availability, parse_availability
from visitplanner.errors import InputError
from visitplanner.i18n import _
from visitplanner.library import Library, directory, trips
from visitplanner.localtime import check_wall_time
from visitplanner.model import (
    MEETING_KIND_LABELS,
    MODE_LABELS,
    STATUS_LABELS,
    TRANSFER_MODE_LABELS,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Place,
    TransferMode,
    TravelMode,
    Trip,
)

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
        self.organization = RecordCombo(_("(no organization)"))
        for org in sorted(self.organizations.values(), key=lambda o: o.name.casefold()):
            self.organization.add(org.name, org.id or 0)
        self.organization.set_record(m.organization_id)
        self.place = PlaceField(
            library,
            m.place_id,
            empty_text=_("The organization's place, or type to find another"),
            region=lambda: str(trip.region),
        )
        self.organization.currentIndexChanged.connect(self._organization_place)
        self._organization_place()
        self.scheduled = QCheckBox(_("&Scheduled"))
        self.scheduled.setChecked(m.start is not None)
        start = m.start or dt.datetime.combine(trip.first_day, trip.day_start)
        self.date = DateField(qdate(start.date()))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(date_format())
        self.start = TimeField(qtime(start.time()))
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
        form.addRow(buddy(_("&Place:"), self.place.edit), self.place)
        form.addRow(buddy(_("&When:"), self.scheduled), when)
        form.addRow("", self.time_note)
        form.addRow(_("&Duration:"), self.duration)
        form.addRow(_("P&riority:"), self.priority)
        form.addRow("", self.fixed)
        form.addRow(_("Travel &mode to it:"), self.mode)
        form.addRow(_("Travel time (override):"), self.travel)
        form.addRow(_("Host &availability:"), self.windows)
        form.addRow(_("&Notes:"), self.notes)
        self._transfer_rows(form, m)
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
        # A late online answer is dropped once the dialog is closed (its library may be too).
        self.finished.connect(lambda _result: self.place.close_lookups())

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

    def _organization_place(self) -> None:
        """An empty place means the organization's: say which it is."""
        org = self.organizations.get(self.organization.currentData())
        places = self.place.places
        place = places.get(org.place_id) if org is not None and org.place_id else None
        self.place.set_default(place, _("The organization's place: {summary}"))

    def place_to_add(self) -> Place | None:
        """The geocoded place chosen for the meeting, not in the directory yet."""
        return self.place.place_to_add()

    def _transfer_rows(self, form: QFormLayout, m: Meeting) -> None:
        """A transfer's arrival place, mode and train or flight, shown for a transfer."""
        self.to_place = PlaceField(
            self.library,
            m.to_place_id,
            empty_text=_("Where it arrives: a station, an airport, a hotel"),
            region=lambda: str(self.trip.region),
        )
        # The departure's Find button keeps the Alt key; Enter finds in this field too.
        self.to_place.find_button.setText(self.to_place.find_button.text().replace("&", ""))
        self.transfer_mode = QComboBox()
        self.transfer_mode.addItem(_("(not set)"), None)
        for mode, label in TRANSFER_MODE_LABELS.items():
            self.transfer_mode.addItem(_(label), mode)
        self.transfer_mode.setCurrentIndex(max(0, self.transfer_mode.findData(m.transfer_mode)))
        self.reference = QLineEdit(m.reference)
        self.reference.setPlaceholderText(_("e.g. VIA 22, AC 8790"))
        self.transfer_labels = [
            QLabel(_("Arrives at:")),
            QLabel(_("Transfer by:")),
            QLabel(_("Train or flight:")),
        ]
        fields = (self.to_place, self.transfer_mode, self.reference)
        below_place = 5  # under the place: where it leaves from, then where it arrives
        for i, (row_label, field) in enumerate(zip(self.transfer_labels, fields, strict=True)):
            form.insertRow(below_place + i, row_label, field)
        self.kind.currentIndexChanged.connect(self._show_transfer)
        self._show_transfer()
        self.finished.connect(lambda _result: self.to_place.close_lookups())

    def _show_transfer(self) -> None:
        on = self.kind.currentData() == MeetingKind.TRANSFER
        for widget in (*self.transfer_labels, self.to_place, self.transfer_mode, self.reference):
            widget.setVisible(on)

    def to_place_to_add(self) -> Place | None:
        """A transfer's arrival place found by geocoding, not in the directory yet."""
        if self.kind.currentData() != MeetingKind.TRANSFER:
            return None
        return self.to_place.place_to_add()

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
        m.organization_id = self.organization.record_id(
            _("“{text}” is not one of the directory's organizations.")
        )
        m.place_id = self.place.place_id()
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
        if m.kind is MeetingKind.TRANSFER:
            mode = self.transfer_mode.currentData()
            m.to_place_id = self.to_place.place_id()
            m.transfer_mode = TransferMode(mode) if mode else None
            m.reference = self.reference.text().strip()
            departs = m.place_id if self.place_to_add() is None else -1
            arrives = m.to_place_id if self.to_place_to_add() is None else -1
            o = self.original
            legacy = o.is_transfer and o.to_place_id is None and o.transfer_mode is None
            if not legacy and arrives is None and m.transfer_mode is None:
                # A new transfer has both ends; one from an older library may stay as it was.
                raise InputError(_("A transfer needs a departure place and an arrival place."))
            rules.check_transfer(departs, arrives, m.transfer_mode, transfer=True)
        else:
            m.to_place_id, m.transfer_mode = None, None
        return m
