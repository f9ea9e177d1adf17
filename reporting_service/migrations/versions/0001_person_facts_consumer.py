"""Person facts, the feed consumer's cursor and processed events, and the outbox.

Revision ID: 0001_person_facts
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.db import Ltree
from services.events.consumer import CONSUMER_DDL, CONSUMER_DROP
from services.events.outbox import EVENTS_DDL, EVENTS_DROP
from services.migrations import execute_all

revision = "0001_person_facts"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS ltree")
    op.create_table(
        "person_facts",
        sa.Column("person_id", sa.Uuid(), primary_key=True),
        sa.Column("unit_code", sa.String(40), nullable=False),
        sa.Column("unit_path", Ltree(), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("sex", sa.String(10), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.execute("CREATE INDEX ix_person_facts_unit_path ON person_facts USING gist (unit_path)")
    execute_all(CONSUMER_DDL)
    execute_all(EVENTS_DDL)


def downgrade() -> None:
    execute_all(EVENTS_DROP)
    execute_all(CONSUMER_DROP)
    op.drop_table("person_facts")
