"""Movements: away and back (the `absent` group), and moves that carry the file to the
receiving commune, which must acknowledge the arrival within the legal time."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_service.movements.models import Movement
from registry_service.movements.schemas import MovementCreate, MovementKind, MovementRead
from registry_service.persons.models import Person
from registry_service.persons.repository import readable
from registry_service.persons.validation import commune_in_force, record_change
from registry_service.rules import MOVE_NOTICE, in_force
from registry_service.status.models import Absence
from services import audit
from services.auth import Principal
from services.calendar import add_working_days
from services.contracts.payloads.persons import (
    PersonAbsent,
    PersonArrivalAcknowledged,
    PersonMoved,
    PersonMovement,
    PersonReturned,
)
from services.errors import Conflict, NotFound, ValidationProblem
from services.events.outbox import publish
from services.jurisdiction import within_jurisdiction
from services.settings import VN_TZ

MOVEMENT_EVENTS: dict[MovementKind, type[PersonMovement]] = {
    MovementKind.absent: PersonAbsent,
    MovementKind.returned: PersonReturned,
    MovementKind.moved: PersonMoved,
}


def notice_deadline(moved_on: date) -> datetime:
    """When the receiving commune must have the notice, by the rule in force on the day of
    the move: 24 hours from the 2025 law, 5 working days before it."""
    rule = in_force(MOVE_NOTICE, moved_on)
    if rule.working_days:
        last_day = add_working_days(moved_on, rule.working_days)
        return datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=VN_TZ)
    # Hours run from the start of the day of the move, local time.
    return datetime.combine(moved_on, time.min, tzinfo=VN_TZ) + timedelta(hours=rule.hours)


def is_overdue(movement: Movement, now: datetime) -> bool:
    return (
        movement.notify_deadline is not None
        and movement.acknowledged_at is None
        and now > movement.notify_deadline
    )


def to_read(movement: Movement, now: datetime | None = None) -> MovementRead:
    read = MovementRead.model_validate(movement)
    read.overdue = is_overdue(movement, now or datetime.now(UTC))
    return read


async def _open_absence(session: AsyncSession, person_id: uuid.UUID) -> Absence | None:
    return (
        await session.execute(
            select(Absence)
            .where(Absence.person_id == person_id, Absence.ended_on.is_(None))
            .with_for_update()
        )
    ).scalar_one_or_none()


async def _locked_person(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID
) -> Person:
    person = (
        await session.execute(readable(principal).where(Person.id == person_id).with_for_update())
    ).scalar_one_or_none()
    if person is None:
        raise NotFound("Không tìm thấy hồ sơ / Person not found")
    if person.closed_on is not None:
        raise Conflict("Hồ sơ đã đóng / The file is closed", slug="person-closed")
    return person


async def record(
    session: AsyncSession,
    person_id: uuid.UUID,
    body: MovementCreate,
    principal: Principal,
    request_id: str | None,
) -> Movement:
    person = await _locked_person(session, principal, person_id)
    if body.on.year < person.birth_year:
        raise ValidationProblem.field("on", "Trước năm sinh / Before the year of birth")
    movement = Movement(
        person_id=person.id,
        kind=body.kind.value,
        on=body.on,
        from_unit_code=person.residence_unit_code,
        from_unit_path=person.unit_path,
        note=body.note,
        recorded_by=principal.username,
    )
    absence = await _open_absence(session, person.id)
    if body.kind == MovementKind.absent:
        if absence is not None:
            raise Conflict("Đang vắng mặt / Already recorded as absent", slug="already-absent")
        session.add(Absence(person_id=person.id, started_on=body.on))
    elif body.kind == MovementKind.returned:
        if absence is None:
            raise Conflict(
                "Không có lần vắng mặt nào đang mở / Not recorded as absent", slug="not-absent"
            )
        absence.ended_on = max(body.on, absence.started_on)
    else:
        await _move(session, person, movement, body)
        if absence is not None:
            absence.ended_on = max(body.on, absence.started_on)
    session.add(movement)
    await session.flush()
    await record_change(
        session,
        principal,
        person,
        event=MOVEMENT_EVENTS[MovementKind(movement.kind)],
        action=f"movement.{movement.kind}",
        request_id=request_id,
        extra={
            "movement_id": movement.id,
            "kind": movement.kind,
            "on": movement.on,
            "from_unit_code": movement.from_unit_code,
            "destination_unit_code": movement.destination_unit_code,
        },
    )
    return movement


async def _move(
    session: AsyncSession, person: Person, movement: Movement, body: MovementCreate
) -> None:
    """The file follows the person: the receiving commune sees it at once."""
    if not body.destination_unit_code:
        raise ValidationProblem.field(
            "destination_unit_code", "Bắt buộc khi chuyển đi / Required for a move"
        )
    destination = await commune_in_force(
        session, body.destination_unit_code, "destination_unit_code"
    )
    if destination.code == person.residence_unit_code:
        raise ValidationProblem.field(
            "destination_unit_code", "Trùng nơi cư trú hiện tại / Same as the current commune"
        )
    movement.destination_unit_code = destination.code
    movement.destination_unit_path = destination.path
    movement.notify_deadline = notice_deadline(body.on)
    person.residence_unit_code = destination.code
    person.unit_path = destination.path
    person.residence_address = body.destination_address or ""


def incoming(principal: Principal, *, pending: bool) -> Select[Movement]:
    """Moves into the caller's jurisdiction (the receiving commune's inbox)."""
    statement = select(Movement).where(
        Movement.kind == MovementKind.moved.value,
        within_jurisdiction(Movement.destination_unit_path, principal),
        # A move inside one's own jurisdiction needs no acknowledgement from oneself.
        or_(
            ~within_jurisdiction(Movement.from_unit_path, principal),
            Movement.acknowledged_at.is_not(None),
        ),
    )
    if pending:
        statement = statement.where(Movement.acknowledged_at.is_(None))
    return statement


async def acknowledge(
    session: AsyncSession, movement_id: uuid.UUID, principal: Principal, request_id: str | None
) -> Movement:
    movement = (
        await session.execute(
            select(Movement)
            .where(
                Movement.id == movement_id,
                Movement.kind == MovementKind.moved.value,
                within_jurisdiction(Movement.destination_unit_path, principal),
            )
            .with_for_update()
        )
    ).scalar_one_or_none()
    if movement is None:
        raise NotFound("Không tìm thấy lần chuyển đến / Movement not found")
    if movement.acknowledged_at is not None:
        raise Conflict("Đã xác nhận / Already acknowledged", slug="already-acknowledged")
    movement.acknowledged_at = datetime.now(UTC)
    movement.acknowledged_by = principal.username
    await publish(
        session,
        PersonArrivalAcknowledged(
            person_id=movement.person_id,
            movement_id=movement.id,
            on=movement.acknowledged_at.date(),
            late=is_overdue(movement, movement.acknowledged_at),
        ),
        subject=str(movement.person_id),
        unit=movement.destination_unit_code,
    )
    await audit.record(
        session,
        principal,
        action="movement.acknowledge",
        resource="person",
        resource_id=str(movement.person_id),
        request_id=request_id,
    )
    return movement
