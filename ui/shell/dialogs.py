"""Small dialogs: Preferences and About."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ui.shell import settings
from visitplanner import APP_NAME, __version__
from visitplanner.i18n import _


class PreferencesDialog(QDialog):
    """Language (System, English, Français); applies after a restart, as it says."""

    def __init__(self, parent: QWidget | None = None, library_path: Path | None = None) -> None:
        """``library_path``: the open library, whose calendar server is set here."""
        super().__init__(parent)
        self.setWindowTitle(_("Preferences"))
        self.language = QComboBox()
        self.language.addItem(_("System language"), "system")
        self.language.addItem("English", "en")
        self.language.addItem("Français", "fr")
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language())))
        self._initial = settings.language()
        form = QFormLayout()
        form.addRow(_("&Language:"), self.language)
        self._add_online_fields(form)
        self._add_publish_fields(form, library_path)
        note = QLabel(_("A new language applies the next time Visit Planner starts."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _add_online_fields(self, form: QFormLayout) -> None:
        """Online geocoding and map tiles: off unless the user turns them on."""
        from PySide6.QtWidgets import QCheckBox, QLineEdit

        geo, tile = settings.online_geocoding(), settings.tile_settings()
        self.online_geocoding = QCheckBox(_("Look up addresses online when needed"))
        self.online_geocoding.setChecked(geo.enabled)
        self.geocoding_server = QLineEdit(geo.server)
        self.online_tiles = QCheckBox(_("Load map tiles from the internet"))
        self.online_tiles.setChecked(tile.enabled)
        self.tile_url = QLineEdit(tile.url)
        self.tile_prefetch = QCheckBox(_("This tile server allows storing an area ahead"))
        self.tile_prefetch.setChecked(tile.allows_prefetch)
        form.addRow(_("Geocoding:"), self.online_geocoding)
        form.addRow(_("Nominatim &server:"), self.geocoding_server)
        form.addRow(_("Map:"), self.online_tiles)
        form.addRow(_("&Tile server URL:"), self.tile_url)
        form.addRow("", self.tile_prefetch)

    def _add_publish_fields(self, form: QFormLayout, library_path: Path | None) -> None:
        """The calendar server and user name of the open library (File > Publish…); the
        password is asked there and kept in the system keyring."""
        from PySide6.QtWidgets import QLineEdit

        from visitplanner.publish.settings import load_setup

        self.library_path = library_path
        setup = load_setup(self.library_path) if self.library_path is not None else None
        self.publish_server = QLineEdit(setup.url if setup else "")
        self.publish_server.setPlaceholderText("https://dav.example.com/")
        self.publish_user = QLineEdit(setup.user if setup else "")
        self.publish_server.setEnabled(setup is not None)
        self.publish_user.setEnabled(setup is not None)
        form.addRow(_("Calendar ser&ver (this library):"), self.publish_server)
        form.addRow(_("Calendar user &name:"), self.publish_user)

    def accept(self) -> None:
        if self.library_path is not None:
            from visitplanner.errors import VisitPlannerError
            from visitplanner.publish.settings import Setup, save_setup
            from visitplanner.publish.sync import check_server_url

            url = self.publish_server.text().strip()
            try:
                if url:
                    check_server_url(url)
                save_setup(self.library_path, Setup(url, self.publish_user.text()))
            except VisitPlannerError as error:
                QMessageBox.warning(self, _("Preferences"), str(error))
                return
        settings.set_online(
            self.online_geocoding.isChecked(),
            self.geocoding_server.text(),
            self.online_tiles.isChecked(),
            self.tile_url.text(),
            self.tile_prefetch.isChecked(),
        )
        chosen = self.language.currentData()
        settings.set_language(chosen)
        if chosen != self._initial:
            QMessageBox.information(
                self,
                _("Preferences"),
                _("The language will change when you restart Visit Planner."),
            )
        super().accept()


def about_text() -> str:
    """The About box: what the app is, its licence, and every data source shipped with it."""
    data = [
        _(
            "Postal code centroids: countrystatecity-postal-codes, Open Database License "
            "(ODbL) 1.0."
        ),
        _(
            "Map tiles, the streets of Greater Boston, the sea and the St. Lawrence: "
            "© OpenStreetMap contributors, ODbL."
        ),
        _(
            "Street addresses and streets of Cambridge: City of Cambridge GIS, public domain "
            "(PDDL 1.0)."
        ),
        _("Street addresses and streets of Québec City: Ville de Québec, CC BY 4.0."),
        _("Main roads of Montréal: Ville de Montréal, CC BY 4.0."),
        _("Base map: Natural Earth, public domain."),
        _(
            "Venue gazetteer: coordinates checked against public sources named per row "
            "(Wikipedia, OpenStreetMap)."
        ),
        _("Fonts: DejaVu, Bitstream Vera licence."),
    ]
    items = "".join(f"<li>{html.escape(item)}</li>" for item in data)
    intro = _(
        "Plan life-sciences trade missions: a directory of hosts, a map-aware schedule and "
        "itineraries in English and French."
    )
    demo = _("Demo trips: people and companies are fictional; places are real.")
    return (
        f"<h3>{html.escape(APP_NAME)} {html.escape(__version__)}</h3>"
        f"<p>{html.escape(intro)}</p>"
        f"<p>{html.escape(_('Licensed under the MIT licence.'))}</p>"
        f"<p><b>{html.escape(_('Data shipped with the application'))}</b></p>"
        f"<ul>{items}</ul><p>{html.escape(demo)}</p>"
    )


def show_about(parent: QWidget) -> None:
    QMessageBox.about(parent, _("About {app}").format(app=APP_NAME), about_text())
