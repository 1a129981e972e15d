"""User preferences and window state, kept with QSettings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

if TYPE_CHECKING:
    from visitplanner.geo.online import OnlineSettings
    from visitplanner.geo.tiles import TileSettings

MAX_RECENT = 8


def settings() -> QSettings:
    return QSettings()


def language() -> str:
    """'system', 'en' or 'fr'."""
    value = settings().value("language", "system")
    return value if value in ("system", "en", "fr") else "system"


def set_language(code: str) -> None:
    settings().setValue("language", code)


def recent_libraries() -> list[str]:
    value = settings().value("recent_libraries", [])
    if isinstance(value, str):  # QSettings gives one string for a list of one
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def add_recent_library(path: str) -> None:
    items = [p for p in recent_libraries() if p != path]
    items.insert(0, path)
    settings().setValue("recent_libraries", items[:MAX_RECENT])


def last_library() -> str | None:
    value = settings().value("last_library", None)
    return str(value) if value else None


def set_last_library(path: str) -> None:
    settings().setValue("last_library", path)


# -- online services (geocoding, map tiles): off until the user allows them ----------------


def _flag(key: str, default: bool = False) -> bool:
    value = settings().value(key, default)
    return value in (True, "true", "1", 1)


def online_geocoding() -> OnlineSettings:
    from visitplanner.geo.online import DEFAULT_SERVER, DEFAULT_USER_AGENT, OnlineSettings

    return OnlineSettings(
        enabled=_flag("geocoding/online"),
        server=str(settings().value("geocoding/server", DEFAULT_SERVER) or DEFAULT_SERVER),
        user_agent=str(settings().value("geocoding/user_agent", "") or DEFAULT_USER_AGENT),
    )


def tile_settings() -> TileSettings:
    from visitplanner.geo.tiles import DEFAULT_ATTRIBUTION, DEFAULT_TILE_URL, TileSettings

    url = str(settings().value("tiles/url", DEFAULT_TILE_URL) or DEFAULT_TILE_URL)
    return TileSettings(
        enabled=_flag("tiles/online"),
        url=url,
        attribution=str(settings().value("tiles/attribution", "") or DEFAULT_ATTRIBUTION),
        allows_prefetch=_flag("tiles/allows_prefetch") and url != DEFAULT_TILE_URL,
    )


def set_online(
    geocoding: bool, server: str, tiles_online: bool, tile_url: str, allows_prefetch: bool
) -> None:
    store = settings()
    store.setValue("geocoding/online", geocoding)
    store.setValue("geocoding/server", server.strip())
    store.setValue("tiles/online", tiles_online)
    store.setValue("tiles/url", tile_url.strip())
    store.setValue("tiles/allows_prefetch", allows_prefetch)
