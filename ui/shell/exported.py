"""After an export: a visible confirmation with Open and Show in Folder, and the folder
remembered for the next export dialog (QSettings)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from ui.shell import settings
from visitplanner.i18n import _

FOLDER_KEY = "export/folder"


def export_folder() -> Path:
    """Where the last export went (the home folder the first time, or when it is gone)."""
    stored = settings.settings().value(FOLDER_KEY, "")
    folder = Path(str(stored)) if stored else Path.home()
    return folder if folder.is_dir() else Path.home()


def remember_folder(path: Path) -> None:
    """The folder of ``path`` (a file, or a folder itself) is offered next time."""
    folder = path if path.is_dir() else path.parent
    settings.settings().setValue(FOLDER_KEY, str(folder))


def show_exported(parent: QWidget, title: str, message: str, path: Path) -> QMessageBox:
    """Say that ``path`` was written, with Open (the file, or the folder of several files)
    and Show in Folder; not modal: the work goes on while it is shown."""
    remember_folder(path)
    box = QMessageBox(parent)
    box.setObjectName("export_confirmation")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(message)
    open_button = box.addButton(_("&Open"), QMessageBox.ButtonRole.ActionRole)
    folder_button = box.addButton(_("Show in &Folder"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    folder = path if path.is_dir() else path.parent
    open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
    folder_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
    for old in parent.findChildren(QMessageBox, "export_confirmation"):
        if old is not box:
            old.deleteLater()
    box.setModal(False)
    box.show()
    return box
