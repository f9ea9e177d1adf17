"""Treatment episodes, their transitions, methadone doses, drug tests, flags, compulsory dossiers (the audit log is 0002_audit).

Revision ID: 0004_episodes
Revises: 0003_idempotency
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from services.db import Ltree

revision = "0004_episodes"
down_revision = "0003_idempotency"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "episodes",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("person_unit_code", sa.String(40), nullable=False),
        sa.Column("person_unit_path", Ltree(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), sa.ForeignKey("facilities.id"), nullable=True),
        sa.Column("facility_unit_path", Ltree(), nullable=True),
        sa.Column("modality", sa.String(40), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("decision_number", sa.String(100), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("planned_end_date", sa.Date(), nullable=True),
        sa.Column("minor_case", sa.String(40), nullable=True),
        sa.Column("rule_law", sa.String(40), nullable=False),
        sa.Column("rule_article", sa.String(40), nullable=True),
        sa.Column("admitted_on", sa.Date(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("transferred_from_id", sa.Uuid(), sa.ForeignKey("episodes.id"), nullable=True),
        sa.Column("last_sequence", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.CheckConstraint("state IN ('registered', 'admitted', 'active', 'ended')", name="state"),
        sa.CheckConstraint("(state = 'ended') = (outcome IS NOT NULL)", name="outcome_when_ended"),
    )
    # No two open episodes for one person: a transfer ends the old one before opening the next.
    op.execute(
        "CREATE UNIQUE INDEX uq_episodes_open_person ON episodes (person_id) WHERE state <> 'ended'"
    )
    op.create_index("ix_episodes_person_id", "episodes", ["person_id"])
    # Occupancy counts from these two alone (index-only scans): places taken per modality, and
    # the year's admissions per modality. Not partial: a parameterised `state IN (...)` cannot
    # prove a partial index's predicate.
    op.create_index("ix_episodes_facility_state", "episodes", ["facility_id", "state", "modality"])
    op.create_index(
        "ix_episodes_facility_admitted", "episodes", ["facility_id", "admitted_on", "modality"]
    )
    op.create_index("ix_episodes_created_at_id", "episodes", ["created_at", "id"])
    op.create_index(
        "ix_episodes_planned_end_open",
        "episodes",
        ["planned_end_date"],
        postgresql_where=sa.text("state <> 'ended'"),
    )
    op.execute(
        "CREATE INDEX ix_episodes_person_unit_path ON episodes USING gist (person_unit_path)"
    )
    op.execute(
        "CREATE INDEX ix_episodes_facility_unit_path ON episodes USING gist (facility_unit_path)"
    )
    op.create_table(
        "episode_transitions",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("episode_id", sa.Uuid(), sa.ForeignKey("episodes.id"), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("from_state", sa.String(20), nullable=True),
        sa.Column("to_state", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=True),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=True),
        sa.Column("backdate_reason", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.UniqueConstraint("episode_id", "sequence", name="uq_episode_transitions_episode_id"),
    )
    op.create_table(
        "doses",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("episode_id", sa.Uuid(), sa.ForeignKey("episodes.id"), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dose_mg", sa.Numeric(6, 1), nullable=False),
        sa.Column("given_by", sa.String(100), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=True),
        sa.Column("change_reason", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.CheckConstraint("dose_mg > 0", name="dose_positive"),
        # Methadone is taken once a day, observed: a second dose the same day is a mistake.
        sa.UniqueConstraint("episode_id", "given_on", name="uq_doses_episode_id"),
    )
    op.create_index("ix_doses_facility_given_on", "doses", ["facility_id", "given_on"])
    op.create_table(
        "episode_drug_tests",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("episode_id", sa.Uuid(), sa.ForeignKey("episodes.id"), nullable=False),
        sa.Column("tested_on", sa.Date(), nullable=False),
        sa.Column("result", sa.String(20), nullable=False),
        sa.Column("substances", postgresql.ARRAY(sa.String(100)), nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.create_index("ix_episode_drug_tests_episode_id", "episode_drug_tests", ["episode_id"])
    op.create_table(
        "flags",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("episode_id", sa.Uuid(), sa.ForeignKey("episodes.id"), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("person_unit_code", sa.String(40), nullable=False),
        sa.Column("person_unit_path", Ltree(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=True),
        sa.Column("facility_unit_path", Ltree(), nullable=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("detail", postgresql.JSONB(), nullable=False, server_default="{}"),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    # One open flag per episode and kind: a streak that goes on is the same flag.
    op.execute(
        "CREATE UNIQUE INDEX uq_flags_open_episode_kind ON flags (episode_id, kind) "
        "WHERE state = 'open'"
    )
    op.create_index("ix_flags_created_at_id", "flags", ["created_at", "id"])
    op.execute("CREATE INDEX ix_flags_person_unit_path ON flags USING gist (person_unit_path)")
    op.create_table(
        "dossiers",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("person_unit_code", sa.String(40), nullable=False),
        sa.Column("person_unit_path", Ltree(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("minor", sa.Boolean(), nullable=False),
        sa.Column("no_stable_residence", sa.Boolean(), nullable=False),
        sa.Column("steps", postgresql.JSONB(), nullable=False, server_default="{}"),
        sa.Column("next_due_on", sa.Date(), nullable=True),
        sa.Column("decision_number", sa.String(100), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("months", sa.Integer(), nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.Column("episode_id", sa.Uuid(), sa.ForeignKey("episodes.id"), nullable=True),
        sa.Column("last_sequence", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    # One dossier in preparation per person.
    op.execute(
        "CREATE UNIQUE INDEX uq_dossiers_open_person ON dossiers (person_id) "
        "WHERE state IN ('draft', 'complete', 'submitted', 'decided')"
    )
    op.create_index("ix_dossiers_next_due_on", "dossiers", ["next_due_on"])
    op.create_index("ix_dossiers_created_at_id", "dossiers", ["created_at", "id"])
    op.execute(
        "CREATE INDEX ix_dossiers_person_unit_path ON dossiers USING gist (person_unit_path)"
    )
    op.create_table(
        "dossier_documents",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("dossier_id", sa.Uuid(), sa.ForeignKey("dossiers.id"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("reference", sa.String(300), nullable=False),
        sa.Column("dated_on", sa.Date(), nullable=False),
        sa.Column("added_by", sa.String(100), nullable=False),
        sa.Column(
            "added_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.create_index("ix_dossier_documents_dossier_id", "dossier_documents", ["dossier_id"])
    op.create_table(
        "dossier_history",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("dossier_id", sa.Uuid(), sa.ForeignKey("dossiers.id"), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("from_state", sa.String(20), nullable=True),
        sa.Column("to_state", sa.String(20), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.UniqueConstraint("dossier_id", "sequence", name="uq_dossier_history_dossier_id"),
    )


def downgrade() -> None:
    op.drop_table("dossier_history")
    op.drop_table("dossier_documents")
    op.drop_table("dossiers")
    op.drop_table("flags")
    op.drop_table("episode_drug_tests")
    op.drop_table("doses")
    op.drop_table("episode_transitions")
    op.drop_table("episodes")
