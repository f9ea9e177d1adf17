"""After-care cases, their supervisors' assignments, contacts, supports and relapses;
supervisors' logins (the feed consumer's tables are 0004's).

Revision ID: 0005_cases
Revises: 0004_unit_consumer
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.db import Ltree

revision = "0005_cases"
down_revision = "0004_unit_consumer"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("episode_id", sa.Uuid(), nullable=True),
        sa.Column("unit_code", sa.String(40), nullable=False),
        sa.Column("unit_path", Ltree(), nullable=False),
        sa.Column("modality", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("term_years", sa.Integer(), nullable=False),
        sa.Column("file_due_on", sa.Date(), nullable=False),
        sa.Column("decision_due_on", sa.Date(), nullable=False),
        sa.Column("rule_law", sa.String(40), nullable=False),
        sa.Column("rule_article", sa.String(40), nullable=True),
        sa.Column("next_contact_due", sa.Date(), nullable=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("close_reason", sa.String(20), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        # One case per completed episode: what makes replays and restarts harmless.
        sa.UniqueConstraint("episode_id", name="uq_cases_episode_id"),
        sa.CheckConstraint("state IN ('open', 'closed')", name="ck_cases_state"),
    )
    op.execute("CREATE INDEX ix_cases_unit_path ON cases USING gist (unit_path)")
    op.create_index("ix_cases_person_id", "cases", ["person_id"])
    op.create_index("ix_cases_created_at_id", "cases", ["created_at", "id"])
    op.create_table(
        "case_assignments",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("case_id", sa.Uuid(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("supervisor_id", sa.Uuid(), sa.ForeignKey("supervisors.id"), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("assigned_by", sa.String(100), nullable=False),
        sa.Column("ended_by", sa.String(100), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.create_index("ix_case_assignments_case_id", "case_assignments", ["case_id"])
    # A supervisor holds a case once at a time; their current load is counted from here.
    op.create_index(
        "uq_case_assignments_current",
        "case_assignments",
        ["supervisor_id", "case_id"],
        unique=True,
        postgresql_where=sa.text("ended_on IS NULL"),
    )
    _records()
    # A supervisor's login (the gateway user), for their own caseload.
    op.add_column("supervisors", sa.Column("username", sa.String(100), nullable=True))
    op.create_index("uq_supervisors_username", "supervisors", ["username"], unique=True)


def _records() -> None:
    """Contacts, supports and relapses: each read through its case."""

    def common(name: str, *columns: sa.Column[object]) -> None:
        op.create_table(
            name,
            sa.Column("id", sa.Uuid(), primary_key=True),
            sa.Column("case_id", sa.Uuid(), sa.ForeignKey("cases.id"), nullable=False),
            sa.Column("on", sa.Date(), nullable=False),
            *columns,
            sa.Column("recorded_by", sa.String(100), nullable=False),
            sa.Column(
                "created_at",
                sa.DateTime(timezone=True),
                nullable=False,
                server_default=sa.func.now(),
            ),
        )
        op.create_index(f"ix_{name}_case_id_on", name, ["case_id", "on"])

    common(
        "case_contacts",
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("drug_test_result", sa.String(20), nullable=True),
    )
    common(
        "case_supports",
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("provider", sa.String(200), nullable=True),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=True),
    )
    common(
        "case_relapses",
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("contact_id", sa.Uuid(), sa.ForeignKey("case_contacts.id"), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
    )


def downgrade() -> None:
    op.drop_index("uq_supervisors_username", table_name="supervisors")
    op.drop_column("supervisors", "username")
    op.drop_table("case_relapses")
    op.drop_table("case_supports")
    op.drop_table("case_contacts")
    op.drop_table("case_assignments")
    op.drop_table("cases")
