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
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("first_called_at", sa.DateTime(timezone=True), nullable=True))
    # From the event log, where it is (a no-show or a hold cleared called_at), else called_at.
    op.execute(
        "UPDATE tickets SET first_called_at = COALESCE((SELECT MIN(e.at) FROM events e"
        " WHERE e.ticket_id = tickets.id AND e.kind = 'ticket.called'), called_at)"
    )
    op.execute(
        "UPDATE feedback SET delayed_at = (SELECT MIN(a.at) FROM audit_log a"
        " WHERE a.subject = feedback.receipt AND a.action = 'feedback.delayed')"
        " WHERE new_due IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("first_called_at")
    with op.batch_alter_table("feedback") as batch:
        batch.drop_column("delayed_at")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("facility")
