"""Benchmarks of Visit Planner: ``python -m bench`` (what ``make bench`` runs).

Each figure is printed as one JSON line, measured together with a floor from the same run.
"""
