"""The directory (organizations and contacts) as a table, filtered by a search as you type.

Only the ids of matching entries are held; a row's text is fetched from the library when
the view first paints it, a page at a time, so 20,000 contacts stay instant.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from visitplanner.exchange.phones import shown_phone
from visitplanner.i18n import _
from visitplanner.library import ChangeSet, Library, directory
from visitplanner.model import ORG_KIND_LABELS, Precision, is_approximate
from visitplanner.planning.precision import precision_text

CITY_COLUMN = 5  # the city of the (organization's) place
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
_PAGE = 200
_ROOT = QModelIndex()


class DirectoryModel(QAbstractTableModel):
    HEADERS = ("Name", "Organization", "Title", "Email", "Phone", "City")

    def __init__(self, library: Library, *, load: bool = True) -> None:
        super().__init__()
        self.library = library
        self.text = ""
        self.kind: str | None = None  # None, "contact" or "organization"
        self._entries: list[tuple[str, int]] = []
        self._rows: dict[tuple[str, int], tuple[str, ...]] = {}
        # entry -> the precision of its (organization's) place: the City column says how sure
        self._precision: dict[tuple[str, int], Precision | None] = {}
        # (entry, column) -> (text shown, why it is flagged) of email and phone cells
        self._problems: dict[tuple[tuple[str, int], int], tuple[str, str]] = {}
        self._headers = [
            _("Name"),
            _("Organization"),
            _("Title or kind"),
            _("Email"),
            _("Phone"),
            _("City"),
        ]
        self._loaded = False  # the window loads it when the Directory is first shown
        library.subscribe(self._on_change)
        if load:
            self.refresh()

    def detach(self) -> None:
        self.library.unsubscribe(self._on_change)

    def _on_change(self, changes: ChangeSet) -> None:
        """Rows an edit changed are redrawn in place (the selection and scroll stay); the
        list is rebuilt only when its members or their order change."""
        if not self._loaded or not any(
            changes.touches(kind) for kind in ("contact", "organization", "place")
        ):
            return
        if changes.touches("library"):
            self.refresh()
            return
        listed = None
        if self.text.strip():  # a search is shown: has its answer changed?
            listed = directory.search(self.library, self.text, self.kind, limit=2000)
            if listed != self._entries:
                self.refresh()
                return
        if not self._update_rows(changes, order_known=listed is not None):
            self.refresh()

    def _update_rows(self, changes: ChangeSet, *, order_known: bool = False) -> bool:
        """Redraw the changed rows; False when the list itself must change (a record added,
        deleted or renamed: its place in the list moves). ``order_known``: the list was
        just checked to be the same, names and order included."""
        touched: set[tuple[str, int]] = set()
        for kind in ("contact", "organization"):
            if changes.touches(kind):
                ids = changes.ids(kind)
                if not ids:
                    return False  # "all of them"
                touched |= {(kind, i) for i in ids}
        fresh = directory.directory_rows(self.library, sorted(touched))
        position = {entry: row for row, entry in enumerate(self._entries)}
        for entry in touched:
            if entry not in fresh:
                return False  # deleted
            if self.kind is not None and entry[0] != self.kind:
                continue  # not listed
            if entry not in position:
                return False  # new
            cached = self._rows.get(entry)
            if not order_known and (cached is None or cached[0] != fresh[entry].name):
                return False  # renamed (or never shown): its place in the list may move
        if changes.touches("place") or any(kind == "organization" for kind, _id in touched):
            # A city or an organization's name shows on other rows too: redraw them all.
            self._rows.clear()
            self._problems.clear()
            if self._entries:
                last = self.index(len(self._entries) - 1, len(self.HEADERS) - 1)
                self.dataChanged.emit(self.index(0, 0), last)
            return True
        for entry in touched:
            row = position.get(entry)
            if row is None:
                continue
            self._rows.pop(entry, None)
            for column in (3, 4):
                self._problems.pop((entry, column), None)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
        return True

    def set_filter(self, text: str, kind: str | None = None) -> None:
        self.text, self.kind = text, kind
        self.refresh()

    @property
    def loaded(self) -> bool:
        return self._loaded

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:
        self._loaded = True
        self.beginResetModel()
        self._rows.clear()
        self._problems.clear()
        if self.text.strip():
            self._entries = directory.search(self.library, self.text, self.kind, limit=2000)
        else:
            self._entries = directory.listing(self.library, self.kind)
        self.endResetModel()

    def entry(self, row: int) -> tuple[str, int]:
        return self._entries[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        if role == KIND_ROLE:
            return entry[0]
        if role == ID_ROLE:
            return entry[1]
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            if entry not in self._rows:
                self._load_page(index.row())
            text, problem = self._checked(entry, index.column())
            if role == Qt.ItemDataRole.ForegroundRole:
                if problem:
                    from PySide6.QtGui import QColor

                    return QColor("#c0392b")
                return None
            if role == Qt.ItemDataRole.ToolTipRole and problem:
                return problem
            if index.column() == CITY_COLUMN and text:
                precision = self._precision.get(entry)
                if role == Qt.ItemDataRole.ToolTipRole:
                    return f"{text}\n{precision_text(precision)}"
                if role == Qt.ItemDataRole.DisplayRole and is_approximate(precision):
                    return _("{place} · address to be confirmed").format(place=text)
            if role == Qt.ItemDataRole.DisplayRole and problem:
                return f"⚠ {text}"
            return text
        if role == Qt.ItemDataRole.FontRole and entry[0] == "organization" and index.column() == 0:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None

    def problem(self, row: int, column: int) -> str:
        """Why the email or phone shown at (row, column) is flagged, or ""."""
        entry = self._entries[row]
        if entry not in self._rows:
            self._load_page(row)
        return self._checked(entry, column)[1]

    def _checked(self, entry: tuple[str, int], column: int) -> tuple[str, str]:
        """(text shown, problem) of a cell; emails and phones are checked when first shown,
        valid phones shown in the one display format."""
        text = self._rows.get(entry, ("",) * 6)[column]
        if column not in (3, 4) or not text:
            return text, ""
        key = (entry, column)
        if key not in self._problems:
            from visitplanner.exchange import phones

            if column == 4 and phones.DISPLAY_FORM.match(text):
                self._problems[key] = ("", "")
            else:
                checked = phones.check_email(text) if column == 3 else phones.check_phone(text)
                shown = text if checked.problem else checked.value
                self._problems[key] = (shown, checked.problem)
        shown, problem = self._problems[key]
        return shown or text, problem

    def _load_page(self, row: int) -> None:
        start = max(0, row - _PAGE // 4)
        for entry, r in directory.directory_rows(
            self.library, self._entries[start : start + _PAGE]
        ).items():
            title = _(ORG_KIND_LABELS[r.kind]) if r.kind is not None else r.title
            phone = shown_phone(r.phone)  # "poste 204" in French
            self._rows[entry] = (r.name, r.organization, title, r.email, phone, r.city)
            self._precision[entry] = r.precision
