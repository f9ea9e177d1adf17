"""Feed consumers' failure counts and quarantine (the kernel's QUARANTINE_DDL).

Revision ID: 0013_feed_quarantine
Revises: 0014_keyed_audit
"""

from __future__ import annotations

from services.events.consumer import QUARANTINE_DDL, QUARANTINE_DROP
from services.migrations import execute_all

revision = "0013_feed_quarantine"
down_revision = "0014_keyed_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_all(QUARANTINE_DDL)


def downgrade() -> None:
    execute_all(QUARANTINE_DROP)
