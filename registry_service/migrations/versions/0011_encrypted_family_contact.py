"""The family contact (a third person's name and phone) is stored encrypted.

The plaintext column stays for rows written before; `python -m registry_service.persons.rotation`
encrypts them and clears it (the migration cannot: it has no key).

Revision ID: 0011_encrypted_family_contact
Revises: 0010_sort_key_index
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_encrypted_family_contact"
down_revision = "0010_sort_key_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("persons", sa.Column("family_contact_enc", sa.Text(), nullable=True))
    op.execute("UPDATE persons SET family_contact = NULL WHERE family_contact = 'null'::jsonb")


def downgrade() -> None:
    op.drop_column("persons", "family_contact_enc")
