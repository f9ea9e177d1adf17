"""Status history, absences, and the cursors of the treatment and after-care feeds.

Revision ID: 0004_status_history
Revises: 0003_person_file
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.events.consumer import CONSUMER_DDL, CONSUMER_DROP
from services.migrations import execute_all

revision = "0004_status_history"
down_revision = "0003_person_file"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_status_history",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column(
            "person_id", sa.Uuid(), sa.ForeignKey("persons.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="period"),
    )
    op.create_index(
        "ix_status_history_person", "person_status_history", ["person_id", "valid_from"]
    )
    # At most one open period per person.
    op.create_index(
        "uq_status_history_open",
        "person_status_history",
        ["person_id"],
        unique=True,
        postgresql_where=sa.text("valid_to IS NULL"),
    )
    op.execute(
        "INSERT INTO person_status_history (person_id, status, valid_from, source) "
        "SELECT id, status, created_at::date, 'registry' FROM persons"
    )
    op.create_table(
        "person_absences",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column(
            "person_id",
            sa.Uuid(),
            sa.ForeignKey("persons.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
    )
    execute_all(CONSUMER_DDL)


def downgrade() -> None:
    execute_all(CONSUMER_DROP)
    op.drop_table("person_absences")
    op.drop_table("person_status_history")
