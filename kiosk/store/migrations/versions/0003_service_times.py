"""service times per counter: each counter smooths its own figure, so completes never share a row lock

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "service_times",
        sa.Column("service_code", sa.String(length=4), nullable=False),
        sa.Column("counter", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_code"], ["services.code"], name=op.f("fk_service_times_service_code_services")
        ),
        sa.PrimaryKeyConstraint("service_code", "counter", name=op.f("pk_service_times")),
    )
    # What was learnt so far is every counter's starting figure for the services it handles.
    op.execute(
        "INSERT INTO service_times (service_code, counter, seconds)"
        " SELECT cs.service_code, cs.counter, s.service_seconds FROM counter_services cs"
        " JOIN services s ON s.code = cs.service_code WHERE s.service_seconds IS NOT NULL"
    )
    # A plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35): recreating the table, Alembic's batch
    # default, would trip the foreign keys that counter_services and tickets hold on it.
    with op.batch_alter_table("services", recreate="never") as batch:
        batch.drop_column("service_seconds")


def downgrade() -> None:
    with op.batch_alter_table("services", recreate="never") as batch:
        batch.add_column(sa.Column("service_seconds", sa.Float(), nullable=True))
    op.execute(
        "UPDATE services SET service_seconds = (SELECT avg(seconds) FROM service_times"
        " WHERE service_times.service_code = services.code)"
    )
    op.drop_table("service_times")
