"""Idempotency keys: a retried POST replays its first answer (services/idempotency.py).

Revision ID: 0015_idempotency
Revises: 0011_encrypted_family_contact
"""

from __future__ import annotations

from services.idempotency import IDEMPOTENCY_DDL, IDEMPOTENCY_DROP
from services.migrations import execute_all

revision = "0015_idempotency"
down_revision = "0011_encrypted_family_contact"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_all(IDEMPOTENCY_DDL)


def downgrade() -> None:
    execute_all(IDEMPOTENCY_DROP)
