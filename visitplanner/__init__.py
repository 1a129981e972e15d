"""Visit Planner core: plan life-sciences trade missions. Pure Python, no Qt."""

__version__ = "0.1.0"
APP_NAME = "Visit Planner"
APP_ID = "visitplanner"
