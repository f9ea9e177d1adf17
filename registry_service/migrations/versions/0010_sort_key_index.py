"""An index for the default list order: lists without a query are ordered by (sort_key, id),
given name first, so the first page of a million files needs no sort.

Revision ID: 0010_sort_key_index
Revises: 0009_filed_unit
"""

from __future__ import annotations

from alembic import op

revision = "0010_sort_key_index"
down_revision = "0009_filed_unit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_persons_sort_key_id", "persons", ["sort_key", "id"])


def downgrade() -> None:
    op.drop_index("ix_persons_sort_key_id", "persons")
