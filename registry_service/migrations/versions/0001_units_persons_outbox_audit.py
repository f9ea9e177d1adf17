"""Units, persons, the event outbox and the audit log.

Revision ID: 0001_units_persons
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from services.db import Ltree
from services.events.outbox import EVENTS_DDL, EVENTS_DROP
from services.migrations import execute_all

# The audit log as this revision created it (unkeyed chain; 0014_keyed_audit replaces it).
# Frozen here so later changes to the kernel's audit DDL do not rewrite history.
LEGACY_AUDIT_DDL = (
    """
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor       varchar(100) NOT NULL,
    roles       varchar(200) NOT NULL,
    unit        varchar(40) NOT NULL,
    action      varchar(60) NOT NULL,
    resource    varchar(60) NOT NULL,
    resource_id varchar(100),
    request_id  varchar(64),
    outcome     varchar(20) NOT NULL,
    prev_hash   char(64) NOT NULL,
    hash        char(64) NOT NULL
)
""",
    "CREATE INDEX ix_audit_resource ON audit_log (resource, resource_id)",
    "CREATE INDEX ix_audit_actor_at ON audit_log (actor, at)",
    """
CREATE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$
""",
    """
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_immutable()
""",
)
LEGACY_AUDIT_DROP = (
    "DROP TABLE IF EXISTS audit_log",
    "DROP FUNCTION IF EXISTS audit_log_immutable()",
)

revision = "0001_units_persons"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS ltree")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "units",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("search_name", sa.String(200), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("division_type", sa.String(40), nullable=True),
        sa.Column("parent_code", sa.String(40), sa.ForeignKey("units.code"), nullable=True),
        sa.Column("path", Ltree(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column(
            "successor_codes", postgresql.ARRAY(sa.String(40)), nullable=False, server_default="{}"
        ),
        sa.CheckConstraint("level IN ('country','province','district','commune')", name="level"),
    )
    op.execute("CREATE INDEX ix_units_path ON units USING gist (path)")
    op.create_index("ix_units_parent_code", "units", ["parent_code"])
    op.execute("CREATE INDEX ix_units_search_name ON units USING gin (search_name gin_trgm_ops)")
    op.create_table(
        "persons",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("search_name", sa.String(200), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(10), nullable=False),
        sa.Column("national_id_enc", sa.Text(), nullable=True),
        sa.Column("national_id_index", sa.String(64), nullable=True),
        sa.Column(
            "residence_unit_code", sa.String(40), sa.ForeignKey("units.code"), nullable=False
        ),
        sa.Column("residence_address", sa.String(300), nullable=False),
        sa.Column("unit_path", Ltree(), nullable=False),
        sa.Column("current_unit_code", sa.String(40), sa.ForeignKey("units.code"), nullable=True),
        sa.Column("current_address", sa.String(300), nullable=True),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.CheckConstraint("sex IN ('male','female')", name="sex"),
        sa.CheckConstraint("category IN ('illegal_user','addicted')", name="category"),
    )
    op.execute("CREATE INDEX ix_persons_unit_path ON persons USING gist (unit_path)")
    op.execute(
        "CREATE INDEX ix_persons_search_name ON persons USING gin (search_name gin_trgm_ops)"
    )
    op.create_index("ix_persons_created_at_id", "persons", ["created_at", "id"])
    op.create_index(
        "uq_persons_national_id_index",
        "persons",
        ["national_id_index"],
        unique=True,
        postgresql_where=sa.text("national_id_index IS NOT NULL"),
    )
    execute_all(EVENTS_DDL)
    execute_all(LEGACY_AUDIT_DDL)


def downgrade() -> None:
    execute_all(LEGACY_AUDIT_DROP)
    execute_all(EVENTS_DROP)
    op.drop_table("persons")
    op.drop_table("units")
