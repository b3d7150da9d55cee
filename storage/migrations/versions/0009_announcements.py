"""announcements: when to send (a time, or a local time in each person's zone), the fan-out cursor,
counts of people not reachable, the approving admin, and a version raised by each correction

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 13:10:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('announcement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('send_at', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('local_time', sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column('fanned_out_to', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('unreachable_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('approved_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.create_foreign_key(
            'fk_announcement_approved_by', 'person', ['approved_by_id'], ['id'], ondelete='SET NULL'
        )


def downgrade() -> None:
    with op.batch_alter_table('announcement', schema=None) as batch_op:
        batch_op.drop_constraint('fk_announcement_approved_by', type_='foreignkey')
        for column in ('version', 'approved_by_id', 'unreachable_count', 'fanned_out_to', 'local_time', 'send_at'):
            batch_op.drop_column(column)
