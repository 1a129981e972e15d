"""A combo box to choose one record by typing any words of its name, or none.

"assay harbor" finds "Harbor Assay, Inc." (every word typed, in any order, accents and case
aside, as names match everywhere: visitplanner.names). "None" is not an entry: the field is
empty and says so in grey ("(no organization)"), as a search field does.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from visitplanner.errors import InputError
from visitplanner.names import fold, name_key


class _Words(QSortFilterProxyModel):
    """Rows whose text holds every typed word."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.words: list[str] = []

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        text = fold(str(model.data(model.index(source_row, 0, source_parent)) or ""))
        return all(word in text for word in self.words)


class RecordCombo(QComboBox):
    """Records by name (``add(name, id)``); ``record_id()`` is None when left empty."""

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.lineEdit()
        assert line is not None
        line.setPlaceholderText(empty_text)
        line.setClearButtonEnabled(True)
        self.filter = _Words(self)
        self.filter.setSourceModel(self.model())
        completer = QCompleter(self.filter, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.activated[QModelIndex].connect(self._chosen)  # type: ignore[index]
        self.setCompleter(completer)
        line.textEdited.connect(self._typed)

    def add(self, name: str, record_id: int) -> None:
        self.addItem(name, record_id)

    def set_record(self, record_id: int | None) -> None:
        index = self.findData(record_id) if record_id is not None else -1
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText("")

    def _typed(self, text: str) -> None:
        self.filter.set_text(text)
        completer = self.completer()
        if completer is not None and text.strip():
            completer.complete()
        if not text.strip():
            self.setCurrentIndex(-1)  # emptied: none

    def _chosen(self, index: QModelIndex) -> None:
        found = self.findText(str(index.data()), Qt.MatchFlag.MatchExactly)
        if found >= 0:
            self.setCurrentIndex(found)

    def matches(self) -> list[str]:
        """The names the list offers for what is typed (for tests)."""
        return [
            str(self.filter.data(self.filter.index(row, 0)))
            for row in range(self.filter.rowCount())
        ]

    def record_id(self, message: str) -> int | None:
        """The id of the record whose name is typed (None when empty); else InputError with
        ``message`` ({text}: what is typed)."""
        text = self.currentText().strip()
        if not text:
            self.setCurrentIndex(-1)
            return None
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0:
            key = name_key(text)
            index = next((i for i in range(self.count()) if name_key(self.itemText(i)) == key), -1)
        if index < 0:
            words = fold(text).split()
            found = [
                i for i in range(self.count()) if all(w in fold(self.itemText(i)) for w in words)
            ]
            index = found[0] if len(found) == 1 else -1  # one name holds every word typed
        if index < 0:
            raise InputError(message.format(text=text))
        self.setCurrentIndex(index)
        data = self.itemData(index)
        return int(data) if data is not None else None
