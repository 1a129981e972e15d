"""Start the desktop application: ``python main.py [LIBRARY]`` or ``visitplanner-gui``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from ui.shell import settings
from visitplanner import APP_ID, APP_NAME, __version__, i18n
from visitplanner.errors import VisitPlannerError
from visitplanner.i18n import _
from visitplanner.library import Library


def make_application(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv or [sys.argv[0]]))
    app.setOrganizationName(APP_ID)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    apply_language(app, settings.language())
    return app


# Qt's own translations installed by apply_language, removed when the language changes.
_translators: list[QTranslator] = []


def apply_language(app: QApplication, code: str) -> str:
    """Use ``code`` ('system', 'en', 'fr') for our strings and Qt's own dialogs."""
    if code == "system":
        language = "fr" if QLocale.system().language() == QLocale.Language.French else "en"
    else:
        language = code
    i18n.set_language(language)
    QLocale.setDefault(QLocale("fr_CA" if language == "fr" else "en_US"))
    for old in _translators:
        app.removeTranslator(old)
    _translators.clear()
    if language == "fr":
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name in ("qtbase_fr",):
            translator = QTranslator(app)
            if translator.load(name, folder):
                app.installTranslator(translator)
                _translators.append(translator)
    return language


def open_startup_library(
    path: Path | None, meanwhile: Callable[[], object] | None = None
) -> Library | None:
    """The library to start on; the first time, the default one is created with the demo.

    ``meanwhile`` runs on this thread while SQLite opens and checks the library on another
    (its integrity check waits on the disk, not on Python): start-up does both at once.
    """
    from visitplanner.paths import default_library_path

    first_run = False
    if path is None:
        last = settings.last_library()
        path = Path(last) if last and Path(last).exists() else default_library_path()
        first_run = not path.exists()
    while True:
        try:
            if first_run:
                return _create_with_demo(path)
            if meanwhile is not None:
                work, meanwhile = meanwhile, None
                return _open_while(path, work)
            return Library.open(path)
        except VisitPlannerError as error:  # Library.open says why, the system's refusals too
            box = QMessageBox(QMessageBox.Icon.Warning, _("Cannot open the library"), str(error))
            # A name given on the command line for a library to come: offer to make it there.
            create = None
            if not path.exists() and path.parent.is_dir():
                box.setIcon(QMessageBox.Icon.Question)
                box.setText(
                    _("The library {path} does not exist yet. Create it, empty?").format(path=path)
                )
                create = box.addButton(_("Create Library"), QMessageBox.ButtonRole.AcceptRole)
                box.setDefaultButton(create)
            other = box.addButton(_("Open Another…"), QMessageBox.ButtonRole.ActionRole)
            box.addButton(QMessageBox.StandardButton.Close)
            box.exec()
            if create is not None and box.clickedButton() is create:
                try:
                    return Library.open(path, create=True)
                except VisitPlannerError as failure:
                    QMessageBox.warning(None, _("Cannot open the library"), str(failure))
                    return None
            if box.clickedButton() is not other:
                return None
            name, _filter = QFileDialog.getOpenFileName(
                None,
                _("Open Library"),
                str(path.parent),
                _("Visit Planner library (*.visitplanner);;All files (*)"),
            )
            if not name:
                return None
            path, first_run = Path(name), False


def _open_while(path: Path, work: Callable[[], object]) -> Library:
    """``Library.open(path)`` on a helper thread while ``work()`` runs here."""
    import threading

    outcome: list[Library | BaseException] = []

    def open_library() -> None:
        try:
            outcome.append(Library.open(path))
        except BaseException as error:  # handed to the GUI thread below
            outcome.append(error)

    opener = threading.Thread(target=open_library, name="open-library")
    opener.start()
    try:
        work()
    finally:
        opener.join()
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


def _create_with_demo(path: Path) -> Library:
    from visitplanner.demo import load_demo

    library = Library.open(path, create=True)
    try:
        load_demo(library)
    except BaseException:
        library.close()  # its lock would say "open in another running copy"
        raise
    return library


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    app = make_application(argv)
    path = Path(argv[1]).expanduser() if len(argv) > 1 and not argv[1].startswith("-") else None
    library = open_startup_library(path, meanwhile=_import_main_window)
    if library is None:
        return 2
    from ui.shell.main_window import MainWindow

    settings.add_recent_library(str(library.path))
    settings.set_last_library(str(library.path))
    window = MainWindow(library, defer_checks=True)
    window.map_view.canvas.defer_streets = True
    window.show()
    _quit_on_signals(app)
    sys.excepthook = _report_uncaught
    return app.exec()


def _import_main_window() -> object:
    import ui.shell.main_window

    return ui.shell.main_window


_reporting = False


def _report_uncaught(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None
) -> None:
    """An exception that escaped a slot: a message, never a silent nothing.

    The user's mistakes and storage problems (a locked library, a full disk) are a sentence
    for them (see :mod:`visitplanner.boundary`); anything else is a bug, shown with details
    to copy into a report, without personal data, and also printed on stderr.
    """
    from visitplanner import boundary

    global _reporting
    if error.__traceback__ is None and tb is not None:
        error = error.with_traceback(tb)
    expected = boundary.is_expected(error)
    if not expected:
        sys.stderr.write(boundary.bug_details(error))
    if _reporting or QApplication.instance() is None:
        return
    _reporting = True
    try:
        from ui.shell.main_window import MainWindow

        parent = QApplication.activeWindow()
        # The file named in a storage error: the library of the window in front.
        library = parent.context.library.path if isinstance(parent, MainWindow) else None
        if expected:
            QMessageBox.warning(parent, APP_NAME, boundary.user_message(error, library))
            return
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            APP_NAME,
            _(
                "Something went wrong, and the last action may not have been completed. Your "
                "library is safe: every finished edit is already saved. Please report this "
                "problem with the details below."
            ),
            parent=parent,
        )
        box.setDetailedText(boundary.bug_details(error))
        box.exec()
    finally:
        _reporting = False


def _quit_on_signals(app: QApplication) -> None:
    """Close the window cleanly (state saved, library closed) on SIGTERM or Ctrl+C."""
    import signal

    from PySide6.QtCore import QTimer

    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_args: app.quit())
    # Python runs signal handlers only when it gets control: wake it up now and then.
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(300)


if __name__ == "__main__":
    sys.exit(main())
