"""Date and time fields that take what a person types, in English or in French.

A QDateEdit or QTimeEdit only takes its display format, section by section. These keep
that (the arrows, the calendar) and read a whole typed text with :mod:`visitplanner.entry`:
"2023-06-06", "June 6", "6 juin"; "9", "930", "9 h 30", "2 pm"; a date and a time together
("Dec 9 10 am", "9 déc. 10 h"). The first key typed in a field whose text (or one of its
parts) is selected replaces the whole value, as in a text field; Enter, Tab or leaving the
field takes it (a text that names no date puts the value
back). The date field starts on its day, not the weekday; the arrows move a time by the
timeline's snap (5 minutes).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, Qt, QTime, QTimer
from PySide6.QtGui import QFocusEvent, QKeyEvent, QValidator
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QLineEdit, QTimeEdit, QWidget

from visitplanner.entry import typed_date, typed_time

SNAP_MINUTES = 5  # as the timeline snaps a dragged meeting

_COMMIT_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab}


class _Typing(QObject):
    """Free typing over a QDateTimeEdit's line edit: keys go to the text as typed, and the
    text is read as a whole when the person is done (``commit``). It watches the field's
    key presses (taking those it uses) and commits when the focus leaves; the field only
    stops validating part by part while a text is being typed (``active``)."""

    def __init__(
        self,
        field: QDateTimeEdit,
        read: Callable[[str], Any],
        show: Callable[[Any], None],
    ) -> None:
        super().__init__(field)
        self.field = field
        self.read = read  # text -> value or None
        self.show = show  # value -> None (sets the field)
        self.active = False
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field:
            if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                return self.key(event)
            if event.type() == QEvent.Type.FocusOut:
                self.commit()
        return False

    def line(self) -> QLineEdit:
        line = self.field.lineEdit()
        assert line is not None
        return line

    def key(self, event: QKeyEvent) -> bool:
        key = Qt.Key(event.key())
        line = self.line()
        if self.active:
            if key in _COMMIT_KEYS:
                self.commit()
                return False  # then as usual: Tab moves on, Enter reaches the dialog
            if key == Qt.Key.Key_Escape:
                self.active = False
                self.show(None)  # the value as it was
                return True
            if key == Qt.Key.Key_Backspace:
                line.backspace()
                return True
            if key == Qt.Key.Key_Delete:
                line.del_()
                return True
            if key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End):
                return False
        text = event.text()
        plain = not event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        )
        if text and text.isprintable() and plain:
            if not self.active:
                self.active = True
                if line.hasSelectedText():  # a part selected (as after Tab) or all of it
                    line.selectAll()
            line.insert(text)
            return True
        return False

    def commit(self) -> None:
        if not self.active:
            return
        self.active = False
        self.show(self.read(self.line().text()))


class DateField(QDateEdit):
    """A date typed in its display format or naturally ("June 6", "6 juin", "2023-06-06")."""

    typing: _Typing | None = None  # (None while QDateEdit's constructor validates)

    def __init__(self, value: QDate | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if value is not None:
            self.setDate(value)
        self.setCalendarPopup(True)
        self.typing = _Typing(self, self._read, self._show)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        # while typing, the text is read as a whole when done, not part by part
        if self.typing is not None and self.typing.active:
            return (QValidator.State.Intermediate, text, pos)
        return super().validate(text, pos)

    def _read(self, text: str) -> QDate | None:
        held = self.date()
        day = typed_date(text, dt.date(held.year(), held.month(), held.day()))
        if day is not None:
            return QDate(day.year, day.month, day.day)
        parsed = QDate.fromString(text, self.displayFormat())  # the field's own form
        return parsed if parsed.isValid() else None

    def _show(self, value: QDate | None) -> None:
        if value is not None and value != self.date():
            self.setDate(value)
        else:  # the same date, or none: the text shows the date held again
            self.lineEdit().setText(self.textFromDateTime(self.dateTime()))
        self._on_day()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.ShortcutFocusReason):
            QTimer.singleShot(0, self, self._on_day)

    def _on_day(self) -> None:
        """The day is what a person changes first, not the weekday ("ddd" is a day section
        too, so the last one, the number, is chosen): selected, and the arrows' section."""
        if not self.hasFocus():
            return
        days = [
            i for i in range(self.sectionCount()) if self.sectionAt(i) == self.Section.DaySection
        ]
        if not days:
            return
        self.setCurrentSectionIndex(days[-1])
        line = self.lineEdit()
        found = re.search(rf"\b0?{self.date().day()}\b", line.text())
        if found is not None:
            line.setSelection(found.start(), found.end() - found.start())


