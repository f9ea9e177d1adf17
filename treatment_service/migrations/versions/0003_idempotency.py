"""Idempotency keys: a retried POST replays its first answer (services/idempotency.py).

Revision ID: 0003_idempotency
Revises: 0001_facilities
"""

from __future__ import annotations

from services.idempotency import IDEMPOTENCY_DDL, IDEMPOTENCY_DROP
from services.migrations import execute_all

revision = "0003_idempotency"
down_revision = "0001_facilities"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_all(IDEMPOTENCY_DDL)


def downgrade() -> None:
    execute_all(IDEMPOTENCY_DROP)
