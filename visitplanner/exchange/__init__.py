"""Exchange: CSV / vCard / iCalendar import and export, trip files."""
