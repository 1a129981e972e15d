"""Map tiles: an MBTiles cache (SQLite), fetching from an XYZ server, the shipped light base.

OpenStreetMap's tile usage policy, which the defaults follow: an identifying User-Agent, the
attribution on the map, tiles fetched only as they are viewed and cached, no bulk download
(no prefetch of an area) from its servers. Prefetching is allowed only from a server the user
marks as allowing it (their own, or a commercial plan).
"""

from __future__ import annotations

import contextlib
import json
import math
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from visitplanner import __version__
from visitplanner.errors import InputError
from visitplanner.geo.mapgeom import tile_of
from visitplanner.i18n import _
from visitplanner.resources import resource_path

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = "© OpenStreetMap contributors"
DEFAULT_USER_AGENT = f"VisitPlanner/{__version__} (trade mission planner)"
MAX_PREFETCH_TILES = 5000


@dataclass(frozen=True)
class TileSettings:
    enabled: bool = False  # fetch from the server at all (off: cached tiles only)
    url: str = DEFAULT_TILE_URL
    user_agent: str = DEFAULT_USER_AGENT
    attribution: str = DEFAULT_ATTRIBUTION
    allows_prefetch: bool = False  # the server's policy allows storing an area ahead
    timeout_s: float = 10.0
    max_zoom: int = 19


def cache_path_for(library_path: Path) -> Path:
    """The tile cache lives beside the library: trip.visitplanner -> trip.tiles.mbtiles."""
    return library_path.with_name(library_path.stem + ".tiles.mbtiles")


