"""The base of every editing dialog: OK/Cancel, and a red sentence instead of closing when
what was typed is not valid."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from visitplanner.errors import InputError

ERROR_STYLE = "color: #b02a2a;"


class ValidatingDialog(QDialog):
    """A dialog with OK/Cancel whose ``validate()`` raises InputError with a sentence;
    the sentence shows in ``error_label`` and the dialog stays open."""

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._watching = False
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def validate(self) -> None:
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        """The sentence under the form, unless a note beside a field already says it."""
        said = any(
            label is not self.error_label and label.isVisible() and label.text() == message
            for label in self.findChildren(QLabel)
        )
        self.error_label.setText(message)
        self.error_label.setVisible(not said)
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth():  # a long sentence wraps: room
            needed = layout.totalHeightForWidth(self.width())
            if needed > self.height():
                self.resize(self.width(), needed)

    def showEvent(self, event: QShowEvent) -> None:
        if not self._watching:
            self._watching = True
            self._watch_inputs()
        super().showEvent(event)

    def _watch_inputs(self) -> None:
        """The sentence goes as soon as the person changes what it was about."""
        for line in self.findChildren(QLineEdit):
            line.textEdited.connect(self._input_changed)
        for text in self.findChildren(QPlainTextEdit):
            text.textChanged.connect(self._input_changed)
        for spin in self.findChildren(QAbstractSpinBox):
            spin.editingFinished.connect(self._input_changed)
        for combo in self.findChildren(QComboBox):
            combo.activated.connect(self._input_changed)
        for button in self.findChildren(QAbstractButton):
            if button.isCheckable():
                button.toggled.connect(self._input_changed)

    def _input_changed(self, *_args: object) -> None:
        self.error_label.hide()

    def accept(self) -> None:
        try:
            self.validate()
        except InputError as error:
            self.show_error(str(error))
            return
        super().accept()
