"""Imports stage their rows in short transactions: a person row written by an import that is
not yet published carries the job's id and is invisible to every read; the import job keeps
the phase it is in (validating, staging, publishing, done, failed).

Revision ID: 0018_import_staging
Revises: 0017_unit_versions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_import_staging"
down_revision = "0017_unit_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("persons", sa.Column("import_job_id", sa.Uuid(), nullable=True))
    # Partial: published files (all but a running import's) are not in it.
    op.create_index(
        "ix_persons_import_job_id",
        "persons",
        ["import_job_id"],
        postgresql_where=sa.text("import_job_id IS NOT NULL"),
    )
    op.add_column("import_jobs", sa.Column("phase", sa.String(20), nullable=True))
    op.add_column("import_jobs", sa.Column("published_rows", sa.Integer(), nullable=True))


def downgrade() -> None:
    # Unpublished rows of an interrupted import were never visible: they go with the column.
    op.execute("DELETE FROM persons WHERE import_job_id IS NOT NULL")
    op.drop_column("import_jobs", "published_rows")
    op.drop_column("import_jobs", "phase")
    op.drop_index("ix_persons_import_job_id", table_name="persons")
    op.drop_column("persons", "import_job_id")
