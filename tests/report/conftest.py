"""Report tests: the PostgreSQL fixture shared with the store tests."""

from tests.core.conftest import postgres_url  # noqa: F401  (a fresh central database per test)
