"""Atomic login throttles: one counter row per key, replacing the racy failure log.

Revision ID: 0002_auth_throttles
Revises: 0001_identity
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_auth_throttles"
down_revision = "0001_identity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "auth_throttles",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
    )
    op.drop_table("login_failures")


def downgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("username", sa.String(100), nullable=False, index=True),
        sa.Column("remote_addr", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.drop_table("auth_throttles")
