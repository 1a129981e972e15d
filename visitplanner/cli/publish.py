"""``visitplanner publish``: a trip's calendars and contacts to a CalDAV/CardDAV server."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

from visitplanner.cli import EXIT_OK, add_db_argument, add_json_argument, library_path, print_json
from visitplanner.errors import InputError, VisitPlannerError
from visitplanner.i18n import N_, _

PASSWORD_VARIABLE = "VISITPLANNER_PASSWORD"
_ACTIONS = {"create": N_("create"), "update": N_("update"), "delete": N_("delete")}
_KINDS = {"calendar": N_("calendar"), "addressbook": N_("address book")}


def _password(url: str, user: str) -> str:
    """From the keyring, else $VISITPLANNER_PASSWORD, else typed (then kept in the keyring)."""
    from visitplanner.publish.settings import get_password, set_password

    kept = get_password(url, user)
    if kept:
        return kept
    if os.environ.get(PASSWORD_VARIABLE):
        return os.environ[PASSWORD_VARIABLE]
    if sys.stdin.isatty():
        import getpass

        typed = getpass.getpass(_("Password for {user} at {url}: ").format(user=user, url=url))
        if typed:
            with contextlib.suppress(VisitPlannerError):
                set_password(url, user, typed)
            return typed
    raise InputError(
        _(
            "No password for {user} at {url}: type it once in File > Publish… or in a "
            "terminal (it is kept in the system keyring), or set {variable}."
        ).format(user=user, url=url, variable=PASSWORD_VARIABLE)
    )


def _cmd_publish(args: argparse.Namespace) -> int:
    from visitplanner.cli import open_library
    from visitplanner.publish.content import contact_scope
    from visitplanner.publish.settings import Setup, load_setup, save_setup
    from visitplanner.publish.sync import ServerSettings, check_server_url, publish

    scope = contact_scope(args.contacts)
    path = library_path(args)
    saved = load_setup(path)
    url = (args.server or saved.url).strip()
    user = (args.user if args.user is not None else saved.user).strip()
    if not url:
        raise InputError(
            _(
                "No server to publish to: give --server URL and --user NAME (they are "
                "remembered for this library)."
            )
        )
    check_server_url(url)
    settings = ServerSettings(url, user, _password(url, user) if user else "", args.ca_bundle)
    with open_library(args, write=False) as lib:
        plan, result = publish(lib, args.trip, settings, contacts=scope, dry_run=args.dry_run)
    if (args.server or args.user is not None) and (url, user) != (saved.url, saved.user):
        save_setup(path, Setup(url, user))
    if args.json:
        data = plan.to_json()
        data["dry_run"] = bool(args.dry_run)
        if result is not None:
            data["result"] = result.to_json()
        print_json(data)
        return EXIT_OK
    host = settings.host
    if args.dry_run:
        for collection in plan.new_collections:
            print(
                _("new {kind}: {name}").format(
                    kind=_(_KINDS[collection.kind.value]), name=collection.name
                )
            )
        for change in plan.changes:
            print(
                _("{action}: {collection} — {label}").format(
                    action=_(_ACTIONS[change.action]),
                    collection=change.collection.name,
                    label=change.label,
                )
            )
        print(
            _(
                "Dry run, nothing sent to {host}: would create {created}, update {updated}, "
                "delete {deleted}; {unchanged} unchanged."
            ).format(
                host=host,
                created=plan.count("create"),
                updated=plan.count("update"),
                deleted=plan.count("delete"),
                unchanged=plan.unchanged,
            )
        )
        return EXIT_OK
    assert result is not None
    print(
        _(
            "Published to {host}: {created} created, {updated} updated, {deleted} deleted, "
            "{unchanged} unchanged."
        ).format(
            host=host,
            created=result.created,
            updated=result.updated,
            deleted=result.deleted,
            unchanged=result.unchanged,
        )
    )
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "publish", help=_("publish a trip's calendars and contacts to a CalDAV/CardDAV server")
    )
    add_db_argument(p)
    p.add_argument("--trip", required=True, help=_("trip id or exact name"))
    p.add_argument(
        "--server",
        metavar="URL",
        help=_("CalDAV server address, https:// (remembered for this library)"),
    )
    p.add_argument("--user", metavar="NAME", help=_("user name (remembered for this library)"))
    p.add_argument(
        "--contacts",
        choices=["hosts", "directory", "none"],
        default="hosts",
        help=_("address book to publish: the trip's hosts (default), the whole directory, none"),
    )
    p.add_argument(
        "--ca-bundle",
        metavar="FILE",
        help=_("certificate authority file of a server with a certificate of its own"),
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help=_("list what would be created, updated and deleted; send nothing"),
    )
    add_json_argument(p)
    p.set_defaults(handler=_cmd_publish)
