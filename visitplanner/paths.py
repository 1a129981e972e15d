"""Where the user's files live (platformdirs)."""

from __future__ import annotations

from pathlib import Path

from visitplanner import APP_ID

LIBRARY_FILENAME = "library.visitplanner"


def data_dir() -> Path:
    from platformdirs import user_data_path

    return Path(user_data_path(APP_ID, appauthor=False))


def default_library_path() -> Path:
    return data_dir() / LIBRARY_FILENAME
