"""Load the pre-reform unit tree (63 provinces, 696 districts, 10,051 communes, valid until
30 June 2025, codes prefixed `O`) with each old unit's successors in the current tree, and a
table of administrators' corrections to that mapping.

Revision ID: 0008_pre_reform_units
Revises: 0007_movements
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from registry_service.units.pre_reform import pre_reform_rows

revision = "0008_pre_reform_units"
down_revision = "0007_movements"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.get_bind().execute(
        sa.text(
            "INSERT INTO units (code, name, search_name, level, division_type, parent_code, path, "
            "valid_from, valid_to, successor_codes) VALUES (:code, :name, :search_name, :level, "
            ":division_type, :parent_code, CAST(:path AS ltree), :valid_from, :valid_to, "
            ":successor_codes)"
        ),
        [dict(row) for row in pre_reform_rows()],
    )
    op.create_table(
        "unit_successor_corrections",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("code", sa.String(40), sa.ForeignKey("units.code"), nullable=False, index=True),
        sa.Column("previous_codes", postgresql.ARRAY(sa.String(40)), nullable=False),
        sa.Column("successor_codes", postgresql.ARRAY(sa.String(40)), nullable=False),
        sa.Column("corrected_by", sa.String(100), nullable=False),
        sa.Column(
            "corrected_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("note", sa.String(500), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("unit_successor_corrections")
    op.execute("DELETE FROM units WHERE valid_to IS NOT NULL AND code LIKE 'O%'")
