"""initial schema: services, counters, tickets, events

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 07:06:51.110663
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op



revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('counters',
    sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('staff_ko', sa.String(length=100), nullable=False),
    sa.Column('staff_en', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('number', name=op.f('pk_counters'))
    )
    op.create_table('day_sequences',
    sa.Column('prefix', sa.String(length=4), nullable=False),
    sa.Column('business_day', sa.String(length=10), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('prefix', 'business_day', name=op.f('pk_day_sequences'))
    )
    op.create_table('services',
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('name_ko', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('help_ko', sa.String(length=200), nullable=False),
    sa.Column('help_en', sa.String(length=200), nullable=False),
    sa.Column('icon', sa.String(length=40), nullable=False),
    sa.Column('location_ko', sa.String(length=100), nullable=False),
    sa.Column('location_en', sa.String(length=100), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('service_seconds', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_services'))
    )
    op.create_table('counter_services',
    sa.Column('counter', sa.Integer(), nullable=False),
    sa.Column('service_code', sa.String(length=4), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['counter'], ['counters.number'], name=op.f('fk_counter_services_counter_counters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_code'], ['services.code'], name=op.f('fk_counter_services_service_code_services')),
    sa.PrimaryKeyConstraint('counter', 'service_code', name=op.f('pk_counter_services'))
    )
    op.create_table('tickets',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('number', sa.String(length=12), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('service_code', sa.String(length=4), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=True),
    sa.Column('priority_rank', sa.SmallInteger(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('business_day', sa.String(length=10), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('counter', sa.Integer(), nullable=True),
    sa.Column('called_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recall_count', sa.Integer(), nullable=False),
    sa.Column('no_show_count', sa.Integer(), nullable=False),
    sa.Column('request_key', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['counter'], ['counters.number'], name=op.f('fk_tickets_counter_counters')),
    sa.ForeignKeyConstraint(['service_code'], ['services.code'], name=op.f('fk_tickets_service_code_services')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tickets')),
    sa.UniqueConstraint('business_day', 'number', name='uq_tickets_day_number'),
    sa.UniqueConstraint('request_key', name=op.f('uq_tickets_request_key'))
    )
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index('ix_tickets_counter', ['counter', 'status'], unique=False)
        batch_op.create_index('ix_tickets_line', ['status', 'service_code', 'priority_rank', 'queued_at', 'id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('counter', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_events_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_kind_id', ['kind', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_ticket_id'), ['ticket_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_ticket_id'))
        batch_op.drop_index('ix_events_kind_id')

    op.drop_table('events')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_line')
        batch_op.drop_index('ix_tickets_counter')

    op.drop_table('tickets')
    op.drop_table('counter_services')
    op.drop_table('services')
    op.drop_table('day_sequences')
    op.drop_table('counters')
