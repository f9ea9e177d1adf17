"""Person facts keep the person version they were written at.

Revision ID: 0002_fact_versions
Revises: 0001_person_facts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_fact_versions"
down_revision = "0001_person_facts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows written before: version 0, so the next snapshot of each person replaces them.
    op.add_column(
        "person_facts",
        sa.Column("version", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_column("person_facts", "version")
