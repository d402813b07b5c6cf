"""Local ↔ central sync: the outbox pushed in idempotent batches, the central queue pulled into a mirror."""
