"""Privacy: owner-only library files, no network unless an online feature is on, and no
contact's details in logs or settings."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import socket
import stat
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from visitplanner.library import Library, directory
from visitplanner.model import Contact, Organization

SECRET_EMAIL = "marguerite.sauve-tessier@example.com"
SECRET_PHONE = "+1 418-555-0199"
SECRET_NAME = "Tessier-Privé"


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask a user could have: files must still be owner-only."""
    old = os.umask(0)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_library_and_its_side_files_are_owner_only(open_umask: None, tmp_path: Path) -> None:
    path = tmp_path / "mission.visitplanner"
    with Library.open(path, create=True) as lib:
        directory.add_contact(lib, Contact(given_name="Zoë", family_name=SECRET_NAME))
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists() and shm.exists()
        assert _mode(path) == 0o600
        assert _mode(wal) == 0o600
        assert _mode(shm) == 0o600
        backup = tmp_path / "copy.visitplanner"
        lib.backup(backup)
        assert _mode(backup) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_no_connection_leaves_the_machine_in_tests(_no_network: list[str]) -> None:
    outside = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with outside, pytest.raises(AssertionError, match="no network"):
        outside.connect(("192.0.2.10", 80))  # TEST-NET-1: would go out if allowed
    with pytest.raises(AssertionError, match="no network"):
        socket.getaddrinfo("nominatim.example.org", 443)
    # Both were recorded too, so a worker thread that swallows the error still fails its test.
    assert _no_network == ["connect ('192.0.2.10', 80)", "lookup 'nominatim.example.org'"]
    _no_network.clear()
    # Loopback servers started by tests are fine.
    server = socket.create_server(("127.0.0.1", 0))
    with server, socket.create_connection(server.getsockname(), timeout=5):
        pass
    assert _no_network == []


