"""Persistence: SQLAlchemy 2.0 models, repositories, unit of work and Alembic migrations."""
