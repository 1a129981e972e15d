"""The note under the map when no tile is at hand: how to get tiles (translated), with a
link to View > Offline Map > Import Map Tiles."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QWidget

from visitplanner.i18n import _


class TileNote(QLabel):
    """A small grey line; hidden once tiles are cached or can be fetched."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setStyleSheet("color: palette(placeholder-text);")
        self.linkActivated.connect(self._link)
        self.actions_: dict[str, QAction] = {}
        self.hide()

    def set_actions(self, import_action: QAction) -> None:
        self.actions_ = {"import": import_action}

    def refresh(self, fetching: bool, cached: int) -> None:
        """Shown when tiles are neither fetched (Preferences) nor cached (none stored)."""
        if not self.actions_ or fetching or cached > 0:
            self.hide()
            return
        link = '<a href="import">{}</a>'.format(_("Import map tiles (.mbtiles)…"))
        self.setText(
            _(
                "No map tiles for this area on this computer. {link}, or turn on “Load map "
                "tiles from the internet” in Preferences."
            ).format(link=link)
        )
        self.show()

    def _link(self, name: str) -> None:
        action = self.actions_.get(name)
        if action is not None:
            action.trigger()
