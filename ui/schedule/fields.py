"""Shared pieces of the schedule's dialogs: Qt and Python dates and times, searchable
combo boxes, form labels."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from ui.shell.forms import ValidatingDialog
from visitplanner.errors import InputError
from visitplanner.i18n import current
from visitplanner.names import name_key


@cache
def time_zones() -> list[str]:
    return sorted(z for z in zoneinfo.available_timezones() if "/" in z)


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def qtime(moment: dt.time) -> QTime:
    return QTime(moment.hour, moment.minute)


def pytime(value: QTime) -> dt.time:
    return dt.time(value.hour(), value.minute())


def date_format() -> str:
    """A QDateEdit format in the window's language: 'Mon Jun 5, 2023' / 'lun. 5 juin 2023'."""
    return "ddd d MMM yyyy" if current().language == "fr" else "ddd MMM d, yyyy"


def time_format() -> str:
    """A QTimeEdit format as the schedule writes times: '2:30 PM' / '14 h 30'."""
    return "HH 'h' mm" if current().language == "fr" else "h:mm AP"


def buddy(text: str, widget: QWidget) -> QLabel:
    """A form label whose &-shortcut focuses ``widget`` (for rows holding a layout)."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def hint(widget: QListWidget, text: str) -> None:
    """A greyed sentence in an empty list, saying why it is empty (not a choice)."""
    item = QListWidgetItem(text)
    item.setFlags(Qt.ItemFlag.NoItemFlags)
    widget.addItem(item)


def searchable(combo: QComboBox) -> None:
    """Let the user type to find an entry (contains, case-insensitive)."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = combo.completer()
    if completer is not None:
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


def picked(combo: QComboBox, message: str) -> int | None:
    """The id (data) of the entry whose text the user typed; else InputError(message) naming it.

    An entry matches as names match everywhere (visitplanner.names.name_key): "harbor assay"
    picks "Harbor Assay, Inc."."""
    index = combo.findText(combo.currentText(), Qt.MatchFlag.MatchFixedString)
    if index < 0 and (key := name_key(combo.currentText())):
        index = next((i for i in range(combo.count()) if name_key(combo.itemText(i)) == key), -1)
    if index < 0:
        raise InputError(message.format(text=combo.currentText()))
    combo.setCurrentIndex(index)
    data = combo.itemData(index)
    return int(data) if data is not None else None


class Form(ValidatingDialog):
    """The editors of this module: see ui.shell.forms.ValidatingDialog."""