class MBTiles:
    """An MBTiles 1.3 file: tiles keyed by zoom, column and TMS row (row = 2^z - 1 - y).

    A cache is only a cache: a damaged or unreadable file counts as no cache (every tile
    missing, nothing stored, :attr:`damaged` set) instead of failing the map or an export.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if str(path) != ":memory:" else None
        self._lock = threading.Lock()
        self.db: sqlite3.Connection | None = None
        self.damaged = False
        if self.path is not None and self.path.exists() and not self.path.is_file():
            self.damaged = True  # a folder, a FIFO or a device: never opened
            return
        try:
            self.db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
            self.db.execute("PRAGMA busy_timeout = 1000")
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS tiles (zoom_level INTEGER, tile_column INTEGER, "
                "tile_row INTEGER, tile_data BLOB, PRIMARY KEY (zoom_level, tile_column, "
                "tile_row))"
            )
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS metadata (name TEXT PRIMARY KEY, value TEXT)"
            )
            self.db.execute(
                "INSERT OR IGNORE INTO metadata VALUES ('name', 'Visit Planner tile cache'), "
                "('format', 'png'), ('type', 'baselayer'), ('version', '1.3')"
            )
        except sqlite3.Error:
            self._broken()

    def _broken(self) -> None:
        self.damaged = True
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
        self.db = None

    def close(self) -> None:
        with self._lock:
            if self.db is not None:
                with contextlib.suppress(sqlite3.Error):
                    self.db.close()
            self.db = None

    def get(self, z: int, x: int, y: int) -> bytes | None:
        with self._lock:
            if self.db is None:
                return None
            try:
                row = self.db.execute(
                    "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? "
                    "AND tile_row = ?",
                    (z, x, (1 << z) - 1 - y),
                ).fetchone()
            except sqlite3.Error:
                self._broken()
                return None
        return bytes(row[0]) if row and isinstance(row[0], bytes) else None

    def put(self, z: int, x: int, y: int, data: bytes) -> None:
        with self._lock:
            if self.db is None:
                return
            try:
                self.db.execute(
                    "INSERT OR REPLACE INTO tiles VALUES (?, ?, ?, ?)",
                    (z, x, (1 << z) - 1 - y, data),
                )
            except sqlite3.OperationalError as error:
                if "full" not in str(error) and "locked" not in str(error):
                    self._broken()  # a full disk or a busy file: keep the cache for later
            except sqlite3.Error:
                self._broken()

    def count(self) -> int:
        with self._lock:
            if self.db is None:
                return 0
            try:
                return int(self.db.execute("SELECT count(*) FROM tiles").fetchone()[0])
            except sqlite3.Error:
                self._broken()
                return 0

    def import_file(self, source: Path) -> int:
        """Copy every tile of another .mbtiles file in; returns how many."""
        if not source.is_file():
            raise InputError(_("{file} is not an MBTiles file.").format(file=source.name))
        try:
            other = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
            try:
                rows = other.execute(
                    "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles"
                ).fetchall()
            finally:
                other.close()
        except sqlite3.Error as error:
            raise InputError(
                _("{file} is not an MBTiles file: {reason}").format(file=source.name, reason=error)
            ) from error
        with self._lock:
            if self.db is None:
                raise InputError(
                    _(
                        "The map tile cache {path} is damaged; delete it (it holds only map "
                        "images) and try again."
                    ).format(path=self.path)
                )
            try:
                self.db.execute("BEGIN")
                self.db.executemany("INSERT OR REPLACE INTO tiles VALUES (?, ?, ?, ?)", rows)
                self.db.execute("COMMIT")
            except sqlite3.Error:
                if self.db.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self.db.execute("ROLLBACK")
                raise
        return len(rows)


def tile_url(settings: TileSettings, z: int, x: int, y: int) -> str:
    return settings.url.format(z=z, x=x, y=y, s="abc"[(x + y) % 3])


def fetch_tile(settings: TileSettings, z: int, x: int, y: int) -> bytes:
    """One tile from the server (raises OSError on any network or HTTP failure)."""
    import urllib.request

    request = urllib.request.Request(
        tile_url(settings, z, x, y), headers={"User-Agent": settings.user_agent}
    )
    with urllib.request.urlopen(request, timeout=settings.timeout_s) as response:
        data: bytes = response.read()
    if not data.startswith((b"\x89PNG", b"\xff\xd8", b"RIFF")):
        raise OSError("not an image")
    return data


def area_tiles(
    south_west: tuple[float, float], north_east: tuple[float, float], zooms: range
) -> Iterator[tuple[int, int, int]]:
    for z in zooms:
        x0, y0 = tile_of(north_east[0], south_west[1], z)
        x1, y1 = tile_of(south_west[0], north_east[1], z)
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                yield z, x, y


def prefetch_area(
    settings: TileSettings,
    cache_file: MBTiles,
    south_west: tuple[float, float],
    north_east: tuple[float, float],
    zooms: range,
    progress: Callable[[float, str], None] | None = None,
) -> int:
    """Store an area's tiles for offline use, from a server that allows it. Returns the count."""
    if not settings.allows_prefetch:
        raise InputError(
            _(
                "This tile server does not allow storing an area ahead of time; "
                "tiles are kept as you view them."
            )
        )
    wanted = list(area_tiles(south_west, north_east, zooms))
    if len(wanted) > MAX_PREFETCH_TILES:
        raise InputError(
            _("That area needs {count} tiles, more than {limit}: zoom in first.").format(
                count=len(wanted), limit=MAX_PREFETCH_TILES
            )
        )
    stored = 0
    for i, (z, x, y) in enumerate(wanted):
        if progress is not None:
            progress(i / max(1, len(wanted)), "")
        if cache_file.get(z, x, y) is None:
            cache_file.put(z, x, y, fetch_tile(settings, z, x, y))
            stored += 1
    return stored


# -- the light base drawn where no tile is at hand ----------------------------------------


@dataclass(frozen=True)
class Basemap:
    land: list[list[tuple[float, float]]]  # rings of (lat, lon); holes are lakes
    borders: list[list[tuple[float, float]]]
    labels: list[tuple[str, float, float]]


@cache
def basemap() -> Basemap:
    data: dict[str, Any] = json.loads(
        resource_path("basemap", "basemap.json").read_text(encoding="utf-8")
    )
    return Basemap(
        land=[[(p[0], p[1]) for p in ring] for ring in data["land"]],
        borders=[[(p[0], p[1]) for p in line] for line in data["borders"]],
        labels=[(lab["name"], lab["lat"], lab["lon"]) for lab in data["labels"]],
    )


def zoom_for_labels(zoom: float) -> bool:
    """City labels of the light base are useful from region to city scale."""
    return 5 <= zoom <= 14 and not math.isnan(zoom)
