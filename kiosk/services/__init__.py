"""Use cases: the one API the GUI and the CLI both call. No Qt, no SQLAlchemy here."""
