"""performance report: facility on tickets, notes and survey answers; when a note was delayed

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("tickets", "feedback", "satisfaction")


def upgrade() -> None:
    # Rows from before this revision carry "" until the node that owns them stamps its facility id
    # (bootstrap does so for its own store); the report shows them as an unnamed facility.
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("facility", sa.String(length=16), server_default="", nullable=False))
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(sa.Column("delayed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.drop_column("delayed_at")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("facility")
