"""A real Radicale CalDAV/CardDAV server on 127.0.0.1 for the publish tests.

Started as a subprocess on a free port with a temporary storage folder and an htpasswd
file of test users; its log (level info) tells which requests it received, so a test can
count what a publish sent. :meth:`kill` stops it at once (SIGKILL), :meth:`start` brings it
back on the same port over the same folder.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

WRITE_METHODS = ("PUT", "DELETE", "MKCOL", "MKCALENDAR", "PROPPATCH", "MOVE", "COPY")
_REQUEST = re.compile(r"\] (\w+) request for '([^']*)'")


# Radicale, without waiting for the disk after each write (a test's throw-away folder): its
# internal option ``_filesystem_fsync`` cannot be set from a configuration file.
_LAUNCH = (
    "import sys, radicale.config as c, radicale.__main__ as m;"
    "c.DEFAULT_CONFIG_SCHEMA['storage']['_filesystem_fsync']['value'] = 'False';"
    "sys.argv[0] = 'radicale'; m.run()"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Radicale:
    def __init__(self, folder: Path, users: dict[str, str]) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.users = folder / "users"
        self.users.write_text("".join(f"{u}:{p}\n" for u, p in users.items()), encoding="utf-8")
        self.log = folder / "radicale.log"
        self.process: subprocess.Popen[bytes] | None = None
        self._mark = 0

    def start(self) -> None:
        log = self.log.open("ab")
        config = self.folder / "config"
        config.write_text(
            "[server]\n"
            f"hosts = 127.0.0.1:{self.port}\n"
            "[storage]\n"
            f"filesystem_folder = {self.folder / 'collections'}\n"
            "[auth]\n"
            "type = htpasswd\n"
            f"htpasswd_filename = {self.users}\n"
            "htpasswd_encryption = plain\n"
            "[logging]\n"
            "level = info\n",
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", _LAUNCH, "--config", str(config)],
            stdout=log,
            stderr=log,
        )
        log.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log.read_text(encoding="utf-8", errors="replace")[-2000:])
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("Radicale did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def mark(self) -> None:
        """Count requests from now on."""
        self._mark = len(self._requests())

    def requests(self) -> list[tuple[str, str]]:
        """(method, path) of each request received since :meth:`mark`."""
        return self._requests()[self._mark :]

    def writes(self) -> list[tuple[str, str]]:
        return [(m, p) for m, p in self.requests() if m in WRITE_METHODS]

    def _requests(self) -> list[tuple[str, str]]:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return _REQUEST.findall(text)
