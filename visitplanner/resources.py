"""Find the data shipped with the application.

One function serves a checkout, an editable install and a plain ``pip install .``:
the wheel carries ``resources/`` as ``visitplanner/_resources``; a checkout (and an
editable install, which points into it) has ``resources/`` beside the package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def resources_dir() -> Path:
    installed = _PACKAGE_DIR / "_resources"
    if installed.is_dir():
        return installed
    checkout = _PACKAGE_DIR.parent / "resources"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("Visit Planner's resources folder is missing from this installation")


def resource_path(*parts: str) -> Path:
    """Path of a shipped resource, e.g. ``resource_path("demo", "boston_bio_2023.json")``."""
    return resources_dir().joinpath(*parts)
