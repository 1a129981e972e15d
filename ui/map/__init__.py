"""The map beside the schedule (mirrors visitplanner.geo): the day's stops, tiles, offline maps."""
