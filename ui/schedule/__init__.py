"""The schedule of a trip (mirrors visitplanner.planning): the day list model, the timeline and
week views, requests, auto-arrange, meeting import, and the trip, delegate and meeting dialogs."""
