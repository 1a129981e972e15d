"""Plan and apply a publish with the ``caldav`` client.

:func:`plan_publish` reads the server (the calendars of the account, then the objects of
each of the trip's calendars and of its address book, with their ETags) and compares them
with :func:`.content.wanted_collections`: an object is created when its UID is missing,
updated when the digest written in it differs, deleted when the library no longer has it
(deleted, cancelled or unscheduled meeting; a delegate who left the trip: their calendar
is emptied). :func:`apply_plan` sends the plan one object at a time with ``If-Match`` (the
ETag read) or ``If-None-Match: *``, so a change made on the server meanwhile is never
overwritten blindly. A failure stops the publish with one sentence; what was sent stays
sent and the next publish sends the rest.

CardDAV is not in the ``caldav`` client's API: address books go through its WebDAV calls
(``mkcol``, ``report``, ``put``, ``delete``) with the RFC 6352 request bodies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urljoin, urlsplit
from xml.sax.saxutils import escape

from visitplanner.errors import InputError, VisitPlannerError
from visitplanner.i18n import _
from visitplanner.library import Library, trips
from visitplanner.publish.content import (
    HASH_PROPERTY,
    UID_PREFIX,
    Collection,
    ContactScope,
    Item,
    Kind,
    card_to_send,
    event_to_send,
    trip_key,
    wanted_collections,
)

DAV = "{DAV:}"
CARDDAV = "{urn:ietf:params:xml:ns:carddav}"
TIMEOUT_SECONDS = 30

Progress = Callable[[int, int, str], None]


class PublishError(VisitPlannerError):
    """The server could not be reached, refused the account or answered with an error."""


@dataclass(frozen=True)
class ServerSettings:
    url: str
    user: str
    password: str = ""
    ca_bundle: str | None = None  # a CA file for a server with a certificate of its own

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or self.url


def check_server_url(url: str) -> str:
    """``url`` if it can carry a password: https://, or http:// to this computer only."""
    url = url.strip()
    parts = urlsplit(url)
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and local:
        return url
    if parts.scheme == "http":
        raise InputError(
            _(
                "The server address must start with https:// (a password is never sent "
                "unencrypted): {url}"
            ).format(url=url)
        )
    raise InputError(
        _("“{url}” is not a server address: give one like https://dav.example.com/.").format(
            url=url
        )
    )


@dataclass(frozen=True)
class Remote:
    """An object on the server: where it is, its ETag and the digest written in it."""

    href: str
    etag: str | None
    digest: str | None
    label: str = ""


@dataclass
class Change:
    action: str  # "create", "update" or "delete"
    collection: Collection
    uid: str
    label: str
    item: Item | None = None
    remote: Remote | None = None

    def to_json(self) -> dict[str, str]:
        return {
            "action": self.action,
            "collection": self.collection.key,
            "collection_name": self.collection.name,
            "kind": self.collection.kind.value,
            "uid": self.uid,
            "label": self.label,
        }


@dataclass
class Plan:
    server: str
    collections: list[Collection]
    urls: dict[str, str]  # collection key -> URL, of those that exist
    new_collections: list[Collection] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    @property
    def empty(self) -> bool:
        return not self.changes and not self.new_collections

    def to_json(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "new_collections": [
                {"key": c.key, "name": c.name, "kind": c.kind.value} for c in self.new_collections
            ],
            "changes": [c.to_json() for c in self.changes],
            "created": self.count("create"),
            "updated": self.count("update"),
            "deleted": self.count("delete"),
            "unchanged": self.unchanged,
        }


@dataclass
class Result:
    collections_created: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    def to_json(self) -> dict[str, int]:
        return dict(self.__dict__)


# -- talking to the server ----------------------------------------------------------------


def _network_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OSError]
    for module in ("niquests", "requests"):
        with suppress(ImportError, AttributeError):
            errors.append(__import__(module).exceptions.RequestException)
    return tuple(errors)


