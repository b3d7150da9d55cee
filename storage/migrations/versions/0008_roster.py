"""roster: the erasure list (a keyed hash of each forgotten person's email) and kept values

A roster re-import skips people who asked to be forgotten: `erased_email` keeps a
keyed hash of their email, never the email. `kept_value` keeps small named values
between runs: the erasure list's key (sealed with the secret, so `keys rotate`
carries it over) and when Slack's member list was last read.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 09:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'erased_email',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('erased_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('email_hash'),
    )
    op.create_table(
        'kept_value',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column('sealed', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )


def downgrade() -> None:
    op.drop_table('kept_value')
    op.drop_table('erased_email')
