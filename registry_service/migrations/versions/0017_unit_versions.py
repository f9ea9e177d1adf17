"""Units carry a row version, which `unit.*` snapshots publish.

Revision ID: 0017_unit_versions
Revises: 0016_minimised_data
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_unit_versions"
down_revision = "0016_minimised_data"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "units", sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
    )


def downgrade() -> None:
    op.drop_column("units", "version")
