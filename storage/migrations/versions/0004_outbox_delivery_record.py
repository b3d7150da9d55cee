"""outbox delivery record: a reference per row, and the platform's message reference whole

Adds `reference` (what a message belongs to, with an index on (purpose,
reference) for reports) and replaces `platform_message_id` (a bare string)
with `platform_ref` (JSON): existing values move over as {"id": value}.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 22:06:19.260634
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json_object(key: str, column: str) -> str:
    """SQL building {"<key>": <column>} on this database."""
    function = 'json_build_object' if op.get_context().dialect.name == 'postgresql' else 'json_object'
    return f"{function}('{key}', {column})"


def _json_text(column: str, key: str) -> str:
    """SQL reading <column>'s "<key>" as text on this database."""
    if op.get_context().dialect.name == 'postgresql':
        return f"{column} ->> '{key}'"
    return f"json_extract({column}, '$.{key}')"


def upgrade() -> None:
    # SQLite's batch mode rebuilds the table when each block ends: add, copy, then drop.
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.add_column(sa.Column('platform_ref', sa.JSON(none_as_null=True), nullable=True))
        batch_op.create_index('ix_outbox_reference', ['purpose', 'reference'], unique=False)

    op.execute(
        f"UPDATE outbox_message SET platform_ref = {_json_object('id', 'platform_message_id')} "
        "WHERE platform_message_id IS NOT NULL"
    )

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('platform_message_id')


def downgrade() -> None:
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('platform_message_id', sa.VARCHAR(length=200), nullable=True))

    # The old column held one id: Slack's ts, the Teams activity id, or what 0004 moved over.
    found = [_json_text('platform_ref', key) for key in ('id', 'ts', 'activity_id')]
    op.execute(
        f"UPDATE outbox_message SET platform_message_id = substr(coalesce({', '.join(found)}), 1, 200) "
        "WHERE platform_ref IS NOT NULL"
    )

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_reference')
        batch_op.drop_column('platform_ref')
        batch_op.drop_column('reference')