class TimeField(QTimeEdit):
    """A time typed in its display format or naturally ("9", "930", "9 h 30", "2 pm");
    the arrows move it by 5 minutes."""

    typing: _Typing | None = None  # (None while QTimeEdit's constructor validates)

    def __init__(self, value: QTime | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if value is not None:
            self.setTime(value)
        self.typing = _Typing(self, self._read, self._show)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        # while typing, the text is read as a whole when done, not part by part
        if self.typing is not None and self.typing.active:
            return (QValidator.State.Intermediate, text, pos)
        return super().validate(text, pos)

    def _read(self, text: str) -> QTime | None:
        moment = typed_time(text)
        if moment is not None:
            return QTime(moment.hour, moment.minute)
        parsed = QTime.fromString(text, self.displayFormat())
        return parsed if parsed.isValid() else None

    def _show(self, value: QTime | None) -> None:
        if value is not None and value != self.time():
            self.setTime(value)
        else:  # the same time, or none: the text shows the time held again
            self.lineEdit().setText(self.textFromDateTime(self.dateTime()))
        self.selectAll()

    def stepBy(self, steps: int) -> None:
        """Up and Down, Page keys and the wheel: to the next 5 minutes (the timeline's snap)."""
        minutes = self.time().hour() * 60 + self.time().minute()
        if steps > 0:
            minutes = (minutes // SNAP_MINUTES + steps) * SNAP_MINUTES
        else:
            minutes = (-(-minutes // SNAP_MINUTES) + steps) * SNAP_MINUTES
        minutes = max(0, min(minutes, 24 * 60 - SNAP_MINUTES))
        self.setTime(QTime(minutes // 60, minutes % 60))


class DateTimeField(QDateTimeEdit):
    """A date and a time typed together, in the display format or naturally ("Dec 9 10 am",
    "9 déc. 2026 10 h 30"); a time alone keeps the day, a date alone keeps the time."""

    typing: _Typing | None = None  # (None while QDateTimeEdit's constructor validates)

    def __init__(self, value: QDateTime | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if value is not None:
            self.setDateTime(value)
        self.setCalendarPopup(True)
        self.typing = _Typing(self, self._read, self._show)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        # while typing, the text is read as a whole when done, not part by part
        if self.typing is not None and self.typing.active:
            return (QValidator.State.Intermediate, text, pos)
        return super().validate(text, pos)

    def _read(self, text: str) -> QDateTime | None:
        held = self.dateTime()
        near = dt.date(held.date().year(), held.date().month(), held.date().day())
        words = text.split()
        # Where the date ends and the time begins: both parts first, then a time alone,
        # then a date alone ("Dec 9 10" is 10 o'clock on December 9, not the year 2010).
        splits = [*range(len(words) - 1, 0, -1), 0, len(words)]
        for split in splits:
            date_text, time_text = " ".join(words[:split]), " ".join(words[split:])
            day = typed_date(date_text, near) if date_text else near
            moment = typed_time(time_text) if time_text else None
            if day is None or (time_text and moment is None):
                continue
            time = QTime(moment.hour, moment.minute) if moment is not None else held.time()
            return QDateTime(QDate(day.year, day.month, day.day), time)
        parsed = QDateTime.fromString(text, self.displayFormat())  # the field's own form
        return parsed if parsed.isValid() else None

    def _show(self, value: QDateTime | None) -> None:
        if value is not None and value != self.dateTime():
            self.setDateTime(value)
        else:  # the same moment, or none: the text shows the one held again
            self.lineEdit().setText(self.textFromDateTime(self.dateTime()))
