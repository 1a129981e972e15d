"""File > Publish…: the trip's calendars and contacts to a CalDAV/CardDAV server.

The dialog takes the server address and user name kept for the library (Preferences holds
them too) and the password from the system keyring (typed once, then kept there, never in
the library or a log). The publish runs in the background with progress and Cancel; a
publish cut off (Cancel, network) leaves the server consistent and the next one sends the
rest.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ui.shell.context import AppContext
from ui.shell.tasks import Progress
from visitplanner.errors import InputError, VisitPlannerError
from visitplanner.i18n import _


@dataclass(frozen=True)
class PublishChoice:
    url: str
    user: str
    password: str
    contacts: str  # "hosts", "directory" or "none"
    remember_password: bool = True


class PublishDialog(QDialog):
    def __init__(self, parent: QWidget | None, library: Path, trip_name: str) -> None:
        from visitplanner.publish.settings import get_password, load_setup

        super().__init__(parent)
        self.setWindowTitle(_("Publish {trip}").format(trip=trip_name))
        setup = load_setup(library)
        self.url = QLineEdit(setup.url)
        self.url.setPlaceholderText("https://dav.example.com/")
        self.user = QLineEdit(setup.user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        kept = bool(setup.url and setup.user and get_password(setup.url, setup.user))
        self.password.setPlaceholderText(
            _("kept in the system keyring") if kept else _("typed once, kept in the keyring")
        )
        self.remember = QCheckBox(_("Keep the password in the system keyring"))
        self.remember.setChecked(True)
        self.contacts = QComboBox()
        self.contacts.addItem(_("The trip's hosts"), "hosts")
        self.contacts.addItem(_("The whole directory"), "directory")
        self.contacts.addItem(_("No contacts"), "none")
        form = QFormLayout()
        form.addRow(_("&Server:"), self.url)
        form.addRow(_("&User name:"), self.user)
        form.addRow(_("&Password:"), self.password)
        form.addRow("", self.remember)
        form.addRow(_("&Contacts:"), self.contacts)
        note = QLabel(
            _(
                "One calendar per delegate and one for the delegation, updated in place: "
                "share them read-only from the server, and delegates subscribe once."
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Publish"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def choice(self) -> PublishChoice:
        from visitplanner.publish.settings import get_password
        from visitplanner.publish.sync import check_server_url

        url = check_server_url(self.url.text())
        user = self.user.text().strip()
        password = self.password.text() or (get_password(url, user) if user else None) or ""
        if user and not password:
            raise InputError(_("Type the password of {user} at {url}.").format(user=user, url=url))
        return PublishChoice(
            url,
            user,
            password,
            str(self.contacts.currentData()),
            self.remember.isChecked(),
        )

    def accept(self) -> None:
        try:
            self.choice()
        except VisitPlannerError as error:
            QMessageBox.warning(self, self.windowTitle(), str(error))
            return
        super().accept()


class PublishController(QObject):
    """File > Publish… for one main window."""

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.context = context
        self.action = QAction(_("Pu&blish to Calendar Server…"), context.window)
        self.action.triggered.connect(self.publish)
        menus = context.menus
        menus.file.insertAction(menus.file_end, self.action)
        context.tripChanged.connect(self._trip_changed)
        self._trip_changed(context.trip_id)
        self.last_message = ""

    def _trip_changed(self, trip_id: int | None) -> None:
        self.action.setEnabled(trip_id is not None)

    def dialog(self) -> PublishChoice | None:
        """Ask where to publish (tests replace this)."""
        from visitplanner.library import trips

        trip_id = self.context.trip_id
        assert trip_id is not None
        name = trips.get_trip(self.context.library, trip_id).name
        dialog = PublishDialog(self.context.window, self.context.library.path, name)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choice()

    def publish(self) -> None:
        if self.context.trip_id is None:
            return
        choice = self.dialog()
        if choice is not None:
            self.start_publish(choice)

    def start_publish(self, choice: PublishChoice) -> threading.Event | None:
        """Save the setup, read the trip here, then plan and send off the GUI thread;
        returns the event that cancels the publish."""
        from visitplanner.publish.content import contact_scope, wanted_collections
        from visitplanner.publish.settings import Setup, save_setup, set_password
        from visitplanner.publish.sync import (
            Connection,
            Result,
            ServerSettings,
            apply_plan,
            plan_collections,
        )

        trip_id = self.context.trip_id
        if trip_id is None:
            return None
        title = _("Publish")
        try:
            save_setup(self.context.library.path, Setup(choice.url, choice.user))
            if choice.remember_password and choice.user and choice.password:
                set_password(choice.url, choice.user, choice.password)
            wanted = wanted_collections(
                self.context.library, str(trip_id), contact_scope(choice.contacts)
            )
        except VisitPlannerError as error:
            QMessageBox.warning(self.context.window, title, str(error))
            return None
        server = ServerSettings(choice.url, choice.user, choice.password)

        def work(progress: Progress) -> Result:
            progress(0.0, _("Reading the server…"))
            connection = Connection(server)
            try:
                plan = plan_collections(wanted, trip_id, connection)

                def step(done: int, total: int, label: str) -> None:
                    progress(done / total if total else 1.0, label)

                return apply_plan(plan, connection, step)
            finally:
                connection.close()

        def done(result: Result) -> None:
            self.last_message = _(
                "Published to {host}: {created} created, {updated} updated, {deleted} "
                "deleted, {unchanged} unchanged."
            ).format(
                host=server.host,
                created=result.created,
                updated=result.updated,
                deleted=result.deleted,
                unchanged=result.unchanged,
            )
            self.context.show_status(self.last_message, 10)

        def failed(message: str) -> None:
            self.last_message = message
            QMessageBox.warning(self.context.window, title, message)

        return self.context.run_task(
            work, done, title=_("Publishing to the calendar server…"), on_error=failed
        )
