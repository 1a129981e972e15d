"""Help > Keyboard Shortcuts: every menu command that has a key, read from the menus
themselves (so the list never drifts from them), and the timeline's and the map's own keys.

Keys follow the platform: New (Ctrl+N) makes a meeting, the thing made most often (as in
Outlook's and Thunderbird's calendars), Ctrl+Shift+N a trip; a library is made once, from
File > New Library…, with no key. Redo answers the platform's key and Ctrl+Y."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from visitplanner.i18n import N_, _

# Keys the timeline handles itself (not menu commands).
TIMELINE_KEYS = (
    (N_("Left / Right"), N_("Previous or next meeting in the lane")),
    (N_("Up / Down"), N_("Lane above or below")),
    (N_("Ctrl+Left / Ctrl+Right"), N_("Move the selected meeting 5 minutes earlier or later")),
    (N_("Enter"), N_("Edit the selected meeting")),
    # Delete is Plan > Delete Meeting's key, listed with the menus.
)


# Keys the map handles itself, when it has the focus (click it, or Tab to it).
MAP_KEYS = (
    (N_("Arrows"), N_("Move the map")),
    (N_("+ / -"), N_("Zoom in or out")),
    (N_("Tab / Shift+Tab, N / P"), N_("Next or previous pin")),
    (N_("Enter"), N_("Select the pin's meetings")),
    (N_("F"), N_("Fit the day on the map")),
)


def plain(text: str) -> str:
    """A menu text without its mnemonic and ellipsis: '&Open Library…' -> 'Open Library'."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


# Keys of special keyboards that the platform adds to some standard actions ("Exit" for
# Quit, "Help" for Help): no laptop has them, so the list does not name them.
_SPECIAL_KEYS = frozenset({"Exit", "Help", "Undo", "Redo", "Cut", "Copy", "Paste", "Open"})
_SPECIAL_KEYS |= {"Find", "Save", "Close", "Forward", "Back", "Refresh", "New", "Cancel"}


def _shortcut_text(action: QAction) -> str:
    keys = [
        k.toString(QKeySequence.SequenceFormat.NativeText)
        for k in action.shortcuts()
        if k.toString(QKeySequence.SequenceFormat.PortableText) not in _SPECIAL_KEYS
    ]
    return ", ".join(k for k in keys if k)


def _command(action: QAction) -> str:
    """What the list calls an action: Undo and Redo without the step they name now."""
    if action.objectName() == "undo":
        return plain(_("&Undo"))
    if action.objectName() == "redo":
        return plain(_("&Redo"))
    return plain(action.text())


def menu_shortcuts(window: QMainWindow) -> list[tuple[str, list[tuple[str, str]]]]:
    """(menu title, [(command, keys)]) for each menu of the window's bar, in menu order."""
    out: list[tuple[str, list[tuple[str, str]]]] = []

    def walk(menu: QMenu, rows: list[tuple[str, str]]) -> None:
        for action in menu.actions():
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                walk(submenu, rows)
            elif not action.isSeparator() and _shortcut_text(action):
                rows.append((_command(action), _shortcut_text(action)))

    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            rows: list[tuple[str, str]] = []
            walk(menu, rows)
            if rows:
                out.append((plain(menu.title()), rows))
    return out


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setWindowTitle(_("Keyboard Shortcuts"))
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([_("Command"), _("Keys")])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        sections = menu_shortcuts(window)
        sections.append((_("Timeline"), [(_(what), _(keys)) for keys, what in TIMELINE_KEYS]))
        sections.append((_("Map"), [(_(what), _(keys)) for keys, what in MAP_KEYS]))
        for title, rows in sections:
            header = QTreeWidgetItem([title])
            font = header.font(0)
            font.setBold(True)
            header.setFont(0, font)
            self.tree.addTopLevelItem(header)
            header.setFirstColumnSpanned(True)
            for command, keys in rows:
                self.tree.addTopLevelItem(QTreeWidgetItem([command, keys]))
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(560, 620)

    def rows(self) -> list[tuple[str, str]]:
        """(command, keys) of every row, headers as (title, '') (for tests)."""
        items = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        return [(item.text(0), item.text(1)) for item in items if item is not None]
