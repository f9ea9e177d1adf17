"""Recording methadone doses: one at a time, or a clinic's whole day in a few statements."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services import audit, clock
from services.auth import Principal
from services.contracts.treatment import Modality
from services.errors import Conflict, Forbidden, NotFound, ValidationProblem
from services.settings import VN_TZ
from treatment_service.doses.models import Dose
from treatment_service.doses.schemas import DayResult, DayRowResult, DaySheet, DoseCreate
from treatment_service.episodes import rules
from treatment_service.episodes.models import Episode
from treatment_service.episodes.repository import episodes, facility_only
from treatment_service.episodes.states import EpisodeState
from treatment_service.facilities.models import Facility
from treatment_service.facilities.repository import facilities
from treatment_service.flags.service import flag_missed_doses

# A clock a few minutes ahead on a clinic's tablet is not a dose from the future.
CLOCK_SKEW = timedelta(minutes=5)


def require_dispenser(principal: Principal) -> None:
    """Doses are given where substitution therapy is: the roles that register it."""
    rule = rules.rule_in_force(Modality.substitution, clock.today())
    if not rules.may_register(rule, principal.roles):
        raise Forbidden("Vai trò của bạn không ghi liều / Your role does not record doses")


@dataclass(frozen=True)
class Refusal:
    status: int
    field: str
    detail: str


def check_dose(
    episode: Episode,
    given_at: datetime,
    dose_mg: Decimal,
    previous_mg: Decimal | None,
    change_reason: str | None,
    now: datetime,
) -> Refusal | None:
    """Why this dose cannot be recorded for this episode, or None."""
    if episode.modality != Modality.substitution.value:
        return Refusal(409, "episode_id", "Không điều trị thay thế / Not in substitution therapy")
    if episode.state != EpisodeState.active.value:
        return Refusal(409, "episode_id", "Chưa/không còn điều trị / Not in treatment")
    if given_at > now + CLOCK_SKEW:
        return Refusal(422, "given_at", "Thời điểm trong tương lai / A time in the future")
    if episode.started_on and given_at.astimezone(VN_TZ).date() < episode.started_on:
        return Refusal(422, "given_at", "Trước ngày bắt đầu điều trị / Before treatment started")
    if previous_mg is not None and previous_mg != dose_mg and not change_reason:
        return Refusal(
            422,
            "change_reason",
            f"Liều đổi từ {previous_mg} mg cần lý do / "
            f"A change from {previous_mg} mg needs a reason",
        )
    return None


async def _previous_doses(
    session: AsyncSession, episode_ids: list[uuid.UUID], before: date
) -> dict[uuid.UUID, Decimal]:
    """The last dose before `before` of each episode (DISTINCT ON: one index walk each)."""
    rows = await session.execute(
        select(Dose.episode_id, Dose.dose_mg)
        .where(Dose.episode_id.in_(episode_ids), Dose.given_on < before)
        .distinct(Dose.episode_id)
        .order_by(Dose.episode_id, Dose.given_on.desc())
    )
    return {episode_id: mg for episode_id, mg in rows.all()}


async def record_dose(
    session: AsyncSession,
    principal: Principal,
    episode_id: uuid.UUID,
    body: DoseCreate,
    request_id: str | None,
) -> Dose:
    require_dispenser(principal)
    episode = await episodes.get_readable_for_update(session, principal, episode_id)
    if episode is None:
        raise NotFound("Không tìm thấy đợt điều trị / Episode not found")
    given_on = body.given_at.astimezone(VN_TZ).date()
    previous = (await _previous_doses(session, [episode.id], given_on)).get(episode.id)
    refusal = check_dose(
        episode, body.given_at, body.dose_mg, previous, body.change_reason, datetime.now(UTC)
    )
    if refusal is not None:
        if refusal.status == 409:
            raise Conflict(refusal.detail)
        raise ValidationProblem.field(refusal.field, refusal.detail)
    inserted = await session.execute(
        insert(Dose)
        .values(
            episode_id=episode.id,
            given_on=given_on,
            given_at=body.given_at,
            dose_mg=body.dose_mg,
            given_by=body.given_by or principal.username,
            facility_id=episode.facility_id,
            change_reason=body.change_reason,
            recorded_by=principal.username,
        )
        .on_conflict_do_nothing(index_elements=[Dose.episode_id, Dose.given_on])
        .returning(Dose)
    )
    dose = inserted.scalar_one_or_none()
    if dose is None:
        raise Conflict("Đã ghi liều hôm đó / A dose is already recorded for that day")
    await audit.record(
        session,
        principal,
        action="dose.record",
        resource="episode",
        resource_id=str(episode.id),
        request_id=request_id,
    )
    return dose


async def dispensing_facility(
    session: AsyncSession, principal: Principal, facility_id: uuid.UUID
) -> Facility:
    """The facility whose day is recorded: readable, and the staff's own (or a site of it)."""
    facility = await facilities.get_readable_by_id(session, principal, facility_id)
    if facility is not None and facility_only(principal):
        own = principal.facility_id
        if own not in {str(facility.id), str(facility.parent_id)}:
            facility = None
    if facility is None:
        raise NotFound("Không tìm thấy cơ sở / Facility not found")
    return facility