class _CountingServer(ThreadingHTTPServer):
    """A loopback stand-in for a Nominatim and a tile server that counts what it is asked."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _CountingHandler)
        self.paths: list[str] = []
        self.url = f"http://127.0.0.1:{self.server_address[1]}"


class _CountingHandler(BaseHTTPRequestHandler):
    server: _CountingServer

    def do_GET(self) -> None:
        self.server.paths.append(self.path)
        tile = self.path.endswith(".png")
        body = _PNG if tile else b"[]"  # a tile, or "no result" from Nominatim
        self.send_response(200)
        self.send_header("Content-Type", "image/png" if tile else "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


# A 1x1 PNG.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a1e6b5d10000000049454e44ae426082"
)


@pytest.fixture
def counting_server() -> Iterator[_CountingServer]:
    server = _CountingServer()
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_geocoding_stays_offline_unless_enabled(
    demo_library: Library, counting_server: _CountingServer
) -> None:
    from visitplanner.geo import geocoder
    from visitplanner.geo.online import OnlineSettings

    server = OnlineSettings(enabled=False, server=counting_server.url, min_interval_s=0)
    unknown = "1 rue Imaginaire, Sainte-Fictive"  # nothing offline knows it
    for query in (unknown, "H3A 0G4", "Montréal"):
        # Not found offline is a message, not a network call.
        with contextlib.suppress(geocoder.GeocodingError):
            geocoder.geocode(query, demo_library, online=server)  # type: ignore[arg-type]
    assert counting_server.paths == []
    # The same server is asked once it is enabled: the zero above is not for lack of trying.
    enabled = dataclasses.replace(server, enabled=True)
    with contextlib.suppress(geocoder.GeocodingError):
        geocoder.geocode(unknown, demo_library, online=enabled)  # type: ignore[arg-type]
    assert len(counting_server.paths) == 1


def _window_showing_a_map(qtbot: Any, lib: Library) -> Any:
    """The main window with its map beside the schedule, on the day with the most pins."""
    from ui.shell.main_window import MainWindow

    window = MainWindow(lib)
    qtbot.addWidget(window)
    window.resize(1300, 800)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(20)  # the window restores its saved splitter state on the next tick
    splitter = window.schedule_splitter
    splitter.setSizes([550] + [0] * (splitter.count() - 2) + [750])
    view = window.map_view
    counts = []
    for index in range(1, view.day_combo.count()):
        view.day_combo.setCurrentIndex(index)
        counts.append((len(view.canvas.geometry_.pins), index))
    view.day_combo.setCurrentIndex(max(counts)[1])
    assert view.canvas.width() > 400 and view.canvas.geometry_.pins
    assert view.canvas.geometry_.tiles  # tiles would be asked for, were fetching on
    return window


def test_map_tiles_stay_offline_unless_enabled(
    demo_library: Library, qtbot: Any, counting_server: _CountingServer, sync_tasks: None
) -> None:
    from ui.shell import settings

    tile_url = f"{counting_server.url}/{{z}}/{{x}}/{{y}}.png"
    settings.set_online(False, "", False, tile_url, False)  # a server is set, fetching is off
    try:
        window = _window_showing_a_map(qtbot, demo_library)
        window.map_view.canvas.repaint()
        qtbot.wait(100)
        assert counting_server.paths == []
        assert window.map_view.canvas.tiles_drawn == 0
        # Switched on, the same map asks that server: the zero above means something.
        settings.set_online(False, "", True, tile_url, False)
        window.map_view.canvas.repaint()
        qtbot.waitUntil(lambda: len(counting_server.paths) > 0, timeout=5000)
        window.close()
    finally:
        settings.set_online(False, "", False, "", False)


def test_app_makes_no_network_call_by_default(
    demo_library: Library, qtbot: Any, _no_network: list[str]
) -> None:
    from PySide6.QtCore import QThreadPool

    window = _window_showing_a_map(qtbot, demo_library)
    window.map_view.canvas.repaint()  # the map paints tiles from a server only when enabled
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(20)
    for index in range(window.trip_combo.count()):
        window.trip_combo.setCurrentIndex(index)
        qtbot.wait(20)
    qtbot.wait(50)  # a tile fetch is queued on the next tick after a paint
    assert QThreadPool.globalInstance().waitForDone(5000)
    # A call made in a worker thread raises there and is swallowed as a failed task, so the
    # record of attempted calls is what tells.
    assert _no_network == []
    window.close()


def test_nothing_logged_or_stored_holds_a_contacts_details(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, qtbot: object
) -> None:
    from ui.shell.main_window import MainWindow
    from ui.shell.settings import settings

    caplog.set_level(logging.DEBUG)
    path = tmp_path / "mission.visitplanner"
    lib = Library.open(path, create=True)
    org = directory.add_organization(lib, Organization(name="Clinique Fictive"))
    csv = tmp_path / "contacts.csv"
    csv.write_text(
        "First Name,Last Name,E-mail Address,Business Phone,Company\n"
        f"Marguerite,{SECRET_NAME},{SECRET_EMAIL},{SECRET_PHONE},Clinique Fictive\n"
        f"Bad,Row,not-an-email,{SECRET_PHONE}x,\n",
        encoding="utf-8",
    )
    from visitplanner.exchange.contact_import import import_contacts

    import_contacts(lib, csv)
    directory.add_contact(
        lib, Contact(given_name="Zoë", family_name="Autre", organization_id=org, notes="x")
    )
    window = MainWindow(lib)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.show()
    window.focus_search()
    qtbot.keyClicks(window.search_edit, "tessier")  # type: ignore[attr-defined]
    assert window.directory_model.rowCount() >= 1
    window.close()
    settings().sync()

    logged = caplog.text
    stored = "".join(
        p.read_text(errors="replace")
        for p in Path(os.environ["XDG_CONFIG_HOME"]).rglob("*")
        if p.is_file()
    )
    for secret in (SECRET_EMAIL, SECRET_PHONE, SECRET_NAME, "tessier"):
        assert secret not in logged, f"{secret!r} was logged"
        assert secret not in stored, f"{secret!r} was stored in the settings"