def _ssl_errors() -> tuple[type[BaseException], ...]:
    import ssl

    errors: list[type[BaseException]] = [ssl.SSLError]
    for module in ("niquests", "requests"):
        with suppress(ImportError, AttributeError):
            errors.append(__import__(module).exceptions.SSLError)
    return tuple(errors)


@contextmanager
def talking(settings: ServerSettings) -> Iterator[None]:
    """Turns what the network and the server do into one sentence (no URL with personal
    data, no traceback)."""
    from caldav.lib import error as dav_error

    host = settings.host
    try:
        yield
    except VisitPlannerError:
        raise
    except dav_error.AuthorizationError as error:
        raise PublishError(
            _("The server {host} refused the user name or password.").format(host=host)
        ) from error
    except _ssl_errors() as error:
        raise PublishError(
            _(
                "The certificate of {host} could not be verified: nothing was sent. Check the "
                "address, or give the server's own certificate authority file."
            ).format(host=host)
        ) from error
    except _network_errors() as error:
        raise PublishError(
            _(
                "Could not reach {host}: check the address and the network. What was sent "
                "stays on the server; publish again to send the rest."
            ).format(host=host)
        ) from error
    except dav_error.DAVError as error:
        raise PublishError(
            _(
                "The server {host} answered with an error; what was sent stays on the "
                "server, publish again to send the rest."
            ).format(host=host)
        ) from error


class Connection:
    """One account on a CalDAV/CardDAV server, through ``caldav.DAVClient``."""

    def __init__(self, settings: ServerSettings) -> None:
        from caldav.davclient import DAVClient

        self.settings = settings
        self.client: Any = DAVClient(
            url=check_server_url(settings.url),
            username=settings.user or None,
            password=settings.password or None,
            ssl_verify_cert=settings.ca_bundle or True,
            timeout=TIMEOUT_SECONDS,
        )
        self._principal: Any = None

    def close(self) -> None:
        self.client.close()

    @property
    def principal(self) -> Any:
        if self._principal is None:
            self._principal = self.client.principal()
        return self._principal

    def calendars(self) -> dict[str, str]:
        """The account's calendars: last URL segment -> URL."""
        return {_key(str(c.url)): str(c.url) for c in self.principal.calendars()}

    def list_calendar(self, url: str) -> dict[str, Remote]:
        from caldav.elements import dav

        calendar = self.client.calendar(url=url)
        found: dict[str, Remote] = {}
        for event in calendar.search(event=True, props=[dav.GetEtag()]):
            uid, digest, label = _uid_and_digest(str(event.data))
            if uid:
                found[uid] = Remote(str(event.url), _etag(event.props), digest, label)
        return found

    def create_calendar(self, collection: Collection) -> str:
        calendar = self.principal.make_calendar(name=collection.name, cal_id=collection.key)
        return str(calendar.url)

    def addressbook_home(self) -> str:
        body = (
            '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:" '
            'xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><C:addressbook-home-set/>'
            "</D:prop></D:propfind>"
        )
        principal_url = str(self.principal.url)
        response = self.client.propfind(principal_url, body, depth=0)
        if response.tree is not None:
            for href in response.tree.iter(f"{DAV}href"):
                parent = href.getparent()
                if parent is not None and parent.tag == f"{CARDDAV}addressbook-home-set":
                    return str(urljoin(principal_url, str(href.text or "").strip()))
        return str(self.principal.calendar_home_set.url)

    def list_addressbook(self, url: str) -> dict[str, Remote] | None:
        """The cards of the address book at ``url``, or None when it does not exist."""
        body = (
            '<?xml version="1.0" encoding="utf-8"?><C:addressbook-query xmlns:D="DAV:" '
            'xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><C:address-data/>'
            "</D:prop></C:addressbook-query>"
        )
        response = self.client.request(url, "REPORT", body, {"Depth": "1"})
        if response.status == 404:
            return None
        _check(response)
        found: dict[str, Remote] = {}
        if response.tree is None:
            return found
        for entry in response.tree.iter(f"{DAV}response"):
            href = entry.findtext(f"{DAV}href") or ""
            data = next((e.text for e in entry.iter(f"{CARDDAV}address-data")), None)
            etag = next((e.text for e in entry.iter(f"{DAV}getetag")), None)
            if not data:
                continue
            uid, digest, label = _card_uid_and_digest(data)
            if uid:
                found[uid] = Remote(urljoin(url, href), etag, digest, label)
        return found

    def create_addressbook(self, url: str, name: str) -> None:
        body = (
            '<?xml version="1.0" encoding="utf-8"?><D:mkcol xmlns:D="DAV:" '
            'xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype>'
            "<D:collection/><C:addressbook/></D:resourcetype>"
            f"<D:displayname>{escape(name)}</D:displayname></D:prop></D:set></D:mkcol>"
        )
        _check(self.client.mkcol(url, body))

    def put(self, url: str, body: bytes, content_type: str, etag: str | None) -> None:
        headers = {"Content-Type": f"{content_type}; charset=utf-8"}
        if etag:
            headers["If-Match"] = etag
        else:
            headers["If-None-Match"] = "*"
        _check(self.client.put(url, body.decode("utf-8"), headers))

    def delete(self, url: str, etag: str | None) -> None:
        headers = {"If-Match": etag} if etag else {}
        response = self.client.request(url, "DELETE", "", headers)
        if response.status != 404:  # already gone: what we wanted
            _check(response)