async def record_day(
    session: AsyncSession,
    principal: Principal,
    facility: Facility,
    sheet: DaySheet,
    request_id: str | None,
    *,
    missed_threshold: int,
) -> DayResult:
    """A clinic's day: each row recorded or refused on its own, in one transaction; a second
    dose for the same patient and day is reported as a duplicate, never stored twice."""
    require_dispenser(principal)
    today = clock.today()
    if sheet.on > today:
        raise ValidationProblem.field("on", "Ngày trong tương lai / A date in the future")
    ids = list({row.episode_id for row in sheet.doses})
    found = (
        await session.execute(
            episodes.readable(principal).where(
                Episode.id.in_(ids), Episode.facility_id == facility.id
            )
        )
    ).scalars()
    by_id = {e.id: e for e in found}
    previous = await _previous_doses(session, list(by_id), sheet.on)
    now = datetime.now(UTC)
    results: list[DayRowResult] = []
    rows: list[dict[str, object]] = []
    seen: set[uuid.UUID] = set()
    for row in sheet.doses:
        episode = by_id.get(row.episode_id)
        if episode is None:
            results.append(DayRowResult(episode_id=row.episode_id, status="not_found"))
            continue
        if row.episode_id in seen:
            results.append(DayRowResult(episode_id=row.episode_id, status="duplicate"))
            continue
        seen.add(row.episode_id)
        given_at = row.given_at or (now if sheet.on == today else None)
        refusal = (
            Refusal(422, "given_at", "Cần thời điểm cho ngày đã qua / A past day needs given_at")
            if given_at is None
            else check_dose(
                episode, given_at, row.dose_mg, previous.get(episode.id), row.change_reason, now
            )
        )
        if (
            refusal is None
            and given_at is not None
            and given_at.astimezone(VN_TZ).date() != sheet.on
        ):
            refusal = Refusal(422, "given_at", "Không thuộc ngày của bảng / Not on the sheet's day")
        if refusal is not None or given_at is None:
            detail = refusal.detail if refusal else None
            results.append(DayRowResult(episode_id=row.episode_id, status="refused", detail=detail))
            continue
        results.append(DayRowResult(episode_id=row.episode_id, status="recorded"))
        rows.append(
            {
                "episode_id": episode.id,
                "given_on": sheet.on,
                "given_at": given_at,
                "dose_mg": row.dose_mg,
                "given_by": row.given_by or principal.username,
                "facility_id": facility.id,
                "change_reason": row.change_reason,
                "recorded_by": principal.username,
            }
        )
    stored: dict[uuid.UUID, int] = {}
    if rows:
        inserted = await session.execute(
            insert(Dose)
            .values(rows)
            .on_conflict_do_nothing(index_elements=[Dose.episode_id, Dose.given_on])
            .returning(Dose.episode_id, Dose.id)
        )
        stored = {episode_id: dose_id for episode_id, dose_id in inserted.all()}
    for result in results:
        if result.status == "recorded":
            result.dose_id = stored.get(result.episode_id)
            if result.dose_id is None:
                result.status = "duplicate"
    await audit.record_many(
        session,
        principal,
        action="dose.record",
        resource="episode",
        resource_ids=[str(i) for i in stored],
        request_id=request_id,
    )
    # The day's sheet closes the day: whoever has now missed too many days in a row is flagged.
    flagged = await flag_missed_doses(session, facility.id, sheet.on, missed_threshold)
    return DayResult(
        facility_id=facility.id,
        on=sheet.on,
        recorded=len(stored),
        results=results,
        flags_raised=len(flagged),
    )
