"""Import jobs (bulk filing from CSV / XLSX, polled while they run), and an index for the
same-name-and-birth look-up the import makes for every row.

Revision ID: 0006_imports
Revises: 0005_person_records
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006_imports"
down_revision = "0005_person_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("file_format", sa.String(10), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("total_rows", sa.Integer(), nullable=True),
        sa.Column("processed_rows", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("valid_rows", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("error_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("warning_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("errors", postgresql.JSONB(), nullable=False, server_default="[]"),
        sa.Column("warnings", postgresql.JSONB(), nullable=False, server_default="[]"),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued','running','succeeded','failed','rejected')", name="status"
        ),
        sa.CheckConstraint("mode IN ('all_or_nothing','valid_rows')", name="mode"),
    )
    op.create_index("ix_import_jobs_created_by", "import_jobs", ["created_by", "created_at"])
    op.create_index("ix_persons_sort_key_birth_year", "persons", ["sort_key", "birth_year"])


def downgrade() -> None:
    op.drop_index("ix_persons_sort_key_birth_year", "persons")
    op.drop_table("import_jobs")
