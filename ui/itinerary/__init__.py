"""Itineraries (mirrors visitplanner.itinerary): export, print and print preview."""
