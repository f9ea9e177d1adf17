"""The audit log gets a keyed chain: `audit_chain`, linked by the service's chainer.

The unkeyed `prev_hash`/`hash` columns stay, nullable, as the legacy chain of rows written
before; the chainer links those rows too (in id order) on its first run, under the key.

Revision ID: 0014_keyed_audit
Revises: 0015_idempotency
"""

from __future__ import annotations

from alembic import op

from services.audit.schema import AUDIT_CHAIN_DDL, AUDIT_GUARD_DDL
from services.migrations import execute_all

revision = "0014_keyed_audit"
down_revision = "0015_idempotency"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP TRIGGER audit_log_no_update ON audit_log")
    op.execute("DROP FUNCTION audit_log_immutable()")
    op.execute(
        "ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL, "
        "ALTER COLUMN hash DROP NOT NULL"
    )
    op.execute(
        "COMMENT ON COLUMN audit_log.hash IS "
        "'Legacy unkeyed chain of rows written before 0014_keyed_audit; see audit_chain'"
    )
    execute_all(AUDIT_CHAIN_DDL, AUDIT_GUARD_DDL)


def downgrade() -> None:
    for table in ("audit_log", "audit_chain"):
        op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
    op.execute("DROP TABLE audit_chain")
    op.execute("DROP FUNCTION audit_append_only()")
    # Rows written under the keyed chain have no legacy hash: zeros, which the legacy check
    # reports as broken, which they are under it.
    op.execute(
        "UPDATE audit_log SET prev_hash = repeat('0', 64), hash = repeat('0', 64) "
        "WHERE hash IS NULL"
    )
    op.execute(
        "ALTER TABLE audit_log ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL"
    )
    op.execute("COMMENT ON COLUMN audit_log.hash IS NULL")
    op.execute(
        "CREATE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_immutable()"
    )
