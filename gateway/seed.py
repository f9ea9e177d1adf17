"""Demo users and clients for development and tests. Refused in production."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.identity.models import ApiClient, User
from gateway.identity.passwords import hash_password

DEMO_PASSWORD = "CaiNghien@2026"  # noqa: S105 - a documented demo password, dev only


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    roles: tuple[str, ...]
    jurisdiction: str
    jurisdiction_path: str
    note: str
    facility_id: uuid.UUID | None = None


# The demo facility officer works at Hải Phòng's rehabilitation centre no. 2 (seed 004), which
# treatment's demo data files under this fixed id (uuid5 of its key; tests check they agree).
DEMO_FACILITY_ID = uuid.uuid5(uuid.UUID("6f1c8f0e-1d55-4d1b-9c7e-31a1b2c3d004"), "co-so-2")


DEMO_USERS = (
    DemoUser("admin", "Quản trị hệ thống", ("admin",), "VN", "VN", "quản trị, toàn quốc"),
    DemoUser(
        "tinh.hungyen",
        "Cán bộ tỉnh Hưng Yên",
        ("province_officer",),
        "33",
        "VN.33",
        "cán bộ tỉnh Hưng Yên (33)",
    ),
    DemoUser(
        "xa.phohien",
        "Công an phường Phố Hiến",
        ("commune_police",),
        "11953",
        "VN.33.11953",
        "công an phường Phố Hiến (11953)",
    ),
    DemoUser(
        "xa.hongchau",
        "Cán bộ phường Hồng Châu",
        ("commune_officer",),
        "11980",
        "VN.33.11980",
        "cán bộ phường Hồng Châu (11980)",
    ),
    DemoUser(
        "coso.haiphong",
        "Cán bộ cơ sở cai nghiện Hải Phòng",
        ("facility_staff",),
        "31",
        "VN.31",
        "cán bộ cơ sở cai nghiện, Hải Phòng (31)",
        facility_id=DEMO_FACILITY_ID,
    ),
    DemoUser(
        "tnv.phohien",
        "Tình nguyện viên Phố Hiến",
        ("supervisor",),
        "11953",
        "VN.33.11953",
        "tình nguyện viên hỗ trợ sau cai, Phố Hiến (11953)",
    ),
)

AGENCY_CLIENTS = (
    ("province-hungyen", "Hệ thống UBND tỉnh Hưng Yên", ("targets:write",), "33", "VN.33"),
)
# Services call one another only to read event feeds. Service clients stay on `/auth/token`
# (services reach the gateway on the same listener as everyone else), so each is limited to
# that one scope and has its own secret: a leaked secret reads feeds as one service, and can
# never act as an officer or an agency.
# What each service may ask of the others, and nothing more: every service reads feeds; the
# two that file things about a person ask the registry where that person is filed.
FEED_SCOPES = ("events:read",)
SERVICE_SCOPES: dict[str, tuple[str, ...]] = {
    "registry-service": FEED_SCOPES,
    "treatment-service": (*FEED_SCOPES, "persons:read"),
    "aftercare-service": (*FEED_SCOPES, "persons:read"),
    "reporting-service": FEED_SCOPES,
}
# Demo users and agency clients: refused at login in production (gateway/identity/service.py).
DEMO_ACCOUNTS = frozenset(
    [demo.username for demo in DEMO_USERS] + [client[0] for client in AGENCY_CLIENTS]
)


async def _upsert_client(
    session: AsyncSession,
    client_id: str,
    name: str,
    secret: str,
    scopes: tuple[str, ...],
    jurisdiction: str,
    path: str,
) -> None:
    client = await session.get(ApiClient, client_id)
    if client is None:
        client = ApiClient(client_id=client_id)
        session.add(client)
    client.name = name
    client.secret_hash = hash_password(secret)
    client.scopes = list(scopes)
    client.jurisdiction = jurisdiction
    client.jurisdiction_path = path
    client.active = True


async def seed_service_clients(session: AsyncSession, secrets: Mapping[str, str]) -> None:
    """Our own services' credentials, one secret each (client id → secret): needed in every
    environment."""
    for client_id, secret in secrets.items():
        scopes = SERVICE_SCOPES.get(client_id, FEED_SCOPES)
        await _upsert_client(session, client_id, client_id, secret, scopes, "VN", "VN")


async def seed_demo(session: AsyncSession, *, environment: str) -> None:
    if environment == "production":
        raise RuntimeError("demo users are never created in production")
    password_hash = hash_password(DEMO_PASSWORD)
    for demo in DEMO_USERS:
        user = (
            await session.execute(select(User).where(User.username == demo.username))
        ).scalar_one_or_none()
        if user is None:
            user = User(username=demo.username)
            session.add(user)
        user.full_name = demo.full_name
        user.password_hash = password_hash
        user.roles = list(demo.roles)
        user.facility_id = demo.facility_id
        user.jurisdiction = demo.jurisdiction
        user.jurisdiction_path = demo.jurisdiction_path
        user.active = True
    for client_id, name, scopes, jurisdiction, path in AGENCY_CLIENTS:
        await _upsert_client(session, client_id, name, DEMO_PASSWORD, scopes, jurisdiction, path)