class _ChangedOnServer(PublishError):
    pass


def _check(response: Any) -> None:
    status = int(response.status)
    if status == 412:
        raise _ChangedOnServer(
            _(
                "An event or contact changed on the server during the publish; publish "
                "again to bring it up to date."
            )
        )
    if status in (401, 403):
        from caldav.lib.error import AuthorizationError

        raise AuthorizationError(str(status))
    if status >= 400:
        from caldav.lib.error import DAVError

        raise DAVError(str(status))


def _key(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


def _etag(props: dict[str, Any]) -> str | None:
    value = props.get(f"{DAV}getetag")
    return str(value) if value else None


def _uid_and_digest(data: str) -> tuple[str | None, str | None, str]:
    """The UID, digest and summary of the first event of ``data``."""
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(data)
    except ValueError:
        return None, None, ""
    for event in calendar.walk("VEVENT"):
        digest = event.get(HASH_PROPERTY)
        uid = str(event.get("UID", "")) or None
        return uid, str(digest) if digest else None, str(event.get("SUMMARY", ""))
    return None, None, ""


def _card_uid_and_digest(data: str) -> tuple[str | None, str | None, str]:
    """The UID, digest and formatted name of a vCard (unfolded, no parser needed)."""
    uid = digest = None
    label = ""
    for line in data.replace("\r\n ", "").replace("\n ", "").splitlines():
        name, _sep, value = line.partition(":")
        name = name.split(";", 1)[0].upper()
        if name == "UID":
            uid = value.strip()
        elif name == HASH_PROPERTY:
            digest = value.strip()
        elif name == "FN":
            label = value.strip().replace("\\,", ",")
    return uid, digest, label


# -- planning and applying --------------------------------------------------------------------


def plan_publish(
    lib: Library,
    trip_ref: str,
    connection: Connection,
    contacts: ContactScope = ContactScope.HOSTS,
) -> Plan:
    """What to create, update and delete on the server for ``trip_ref``; sends nothing."""
    trip = trips.resolve_trip(lib, trip_ref)
    assert trip.id is not None
    return plan_collections(wanted_collections(lib, str(trip.id), contacts), trip.id, connection)


def plan_collections(wanted: list[Collection], trip_id: int, connection: Connection) -> Plan:
    """:func:`plan_publish` for collections already read from the library (a background
    task reads the library first, on the thread that owns it, then calls this)."""
    with talking(connection.settings):
        existing = connection.calendars()
        plan = Plan(connection.settings.url, wanted, {})
        # a delegate who left the trip: their calendar is emptied
        delegate_prefix = f"{trip_key(trip_id)}-delegate"
        keys = {c.key for c in wanted}
        gone = [
            Collection(key, key, Kind.CALENDAR)
            for key in sorted(existing)
            if key.startswith(delegate_prefix) and key not in keys
        ]
        book_home: str | None = None
        for collection in [*wanted, *gone]:
            remote: dict[str, Remote] | None
            if collection.kind is Kind.CALENDAR:
                url = existing.get(collection.key)
                remote = connection.list_calendar(url) if url else None
            else:
                book_home = book_home or connection.addressbook_home()
                base = book_home if book_home.endswith("/") else book_home + "/"
                url = urljoin(base, quote(collection.key) + "/")
                remote = connection.list_addressbook(url)
            if remote is None or url is None:
                plan.new_collections.append(collection)
                remote = {}
                if collection.kind is Kind.ADDRESSBOOK:
                    plan.urls[collection.key] = url or ""
            else:
                plan.urls[collection.key] = url
            _compare(plan, collection, remote)
    return plan


def _compare(plan: Plan, collection: Collection, remote: dict[str, Remote]) -> None:
    for uid, item in collection.items.items():
        there = remote.get(uid)
        if there is None:
            plan.changes.append(Change("create", collection, uid, item.label, item))
        elif there.digest != item.digest:
            plan.changes.append(Change("update", collection, uid, item.label, item, there))
        else:
            plan.unchanged += 1
    for uid, there in sorted(remote.items()):
        if uid not in collection.items and uid.startswith(UID_PREFIX):
            plan.changes.append(Change("delete", collection, uid, there.label or uid, None, there))


def apply_plan(
    plan: Plan,
    connection: Connection,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> Result:
    """Send ``plan``: new collections first, then each change; ``progress(done, total,
    label)`` is called before each step (it may raise :class:`Cancelled` to stop between
    two steps: what was sent stays consistent)."""
    now = now or dt.datetime.now(dt.UTC)
    result = Result(unchanged=plan.unchanged)
    total = len(plan.new_collections) + len(plan.changes)
    done = 0
    with talking(connection.settings):
        for collection in plan.new_collections:
            if progress is not None:
                progress(done, total, collection.name)
            if collection.kind is Kind.CALENDAR:
                plan.urls[collection.key] = connection.create_calendar(collection)
            else:
                connection.create_addressbook(plan.urls[collection.key], collection.name)
            result.collections_created += 1
            done += 1
        for change in plan.changes:
            if progress is not None:
                progress(done, total, change.label)
            _send(change, plan, connection, now)
            if change.action == "create":
                result.created += 1
            elif change.action == "update":
                result.updated += 1
            else:
                result.deleted += 1
            done += 1
    if progress is not None:
        progress(total, total, "")
    return result


def _send(change: Change, plan: Plan, connection: Connection, now: dt.datetime) -> None:
    collection = change.collection
    if change.action == "delete":
        assert change.remote is not None
        connection.delete(change.remote.href, change.remote.etag)
        return
    assert change.item is not None
    if collection.kind is Kind.CALENDAR:
        body, content_type, suffix = event_to_send(change.item, now), "text/calendar", ".ics"
    else:
        body, content_type, suffix = card_to_send(change.item), "text/vcard", ".vcf"
    if change.remote is not None:
        connection.put(change.remote.href, body, content_type, change.remote.etag)
    else:
        base = plan.urls[collection.key]
        base = base if base.endswith("/") else base + "/"
        connection.put(urljoin(base, quote(change.uid, safe="") + suffix), body, content_type, None)


def publish(
    lib: Library,
    trip_ref: str,
    settings: ServerSettings,
    *,
    contacts: ContactScope = ContactScope.HOSTS,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> tuple[Plan, Result | None]:
    """Plan, then (unless ``dry_run``) apply: the plan and what was sent."""
    connection = Connection(settings)
    try:
        plan = plan_publish(lib, trip_ref, connection, contacts)
        if dry_run:
            return plan, None
        return plan, apply_plan(plan, connection, progress)
    finally:
        connection.close()
