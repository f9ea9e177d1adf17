"""Facilities and the event outbox.

Revision ID: 0001_facilities
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from services.db import Ltree
from services.events.outbox import EVENTS_DDL, EVENTS_DROP
from services.migrations import execute_all

revision = "0001_facilities"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS ltree")
    op.create_table(
        "facilities",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("unit_code", sa.String(40), nullable=False),
        sa.Column("unit_path", Ltree(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), sa.ForeignKey("facilities.id"), nullable=True),
        sa.Column("capacities", postgresql.JSONB(), nullable=False, server_default="{}"),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.execute("CREATE INDEX ix_facilities_unit_path ON facilities USING gist (unit_path)")
    op.create_index("ix_facilities_created_at_id", "facilities", ["created_at", "id"])
    execute_all(EVENTS_DDL)


def downgrade() -> None:
    execute_all(EVENTS_DROP)
    op.drop_table("facilities")
