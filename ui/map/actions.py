"""View > Offline Map: import an .mbtiles file, or store the trip's area ahead of the trip.

Storing an area ahead is offered only for a tile server whose policy allows it
(Preferences); OpenStreetMap's own servers forbid bulk downloads, so by default tiles
are cached only as they are viewed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from visitplanner.errors import InputError, VisitPlannerError
from visitplanner.geo import tiles
from visitplanner.i18n import _, ngettext

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow

# Zoom levels stored for offline use: the region (10) down to street level (16).
OFFLINE_ZOOMS = range(10, 17)
# Margin around the trip's stops, in degrees (about 2 km).
AREA_MARGIN = 0.02


def install(window: MainWindow) -> None:
    menu = window.view_menu.addMenu(_("Offline &Map"))
    import_action = QAction(_("&Import Map Tiles (.mbtiles)…"), window)
    import_action.triggered.connect(lambda: import_tiles(window))
    store_action = QAction(_("&Store This Trip's Area for Offline Use…"), window)
    store_action.triggered.connect(lambda: store_trip_area(window))
    menu.addAction(import_action)
    menu.addAction(store_action)
    window.import_tiles_action = import_action  # type: ignore[attr-defined]
    window.store_area_action = store_action  # type: ignore[attr-defined]


def import_tiles(window: MainWindow, source: Path | None = None) -> int:
    """Copy the tiles of an .mbtiles file into the library's tile cache."""
    if source is None:
        name, _filter = QFileDialog.getOpenFileName(
            window, _("Import Map Tiles"), str(Path.home()), _("MBTiles files (*.mbtiles)")
        )
        if not name:
            return 0
        source = Path(name)
    cache = window.map_view.tile_cache()
    if cache is None:
        return 0
    try:
        count = cache.import_file(source)
    except VisitPlannerError as error:
        QMessageBox.warning(window, _("Import Map Tiles"), str(error))
        return 0
    window.map_view.canvas.update()
    window.statusBar().showMessage(
        ngettext("{n} map tile imported.", "{n} map tiles imported.", count).format(n=count), 8000
    )
    return count


def trip_area(window: MainWindow) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """South-west and north-east corners around every located stop of the trip."""
    snap = window.schedule_model.snapshot
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


def store_trip_area(window: MainWindow) -> None:
    from ui.shell.tasks import Progress, run_task

    settings = window.map_view.tile_settings()
    title = _("Store Map for Offline Use")
    if not settings.enabled or not settings.allows_prefetch:
        QMessageBox.information(
            window,
            title,
            _(
                "The tile server in Preferences does not allow storing an area ahead of time "
                "(OpenStreetMap's servers forbid it). Tiles are kept as you view them; you can "
                "also import an .mbtiles file prepared elsewhere."
            ),
        )
        return
    area = trip_area(window)
    cache = window.map_view.tile_cache()
    if area is None or cache is None:
        QMessageBox.information(window, title, _("This trip has no place on the map yet."))
        return
    south_west, north_east = area

    def work(progress: Progress) -> int:
        try:
            return tiles.prefetch_area(
                settings, cache, south_west, north_east, OFFLINE_ZOOMS, progress=progress
            )
        except OSError as error:
            raise InputError(
                _("The tile server could not be reached: {reason}").format(reason=error)
            ) from error

    def done(count: int) -> None:
        window.map_view.canvas.update()
        window.statusBar().showMessage(
            ngettext("{n} map tile stored.", "{n} map tiles stored.", count).format(n=count), 8000
        )

    run_task(window, work, done, title=title)
