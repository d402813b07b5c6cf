"""The rules of the counter, in plain Python: no Qt, no SQLAlchemy, no I/O."""
