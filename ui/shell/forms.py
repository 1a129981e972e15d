"""The base of every editing dialog: OK/Cancel, and a red sentence instead of closing when
what was typed is not valid."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget

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
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def validate(self) -> None:
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def accept(self) -> None:
        try:
            self.validate()
        except InputError as error:
            self.show_error(str(error))
            return
        super().accept()
