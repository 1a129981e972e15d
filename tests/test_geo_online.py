"""Online geocoding against a local Nominatim-style server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from visitplanner.cli import main
from visitplanner.geo.geocoder import GeocodingError, geocode
from visitplanner.geo.online import OnlineSettings
from visitplanner.model import Precision

ANSWER = [
    {
        "lat": "42.3601",
        "lon": "-71.0942",
        "name": "Koch Institute",
        "display_name": "Koch Institute, 500 Main Street, Cambridge, MA 02139",
        "class": "amenity",
        "type": "research_institute",
        "addresstype": "amenity",
        "place_rank": 30,
    }
]
# What Nominatim adds with addressdetails=1 (its shape for a Cambridge building).
ADDRESS = {
    "amenity": "Koch Institute",
    "house_number": "500",
    "road": "Main Street",
    "neighbourhood": "Kendall Square",
    "city": "Cambridge",
    "county": "Middlesex County",
    "state": "Massachusetts",
    "ISO3166-2-lvl4": "US-MA",
    "postcode": "02139",
    "country": "United States",
    "country_code": "us",
}


class FakeNominatim(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[float, str, str]] = []  # (time, q, user agent)
        self.params: list[dict[str, list[str]]] = []  # every request's parameters
        self.behaviour = "ok"  # ok, empty, slow, error, garbage

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeNominatim

    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        self.server.params.append(query)
        self.server.requests.append(
            (time.monotonic(), query.get("q", [""])[0], self.headers.get("User-Agent", ""))
        )
        behaviour = self.server.behaviour
        if behaviour == "slow":
            time.sleep(1.5)
        if behaviour == "error":
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"internal error")
            return
        answer = ANSWER
        if query.get("addressdetails") == ["1"]:
            answer = [{**ANSWER[0], "address": ADDRESS}]
        body = {
            "ok": json.dumps(answer).encode(),
            "slow": json.dumps(answer).encode(),
            "empty": b"[]",
            "garbage": b"<html>not json",
        }[behaviour]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client gave up (time-out test)
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def nominatim() -> Iterator[FakeNominatim]:
    server = FakeNominatim()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _settings(server: FakeNominatim, **kw: object) -> OnlineSettings:
    values: dict[str, object] = {
        "enabled": True,
        "server": server.url,
        "user_agent": "VisitPlannerTests/1",
        "timeout_s": 3.0,
        "min_interval_s": 0.3,
    }
    values.update(kw)
    return OnlineSettings(**values)  # type: ignore[arg-type]


def test_online_answer_is_cached_in_the_library(
    nominatim: FakeNominatim, empty_library: object
) -> None:
    from visitplanner.library import Library

    assert isinstance(empty_library, Library)
    settings = _settings(nominatim)
    first = geocode("Koch Institute for Integrative Cancer Research", empty_library, settings)
    assert (first.source, first.precision) == ("nominatim", Precision.VENUE)
    assert first.lat == pytest.approx(42.3601)
    assert nominatim.requests[0][2] == "VisitPlannerTests/1"
    again = geocode("koch institute for integrative cancer research", empty_library, settings)
    assert again.source == "cache" and again.lat == first.lat
    assert len(nominatim.requests) == 1
    # and offline later, the cache still answers, with the address found online
    cached = geocode("Koch Institute for Integrative Cancer Research", empty_library)
    assert cached.source == "cache"
    assert (cached.name, cached.street, cached.city, cached.region) == (
        first.name,
        first.street,
        first.city,
        first.region,
    )
    assert cached.to_place().address() == first.to_place().address() != ""


def test_online_answer_carries_the_resolved_address(
    nominatim: FakeNominatim, empty_library: object
) -> None:
    found = geocode("Koch Institute, Cambridge MA", None, _settings(nominatim))
    assert (found.name, found.street, found.city) == (
        "Koch Institute",
        "500 Main Street",
        "Cambridge",
    )
    assert (found.region, found.postal_code, found.country) == ("MA", "02139", "US")
    assert found.kind == "research_institute" and found.reason == "found online"
    place = found.to_place()
    assert (place.name, place.address()) == (
        "Koch Institute",
        "500 Main Street, Cambridge, MA 02139",
    )


def test_the_trips_region_is_preferred_online(nominatim: FakeNominatim) -> None:
    geocode("Koch Institute", None, _settings(nominatim))
    geocode("Koch Institute two", None, _settings(nominatim), region="quebec")
    geocode("Koch Institute three", None, _settings(nominatim), region="boston")
    assert "viewbox" not in nominatim.params[0]
    boxes = [
        [float(v) for v in p["viewbox"][0].split(",")] for p in nominatim.params[1:]
    ]  # lon1, lat1, lon2, lat2
    assert boxes[0][0] < -73.5 < boxes[0][2] and boxes[0][1] < 46.8 < boxes[0][3]  # Québec
    assert boxes[1][0] < -71.06 < boxes[1][2] and boxes[1][1] < 42.36 < boxes[1][3]  # Boston
    assert all(p.get("bounded", ["0"]) == ["0"] for p in nominatim.params)
    assert all(p["addressdetails"] == ["1"] for p in nominatim.params)


def test_address_of_other_shapes() -> None:
    from visitplanner.geo.online import address_of

    # A city answer, a Québec address with the state's name only, and hostile values.
    city = {"name": "Laval", "type": "city", "address": {"city": "Laval", "state": "Québec"}}
    assert address_of(city, Precision.CITY) == {
        "name": "",
        "street": "",
        "city": "Laval",
        "region": "QC",
        "postal_code": "",
        "country": "",
        "kind": "city",
    }
    odd = {"address": {"road": "Rue\x00 Saint-Jean\n", "house_number": 12, "postcode": "G1R 1N8"}}
    data = address_of(odd, Precision.ADDRESS)
    assert data["street"] == "Rue Saint-Jean" and data["postal_code"] == "G1R 1N8"
    assert address_of({"address": "not a mapping"}, Precision.ADDRESS)["street"] == ""


def test_offline_precise_answers_never_ask_the_server(nominatim: FakeNominatim) -> None:
    assert geocode("BCEC", None, _settings(nominatim)).source == "gazetteer"
    assert nominatim.requests == []
    # A city's name is that city: no server can answer it better.
    for query in ("Montréal", "Laval, QC", "Quebec City"):
        assert geocode(query, None, _settings(nominatim)).source == "city"
    assert nominatim.requests == []
    # A city found inside an unknown address is only a fallback: the server is asked.
    found = geocode("Koch Institute, Cambridge MA", None, _settings(nominatim))
    assert found.source == "nominatim" and len(nominatim.requests) == 1


def test_rate_limit_one_request_per_interval(nominatim: FakeNominatim) -> None:
    settings = _settings(nominatim, min_interval_s=1.0)
    geocode("Koch Institute one", None, settings)
    geocode("Koch Institute two", None, settings)
    times = [t for t, _q, _ua in nominatim.requests]
    assert len(times) == 2 and times[1] - times[0] >= 0.95


@pytest.mark.parametrize(
    ("behaviour", "message"),
    [("slow", "did not answer in time"), ("error", "failed"), ("garbage", "failed")],
)
def test_failures_are_messages(nominatim: FakeNominatim, behaviour: str, message: str) -> None:
    nominatim.behaviour = behaviour
    started = time.monotonic()
    with pytest.raises(GeocodingError, match=message):
        geocode("Koch Institute", None, _settings(nominatim, timeout_s=0.5))
    assert time.monotonic() - started < 1.4
    # With an offline answer to fall back on, the failure is a note beside it.
    fallback = geocode(
        "Nowhere Lane, Cambridge, MA 02139", None, _settings(nominatim, timeout_s=0.5)
    )
    assert fallback.precision == Precision.POSTAL and fallback.note


def test_unknown_place_online(nominatim: FakeNominatim) -> None:
    nominatim.behaviour = "empty"
    with pytest.raises(GeocodingError, match="No place matches"):
        geocode("Zxqv Widget Emporium", None, _settings(nominatim))


def test_an_online_answer_far_from_the_postal_code_gives_the_centroid(
    nominatim: FakeNominatim,
) -> None:
    result = geocode("999 Imaginary Rd, Montréal, QC H2Z 1A1", None, _settings(nominatim))
    assert result.precision == Precision.POSTAL and result.lat > 45


def test_cli_geocode_online_then_cached(
    nominatim: FakeNominatim, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cache.visitplanner"
    args = ["geocode", "Koch Institute", "--online", "--server", nominatim.url, "--db", str(db)]
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"query", "lat", "lon", "precision", "source", "label"} <= set(data)
    assert data["source"] == "nominatim" and data["precision"] == "venue"
    assert main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["source"] == "cache"
    assert len(nominatim.requests) == 1
    nominatim.behaviour = "error"
    assert (
        main(["geocode", "Other Lab", "--online", "--server", nominatim.url, "--db", str(db)]) == 2
    )
    assert "failed" in capsys.readouterr().err


def test_cli_offline_never_asks(
    nominatim: FakeNominatim, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["geocode", "Zxqv Widget Emporium", "--offline", "--server", nominatim.url]) == 2
    assert "No place matches" in capsys.readouterr().err
    assert nominatim.requests == []


def test_cli_travel_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["travel", "--from", "McGill", "--to", "45.5046,-73.5606", "--mode", "walk", "--json"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["mode"] == "walk" and data["from"]["precision"] == "venue"
    assert data["to"]["precision"] == "manual"
    assert 0.5 < data["distance_km"] < 2 and 8 < data["minutes"] < 30


def test_meeting_editor_asks_online_only_when_allowed(
    nominatim: FakeNominatim, demo_path: Path, qtbot: object, sync_tasks: None
) -> None:
    from ui.schedule.meeting_dialog import MeetingDialog
    from ui.shell import settings
    from ui.shell.app import make_application
    from visitplanner.library import Library, trips

    make_application()
    lib = Library.open(demo_path)
    trip = trips.get_trip(lib, 1)
    dialog = MeetingDialog(None, lib, trip, trips.meetings(lib, 1)[0])
    query = "Koch Institute, Cambridge MA"
    try:
        dialog.place.edit.setText(query)
        dialog.place.find_button.click()  # online is off: the offline answer, no request
        assert nominatim.requests == []
        settings.set_online(True, nominatim.url, False, "", False)
        dialog.place.edit.setText(query)
        dialog.place.find_button.click()
        assert [q for _t, q, _agent in nominatim.requests] == [query]
        place = dialog.place_to_add()
        assert place is not None and place.precision is Precision.VENUE
        assert abs(place.lat - 42.3601) < 1e-6  # type: ignore[operator]
        dialog.place.edit.setText(query)
        dialog.place.find_button.click()  # the same query again comes from the library's cache
        assert len(nominatim.requests) == 1
    finally:
        settings.set_online(False, "", False, "", False)
        dialog.deleteLater()
        lib.close()
