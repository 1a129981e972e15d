"""Arrange honours a delegate's unavailable times (with where they are) and hotel per night.

Plain parameters here (lists of intervals per delegate id, a hotel per delegate and day): the
mission model (arrival, departure, busy blocks, stays) plugs into the same place.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from test_arrange import DAY, LINE, Library_of, line_trip, request

from visitplanner.geo.travel import estimate
from visitplanner.library import Library
from visitplanner.model import Place, Precision, TravelMode, Window
from visitplanner.planning.arrange import arrange
from visitplanner.planning.arrange_model import Unavailable
from visitplanner.planning.snapshot import load_snapshot

IDS: dict[str, int] = {}


def _at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute))


def _taxi(a: int, b: int, at: dt.datetime | None = None) -> int:
    return estimate(LINE[a], LINE[b], TravelMode.TAXI, at=at).minutes


@pytest.fixture
def line(empty_library: Library) -> tuple[Library, dict[str, int]]:
    ids = line_trip(empty_library)
    Library_of[ids["trip"]] = empty_library
    IDS.clear()
    IDS.update(ids)
    return empty_library, ids


def test_no_meeting_before_the_delegate_arrives(line: tuple[Library, dict[str, int]]) -> None:
    lib, ids = line
    request(ids, "Visit 2", "p2", duration_minutes=45)
    snap = load_snapshot(lib, ids["trip"])
    free = arrange(snap, time_limit=5)
    assert free.placed[0].start < _at(12)  # the morning is free otherwise
    # Lands at noon, at the hotel at 13:00 (no place given: the hotel of the day).
    away = {ids["ann"]: [Unavailable(_at(0), _at(13))]}
    late = arrange(snap, time_limit=5, unavailable=away)
    (placed,) = late.placed
    earliest = _at(13) + dt.timedelta(minutes=_taxi(0, 2, _at(13)) + 10)  # + the buffer
    assert placed.start >= earliest
    assert placed.start < earliest + dt.timedelta(minutes=5)


def test_a_busy_block_with_a_place_counts_its_travel(
    line: tuple[Library, dict[str, int]],
) -> None:
    lib, ids = line
    request(
        ids,
        "Visit 1",
        "p1",
        duration_minutes=45,
        windows=[Window(_at(10), _at(14))],
    )
    snap = load_snapshot(lib, ids["trip"])
    assert arrange(snap, time_limit=5).placed[0].start == _at(10)
    # Their own partnering meeting at stop 4, 10:50-12:00: 10:00-10:45 leaves 5 min to get
    # there, so the visit goes after it, once they have come back from stop 4.
    busy = {ids["ann"]: [Unavailable(_at(10, 50), _at(12), _place(snap, ids["p4"]), "Own")]}
    result = arrange(snap, time_limit=5, unavailable=busy)
    (placed,) = result.placed
    back = _taxi(4, 1, _at(12)) + 10
    assert placed.start >= _at(12) + dt.timedelta(minutes=back)
    assert placed.end <= _at(14)
    # Unavailable all day: not placed, and said so.
    gone = {ids["ann"]: [Unavailable(_at(0), _at(23, 59))]}
    assert not arrange(snap, time_limit=5, unavailable=gone).placed


def test_each_day_starts_at_that_nights_hotel(line: tuple[Library, dict[str, int]]) -> None:
    lib, ids = line
    request(ids, "Visit 4", "p4", duration_minutes=60)
    snap = load_snapshot(lib, ids["trip"])
    from_trip_hotel = arrange(snap, time_limit=5).placed[0]
    assert from_trip_hotel.start >= _at(9) + dt.timedelta(minutes=_taxi(0, 4))
    # That night Ann sleeps next to stop 4: her day starts there, at 9:00 sharp.
    hotel = dataclasses.replace(_place(snap, ids["p4"]), name="Stop 4 Inn")
    result = arrange(snap, time_limit=5, hotels={(ids["ann"], DAY): hotel})
    assert result.placed[0].start == _at(9)


def _place(snap, place_id):  # type: ignore[no-untyped-def]
    """A stop of the line as a place of its own (not one of the trip's meetings)."""
    k = int(next(key for key, value in IDS.items() if value == place_id)[1:])
    return Place(name=f"Stop {k}", lat=LINE[k][0], lon=LINE[k][1], precision=Precision.VENUE)


def test_the_greedy_start_at_mission_scale_is_sound() -> None:
    """The solver's warm start (greedy, then one-relocation repairs) breaks no rule: it is
    what stands when the solver finds nothing better in time."""
    from bench.instances import generate_mission
    from visitplanner.i18n import current
    from visitplanner.planning.arrange import Arrangement, Placement, proposed_snapshot
    from visitplanner.planning.arrange_problem import Problem, _greedy
    from visitplanner.planning.checks import ProblemKind, check_snapshot

    lib = Library.in_memory()
    try:
        snap = load_snapshot(lib, generate_mission(lib))
    finally:
        lib.close()
    problem = Problem(snap, current())
    candidates = [r for r in (problem.request(m) for m in problem.requests) if r.starts]
    plain = _plain(problem, candidates)
    greedy = _greedy(problem, candidates)
    assert len(greedy) > plain  # the repairs placed more than the greedy pass alone
    arrangement = Arrangement(snap.trip.id)
    for r in candidates:
        if r.meeting.id in greedy:
            moment = problem.axis.moment(greedy[r.meeting.id][1])
            arrangement.placed.append(
                Placement(
                    r.meeting.id,
                    r.meeting.title,
                    moment,
                    moment + dt.timedelta(minutes=r.duration),
                    tuple(r.meeting.delegate_ids),
                    r.meeting.status,
                )
            )
    hard = {
        ProblemKind.OVERLAP,
        ProblemKind.TRAVEL,
        ProblemKind.AVAILABILITY,
        ProblemKind.OUTSIDE_TRIP,
        ProblemKind.OUTSIDE_DAY,
    }
    placed = set(greedy)
    found = [
        p
        for p in check_snapshot(proposed_snapshot(snap, arrangement))
        if p.kind in hard and placed & set(p.meeting_ids)
    ]
    assert not found


def _plain(problem, candidates):  # type: ignore[no-untyped-def]
    """How many the greedy pass places without the repairs."""
    from visitplanner.planning.arrange_problem import _Greedy

    greedy = _Greedy(problem)
    order = sorted(
        candidates,
        key=lambda r: (r.meeting.priority, sum(len(v) for v in r.starts.values()), r.meeting.id),
    )
    for r in order:
        best = greedy.best(r)
        if best is not None:
            greedy.put(r, best[1], best[2])
    return len(greedy.out)


def test_arrange_reads_presence_busy_blocks_and_hotels_from_the_mission_model(
    line: tuple[Library, dict[str, int]],
) -> None:
    """Without parameters, arrange takes the delegate's arrival, busy blocks and hotel of the
    night from the library; what it proposes passes the checks (no `absent`)."""
    from visitplanner.library import stays, trips
    from visitplanner.model import BusyBlock, Stay
    from visitplanner.planning.checks import check_snapshot

    lib, ids = line
    ann = trips.get_delegate(lib, ids["ann"])
    ann.arrival = _at(11)
    trips.update_delegate(lib, ann)
    stays.add_busy(
        lib,
        BusyBlock(ids["ann"], _at(14), _at(15), "Own partnering", place_id=ids["p4"]),
    )
    request(ids, "Visit 1", "p1", duration_minutes=45)
    request(ids, "Visit 3", "p3", duration_minutes=45)
    snap = load_snapshot(lib, ids["trip"])
    result = arrange(snap, time_limit=5)
    assert len(result.placed) == 2
    for placed in result.placed:
        assert placed.start >= _at(11)  # not before she lands
        assert placed.end <= _at(14) or placed.start >= _at(15)  # not in her own meeting
    applied = [
        dataclasses.replace(m, start=p.start)
        for m in snap.meetings
        for p in result.placed
        if p.meeting_id == m.id
    ]
    after = dataclasses.replace(
        snap, meetings=[*(m for m in snap.meetings if m.start is not None), *applied]
    )
    kinds = {p.kind.value for p in check_snapshot(after)}
    assert "absent" not in kinds and "travel" not in kinds and "overlap" not in kinds
    # A hotel of her own that night: the day starts and ends there.
    hotel = snap.places[ids["p4"]]
    stays.add_stay(lib, Stay(ids["trip"], DAY, DAY, ids["p4"], delegate_id=ids["ann"]))
    snap = load_snapshot(lib, ids["trip"])
    from visitplanner.planning.arrange_mission import day_hotels

    assert day_hotels(snap) == {(ids["ann"], DAY): hotel}
