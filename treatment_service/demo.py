"""Demo data for `make run`: Hải Phòng's facilities and methadone sites with their 2024 plan.

Source: seed 004, the Hải Phòng labour department's 2024 plan (part II.1): the three
facilities with their quotas per modality (II.1.1) and the five substitution-therapy sites the
facilities run (II.1.2). Ids are fixed (uuid5 of the name) so seeding twice changes nothing
and the gateway's demo facility officer can be bound to a known facility.

Call `await seed_demo(session)` (then commit) against the treatment database, or
`python -m treatment_service.demo <database_url>`.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from dataclasses import dataclass, field

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.contracts.treatment import FacilityKind, Modality
from services.db import Database
from treatment_service.facilities.models import Facility

NAMESPACE = uuid.UUID("6f1c8f0e-1d55-4d1b-9c7e-31a1b2c3d004")
HAI_PHONG = ("31", "VN.31")


@dataclass(frozen=True)
class DemoFacility:
    key: str
    name: str
    kind: FacilityKind
    capacities: dict[Modality, int]
    parent: str | None = None
    sites: tuple[str, ...] = field(default_factory=tuple)

    @property
    def id(self) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, self.key)


M = Modality
DEMO_FACILITIES: tuple[DemoFacility, ...] = (
    DemoFacility(
        "co-so-2",
        "Cơ sở cai nghiện ma túy số 2",
        FacilityKind.rehab_centre,
        {
            M.compulsory: 300,
            M.voluntary_facility: 200,
            M.temporary_no_residence: 20,
            M.awaiting_compulsory: 10,
            M.addiction_assessment: 100,
            M.voluntary_home_community: 300,
        },
    ),
    DemoFacility(
        "gia-minh",
        "Cơ sở cai nghiện ma túy Gia Minh",
        FacilityKind.rehab_centre,
        {
            M.compulsory: 350,
            M.voluntary_facility: 350,
            M.addiction_assessment: 100,
            M.voluntary_home_community: 50,
        },
    ),
    DemoFacility(
        "thanh-xuan",
        "Trường Lao động - Xã hội Thanh Xuân",
        FacilityKind.rehab_centre,
        # The plan's 30 compulsory places are for women.
        {
            M.compulsory: 30,
            M.voluntary_facility: 120,
            M.temporary_no_residence: 50,
            M.addiction_assessment: 40,
        },
    ),
    # Substitution therapy: 590 people at facility no. 2's three sites, 500 at Thanh Xuân's two.
    DemoFacility(
        "tien-lang",
        "Cơ sở điều trị Methadone huyện Tiên Lãng",
        FacilityKind.dispensing_site,
        {M.substitution: 120},
        parent="co-so-2",
    ),
    DemoFacility(
        "vinh-bao",
        "Cơ sở điều trị Methadone huyện Vĩnh Bảo",
        FacilityKind.dispensing_site,
        {M.substitution: 120},
        parent="co-so-2",
    ),
    DemoFacility(
        "kien-an",
        "Cơ sở điều trị Methadone quận Kiến An",
        FacilityKind.dispensing_site,
        {M.substitution: 350},
        parent="co-so-2",
    ),
    DemoFacility(
        "truong-thanh-xuan",
        "Cơ sở điều trị thay thế tại Trường Thanh Xuân",
        FacilityKind.dispensing_site,
        {M.substitution: 250},
        parent="thanh-xuan",
    ),
    DemoFacility(
        "hoa-binh-thuy-nguyen",
        "Cơ sở điều trị thay thế tại xã Hoà Bình, huyện Thủy Nguyên",
        FacilityKind.dispensing_site,
        {M.substitution: 250},
        parent="thanh-xuan",
    ),
)
DEMO_IDS = {f.key: f.id for f in DEMO_FACILITIES}


async def seed_demo(session: AsyncSession) -> None:
    """Insert or refresh the demo facilities (parents first, for the foreign key)."""
    for demo in DEMO_FACILITIES:
        values = {
            "id": demo.id,
            "name": demo.name,
            "kind": demo.kind.value,
            "unit_code": HAI_PHONG[0],
            "unit_path": HAI_PHONG[1],
            "parent_id": DEMO_IDS[demo.parent] if demo.parent else None,
            "capacities": {m.value: n for m, n in demo.capacities.items()},
            "created_by": "demo",
        }
        statement = insert(Facility).values(**values)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[Facility.id],
                set_={k: statement.excluded[k] for k in values if k != "id"},
            )
        )


async def _main(database_url: str) -> None:
    database = Database(database_url, pool_size=1)
    try:
        async with database.sessions() as session:
            await seed_demo(session)
            await session.commit()
    finally:
        await database.dispose()


if __name__ == "__main__":
    asyncio.run(_main(sys.argv[1]))
