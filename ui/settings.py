"""User preferences and window state, kept with QSettings."""

from __future__ import annotations

from PySide6.QtCore import QSettings

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
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in (value or [])]


def add_recent_library(path: str) -> None:
    items = [p for p in recent_libraries() if p != path]
    items.insert(0, path)
    settings().setValue("recent_libraries", items[:MAX_RECENT])


def last_library() -> str | None:
    value = settings().value("last_library", None)
    return str(value) if value else None


def set_last_library(path: str) -> None:
    settings().setValue("last_library", path)
