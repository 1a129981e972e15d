"""Where to publish: the server address and user name of each library, and the password.

The address and user name are kept per library (by its absolute path) in ``publish.json``
in the user's configuration folder, which the window's Preferences and ``visitplanner
publish --server URL --user NAME`` both write. The password is kept only in the system
keyring (the ``keyring`` library: macOS Keychain, Windows Credential Locker, Secret
Service), never in the library file, this file or a log.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path

from visitplanner import APP_ID
from visitplanner.errors import VisitPlannerError
from visitplanner.i18n import _

KEYRING_SERVICE = "Visit Planner publish"
FILENAME = "publish.json"


@dataclass(frozen=True)
class Setup:
    url: str = ""
    user: str = ""


def config_path() -> Path:
    from platformdirs import user_config_path

    return Path(user_config_path(APP_ID, appauthor=False)) / FILENAME


def _library_key(library: Path) -> str:
    return str(Path(library).resolve())


def _read() -> dict[str, dict[str, str]]:
    try:
        data = json.loads(config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load_setup(library: Path) -> Setup:
    entry = _read().get(_library_key(library))
    if not isinstance(entry, dict):
        return Setup()
    return Setup(str(entry.get("url", "")), str(entry.get("user", "")))


def save_setup(library: Path, setup: Setup) -> None:
    from visitplanner.outputs import write_bytes

    data = _read()
    data[_library_key(library)] = {"url": setup.url.strip(), "user": setup.user.strip()}
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(path, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))


def _account(url: str, user: str) -> str:
    return f"{user}@{url.strip()}"


def get_password(url: str, user: str) -> str | None:
    """The password kept in the keyring for ``user`` at ``url``, or None."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, _account(url, user))
    except KeyringError:
        return None


def set_password(url: str, user: str, password: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, _account(url, user), password)
    except KeyringError as error:
        raise VisitPlannerError(
            _("The system keyring cannot keep the password: {reason}").format(
                reason=type(error).__name__
            )
        ) from error


def forget_password(url: str, user: str) -> None:
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    with contextlib.suppress(PasswordDeleteError, KeyringError):
        keyring.delete_password(KEYRING_SERVICE, _account(url, user))
