"""The trip dialog: collects and validates a trip's values (ui.schedule.actions stores them)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.schedule.fields import (
    Form,
    buddy,
    date_format,
    pydate,
    pytime,
    qdate,
    qtime,
    searchable,
    time_format,
    time_zones,
)
from ui.shell.place_field import PlaceField
from ui.shell.when_fields import DateField, TimeField

if TYPE_CHECKING:
    from ui.schedule.mission_fields import StaysEditor
from visitplanner import edits, rules
from visitplanner.errors import InputError
from visitplanner.i18n import _, current
from visitplanner.library import Library, stays
from visitplanner.model import (
    MODE_LABELS,
    REGION_LABELS,
    Language,
    Place,
    Region,
    TravelMode,
    Trip,
)

# -- trip ------------------------------------------------------------------------------------


# The time zone of a mission's region: Québec (Montréal, Québec City) keeps Toronto's clock.
REGION_TIME_ZONES = {Region.QUEBEC: "America/Toronto", Region.BOSTON: "America/New_York"}


class TripDialog(Form):
    def __init__(self, parent: QWidget | None, library: Library, trip: Trip | None) -> None:
        super().__init__(parent, _("Edit Trip") if trip else _("New Trip"))
        today = dt.date.today()
        # A new trip's documents are in the window's language until chosen otherwise.
        self.original = trip or Trip(
            "", today, today + dt.timedelta(days=3), language=Language(current().language)
        )
        t = self.original
        self.name = QLineEdit(t.name)
        self.region = QComboBox()
        for region, label in REGION_LABELS.items():
            self.region.addItem(_(label), region)
        self.region.setCurrentIndex(self.region.findData(t.region))
        self.first_day = DateField(qdate(t.first_day))
        self.last_day = DateField(qdate(t.last_day))
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
        self.timezone = QComboBox()
        self.timezone.addItems(time_zones())
        searchable(self.timezone)
        self.timezone.setCurrentText(t.timezone)
        # Choosing a region sets its time zone, unless the user chose one by hand.
        self._zone_by_hand = False
        self.timezone.activated.connect(lambda _i: setattr(self, "_zone_by_hand", True))
        self.region.currentIndexChanged.connect(self._region_changed)
        self.day_start = TimeField(qtime(t.day_start))
        self.day_end = TimeField(qtime(t.day_end))
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
        self.base = PlaceField(
            library,
            t.base_place_id,
            empty_text=_("No hotel yet: type its name or address"),
            region=lambda: str(self.region.currentData()),
        )
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
        form.addRow(buddy(_("&Days:"), self.first_day), days)
        form.addRow(_("&Time zone:"), self.timezone)
        form.addRow(buddy(_("Da&y hours:"), self.day_start), hours)
        form.addRow(_("&Buffer between meetings:"), self.buffer)
        form.addRow(_("Default travel &mode:"), self.mode)
        form.addRow(_("&Hotel (base):"), self.base)
        self.stays: StaysEditor | None = None
        if trip is not None and trip.id is not None:
            from ui.schedule.mission_fields import StaysEditor

            self.stays = StaysEditor(
                library,
                trip,
                [s for s in stays.stays(library, trip.id) if s.delegate_id is None],
                None,
                (
                    _("&Add Nights at a Hotel…"),
                    _("Remo&ve Nights"),
                    _("No stays: the hotel above every night."),
                ),
            )
            form.addRow(_("Hotel each night:"), self.stays)
        form.addRow(_("Output &language:"), self.language)
        form.addRow(_("Or&ganizer:"), self.organizer)
        form.addRow(_("&Emergency contacts:"), self.emergency)
        form.addRow(_("N&otes:"), self.notes)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)
        # A late online answer is dropped once the dialog is closed (its library may be too).
        self.finished.connect(lambda _result: self.base.close_lookups())

    def _region_changed(self) -> None:
        zone = REGION_TIME_ZONES.get(Region(self.region.currentData()))
        if zone is not None and not self._zone_by_hand:
            self.timezone.setCurrentText(zone)

    def validate(self) -> None:
        self.value()

    def stays_edit(self) -> edits.Operation | None:
        """The step that stores the delegation's hotel nights, when they were changed."""
        if self.stays is None or not self.stays.changed or self.original.id is None:
            return None
        return edits.SetStays(self.original.id, None, self.stays.stays(), self.stays.new_places())

    def place_to_add(self) -> Place | None:
        """The hotel found by geocoding, not in the library yet (stored with the trip)."""
        return self.base.place_to_add()

    def value(self) -> Trip:
        name = self.name.text().strip()
        if not name:
            raise InputError(_("Give the trip a name."))
        first, last = pydate(self.first_day.date()), pydate(self.last_day.date())
        rules.check_trip_days(first, last)
        zone = self.timezone.currentText().strip()
        if zone not in time_zones():
            raise InputError(
                _("“{zone}” is not a time zone; pick one such as America/New_York.").format(
                    zone=zone
                )
            )
        start, end = pytime(self.day_start.time()), pytime(self.day_end.time())
        rules.check_day_hours(start, end)
        base = self.base.place_id()
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
