"""The audit trail: `audit_log` and its keyed chain `audit_chain` (services/audit).

Revision ID: 0002_audit
Revises: 0001_facilities
"""

from __future__ import annotations

from services.audit.schema import AUDIT_DDL, AUDIT_DROP
from services.migrations import execute_all

revision = "0002_audit"
down_revision = "0001_facilities"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_all(AUDIT_DDL)


def downgrade() -> None:
    execute_all(AUDIT_DROP)
