"""`GET /internal/events`: a service's event feed, for callers holding `events:read`.

Which events may be served
--------------------------
Events are served in (txid, position) order and a reader resumes after the last cursor it saw,
so an event may be served only once no event with a smaller txid can still appear. A page is
read in two statements of one READ COMMITTED transaction:

1. the boundary B = least(xmax of the statement's snapshot S1, the oldest top-level xid of the
   backends of *this* database in `pg_stat_activity.backend_xid`, the oldest xid of the
   transactions prepared in this database in `pg_prepared_xacts`), the 32-bit xids widened to
   xid8 relative to the epoch of S1's xmax;
2. the events with txid < B, under a new snapshot S2 (READ COMMITTED takes one per statement).

Claim: an event of transaction t with t < B is visible to S2 if t ever commits.
Proof. t < xmax(S1) = latestCompletedXid + 1 at S1's time T1, and xids are handed out in
increasing order, so t was assigned before T1, and a backend publishes its xid in its PGPROC
(what `backend_xid` reads) before the next xid is handed out. The activity is read at A, after
T1, within statement 1. The events table lives in this database, so t was assigned by a backend
connected to this database. At A, t was therefore (a) still running on its backend — then t is
among the xids read and B <= t, contradiction; (b) prepared — PREPARE adds the prepared entry
before clearing the backend's xid, and `pg_prepared_xacts` is read after the activity (the
prepared sub-select is gated on the activity result, so the plan cannot run it first), so t
is either in it (B <= t, contradiction) or was already committed or rolled back before that
read; or (c) already ended, i.e. removed from the proc array. In (b) and (c) t ended before
statement 2 started, and a transaction leaves the proc array only after its commit is
recorded, so S2 sees t's final state: its events are visible now or never. An xid assigned
later is >= xmax(S1) >= B. Hence no event below B can appear after a page served it, and
(txid, position) cursors never skip one. Transactions of other databases do not enter B, so a
long transaction elsewhere on the server holds no feed back; one in this database does, and
its events are served once it commits.

The same argument needs A after T1: PostgreSQL caches a transaction's first read of the
activity, so a reader already inside a transaction clears that cache first. It needs a fresh
snapshot for statement 2, so another isolation level is refused. And it must run on the
primary: a standby's `pg_stat_activity` does not show the primary's backends.

The rule relies on seeing every backend's `backend_xid`. PostgreSQL 18 shows that column of
other roles' sessions to any role, but that is not documented, so the rule is used only by a
superuser or a member of pg_read_all_stats (as the service roles are); any other role falls
back to the cluster-wide rule txid < xmin(snapshot), which is safe but lets any open
transaction on the server hold the feed back (logged once per process).
"""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Query
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.auth import Principal, require_scope
from services.contracts.events import EventEnvelope, FeedPage
from services.db import SessionDep
from services.errors import ValidationProblem, problem_responses

log = structlog.get_logger()

FEED_SCOPE = "events:read"
START = "0-0"

# A 32-bit xid x widened to xid8 next to the snapshot's xmax X (both as bigint): in-flight xids
# lie within 2^31 of X, so x's distance from X modulo 2^32, taken in [-2^31, 2^31), is exact.
_WIDEN = (
    "s.xmax + ({xid}::text::bigint - s.xmax % 4294967296 + 6442450944) % 4294967296 - 2147483648"
)

_BOUNDARY_SQL = text(
    f"""
    SELECT current_setting('transaction_isolation') AS isolation,
           pg_has_role('pg_read_all_stats', 'USAGE') AS sees_all,
           least(s.xmax, a.oldest, p.oldest)::text AS boundary
    FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax) AS s
    CROSS JOIN LATERAL (
        SELECT min({_WIDEN.format(xid="backend_xid")}) AS oldest
        FROM pg_stat_activity
        WHERE datname = current_database() AND backend_xid IS NOT NULL
    ) AS a
    CROSS JOIN LATERAL (
        SELECT min({_WIDEN.format(xid="transaction")}) AS oldest
        FROM pg_prepared_xacts
        -- Always true; makes this sub-select wait for the activity read (see the proof).
        WHERE database = current_database() AND a.oldest IS NOT DISTINCT FROM a.oldest
    ) AS p
    """  # noqa: S608  # constant fragments only
)

_FEED_SQL = text(
    """
    SELECT position, txid::text AS txid, id, type, version, occurred_at, subject, unit, payload
    FROM events
    WHERE txid < coalesce(
            CAST(CAST(:boundary AS text) AS xid8), pg_snapshot_xmin(pg_current_snapshot()))
      AND (txid, position) > (CAST(CAST(:after_txid AS text) AS xid8), :after_position)
      AND (CAST(:subject AS text) IS NULL OR subject = CAST(:subject AS text))
    ORDER BY txid, position
    LIMIT :limit
    """
)

_fallback_logged: list[bool] = []


async def feed_boundary(session: AsyncSession) -> str | None:
    """B of the module's proof, or None when this role must use the cluster-wide rule."""
    if session.in_transaction():
        await session.execute(text("SELECT pg_stat_clear_snapshot()"))
    row = (await session.execute(_BOUNDARY_SQL)).one()
    if row.isolation != "read committed":
        raise RuntimeError(f"the feed needs READ COMMITTED, not {row.isolation}")
    if not row.sees_all:
        if not _fallback_logged:
            _fallback_logged.append(True)
            log.warning(
                "feed_cluster_wide_rule",
                reason="role is neither superuser nor member of pg_read_all_stats",
            )
        return None
    return str(row.boundary)


def make_cursor(txid: str | int, position: int) -> str:
    return f"{txid}-{position}"


def parse_cursor(after: str) -> tuple[str, int]:
    try:
        txid, position = after.split("-", 1)
        if not txid.isdigit():
            raise ValueError(after)
        return txid, int(position)
    except ValueError as exc:
        raise ValidationProblem.field("after", "Con trỏ không hợp lệ / Invalid cursor") from exc


async def read_page(
    session: AsyncSession, after: str, limit: int, subject: str | None = None
) -> FeedPage:
    """Events after `after` that no in-flight transaction of this database can still precede."""
    after_txid, after_position = parse_cursor(after)
    boundary = await feed_boundary(session)
    rows = (
        await session.execute(
            _FEED_SQL,
            {
                "boundary": boundary,
                "after_txid": after_txid,
                "after_position": after_position,
                "limit": limit,
                "subject": subject,
            },
        )
    ).mappings()
    items = [
        EventEnvelope(
            position=row["position"],
            cursor=make_cursor(row["txid"], row["position"]),
            id=row["id"],
            type=row["type"],
            version=row["version"],
            occurred_at=row["occurred_at"],
            subject=row["subject"],
            unit=row["unit"],
            payload=row["payload"],
        )
        for row in rows
    ]
    return FeedPage(items=items, next_after=items[-1].cursor if items else after)


def feed_router() -> APIRouter:
    router = APIRouter(prefix="/internal", tags=["internal"])

    @router.get("/events", response_model=FeedPage, responses=problem_responses(401, 403, 422))
    async def read_events(
        session: SessionDep,
        _: Annotated[Principal, Depends(require_scope(FEED_SCOPE))],
        after: Annotated[str, Query(max_length=64)] = START,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
        subject: Annotated[str | None, Query(max_length=100)] = None,
    ) -> FeedPage:
        return await read_page(session, after, limit, subject)

    return router
