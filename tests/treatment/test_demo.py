"""The demo data of `make run`: Hải Phòng's 2024 facilities and methadone sites (seed 004)."""

from __future__ import annotations

import asyncio

from deploy.local.stack import Stack
from gateway.seed import DEMO_FACILITY_ID, DEMO_USERS
from services.db import Database
from tests.support import Api, db_scalar
from treatment_service.demo import DEMO_IDS, seed_demo


def _seed(stack: Stack) -> None:
    async def run() -> None:
        database = Database(stack.config.database_url("treatment"), pool_size=1)
        try:
            async with database.sessions() as session:
                await seed_demo(session)
                await session.commit()
        finally:
            await database.dispose()

    asyncio.run(run())


def test_seeding_twice_gives_the_plan_once(stack: Stack, facility_staff: Api) -> None:
    _seed(stack)
    _seed(stack)
    ids = [str(i) for i in DEMO_IDS.values()]
    count = db_scalar(
        stack.config, "treatment", "SELECT count(*) FROM facilities WHERE id::text = ANY($1)", ids
    )
    assert count == 8
    centre = facility_staff.get(f"/api/treatment/facilities/{DEMO_IDS['co-so-2']}").json()
    assert centre["capacities"] == {
        "compulsory": 300,
        "voluntary_facility": 200,
        "temporary_no_residence": 20,
        "awaiting_compulsory": 10,
        "addiction_assessment": 100,
        "voluntary_home_community": 300,
    }
    sites = facility_staff.get(
        "/api/treatment/facilities", params={"kind": "dispensing_site", "limit": 500}
    ).json()["items"]
    demo_sites = [s for s in sites if s["id"] in ids]
    assert sorted(s["capacities"]["substitution"] for s in demo_sites) == [120, 120, 250, 250, 350]
    # Facility no. 2 runs 590 places of substitution therapy at its three sites.
    under_2 = [s for s in demo_sites if s["parent_id"] == str(DEMO_IDS["co-so-2"])]
    assert sum(s["capacities"]["substitution"] for s in under_2) == 590
    occupancy = facility_staff.get(
        f"/api/treatment/facilities/{DEMO_IDS['kien-an']}/occupancy", params={"year": 2024}
    ).json()
    assert occupancy["modalities"] == [
        {
            "modality": "substitution",
            "capacity": 350,
            "active": 0,
            "free": 350,
            "admitted_this_year": 0,
        }
    ]


def test_the_demo_facility_officer_works_at_a_demo_facility() -> None:
    assert DEMO_IDS["co-so-2"] == DEMO_FACILITY_ID
    officer = next(u for u in DEMO_USERS if u.username == "coso.haiphong")
    assert officer.facility_id == DEMO_IDS["co-so-2"]
