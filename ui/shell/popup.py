"""Showing a context menu: one place, so that tests can record the menu instead of waiting
for a click on it (``QMenu.exec`` runs its own event loop)."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMenu

shown: list[QMenu] = []  # the last menus shown (tests read them)


def popup(menu: QMenu, where: QPoint) -> None:
    """Show ``menu`` at ``where`` (global coordinates) until an entry is chosen."""
    del shown[:-4]
    shown.append(menu)
    menu.exec(where)
