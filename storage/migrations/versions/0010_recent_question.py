"""recent question: a person's last question (sealed), kept a short while so a follow-up is read with it

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 13:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'recent_question',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('question', sa.JSON(), nullable=False),
        sa.Column('expires_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('person_id'),
    )
    with op.batch_alter_table('recent_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recent_question_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('recent_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recent_question_expires_at'))
    op.drop_table('recent_question')
