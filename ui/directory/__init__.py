"""The directory tab (mirrors visitplanner.library.directory and visitplanner.exchange):
organizations and contacts, their dialogs, contact, calendar and trip files."""
