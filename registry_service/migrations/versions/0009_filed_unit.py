"""Persons filed under a pre-reform commune keep that code beside its current successor.

Revision ID: 0009_filed_unit
Revises: 0008_pre_reform_units
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_filed_unit"
down_revision = "0008_pre_reform_units"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "persons",
        sa.Column("filed_unit_code", sa.String(40), sa.ForeignKey("units.code"), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("persons", "filed_unit_code")
