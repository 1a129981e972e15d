"""The command-line interface: ``python -m visitplanner`` and the ``visitplanner`` script.

Every command takes ``--db PATH`` (default: the user's library) and ``--json`` where it
prints data. Exit 0 on success, 2 on bad arguments or input with a one-line reason on
stderr; a user's mistake never prints a traceback.

This package holds the parser plumbing, ``main`` and its error boundary; each area of the
app adds its commands through a ``register(subparsers)`` function in its own module here
(``library``: demo and trips, ``planning``, ``geo``, ``exchange``, ``itinerary``). A command
module parses arguments, calls the core and prints; the rules live in the core.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from visitplanner import __version__
from visitplanner.i18n import _
from visitplanner.library import Library

EXIT_OK = 0
EXIT_USAGE = 2

# Each module has register(subparsers); imported at parse time, heavy imports stay lazy.
COMMAND_MODULES = (
    "visitplanner.cli.library",
    "visitplanner.cli.planning",
    "visitplanner.cli.geo",
    "visitplanner.cli.exchange",
    "visitplanner.cli.itinerary",
    "visitplanner.cli.mission",
    "visitplanner.cli.publish",
)

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see --help)\n")


def subcommand_group(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help_text: str
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """The nested sub-commands of ``name`` (e.g. "import", "export"), created once and
    shared by every area that adds a command to the group."""
    existing = sub.choices.get(name)
    if existing is None:
        existing = sub.add_parser(name, help=help_text)
        nested = existing.add_subparsers(dest=f"{name}_what", metavar="WHAT", parser_class=_Parser)
        nested.required = True
        existing.set_defaults(_group=nested)
    group: argparse._SubParsersAction[argparse.ArgumentParser] = existing.get_default("_group")
    return group


def add_db_argument(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=Path,
        required=required,
        help=_("library file (default: your library in the user data folder)"),
    )


def add_json_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=_("print JSON instead of text"))


def library_path(args: argparse.Namespace) -> Path:
    if getattr(args, "db", None):
        return Path(args.db)
    from visitplanner.paths import default_library_path

    return default_library_path()


@contextmanager
def open_library(args: argparse.Namespace, *, create: bool = False, write: bool = True) -> Any:
    """The library of ``--db``; a reading command (``write=False``) reads it even while the
    app has it open; a writing one says that the app holds it."""
    from visitplanner.errors import LibraryInUseError

    path = library_path(args)
    try:
        library = Library.open(path, create=create, exclusive=write)
    except LibraryInUseError:
        raise LibraryInUseError(
            _(
                "The Visit Planner app holds the library {path}: close the app first, or make "
                "this change in the app (File and Plan menus)."
            ).format(path=path)
        ) from None
    try:
        yield library
    finally:
        library.close()


def print_json(data: object) -> None:
    """Readable JSON (accents kept), with control and bidirectional-override characters
    escaped as \\uXXXX: lossless for a script, harmless for a terminal."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    sys.stdout.write(_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="visitplanner",
        description=_("Visit Planner: plan life-sciences trade missions from the command line."),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--lang", choices=["en", "fr"], help=_("language of messages (default: the system's)")
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from visitplanner import i18n

    argv = list(sys.argv[1:] if argv is None else argv)
    if "--lang" in argv:
        index = argv.index("--lang")
        if index + 1 < len(argv) and argv[index + 1] in ("en", "fr"):
            i18n.set_language(argv[index + 1])
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Printable(stdout), _Printable(stderr)
    try:
        return handler(args)
    except KeyboardInterrupt:
        print(_("visitplanner: interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # the error boundary: one sentence, never a traceback
        return _report(error, args)
    finally:
        sys.stdout, sys.stderr = stdout, stderr


class _Printable:
    """A text stream that shows control characters instead of passing them to the
    terminal: an escape sequence in a name read from a file must not drive it. (JSON output
    escapes them losslessly first: :func:`print_json`.)"""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return int(self._stream.write(_printable(text)))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _report(error: Exception, args: argparse.Namespace) -> int:
    from visitplanner import boundary

    library = library_path(args) if hasattr(args, "db") else None
    message = boundary.user_message(error, library)
    print(f"visitplanner: {message}", file=sys.stderr)
    if boundary.debugging() and not boundary.is_expected(error):
        print(boundary.bug_details(error), file=sys.stderr)
    return EXIT_USAGE


def _printable(text: str) -> str:
    """``text`` without control characters (an escape sequence in a name from an imported
    file must not drive the terminal)."""
    if text.isprintable():
        return text
    return _CONTROL.sub("\ufffd", text)


# C0 and C1 control characters but tab and newline; DEL; bidirectional overrides.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
