"""Dialogs and keys as in the desktop's own apps (issue 17): a person types and presses keys.

Each dialog opens on its first field; Escape and the close button ask before throwing away
what was typed (and only then); a red sentence goes as the field is fixed; dates and times
are typed as people write them, in English and in French."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt, QTime, QTimer
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ui.directory.editors import ContactDialog, OrganizationDialog
from ui.schedule.delegates import DelegateDialog
from ui.schedule.meeting_dialog import MeetingDialog
from ui.schedule.trip_dialog import TripDialog
from ui.shell.app import make_application
from ui.shell.forms import ValidatingDialog
from ui.shell.main_window import MainWindow
from ui.shell.when_fields import DateField, TimeField
from visitplanner import i18n
from visitplanner.entry import typed_date, typed_time
from visitplanner.library import Library, trips
from visitplanner.model import Contact, Delegate, Meeting, Organization


@pytest.fixture(params=["en", "fr"])
def lang_window(request: pytest.FixtureRequest, qtbot: QtBot, demo_path: Path) -> Iterator[Any]:
    make_application()
    i18n.set_language(request.param)
    win = MainWindow(Library.open(demo_path))
    qtbot.addWidget(win)
    win.show()
    yield win


def _new_dialogs(win: MainWindow) -> dict[str, Callable[[], ValidatingDialog]]:
    lib = win.library
    trip = trips.get_trip(lib, win.trip_id or 0)
    return {
        "new organization": lambda: OrganizationDialog(win, lib, Organization("")),
        "new contact": lambda: ContactDialog(win, lib, Contact("", "")),
        "new meeting": lambda: MeetingDialog(win, lib, trip, Meeting(trip.id or 0, "")),
        "edit meeting": lambda: MeetingDialog(win, lib, trip, trips.meetings(lib, trip.id or 0)[0]),
        "new trip": lambda: TripDialog(win, lib, None),
        "edit trip": lambda: TripDialog(win, lib, trip),
        "new delegate": lambda: DelegateDialog(win, Delegate(trip.id or 0, "")),
    }


def _open(qtbot: QtBot, make: Callable[[], ValidatingDialog]) -> ValidatingDialog:
    dialog = make()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _press_later(button_text: str, seen: list[str]) -> None:
    """Press the button of the next message box whose text is ``button_text``."""

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return  # nothing asked
        seen.append(box.text())
        button = next(b for b in box.buttons() if b.text().replace("&", "") == button_text)
        button.click()

    QTimer.singleShot(0, press)


def test_each_dialog_opens_with_the_focus_on_its_first_field(
    qtbot: QtBot, lang_window: MainWindow
) -> None:
    for name, make in _new_dialogs(lang_window).items():
        dialog = _open(qtbot, make)
        focused = QApplication.focusWidget()
        assert isinstance(focused, QLineEdit | QPlainTextEdit | QAbstractSpinBox | QComboBox), name
        assert focused.window() is dialog, name
        dialog.done(0)


def test_a_space_typed_in_a_new_organization_is_a_name_not_ok(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = _open(qtbot, _new_dialogs(window)["new organization"])
    qtbot.keyClicks(QApplication.focusWidget(), " Harbor Assay")
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.name.text() == " Harbor Assay"  # type: ignore[attr-defined]


def test_escape_closes_a_dialog_at_once_when_nothing_was_changed(
    qtbot: QtBot, window: MainWindow
) -> None:
    for name, make in _new_dialogs(window).items():
        dialog = _open(qtbot, make)
        asked: list[str] = []
        _press_later("Keep Editing", asked)  # would keep it open if anything asked
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        assert not dialog.isVisible(), name
        assert dialog.result() == QDialog.DialogCode.Rejected
        qtbot.wait(5)  # the pending press finds no box: nothing asked
        assert asked == [], name


def test_escape_asks_before_discarding_a_half_filled_meeting(
    qtbot: QtBot, lang_window: MainWindow
) -> None:
    dialog = _open(qtbot, _new_dialogs(lang_window)["new meeting"])
    qtbot.keyClicks(QApplication.focusWidget(), "Lunch with the dean")
    asked: list[str] = []
    keep, discard = i18n._("&Keep Editing"), i18n._("&Discard Changes")
    _press_later(keep.replace("&", ""), asked)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert asked == [i18n._("Discard changes?")]
    assert dialog.isVisible()
    assert dialog.title_edit.text() == "Lunch with the dean"  # type: ignore[attr-defined]
    _press_later(discard.replace("&", ""), asked)
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Escape)  # type: ignore[attr-defined]
    assert len(asked) == 2 and not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_cancel_asks_when_something_was_typed(qtbot: QtBot, window: MainWindow) -> None:
    """(The window's close button asks the same way; a spontaneous close event cannot be
    made offscreen, so it is not tested here.)"""
    dialog = _open(qtbot, _new_dialogs(window)["new contact"])
    qtbot.keyClicks(QApplication.focusWidget(), "Ana")
    cancel = dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
    asked: list[str] = []
    _press_later("Keep Editing", asked)
    cancel.click()
    assert asked == ["Discard changes?"] and dialog.isVisible()
    _press_later("Discard Changes", asked)
    cancel.click()
    assert len(asked) == 2 and not dialog.isVisible()
    dialog.close()  # closed by the program (as at the end of a test): nothing asked
    assert len(asked) == 2


def test_the_red_sentence_goes_as_the_field_is_fixed(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _open(qtbot, _new_dialogs(window)["new trip"])
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # OK with no name
    assert dialog.isVisible() and dialog.error_label.isVisible()
    qtbot.keyClicks(dialog.name, "M")  # type: ignore[attr-defined]
    assert not dialog.error_label.isVisible()


def test_enter_in_find_a_place_finds_and_does_not_save(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _open(qtbot, _new_dialogs(window)["edit meeting"])
    found: list[str] = []
    monkeypatch.setattr(dialog.place, "find_place", lambda: found.append("find"))  # type: ignore[attr-defined]
    edit = dialog.place.edit  # type: ignore[attr-defined]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Nowhere Hall")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert found == ["find"] and dialog.isVisible() and dialog.result() == 0


# -- dates and times as people type them ---------------------------------------------------

DATES = ["2023-06-06", "June 6", "6 juin", "Jun 6, 2023", "mardi 6 juin 2023", "Tue Jun 6"]
TIMES = {
    "9": QTime(9, 0),
    "9:30": QTime(9, 30),
    "930": QTime(9, 30),
    "9 h 30": QTime(9, 30),
    "2 pm": QTime(14, 0),
    "14 h 30": QTime(14, 30),
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_dates_and_times_are_read_as_people_write_them(language: str) -> None:
    tr = i18n.translator(language)
    near = dt.date(2023, 6, 1)
    for text in DATES:
        assert typed_date(text, near, tr) == dt.date(2023, 6, 6), text
    assert typed_date("6/7", near, tr) == (
        dt.date(2023, 7, 6) if language == "fr" else dt.date(2023, 6, 7)
    )
    assert typed_date("Dec 30", dt.date(2024, 1, 2), tr) == dt.date(2023, 12, 30)
    assert typed_date("someday", near, tr) is None
    assert typed_date("12", near, tr) == dt.date(2023, 6, 12)  # that day of the month shown
    for text, expected in TIMES.items():
        moment = typed_time(text, tr)
        assert moment == dt.time(expected.hour(), expected.minute()), text
    assert typed_time("25", tr) is None and typed_time("lunch", tr) is None


def test_the_meeting_dialog_takes_typed_dates_and_times(
    qtbot: QtBot, lang_window: MainWindow
) -> None:
    dialog = _open(qtbot, _new_dialogs(lang_window)["edit meeting"])
    date, start = dialog.date, dialog.start  # type: ignore[attr-defined]
    assert isinstance(date, DateField) and isinstance(start, TimeField)
    for text in DATES:
        date.setDate(QDate(2023, 6, 1))
        qtbot.keyClick(dialog, Qt.Key.Key_Tab)  # focus moves on somewhere
        date.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(lambda: date.currentSection() == DateField.Section.DaySection)
        qtbot.keyClicks(date, text)  # the day is selected: typing replaces the date
        qtbot.keyClick(date, Qt.Key.Key_Tab)
        assert date.date() == QDate(2023, 6, 6), text
    date.setFocus()
    date.selectAll()
    qtbot.keyClicks(date, "no such day")
    qtbot.keyClick(date, Qt.Key.Key_Tab)
    assert date.date() == QDate(2023, 6, 6)  # kept; the text shows it again
    assert date.text() == date.textFromDateTime(date.dateTime())
    for text, expected in TIMES.items():
        start.setFocus()
        start.selectAll()
        qtbot.keyClicks(start, text)
        qtbot.keyClick(start, Qt.Key.Key_Tab)
        assert start.time() == expected, text


def test_a_date_field_starts_on_its_day_and_arrows_move_a_time_by_five_minutes(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = _open(qtbot, _new_dialogs(window)["edit trip"])
    first = dialog.first_day  # type: ignore[attr-defined]
    before = first.date()
    first.setFocus(Qt.FocusReason.TabFocusReason)
    # the day's number is selected (not the weekday, which QDateEdit starts on)
    qtbot.waitUntil(lambda: first.lineEdit().selectedText() == str(before.day()))
    qtbot.keyClick(first, Qt.Key.Key_Up)
    assert first.date() == before.addDays(1)
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: first.lineEdit().selectedText() == str(before.day() + 1))
    qtbot.keyClicks(first, "12")  # a day of the month shown
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert first.date() == QDate(before.year(), before.month(), 12)
    start = dialog.day_start  # type: ignore[attr-defined]
    start.setTime(QTime(9, 2))
    start.setFocus()
    qtbot.keyClick(start, Qt.Key.Key_Up)
    assert start.time() == QTime(9, 5)
    qtbot.keyClick(start, Qt.Key.Key_Up)
    qtbot.keyClick(start, Qt.Key.Key_Down)
    qtbot.keyClick(start, Qt.Key.Key_Down)
    assert start.time() == QTime(9, 0)


# -- Alt letters: one control per letter in each window ------------------------------------


def _alt_letter(text: str) -> str | None:
    import re

    from visitplanner.names import strip_accents

    found = re.search(r"&([^&])", text.replace("&&", ""))
    return strip_accents(found.group(1)).casefold() if found else None


def _alt_clashes(texts: list[str]) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {}
    for text in texts:
        letter = _alt_letter(text)
        if letter:
            seen.setdefault(letter, []).append(text)
    return {k: v for k, v in seen.items() if len(v) > 1}


def _window_texts(widget: Any) -> list[str]:
    """The Alt texts that act in ``widget``'s window: its menu bar's titles, and every label,
    button and group box, shown or not (a hidden page's control shows with its page)."""
    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMainWindow, QMenu

    texts: list[str] = []
    if isinstance(widget, QMainWindow):
        texts += [a.text() for a in widget.menuBar().actions()]
    for child in widget.findChildren(QWidget):
        if child.window() is not widget or isinstance(child, QMenu):
            continue  # another window (a dialog, a menu's popup) has its own letters
        if isinstance(child, QGroupBox):
            texts.append(child.title())
        elif isinstance(child, QLabel):
            if child.buddy() is not None:  # a label's Alt letter acts only through its buddy
                texts.append(child.text())  # (a rich-text legend's "&nbsp;" is no letter)
        elif isinstance(child, QAbstractButton):
            texts.append(child.text())
    return texts


def test_no_alt_letter_is_used_twice_in_any_window(qtbot: QtBot, lang_window: MainWindow) -> None:
    from PySide6.QtWidgets import QMenu

    from tests.test_ui_polish import _dialogs
    from ui.shell.shortcuts import ShortcutsDialog

    win = lang_window
    win.tabs.setCurrentIndex(1)  # the directory's buttons exist either way; show them too
    assert not _alt_clashes(_window_texts(win)), _window_texts(win)
    assert len(_window_texts(win)) > 10  # the walk finds the window's controls
    menus = [a.menu() for a in win.menuBar().actions()]
    while menus:
        menu = menus.pop()
        assert isinstance(menu, QMenu)
        entries = [a.text() for a in menu.actions() if not a.isSeparator()]
        assert not _alt_clashes(entries), (menu.title(), entries)
        menus += [a.menu() for a in menu.actions() if isinstance(a.menu(), QMenu)]
    dialogs: dict[str, QWidget] = dict(_dialogs(win))
    dialogs.update({name: make() for name, make in _new_dialogs(win).items()})
    dialogs["places"] = win.directory_panel.show_places()
    dialogs["shortcuts"] = ShortcutsDialog(win)
    for name, dialog in dialogs.items():
        qtbot.addWidget(dialog)
        assert not _alt_clashes(_window_texts(dialog)), (name, _window_texts(dialog))


def test_the_alt_letter_check_finds_a_clash() -> None:
    assert _alt_clashes(["&Edit", "&Edit…", "Ed&it"]) == {"e": ["&Edit", "&Edit…"]}
    assert _alt_clashes(["&Édition", "&Effacer"])  # É and E are one key to a person


# -- Help > Keyboard Shortcuts ---------------------------------------------------------------


def test_help_lists_every_key_of_the_window(lang_window: MainWindow) -> None:
    from PySide6.QtGui import QAction, QKeySequence

    from ui.shell.shortcuts import _SPECIAL_KEYS, MAP_KEYS, ShortcutsDialog

    cells = {keys for _command, keys in ShortcutsDialog(lang_window).rows()}
    listed = {key for cell in cells for key in cell.split(", ")}
    found = 0
    for action in lang_window.findChildren(QAction):
        for key in action.shortcuts():
            if key.toString(QKeySequence.SequenceFormat.PortableText) in _SPECIAL_KEYS:
                continue
            found += 1
            text = key.toString(QKeySequence.SequenceFormat.NativeText)
            assert text in listed, (action.text(), text)
    assert found >= 20
    assert {"Ctrl+Shift+N", "Ctrl+N", "Ctrl+Y", "Ctrl+Shift+Z"} <= listed
    assert {i18n._(keys) for keys, _what in MAP_KEYS} <= cells


def test_ctrl_n_makes_a_meeting_and_ctrl_shift_n_a_trip(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.schedule import actions

    made: list[str] = []
    monkeypatch.setattr(actions, "new_meeting", lambda *args: made.append("meeting"))
    monkeypatch.setattr(actions, "new_trip", lambda *args: made.append("trip"))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    target = window.schedule_view
    qtbot.keyClick(target, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(
        target,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.keyClick(target, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert made == ["meeting", "trip", "meeting"]
    assert window.new_library_action.shortcuts() == []


# -- the organization field: any words of the name; none is an empty field --------------------


def test_the_organization_is_found_by_any_words_and_none_is_an_empty_field(
    qtbot: QtBot, lang_window: MainWindow
) -> None:
    dialog = _open(qtbot, _new_dialogs(lang_window)["new contact"])
    combo = dialog.organization  # type: ignore[attr-defined]
    line = combo.lineEdit()
    assert combo.currentText() == "" and combo.currentIndex() == -1
    assert line.placeholderText() == i18n._("(no organization)")
    if lang_window.library and i18n.current().language == "fr":
        assert line.placeholderText() == "(aucune organisation)"  # feminine
    assert combo.findText(i18n._("(no organization)")) < 0  # not an entry to pick
    combo.setFocus()
    qtbot.keyClicks(line, "hospital children")  # words in any order
    assert combo.matches() == ["Boston Children's Hospital"]
    popup = combo.completer().popup()  # the list has the keys while it is shown
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert combo.currentText() == "Boston Children's Hospital"
    qtbot.keyClicks(dialog.given, "Ana")  # type: ignore[attr-defined]
    contact = dialog.value()  # type: ignore[attr-defined]
    org_id = combo.currentData()
    assert contact.organization_id == org_id is not None
    line.selectAll()
    qtbot.keyClicks(line, "mcgill health")
    assert combo.matches() == ["McGill University Health Centre"]
    mcgill = combo.itemData(combo.findText("McGill University Health Centre"))
    assert dialog.value().organization_id == mcgill  # type: ignore[attr-defined]
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Delete)  # emptied: no organization
    assert dialog.value().organization_id is None  # type: ignore[attr-defined]
    qtbot.keyClicks(line, "Nowhere Labs")
    qtbot.keyClick(dialog.given, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    assert dialog.isVisible() and "Nowhere Labs" in dialog.error_label.text()


# -- French wording (issue 17, point 6) -------------------------------------------------------


def test_french_uses_one_word_for_each_thing() -> None:
    from tools.i18n import catalogs
    from ui.shell.shortcuts import plain
    from visitplanner.exchange.phones import check_phone, shown_phone

    fr = i18n.translator("fr")
    # Undo is the platform's "Annuler"; cancelling a meeting is another word
    assert plain(fr.gettext("&Undo")) == "Annuler"
    assert fr.gettext("Cancel “{title}”").startswith("Décommander")
    assert fr.ngettext("Cancel {n} meeting", "Cancel {n} meetings", 2).startswith("Décommander")
    assert fr.gettext("Cancel the selected meetings").startswith("Décommander")
    assert fr.gettext("Cancelled") == "Décommandée"
    assert plain(fr.gettext("&Arrange…")) == "Placer automatiquement"
    # one word for the buffer between meetings, none for the arrange's "arrangement"
    for domain, catalog in catalogs().items():
        for message in catalog:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in strings:
                assert "tampon" not in text and "arrangement" not in text.lower(), (domain, text)
    assert "marge" in fr.gettext("&Buffer between meetings:").lower()
    # extensions: "poste" in French, "ext." in English; stored one way, read back both
    stored = check_phone("+1 514 555 0142 poste 204").value
    assert stored == "+1 514-555-0142 ext. 204"
    assert shown_phone(stored, fr) == "+1 514-555-0142 poste 204"
    assert shown_phone(stored, i18n.translator("en")) == stored
    assert check_phone(shown_phone(stored, fr)).value == stored


def test_a_french_contact_dialog_shows_the_extension_as_poste(
    qtbot: QtBot, demo_path: Path
) -> None:
    make_application()
    i18n.set_language("fr")
    win = MainWindow(Library.open(demo_path))
    qtbot.addWidget(win)
    dialog = ContactDialog(
        win, win.library, Contact("Ana", "Roy", phone="+1 514-555-0142 ext. 204")
    )
    qtbot.addWidget(dialog)
    assert dialog.phone.text() == "+1 514-555-0142 poste 204"
    assert dialog.value().phone == "+1 514-555-0142 ext. 204"


def test_every_standard_redo_key_and_ctrl_y_redo_once(qtbot: QtBot, window: MainWindow) -> None:
    """The platform's own Redo keys (QKeySequence.Redo) and Ctrl+Y each redo one step: none
    is bound twice (Qt then reports an ambiguous shortcut and does nothing)."""
    from PySide6.QtGui import QKeySequence, QUndoCommand

    from ui.shell.shortcuts import _SPECIAL_KEYS

    keys = [*QKeySequence.keyBindings(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")]
    keys = [k for k in keys if k.toString() not in _SPECIAL_KEYS]  # (a Redo key: no laptop has)
    assert len(keys) >= 2
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for key in keys:
        combination = key[0]
        window.undo_stack.push(QUndoCommand("Mark"))
        window.undo_stack.undo()
        qtbot.keyClick(window.schedule_view, combination.key(), combination.keyboardModifiers())
        assert not window.undo_stack.canRedo(), key.toString()  # ambiguous: nothing redone
