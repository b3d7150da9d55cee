"""export tokens: single-use links for `my data` (a hash of the token, whose data, expiry, used)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'export_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('used_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    with op.batch_alter_table('export_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_token_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('export_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_token_person_id'))
    op.drop_table('export_token')
