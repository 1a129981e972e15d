"""View > Places…: the library's places with their address, how sure each point is, and how
many meetings, organizations and trips use it; merge two places, delete one nobody uses.
Both are undo steps on the window's stack (Edit > Undo, or Undo here)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ui.shell.context import AppContext
from ui.shell.keep import which_to_keep
from ui.shell.place_field import APPROXIMATE_STYLE, precision_text
from ui.shell.undo import push_edit
from visitplanner import edits
from visitplanner.i18n import _
from visitplanner.library import ChangeSet, Library, directory
from visitplanner.planning.places import PlaceUse, place_uses

ID_ROLE = Qt.ItemDataRole.UserRole
APPROXIMATE_COLOUR = QColor("#8a5a00")
NAME, ADDRESS, PRECISION, MEETINGS, ORGANIZATIONS, TRIPS = range(6)


class PlacesDialog(QDialog):
    """Not modal: the window's Edit > Undo stays at hand."""

    def __init__(self, context: AppContext) -> None:
        super().__init__(context.window)
        self.context = context
        self.library: Library = context.library
        self.setWindowTitle(_("Places"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [_("Name"), _("Address"), _("Precision"), _("Meetings"), _("Organizations"), _("Trips")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)  # one line a place; the whole text in its tooltip
        header = self.table.horizontalHeader()
        header.setSortIndicator(NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ADDRESS, QHeaderView.ResizeMode.Stretch)
        for column in (PRECISION, MEETINGS, ORGANIZATIONS, TRIPS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        # The Delete key and a right-click, as in any list.
        self.table.installEventFilter(self)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.merge_button = QPushButton(_("&Merge…"))
        self.delete_button = QPushButton(_("&Delete"))
        self.undo_button = QPushButton(_("&Undo"))
        for button in (self.merge_button, self.delete_button, self.undo_button):
            button.setAutoDefault(False)
        self.merge_button.clicked.connect(self.merge_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button.clicked.connect(context.undo_stack.undo)
        context.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_button.setEnabled(context.undo_stack.canUndo())
        close = QDialogButtonBox()
        close.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        self.resize(1000, 560)
        self.uses: dict[int, PlaceUse] = {}
        self.library.subscribe(self._library_changed)
        self.finished.connect(lambda _result: self.library.unsubscribe(self._library_changed))
        context.libraryChanged.connect(self._library_switched)  # File > Open: another library
        self.refresh()

    # -- the list --------------------------------------------------------------------------

    def _library_changed(self, changes: ChangeSet) -> None:
        if any(changes.touches(e) for e in ("place", "meeting", "organization", "trip")):
            self.refresh()

    def _library_switched(self, _library: object) -> None:
        self.reject()

    def refresh(self) -> None:
        selected = set(self.selected_ids())
        places = directory.places(self.library)
        self.uses = place_uses(self.library)
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(places))
        for row, (place_id, place) in enumerate(
            sorted(places.items(), key=lambda kv: kv[1].label().casefold())
        ):
            use = self.uses.get(place_id, PlaceUse())
            cells = [
                QTableWidgetItem(place.label()),
                QTableWidgetItem(place.address()),
                QTableWidgetItem(precision_text(place)),
                _count(use.meetings),
                _count(use.organizations),
                _count(use.trips),
            ]
            if place.approximate or place.precision is None:
                cells[PRECISION].setForeground(APPROXIMATE_COLOUR)
            cells[NAME].setData(ID_ROLE, place_id)
            cells[NAME].setToolTip(place.label())
            cells[ADDRESS].setToolTip(place.address())
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        self.table.setSortingEnabled(True)
        self.table.clearSelection()
        mode = QAbstractItemView.SelectionMode
        self.table.setSelectionMode(mode.MultiSelection)
        for row in range(self.table.rowCount()):
            if self._row_id(row) in selected:
                self.table.selectRow(row)
        self.table.setSelectionMode(mode.ExtendedSelection)
        self._selection_changed()

    def _row_id(self, row: int) -> int:
        item = self.table.item(row, NAME)
        assert item is not None, "every row has its name cell"
        return int(item.data(ID_ROLE))

    def row_of(self, place_id: int) -> int:
        return next(r for r in range(self.table.rowCount()) if self._row_id(r) == place_id)

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self._row_id(row) for row in rows]

    def _selection_changed(self) -> None:
        ids = self.selected_ids()
        self.merge_button.setEnabled(len(ids) == 2)
        unused = len(ids) == 1 and self.uses.get(ids[0], PlaceUse()).total == 0
        self.delete_button.setEnabled(unused)
        self.hint.setStyleSheet("")
        if len(ids) == 1 and not unused:
            self.hint.setStyleSheet(APPROXIMATE_STYLE)
            self.hint.setText(
                _(
                    "This place is in use: only a place no meeting, organization or trip uses "
                    "can be deleted. Merge it into another place instead."
                )
            )
        else:
            self.hint.setText(
                _("Select two places (Ctrl+click) to merge them, or one unused place to delete.")
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.matches(QKeySequence.StandardKey.Delete)
        ):
            self.delete_selected()
            return True
        return super().eventFilter(watched, event)

    def _menu(self, pos: QPoint) -> None:
        row = self.table.indexAt(pos).row()
        if row >= 0 and self._row_id(row) not in self.selected_ids():
            self.table.selectRow(row)
        menu = QMenu(self)
        for button in (self.merge_button, self.delete_button):
            action = menu.addAction(button.text())
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
        from ui.shell import popup

        popup.popup(menu, self.table.viewport().mapToGlobal(pos))

    # -- edits -----------------------------------------------------------------------------

    def delete_selected(self) -> bool:
        ids = self.selected_ids()
        if len(ids) != 1 or self.uses.get(ids[0], PlaceUse()).total:
            return False
        place = directory.get_place(self.library, ids[0])
        text = _("Delete the place “{name}”").format(name=place.label())
        return push_edit(self.context, text, edits.Delete("place", ids[0]), self) is not None

    def merge_selected(self) -> bool:
        ids = self.selected_ids()
        if len(ids) != 2:
            return False
        names = [directory.get_place(self.library, i).label() for i in ids]
        chosen = which_to_keep(
            self,
            _("Merge Places"),
            _(
                "Merge “{first}” and “{second}” into one place? The meetings, organizations "
                "and trips of the other move to the one you keep; Undo brings it back."
            ).format(first=names[0], second=names[1]),
            names,
            ids,
        )
        if chosen is None:
            return False
        keep, drop = chosen
        return self.merge(keep, drop)

    def merge(self, keep: int, drop: int) -> bool:
        name = directory.get_place(self.library, keep).label()
        text = _("Merge places into “{name}”").format(name=name)
        return push_edit(self.context, text, edits.Merge("place", keep, drop), self) is not None


def _count(n: int) -> QTableWidgetItem:
    item = QTableWidgetItem()
    item.setData(Qt.ItemDataRole.DisplayRole, n)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item
