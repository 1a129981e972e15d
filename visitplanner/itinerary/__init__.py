"""PDF itineraries (reportlab): layout, day maps, QR codes."""
