"""The commitment signer's phone is stored encrypted (bound to its row, like every
encrypted value from now on); scans are encrypted in place in `documents.content`.

The plaintext `signer_phone` column stays for rows written before; the rotation tool
(`python -m registry_service.persons.rotation`) encrypts those phones and clears it, and
encrypts the scans stored in clear (the migration cannot: it has no key).

Revision ID: 0016_minimised_data
Revises: 0013_feed_quarantine
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_minimised_data"
down_revision = "0013_feed_quarantine"
branch_labels = None
depends_on = None


MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
# A sealed scan is the scan plus "v2:<kid>:", a 12-byte nonce and a 16-byte tag.
SEALING_BYTES = 100
SIZE = "ck_documents_ck_document_size"


def upgrade() -> None:
    op.add_column("person_commitments", sa.Column("signer_phone_enc", sa.Text(), nullable=True))
    # size_bytes stays the scan's own size; the stored bytes are that or a little more.
    op.execute(f"ALTER TABLE documents DROP CONSTRAINT {SIZE}")
    op.execute(
        f"ALTER TABLE documents ADD CONSTRAINT {SIZE} CHECK ("
        f"size_bytes BETWEEN 1 AND {MAX_DOCUMENT_BYTES} AND "
        f"octet_length(content) BETWEEN size_bytes AND size_bytes + {SEALING_BYTES})"
    )


def downgrade() -> None:
    op.execute(f"ALTER TABLE documents DROP CONSTRAINT {SIZE}")
    # NOT VALID: scans encrypted since the upgrade stay (the older code cannot read them).
    op.execute(
        f"ALTER TABLE documents ADD CONSTRAINT {SIZE} CHECK ("
        f"size_bytes = octet_length(content) AND size_bytes BETWEEN 1 AND {MAX_DOCUMENT_BYTES}"
        ") NOT VALID"
    )
    # Phones written since the upgrade exist only encrypted: a downgrade drops them.
    op.drop_column("person_commitments", "signer_phone_enc")
