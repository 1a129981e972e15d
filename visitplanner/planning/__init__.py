"""Planning: trip snapshots, day plans and legs, checks, auto-arrange."""
