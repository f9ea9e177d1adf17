"""Placeholder in the revision chain, filled in by the work that owns it.

Revision ID: 0007_movements
Revises: 0006_imports
"""

from __future__ import annotations

revision = "0007_movements"
down_revision = "0006_imports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
