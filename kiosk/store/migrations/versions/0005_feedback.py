"""customer voice box, satisfaction answers, audit log

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("receipt", sa.String(length=24), nullable=False),
        sa.Column("category", sa.String(length=12), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("handling", sa.String(length=8), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("team", sa.String(length=60), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delay_reason", sa.Text(), nullable=False),
        sa.Column("new_due", sa.Date(), nullable=True),
        sa.Column("name_enc", sa.Text(), nullable=True),
        sa.Column("contact_enc", sa.Text(), nullable=True),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("pin_hash", sa.String(length=64), nullable=False),
        sa.Column("pin_failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("request_key", sa.String(length=64), nullable=True),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("reminded_on", sa.Date(), nullable=True),
        sa.Column("notice_pending", sa.String(length=10), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("receipt", name=op.f("pk_feedback")),
        sa.UniqueConstraint("request_key", name=op.f("uq_feedback_request_key")),
    )
    op.create_index("ix_feedback_open", "feedback", ["status", "due"], unique=False)
    op.create_table(
        "satisfaction",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("business_day", sa.String(length=10), nullable=False),
        sa.Column("service_code", sa.String(length=4), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=True),
        sa.Column("resolved", sa.Boolean(), nullable=True),
        sa.Column("rating", sa.SmallInteger(), nullable=True),
        sa.Column("ticket_key", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_satisfaction")),
        sa.UniqueConstraint("ticket_key", name=op.f("uq_satisfaction_ticket_key")),
    )
    op.create_index("ix_satisfaction_day", "satisfaction", ["business_day", "service_code"], unique=False)
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_subject", "audit_log", ["subject"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_log_subject", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_satisfaction_day", table_name="satisfaction")
    op.drop_table("satisfaction")
    op.drop_index("ix_feedback_open", table_name="feedback")
    op.drop_table("feedback")
