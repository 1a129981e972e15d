"""The Qt layer of Visit Planner: windows, views, dialogs, item models, undo commands."""
