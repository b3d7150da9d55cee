"""person role source: where each role came from (settings, chat, roster, default)

LEADWELL_ADMINS is synced at start-up and promotes and demotes only the roles
that came from it. Existing rows start as `default` (nobody recorded where
their role came from); the first sync marks listed admins as `settings` and
takes back the admin role of default-sourced people no longer listed.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'role_source',
                sqlmodel.sql.sqltypes.AutoString(length=20),
                nullable=False,
                server_default='default',
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('role_source')
