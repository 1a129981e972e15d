"""The question a merge asks: which of two records to keep (places, organizations, contacts)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from visitplanner.i18n import _


def which_to_keep(
    parent: QWidget, title: str, text: str, names: list[str], ids: list[int]
) -> tuple[int, int] | None:
    """(kept id, dropped id) as the person chose with one "Keep “name”" button per record;
    None when they cancelled."""
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setText(text)
    buttons = [
        box.addButton(_("Keep “{name}”").format(name=name), QMessageBox.ButtonRole.AcceptRole)
        for name in names
    ]
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is buttons[0]:
        return ids[0], ids[1]
    if box.clickedButton() is buttons[1]:
        return ids[1], ids[0]
    return None
