"""Publishing a trip to a calendar (CalDAV) and contacts (CardDAV) server.

- :mod:`.content`: what the server should hold (one calendar per delegate and one for the
  whole delegation, an address book of the hosts or of the directory), each object with a
  stable UID and a digest of its content.
- :mod:`.sync`: reads what the server holds, plans what to create, update and delete, then
  applies the plan with the ``caldav`` client, one object at a time.
- :mod:`.settings`: the server address and user name of each library, and the password in
  the system keyring.

The server is the only record of what was published: every publish compares the objects
there (their UID and the digest written in them, ``X-VISITPLANNER-HASH``) with the library,
so a publish cut off by a network failure leaves both sides consistent and the next one
sends what is missing. Nothing is sent for an object whose digest has not changed.
Cancelled meetings are removed from the calendars (not kept as STATUS:CANCELLED), as are
deleted and unscheduled ones.
"""
