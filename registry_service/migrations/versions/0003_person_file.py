"""The complete person file: other names, birth year, phone, statistics fields, family
contact, management period, notes, soft close, identifier history, partial-number index.

Revision ID: 0003_person_file
Revises: 0002_current_units
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003_person_file"
down_revision = "0002_current_units"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "persons",
        sa.Column(
            "other_names", postgresql.ARRAY(sa.String(200)), nullable=False, server_default="{}"
        ),
    )
    op.add_column(
        "persons", sa.Column("sort_key", sa.String(300), nullable=False, server_default="")
    )
    op.add_column("persons", sa.Column("birth_year", sa.Integer(), nullable=True))
    op.execute("UPDATE persons SET birth_year = extract(year FROM date_of_birth)")
    op.alter_column("persons", "birth_year", nullable=False)
    op.alter_column("persons", "date_of_birth", nullable=True)
    op.alter_column("persons", "search_name", type_=sa.String(700))
    op.add_column("persons", sa.Column("phone_enc", sa.Text(), nullable=True))
    op.add_column(
        "persons",
        sa.Column(
            "number_suffixes", postgresql.ARRAY(sa.String(16)), nullable=False, server_default="{}"
        ),
    )
    op.add_column("persons", sa.Column("ethnicity", sa.String(100), nullable=True))
    op.add_column("persons", sa.Column("education", sa.String(100), nullable=True))
    op.add_column("persons", sa.Column("occupation", sa.String(100), nullable=True))
    op.add_column("persons", sa.Column("family_contact", postgresql.JSONB(), nullable=True))
    op.add_column("persons", sa.Column("management_start", sa.Date(), nullable=True))
    op.add_column("persons", sa.Column("management_end", sa.Date(), nullable=True))
    op.add_column("persons", sa.Column("notes", sa.Text(), nullable=True))
    op.add_column("persons", sa.Column("closed_on", sa.Date(), nullable=True))
    op.add_column("persons", sa.Column("closed_reason", sa.String(500), nullable=True))
    op.create_check_constraint(
        "birth_year_matches",
        "persons",
        "date_of_birth IS NULL OR birth_year = extract(year FROM date_of_birth)",
    )
    op.execute("CREATE INDEX ix_persons_number_suffixes ON persons USING gin (number_suffixes)")
    op.create_index("ix_persons_management_end", "persons", ["management_end"])
    op.create_index("ix_persons_birth_year", "persons", ["birth_year"])
    op.create_table(
        "person_identifiers",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column(
            "person_id",
            sa.Uuid(),
            sa.ForeignKey("persons.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("value_enc", sa.Text(), nullable=False),
        sa.Column("value_index", sa.String(64), nullable=False, index=True),
        sa.Column(
            "valid_from", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_by", sa.String(100), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("person_identifiers")
    op.drop_index("ix_persons_birth_year", "persons")
    op.drop_index("ix_persons_management_end", "persons")
    op.execute("DROP INDEX ix_persons_number_suffixes")
    op.drop_constraint("ck_persons_birth_year_matches", "persons")
    for column in (
        "closed_reason",
        "closed_on",
        "notes",
        "management_end",
        "management_start",
        "family_contact",
        "occupation",
        "education",
        "ethnicity",
        "number_suffixes",
        "phone_enc",
    ):
        op.drop_column("persons", column)
    op.execute("DELETE FROM persons WHERE date_of_birth IS NULL")
    op.alter_column("persons", "date_of_birth", nullable=False)
    op.alter_column("persons", "search_name", type_=sa.String(200))
    op.drop_column("persons", "birth_year")
    op.drop_column("persons", "sort_key")
    op.drop_column("persons", "other_names")
