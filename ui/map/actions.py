"""View > Offline Map: import an .mbtiles file, or store the trip's area ahead of the trip.

Storing an area ahead is offered only for a tile server whose policy allows it
(Preferences); OpenStreetMap's own servers forbid bulk downloads, so by default tiles
are cached only as they are viewed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ui.map.view import MapView
from ui.shell.context import AppContext
from ui.shell.tasks import Progress
from visitplanner.errors import InputError, VisitPlannerError
from visitplanner.geo import tiles
from visitplanner.i18n import _, ngettext

# Zoom levels stored for offline use: the region (10) down to street level (16).
OFFLINE_ZOOMS = range(10, 17)
# Margin around the trip's stops, in degrees (about 2 km).
AREA_MARGIN = 0.02


class OfflineMapActions(QObject):
    """The View > Offline Map menu over the context's tile cache; redraws ``map_view``."""

    def __init__(self, context: AppContext, map_view: MapView) -> None:
        super().__init__(context)
        self.context = context
        self.map_view = map_view
        window = context.window
        menu = context.menus.view.addMenu(_("Offline &Map"))
        self.import_action = QAction(_("&Import Map Tiles (.mbtiles)…"), window)
        self.import_action.triggered.connect(lambda: self.import_tiles())
        self.store_action = QAction(_("&Store This Trip's Area for Offline Use…"), window)
        self.store_action.triggered.connect(self.store_trip_area)
        menu.addAction(self.import_action)
        menu.addAction(self.store_action)
        map_view.set_tile_actions(self.import_action)

    def import_tiles(self, source: Path | None = None) -> int:
        """Copy the tiles of an .mbtiles file into the library's tile cache."""
        window = self.context.window
        if source is None:
            name, _filter = QFileDialog.getOpenFileName(
                window, _("Import Map Tiles"), str(Path.home()), _("MBTiles files (*.mbtiles)")
            )
            if not name:
                return 0
            source = Path(name)
        cache = self.context.tile_cache()
        if cache is None:
            return 0
        try:
            count = cache.import_file(source)
        except VisitPlannerError as error:
            QMessageBox.warning(window, _("Import Map Tiles"), str(error))
            return 0
        self.map_view.canvas.update()
        self.map_view.update_tile_note()
        self.context.show_status(
            ngettext("{n} map tile imported.", "{n} map tiles imported.", count).format(n=count),
            8,
        )
        return count

    def trip_area(self) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """South-west and north-east corners around every located stop of the trip."""
        snap = self.context.snapshot
        if snap is None:
            return None
        points = [
            (p.lat, p.lon) for p in snap.places.values() if p.lat is not None and p.lon is not None
        ]
        if not points:
            return None
        lats = [p[0] for p in points]
        lons = [p[1] for p in points]
        return (
            (min(lats) - AREA_MARGIN, min(lons) - AREA_MARGIN),
            (max(lats) + AREA_MARGIN, max(lons) + AREA_MARGIN),
        )

    def store_trip_area(self) -> None:
        window = self.context.window
        settings = self.map_view.tile_settings()
        title = _("Store Map for Offline Use")
        if not settings.enabled or not settings.allows_prefetch:
            QMessageBox.information(
                window,
                title,
                _(
                    "The tile server in Preferences does not allow storing an area ahead of "
                    "time (OpenStreetMap's servers forbid it). Tiles are kept as you view them; "
                    "you can also import an .mbtiles file prepared elsewhere."
                ),
            )
            return
        area = self.trip_area()
        cache = self.context.tile_cache()
        if area is None or cache is None:
            QMessageBox.information(window, title, _("This trip has no place on the map yet."))
            return
        south_west, north_east = area
        zooms = OFFLINE_ZOOMS

        def work(progress: Progress) -> int:
            try:
                return tiles.prefetch_area(
                    settings, cache, south_west, north_east, zooms, progress=progress
                )
            except OSError as error:
                raise InputError(
                    _("The tile server could not be reached: {reason}").format(reason=error)
                ) from error

        def done(count: int) -> None:
            self.map_view.canvas.update()
            self.map_view.update_tile_note()
            self.context.show_status(
                ngettext("{n} map tile stored.", "{n} map tiles stored.", count).format(n=count),
                8,
            )

        self.context.run_task(work, done, title=title)
