"""Reading a file a person chose to import: a regular file, of a bounded size, or a sentence.

    data = read_input(path, max_bytes=10 * 1024 * 1024, too_large=_("{path} is too large..."))

Every importer reads its file through :func:`read_input`, so a folder, a FIFO, a device
(``/dev/zero``, a terminal) or a socket given as the file is refused at once instead of
blocking or reading forever, and a file larger than the importer can use is refused before
it is read. Missing and unreadable files get a sentence that says which and what to do.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from visitplanner.errors import InputError
from visitplanner.i18n import _

_CHUNK = 1024 * 1024


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def _not_regular(path: Path, mode: int) -> InputError:
    if stat.S_ISDIR(mode):
        return InputError(
            _("{path} is a folder, not a file: choose a file inside it.").format(path=path)
        )
    return InputError(
        _(
            "{path} is not a regular file (it is a device, a pipe or a socket): save what it "
            "holds to a file and import that file."
        ).format(path=path)
    )


def _os_error(path: Path, error: OSError) -> InputError:
    if isinstance(error, FileNotFoundError) or error.errno == errno.ENOENT:
        return InputError(_("{path} does not exist.").format(path=path))
    if isinstance(error, PermissionError):
        return InputError(
            _("You are not allowed to read {path}: check its permissions.").format(path=path)
        )
    if isinstance(error, IsADirectoryError):
        return _not_regular(path, stat.S_IFDIR)
    return InputError(
        _("Cannot read {path}: {reason}").format(path=path, reason=error.strerror or error)
    )


def read_input(path: Path, *, max_bytes: int, too_large: str | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them.

    ``too_large`` is the sentence for a larger file, with ``{path}`` (and optionally
    ``{limit}``, in MB) in it. Raises :class:`InputError` with one sentence otherwise.
    """
    path = Path(path)

    def refuse_size() -> InputError:
        template = too_large or _("{path} is too large to import (more than {limit} MB).")
        return InputError(template.format(path=path, limit=_megabytes(max_bytes)))

    try:
        mode = os.stat(path).st_mode  # stat never blocks, even on a FIFO
        if not stat.S_ISREG(mode):
            raise _not_regular(path, mode)
        # O_NONBLOCK: a FIFO swapped in after the stat opens at once instead of waiting for
        # a writer; fstat then refuses it.
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb", buffering=0) as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise _not_regular(path, info.st_mode)
            if info.st_size > max_bytes:
                raise refuse_size()
            chunks: list[bytes] = []
            total = 0
            while True:  # the size may change while reading: never read past the cap
                chunk = stream.read(min(_CHUNK, max_bytes + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if total > max_bytes:
                    raise refuse_size()
            return b"".join(chunks)
    except OSError as error:
        raise _os_error(path, error) from None
