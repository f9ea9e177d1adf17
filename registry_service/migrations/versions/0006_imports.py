"""Placeholder in the revision chain, filled in by the work that owns it.

Revision ID: 0006_imports
Revises: 0005_person_records
"""

from __future__ import annotations

revision = "0006_imports"
down_revision = "0005_person_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
