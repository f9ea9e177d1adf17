"""Placeholder in the revision chain, filled in by the work that owns it.

Revision ID: 0005_person_records
Revises: 0004_status_history
"""

from __future__ import annotations

revision = "0005_person_records"
down_revision = "0004_status_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
