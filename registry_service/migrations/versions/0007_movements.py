"""Movements: absences, returns and moves with the receiving commune's acknowledgement.

Revision ID: 0007_movements
Revises: 0006_imports
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.db import Ltree

revision = "0007_movements"
down_revision = "0006_imports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "movements",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "person_id",
            sa.Uuid(),
            sa.ForeignKey("persons.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("from_unit_code", sa.String(40), nullable=False),
        sa.Column("from_unit_path", Ltree(), nullable=False),
        sa.Column("destination_unit_code", sa.String(40), nullable=True),
        sa.Column("destination_unit_path", Ltree(), nullable=True),
        sa.Column("note", sa.String(1000), nullable=True),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column(
            "recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("notify_deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(100), nullable=True),
        sa.CheckConstraint("kind IN ('absent','returned','moved')", name="kind"),
        sa.CheckConstraint(
            "kind <> 'moved' OR destination_unit_code IS NOT NULL", name="destination"
        ),
    )
    op.execute(
        "CREATE INDEX ix_movements_destination ON movements USING gist (destination_unit_path) WHERE kind = 'moved'"
    )
    op.create_index("ix_movements_recorded", "movements", ["recorded_at", "id"])


def downgrade() -> None:
    op.drop_table("movements")
