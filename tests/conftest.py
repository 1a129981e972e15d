"""Shared fixtures. Tests never touch the user's real files or the network."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Isolate user data and settings before anything (Qt, platformdirs) reads them.
_SANDBOX = Path(tempfile.mkdtemp(prefix="visitplanner-tests-"))
os.environ["XDG_DATA_HOME"] = str(_SANDBOX / "data")
os.environ["XDG_CONFIG_HOME"] = str(_SANDBOX / "config")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LANGUAGE"] = "en"

DATA = Path(__file__).parent / "data"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_SANDBOX, ignore_errors=True)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    from visitplanner import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from visitplanner.demo import load_demo
    from visitplanner.library import Library

    path = tmp_path_factory.mktemp("template") / "demo.visitplanner"
    with Library.open(path, create=True) as lib:
        load_demo(lib)
        lib.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def demo_path(_demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of a library holding the demo trips."""
    target = tmp_path / "demo.visitplanner"
    shutil.copyfile(_demo_template, target)
    target.chmod(0o600)
    return target


@pytest.fixture
def demo_library(demo_path: Path) -> Iterator[object]:
    from visitplanner.library import Library

    lib = Library.open(demo_path)
    yield lib
    lib.close()


@pytest.fixture
def empty_library(tmp_path: Path) -> Iterator[object]:
    from visitplanner.library import Library

    lib = Library.open(tmp_path / "empty.visitplanner", create=True)
    yield lib
    lib.close()


@pytest.fixture
def sync_tasks() -> Iterator[None]:
    """Run background tasks inline so a test sees their result at once."""
    from ui.shell.tasks import TaskRunner

    TaskRunner.synchronous = True
    yield
    TaskRunner.synchronous = False


# -- no network: any connection beyond this machine fails the test ----------------------

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "", None}


def _is_loopback(host: object) -> bool:
    import ipaddress

    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Tests talk only to servers they start on 127.0.0.1; anything else is a leak.

    A call beyond this machine raises AssertionError where it is made, and is also recorded:
    a worker thread (a tile fetch, geopy) may catch that error and turn it into a message, so
    the test fails at teardown when any call was recorded. The fixture's value is that record
    (a test that makes such calls on purpose clears it)."""
    import socket

    attempts: list[str] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(sock: socket.socket, address: object) -> None:
        if sock.family == socket.AF_UNIX:
            return
        host = address[0] if isinstance(address, tuple) else address
        if not _is_loopback(host):
            attempts.append(f"connect {address!r}")
            raise AssertionError(f"network call to {address!r} in a test (no network allowed)")

    def connect(sock: socket.socket, address: object) -> None:
        check(sock, address)
        real_connect(sock, address)  # type: ignore[arg-type]

    def connect_ex(sock: socket.socket, address: object) -> int:
        check(sock, address)
        return real_connect_ex(sock, address)  # type: ignore[arg-type]

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if not _is_loopback(host) and host != socket.gethostname():
            attempts.append(f"lookup {host!r}")
            raise AssertionError(f"name lookup of {host!r} in a test (no network allowed)")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts
    assert attempts == [], f"network calls in a test (no network allowed): {attempts}"


@pytest.fixture
def window(qtbot: object, demo_path: Path) -> object:
    """The main window on a fresh copy of the demo library, shown (offscreen)."""
    from ui.shell.app import make_application
    from ui.shell.main_window import MainWindow
    from visitplanner.library import Library

    make_application()
    win = MainWindow(Library.open(demo_path))
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    win.show()
    return win
