"""offered choices: the buttons a person was last sent (sealed), so typing a label or number picks one

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 09:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'offered_choices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('choices', sa.JSON(), nullable=False),
        sa.Column('expires_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('person_id'),
    )
    with op.batch_alter_table('offered_choices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offered_choices_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('offered_choices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offered_choices_expires_at'))
    op.drop_table('offered_choices')
