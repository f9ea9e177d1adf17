"""Load the current (from 1 July 2025) unit tree from the vietnam-provinces package.

34 provinces and 3,321 communes under a root `VN`; official codes as they are (provinces
two digits, communes five). Paths are ltree: VN.<province>.<commune>.

Revision ID: 0002_current_units
Revises: 0001_units_persons
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

from services.text import search_key

revision = "0002_current_units"
down_revision = "0001_units_persons"
branch_labels = None
depends_on = None

REFORM_DATE = date(2025, 7, 1)


def _rows() -> list[dict[str, object]]:
    from vietnam_provinces import Province, Ward

    rows: list[dict[str, object]] = [
        {
            "code": "VN",
            "name": "Việt Nam",
            "level": "country",
            "division_type": None,
            "parent_code": None,
            "path": "VN",
            "valid_from": None,
        },
    ]
    for province in Province.iter_all():
        code = f"{int(province.code):02d}"
        rows.append(
            {
                "code": code,
                "name": province.name,
                "level": "province",
                "division_type": province.division_type.value,
                "parent_code": "VN",
                "path": f"VN.{code}",
                "valid_from": REFORM_DATE,
            }
        )
    for ward in Ward.iter_all():
        code = f"{int(ward.code):05d}"
        parent = f"{int(ward.province_code):02d}"
        rows.append(
            {
                "code": code,
                "name": ward.name,
                "level": "commune",
                "division_type": ward.division_type.value,
                "parent_code": parent,
                "path": f"VN.{parent}.{code}",
                "valid_from": REFORM_DATE,
            }
        )
    for row in rows:
        row["search_name"] = search_key(str(row["name"]))
    return rows


def upgrade() -> None:
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "INSERT INTO units (code, name, search_name, level, division_type, parent_code, path, valid_from) "
            "VALUES (:code, :name, :search_name, :level, :division_type, :parent_code, "
            "CAST(:path AS ltree), :valid_from)"
        ),
        _rows(),
    )


def downgrade() -> None:
    op.execute("DELETE FROM units WHERE valid_from = DATE '2025-07-01' OR code = 'VN'")
