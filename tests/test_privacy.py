"""Privacy: owner-only library files, no network unless an online feature is on, and no
contact's details in logs or settings."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

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


def test_no_connection_leaves_the_machine_in_tests() -> None:
    outside = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with outside, pytest.raises(AssertionError, match="no network"):
        outside.connect(("192.0.2.10", 80))  # TEST-NET-1: would go out if allowed
    with pytest.raises(AssertionError, match="no network"):
        socket.getaddrinfo("nominatim.example.org", 443)
    # Loopback servers started by tests are fine.
    server = socket.create_server(("127.0.0.1", 0))
    with server, socket.create_connection(server.getsockname(), timeout=5):
        pass


def test_geocoding_and_tiles_stay_offline_unless_enabled(demo_library: Library) -> None:
    from visitplanner.geo import geocoder
    from visitplanner.geo.online import OnlineSettings

    disabled = OnlineSettings(enabled=False, server="https://nominatim.example.org")
    for query in ("1 rue Imaginaire, Sainte-Fictive", "H3A 0G4", "Montréal"):
        # Not found offline is a message, not a network call.
        with contextlib.suppress(geocoder.GeocodingError):
            geocoder.geocode(query, demo_library, online=disabled)  # type: ignore[arg-type]


def test_app_makes_no_network_call_by_default(demo_library: Library, qtbot: object) -> None:
    from ui.main_window import MainWindow

    window = MainWindow(demo_library)  # type: ignore[arg-type]
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.show()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(20)  # type: ignore[attr-defined]
    for index in range(window.trip_combo.count()):
        window.trip_combo.setCurrentIndex(index)
        qtbot.wait(20)  # type: ignore[attr-defined]


def test_nothing_logged_or_stored_holds_a_contacts_details(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, qtbot: object
) -> None:
    from ui.main_window import MainWindow
    from ui.settings import settings

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
