"""The base of every editing dialog: OK/Cancel, and a red sentence instead of closing when
what was typed is not valid.

As in the desktop's own dialogs: the first field has the focus when the dialog opens (a
typed space never presses OK), the sentence goes as soon as the field is changed, and
Escape or the window's close button asks before throwing away what was typed (and not when
nothing changed)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from visitplanner.errors import InputError
from visitplanner.i18n import _

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
        self._shown_state: list[object] | None = None  # what the fields held when opened
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.cancel)

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
            self._shown_state = self.field_state()
            first = first_field(self)
            if first is not None:
                first.setFocus(Qt.FocusReason.TabFocusReason)
        super().showEvent(event)

    def field_state(self) -> list[object]:
        """What every field of the dialog holds, to tell whether anything was changed."""
        return field_state(self)

    def is_dirty(self) -> bool:
        return self._shown_state is not None and self.field_state() != self._shown_state

    def cancel(self) -> bool:
        """Escape, Cancel or the window's close button: closes, after asking when something
        was changed (True when closed)."""
        if self.isVisible() and self.is_dirty() and not confirm_discard(self):
            return False
        self.reject()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.cancel()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's close button (a spontaneous close) asks as Cancel does; a close by
        the program does not."""
        if event.spontaneous() and self.isVisible() and not self.cancel():
            event.ignore()
            return
        super().closeEvent(event)

    def _watch_inputs(self) -> None:
        """The sentence goes as soon as the person changes what it was about."""
        for line in self.findChildren(QLineEdit):
            line.textEdited.connect(self._input_changed)
        for text in self.findChildren(QPlainTextEdit):
            text.textChanged.connect(self._input_changed)
        for spin in self.findChildren(QAbstractSpinBox):
            spin.editingFinished.connect(self._input_changed)
            line = spin.lineEdit()
            if line is not None:  # date, time and number fields: as soon as one is typed
                line.textEdited.connect(self._input_changed)
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


INPUT_TYPES = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox, QListWidget)


def first_field(dialog: QWidget) -> QWidget | None:
    """The first field of ``dialog`` in Tab order that takes typing (not a button)."""
    widget = dialog.nextInFocusChain()
    seen: set[int] = set()
    while widget is not None and widget is not dialog and id(widget) not in seen:
        seen.add(id(widget))
        if (
            isinstance(widget, INPUT_TYPES)
            and widget.isEnabled()
            and widget.isVisibleTo(dialog)
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and not (isinstance(widget, QLineEdit) and widget.isReadOnly())
        ):
            # a combo's or a spin box's own line edit: the combo, as Tab would give it
            parent = widget.parentWidget()
            if isinstance(widget, QLineEdit) and isinstance(parent, QComboBox | QAbstractSpinBox):
                return parent
            return widget
        widget = widget.nextInFocusChain()
    return None


def field_state(dialog: QWidget) -> list[object]:
    """The values of every field of ``dialog`` (texts, choices, ticks), in a fixed order."""
    state: list[object] = [line.text() for line in dialog.findChildren(QLineEdit)]
    state += [text.toPlainText() for text in dialog.findChildren(QPlainTextEdit)]
    state += [(c.currentIndex(), c.currentText()) for c in dialog.findChildren(QComboBox)]
    buttons = dialog.findChildren(QAbstractButton)
    state += [button.isChecked() for button in buttons if button.isCheckable()]
    for listing in dialog.findChildren(QListWidget):
        items = [listing.item(row) for row in range(listing.count())]
        state.append([(i.text(), i.checkState()) for i in items if i is not None])
    return state


def confirm_discard(parent: QWidget) -> bool:
    """Ask "Discard changes?"; True when the person chooses to discard them."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Discard changes?"))
    box.setText(_("Discard changes?"))
    box.setInformativeText(_("What you changed in this window will be lost."))
    discard = box.addButton(_("&Discard Changes"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(_("&Keep Editing"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    discarded = box.clickedButton() is discard
    box.deleteLater()
    return discarded
