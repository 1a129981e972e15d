"""The find-or-create place field of every dialog that names a place (a trip's hotel, an
organization's place, a meeting's place).

One line edit. Typing lists the library's places that match (accent-insensitive, any word
start) and a "Find “…”" entry; Enter or Find geocodes the text: offline first
(``geocoder.candidates``, settled by the trip's region), online off the GUI thread when
Preferences allow it and nothing precise was found offline. Several answers are offered in the
same popup to choose from. A new place gets the resolved address and the venue's (or the
street's) name, never the typed text; before it is created, near-identical places of the
library (``planning.places.similar_places``) are offered for reuse. Under the line, the chosen
place's address and precision, and "address to be confirmed" when it is approximate.

Enter in the field finds or chooses and never presses the dialog's OK; Escape closes the popup
only. The dialog reads :meth:`PlaceField.place_id` (an existing place) or
:meth:`PlaceField.place_to_add` (a new one, stored with the record in one undo step:
``edits.AtNewPlace``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.shell.forms import ERROR_STYLE
from visitplanner.errors import InputError, VisitPlannerError
from visitplanner.i18n import _
from visitplanner.library import Library, directory
from visitplanner.model import PRECISION_LABELS, Place
from visitplanner.names import fold
from visitplanner.planning.places import search_places, similar_places

if TYPE_CHECKING:  # geocoding loads when a place is looked up
    from visitplanner.geo.geocoder import GeoResult

ACTION_ROLE = Qt.ItemDataRole.UserRole + 1  # what choosing a popup row does
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2  # the place id, the text, or the place
NOTE_STYLE = "color: #555555;"
APPROXIMATE_STYLE = "color: #8a5a00;"


def precision_text(place: Place) -> str:
    """ "Venue", or "Postal code, address to be confirmed" for an approximate place."""
    if place.precision is None:
        return _("no coordinates")
    word = _(PRECISION_LABELS[place.precision])
    if place.approximate:
        return _("{precision}, address to be confirmed").format(precision=word)
    return word


def place_summary(place: Place) -> str:
    """One line: the address (or the name when it has none) and the precision."""
    where = place.address() or place.label()
    return _("{address} · {precision}").format(address=where, precision=precision_text(place))


class PlaceField(QWidget):
    """A place chosen among the library's, or found and created. ``region`` gives the trip's
    region ("boston", "quebec"), which settles an ambiguous name."""

    def __init__(
        self,
        library: Library,
        place_id: int | None = None,
        *,
        empty_text: str = "",
        region: Callable[[], str | None] = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.region = region
        self.places = directory.places(library)
        self._place_id: int | None = place_id if place_id in self.places else None
        self._new: Place | None = None
        self._default: tuple[Place, str] | None = None
        self._results: list[GeoResult] = []
        self._closed = False  # then a late online answer is dropped
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(empty_text or _("Type a name, an address or a city"))
        self.edit.setClearButtonEnabled(True)
        self.edit.installEventFilter(self)
        self.edit.textEdited.connect(self._typed)
        self.find_button = QPushButton(_("F&ind"))
        self.find_button.setAutoDefault(False)
        self.find_button.clicked.connect(self.find_place)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setWidget(self.edit)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(10)
        self.completer.activated[QModelIndex].connect(self._activated)  # type: ignore[index]
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.find_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.note)
        # As tall as its lines, whatever room the dialog has; the note keeps its line when
        # empty, so the form does not jump while the person types.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.note.setMinimumHeight(self.note.fontMetrics().height())
        self.setFocusProxy(self.edit)
        self._show_choice()

    # -- what the dialog reads -------------------------------------------------------------

    def place_id(self) -> int | None:
        """The existing place chosen, None for none or a new one; InputError when text was
        typed but nothing chosen for it."""
        self._check_chosen()
        return self._place_id if self.edit.text().strip() else None

    def place_to_add(self) -> Place | None:
        """The place found by geocoding, to add to the library with the record."""
        return self._new if self._chosen() is self._new else None

    def _chosen(self) -> Place | None:
        """The place chosen for the text shown (None when the text was changed since)."""
        chosen = self.places.get(self._place_id) if self._place_id is not None else self._new
        text = fold(self.edit.text().strip())
        return chosen if chosen is not None and text == fold(chosen.label()) else None

    def close_lookups(self) -> None:
        """The dialog is gone: an online answer arriving later is dropped."""
        self._closed = True

    def popup(self) -> QAbstractItemView:
        popup = self.completer.popup()
        assert popup is not None, "a completer always has its list"
        return popup

    def popup_visible(self) -> bool:
        return self.popup().isVisible()

    def popup_texts(self) -> list[str]:
        return [self.model.item(row).text() for row in range(self.model.rowCount())]

    def choose_row(self, row: int) -> None:
        """Choose the popup's ``row`` as a click would."""
        self._activated(self.model.index(row, 0))

    def _check_chosen(self) -> None:
        text = self.edit.text().strip()
        if text and self._chosen() is None:
            raise InputError(
                _("Choose a place for “{text}” in the list, or press Enter to find it.").format(
                    text=text
                )
            )

    # -- typing and the popup --------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.FocusIn and self._chosen():
            QTimer.singleShot(0, self.edit, self.edit.selectAll)  # typing replaces the choice
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.find_place()
                return True  # never the dialog's OK
            if event.key() == Qt.Key.Key_Down and not self.popup_visible():
                self._suggest(self.edit.text())
                return True
        return super().eventFilter(watched, event)

    def _typed(self, text: str) -> None:
        """Typing forgets the choice and lists the library's places that match."""
        self._place_id, self._new = None, None
        self._show_choice()
        self._suggest(text)

    def _suggest(self, text: str) -> None:
        """The library's places matching ``text``, then "Find “text”…"."""
        rows: list[QStandardItem] = []
        for place in search_places(self.places, text):
            rows.append(self._row(_row_label(place), "place", place.id))
        if text.strip():
            rows.append(self._row(_("Find “{text}”…").format(text=text.strip()), "find", text))
        self._popup(rows)

    @staticmethod
    def _row(label: str, action: str, value: object) -> QStandardItem:
        item = QStandardItem(label)
        item.setEditable(False)
        item.setData(action, ACTION_ROLE)
        item.setData(value, VALUE_ROLE)
        return item

    def _popup(self, rows: list[QStandardItem]) -> None:
        self.model.clear()
        for item in rows:
            self.model.appendRow(item)
        if not rows:
            self.popup().hide()
            return
        self.completer.setCompletionPrefix("")
        popup = self.popup()
        metrics = popup.fontMetrics()
        widest = max(metrics.horizontalAdvance(item.text()) for item in rows) + 60
        popup.setMinimumWidth(min(max(self.edit.width(), widest), 900))
        self.completer.complete()
        popup.setCurrentIndex(self.completer.completionModel().index(0, 0))

    def _activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        action = index.data(ACTION_ROLE)
        value = index.data(VALUE_ROLE)
        self.popup().hide()
        if action == "place":
            self._choose(int(value))
        elif action == "find":
            self.edit.setText(str(value))
            self.find_place()
        elif action == "result":
            self._offer(self._results[int(value)])
        elif action == "create":
            self._create(value)

    # -- choosing --------------------------------------------------------------------------

    def _choose(self, place_id: int) -> None:
        place = self.places[place_id]
        self._place_id, self._new = place_id, None
        self.edit.setText(place.label())
        self.edit.setCursorPosition(0)
        self._show_choice()

    def _create(self, place: Place) -> None:
        self._place_id, self._new = None, place
        self.edit.setText(place.label())
        self.edit.setCursorPosition(0)
        self._show_choice()

    def _show_choice(self) -> None:
        if self._place_id is not None:
            place = self.places[self._place_id]
            self._say(place_summary(place), place)
            if not self.edit.text():
                self.edit.setText(place.label())
                self.edit.setCursorPosition(0)
        elif self._new is not None:
            text = _("New place: {summary}").format(summary=place_summary(self._new))
            self._say(text, self._new)
        elif self._default is not None and not self.edit.text().strip():
            place, message = self._default
            self._say(message.format(summary=place_summary(place)), place)
        else:
            self.note.clear()

    def set_default(self, place: Place | None, message: str = "") -> None:
        """What an empty field stands for (a meeting: its organization's place), said under
        it with ``message`` ("… {summary}") while nothing is chosen."""
        self._default = (place, message) if place is not None else None
        self._show_choice()

    def _say(self, text: str, place: Place | None = None, error: bool = False) -> None:
        if error:
            style = ERROR_STYLE
        elif place is not None and (place.approximate or place.precision is None):
            style = APPROXIMATE_STYLE
        else:
            style = NOTE_STYLE
        self.note.setStyleSheet(style)
        self.note.setText(text)
        QTimer.singleShot(0, self, self._room_for_note)

    def _room_for_note(self) -> None:
        """A note that wraps onto more lines: the dialog grows to show it, rather than its
        fields below sliding over its buttons (a top-level window's minimum size does not
        follow wrapped text by itself)."""
        window = self.window()
        layout = window.layout() if window is not self else None
        if layout is None or not window.isVisible():
            return
        for inner in (self.layout(), *window.findChildren(QLayout), layout):
            if inner is not None:
                inner.invalidate()  # their cached answers predate the note's new text
        if not layout.hasHeightForWidth():
            return
        needed = layout.totalHeightForWidth(window.width())
        if needed > window.height():
            window.resize(window.width(), needed)

    # -- finding ---------------------------------------------------------------------------

    def find_place(self) -> None:
        """Enter or Find: the place typed if the library has it by that name, else geocode."""
        from ui.shell import settings
        from ui.shell.tasks import run_task
        from visitplanner.geo import geocoder

        text = self.edit.text().strip()
        if not text:
            self._say(_("Type a name, an address or a city to find."), error=True)
            return
        if self._chosen() is not None:
            return  # Enter on the choice: it stays
        same = [p for p in self.places.values() if fold(p.label()) == fold(text)]
        if len(same) == 1 and same[0].id is not None:
            self._choose(same[0].id)
            return
        region = self.region()
        online = settings.online_geocoding()
        try:
            found = geocoder.candidates(text, self.library, None, region=region)
        except geocoder.GeocodingError:
            found = []
        except VisitPlannerError as error:
            self._say(str(error), error=True)
            return
        if not online.enabled or any(geocoder.is_precise(r) for r in found):
            self._present(text, found)
            return

        def work(_progress: object) -> list[geocoder.GeoResult]:
            # No library here: the GUI thread owns its connection (and the cache write).
            return geocoder.candidates(text, None, online, region=region)

        def done(results: list[geocoder.GeoResult]) -> None:
            self.find_button.setEnabled(True)
            if self._closed:
                return
            for result in results:
                if result.source == "nominatim":
                    geocoder.store_in_cache(self.library, result)
            self._present(text, results or found)

        def failed(message: str) -> None:
            self.find_button.setEnabled(True)
            if self._closed:
                return
            if found:
                self._present(text, found)
            else:
                self._say(message, error=True)

        self.find_button.setEnabled(False)
        self._say(_("Looking “{text}” up online…").format(text=text))
        run_task(self, work, done, title=_("Finding the place…"), on_error=failed)

    def _present(self, text: str, results: list[GeoResult]) -> None:
        if not results:
            self._say(_("No place matches “{text}”.").format(text=text), error=True)
            return
        self._results = list(results)
        if len(results) == 1:
            self._offer(results[0])
            return
        self._say(_("Several places match “{text}”: choose one.").format(text=text))
        rows = []
        for i, result in enumerate(results):
            label = _("{name} · {precision}").format(
                name=result.label, precision=precision_text(result.to_place())
            )
            rows.append(self._row(label, "result", i))
        self._popup(rows)

    def _offer(self, result: GeoResult) -> None:
        """A new place for ``result``, unless the person takes a near-identical one."""
        place = result.to_place()
        similar = similar_places(self.library, place)
        if result.source == "library" and not similar:  # the library's own place, by name
            similar = [
                p for p in self.places.values() if (p.lat, p.lon) == (result.lat, result.lon)
            ]
        if not similar:
            self._create(place)
            return
        rows = [
            self._row(
                _("Use the existing place “{name}” ({address})").format(
                    name=p.label(), address=p.address() or precision_text(p)
                ),
                "place",
                p.id,
            )
            for p in similar
            if p.id is not None
        ]
        rows.append(
            self._row(
                _("Create a new place “{name}” ({address})").format(
                    name=place.label(), address=place_summary(place)
                ),
                "create",
                place,
            )
        )
        self._say(_("This place may already be in the library: choose below."))
        self._popup(rows)


def _row_label(place: Place) -> str:
    address = place.address()
    if address and address != place.label():
        return _("{name} — {address}").format(name=place.label(), address=address)
    return place.label()
