"""The gateway reads the registry's feed (unit moves): cursor, processed ids, quarantine.

Revision ID: 0003_unit_consumer
Revises: 0002_auth_throttles
"""

from __future__ import annotations

from services.events.consumer import CONSUMER_DDL, CONSUMER_DROP, QUARANTINE_DDL, QUARANTINE_DROP
from services.migrations import execute_all

revision = "0003_unit_consumer"
down_revision = "0002_auth_throttles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_all(CONSUMER_DDL, QUARANTINE_DDL)


def downgrade() -> None:
    execute_all(QUARANTINE_DROP, CONSUMER_DROP)
