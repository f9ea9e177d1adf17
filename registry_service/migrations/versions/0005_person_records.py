"""Records on a person's file: determinations, drug tests, household commitments (with their
scanned documents) and officers' check-ins.

Revision ID: 0005_person_records
Revises: 0004_status_history
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005_person_records"
down_revision = "0004_status_history"
branch_labels = None
depends_on = None

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


def _record_columns() -> list[sa.Column[Any]]:
    """The columns every record shares (registry_service.records.models.RecordMixin)."""
    return [
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "person_id", sa.Uuid(), sa.ForeignKey("persons.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    ]


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "person_determinations",
        *_record_columns(),
        sa.Column("determined_on", sa.Date(), nullable=False),
        sa.Column("clinic", sa.String(200), nullable=False),
        sa.Column("result", sa.String(20), nullable=False),
        sa.Column("substance_group", sa.String(20), nullable=False),
        sa.Column("decision_number", sa.String(50), nullable=True),
        sa.CheckConstraint(
            _in("result", ("addicted", "not_addicted")), name="ck_determination_result"
        ),
        sa.CheckConstraint(
            _in("substance_group", ("opioids", "synthetic", "other")),
            name="ck_determination_substance_group",
        ),
    )
    op.create_index(
        "ix_determinations_person", "person_determinations", ["person_id", "determined_on"]
    )

    op.create_table(
        "person_drug_tests",
        *_record_columns(),
        sa.Column("tested_on", sa.Date(), nullable=False),
        sa.Column("result", sa.String(10), nullable=False),
        sa.Column(
            "substances", postgresql.ARRAY(sa.String(20)), server_default="{}", nullable=False
        ),
        sa.Column("method", sa.String(10), nullable=True),
        sa.CheckConstraint(_in("result", ("positive", "negative")), name="ck_drug_test_result"),
        # A positive test names what was found; a negative one names nothing.
        sa.CheckConstraint(
            "(result = 'positive') = (cardinality(substances) > 0)", name="ck_drug_test_substances"
        ),
    )
    op.create_index("ix_drug_tests_person", "person_drug_tests", ["person_id", "tested_on"])

    op.create_table(
        "documents",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "person_id",
            sa.Uuid(),
            sa.ForeignKey("persons.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(50), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("uploaded_by", sa.String(100), nullable=False),
        sa.Column(
            "uploaded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            f"size_bytes = octet_length(content) AND size_bytes BETWEEN 1 AND {MAX_DOCUMENT_BYTES}",
            name="ck_document_size",
        ),
        sa.CheckConstraint(
            _in("content_type", ("application/pdf", "image/jpeg", "image/png")),
            name="ck_document_content_type",
        ),
    )
    # Scans are already compressed: keep PostgreSQL from trying again.
    op.execute("ALTER TABLE documents ALTER COLUMN content SET STORAGE EXTERNAL")

    op.create_table(
        "person_commitments",
        *_record_columns(),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("signer_name", sa.String(200), nullable=False),
        sa.Column("relationship", sa.String(100), nullable=False),
        sa.Column("signer_phone", sa.String(20), nullable=True),
        sa.Column(
            "document_id",
            sa.Uuid(),
            sa.ForeignKey("documents.id", ondelete="SET NULL"),
            nullable=True,
        ),
    )
    op.create_index("ix_commitments_person", "person_commitments", ["person_id", "signed_on"])

    op.create_table(
        "person_checkins",
        *_record_columns(),
        sa.Column("contacted_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.CheckConstraint(
            _in("kind", ("check_in", "summons", "home_visit", "call")), name="ck_checkin_kind"
        ),
        sa.CheckConstraint(
            _in("outcome", ("present", "absent", "not_reached", "other")),
            name="ck_checkin_outcome",
        ),
    )
    op.create_index("ix_checkins_person", "person_checkins", ["person_id", "contacted_on"])


def downgrade() -> None:
    op.drop_table("person_checkins")
    op.drop_table("person_commitments")
    op.drop_table("documents")
    op.drop_table("person_drug_tests")
    op.drop_table("person_determinations")
