"""The keyed audit chain: a background chainer links committed rows, `verify` checks them.

Each `audit_chain` entry's hash is HMAC-SHA256, under a key the database never sees, of the
previous entry's hash and the audited row's content, its id and its sequence number. Someone
who can write the database can neither edit a row nor recompute the chain without the key.
What a database writer *can* still do is cut entries off the end (or truncate everything):
the checkpoint kept outside the database (`CheckpointStore`) remembers how long the chain was
and how it ended, so that is detected too.

One chainer per database runs at a time (a session advisory lock per batch), whatever the
number of replicas; it writes the checkpoint before it lets go of the lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import os
import tempfile
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from services.db import Database
from services.settings import ServiceSettings

log = structlog.get_logger()

GENESIS = "0" * 64
# Rows the chainer has not linked after this long mean it is stopped or being prevented.
UNCHAINED_LIMIT = timedelta(seconds=60)
# Advisory locks are per database, so one key serves every service.
_CHAIN_LOCK = 0x0A0D17
_FIELDS = ("actor", "roles", "unit", "action", "resource", "resource_id", "request_id", "outcome")


def entry_hash(key: bytes, seq: int, prev_hash: str, row: Mapping[Any, Any]) -> str:
    """HMAC of one chain entry: the previous hash, the row's content, its id and place."""
    fields: dict[str, Any] = {name: row[name] for name in _FIELDS}
    fields.update(seq=seq, audit_id=int(row["id"]), at=row["at"].isoformat())
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, (prev_hash + canonical).encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    count: int
    at: str


class CheckpointInvalidError(Exception):
    """The checkpoint file exists but was altered or cannot be read."""


class CheckpointStore:
    """The chain's head, kept where the service's database cannot reach it.

    Why: anyone who can write the database (a superuser, a restored backup) can delete the
    newest chain entries and their rows, or truncate both tables, and what remains is still a
    valid chain. Only a record of how long the chain was and how it ended, kept elsewhere,
    reveals that. Locally it is one JSON file per database, replaced atomically (temporary
    file, fsync, rename) and MACed with the audit key so an edited file is noticed as well.

    A production deployment would write it somewhere the database's administrators cannot
    rewrite: an object store with write-once retention (S3 Object Lock or similar), a
    separate checkpoint service on other credentials, or an append-only transparency log,
    keeping every head rather than only the latest.
    """

    def __init__(self, directory: Path, name: str, key: bytes) -> None:
        self.path = directory / f"{name}.json"
        self._key = key

    def _mac(self, checkpoint: Checkpoint) -> str:
        body = json.dumps(asdict(checkpoint), sort_keys=True).encode()
        return hmac.new(self._key, b"checkpoint:" + body, hashlib.sha256).hexdigest()

    def read(self) -> Checkpoint | None:
        if not self.path.exists():
            return None
        try:
            data = json.loads(self.path.read_text())
            mac = data.pop("mac")
            checkpoint = Checkpoint(**data)
        except (ValueError, TypeError, KeyError) as exc:
            raise CheckpointInvalidError(f"unreadable checkpoint {self.path}") from exc
        if not hmac.compare_digest(mac, self._mac(checkpoint)):
            raise CheckpointInvalidError(f"checkpoint {self.path} does not match its MAC")
        return checkpoint

    def write(self, checkpoint: Checkpoint) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps({**asdict(checkpoint), "mac": self._mac(checkpoint)})
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".checkpoint-")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(body)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise


@dataclass(frozen=True)
class AuditTrail:
    """What chaining and checking need: the key (None when not configured) and the store."""

    key: bytes | None
    store: CheckpointStore | None

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> AuditTrail:
        if settings.audit_key is None:
            return cls(key=None, store=None)
        key = settings.audit_key.get_secret_value().encode()
        name = make_url(settings.database_url).database or "audit"
        return cls(key=key, store=CheckpointStore(settings.audit_checkpoint_dir, name, key))


_UNCHAINED_SQL = text(
    "SELECT a.id, a.at, a.actor, a.roles, a.unit, a.action, a.resource, a.resource_id, "
    "a.request_id, a.outcome FROM audit_log a WHERE a.id > :after "
    "AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = a.id) "
    "ORDER BY a.id LIMIT :limit"
)
_INSERT_CHAIN = text(
    "INSERT INTO audit_chain (seq, audit_id, prev_hash, hash) VALUES (:seq, :id, :prev, :hash)"
)


class AuditChainer:
    """Links committed audit rows into `audit_chain`, in id order, batch by batch.

    Rows are looked for above a horizon: the highest id chained at least `settle` seconds
    ago (a row below it would come from a transaction open that long). A full scan at start
    and every `full_scan_every` seconds catches anything later still.
    """

    def __init__(
        self,
        database: Database,
        key: bytes,
        store: CheckpointStore,
        *,
        interval: float = 0.5,
        batch: int = 2_000,
        settle: float = 60.0,
        full_scan_every: float = 300.0,
    ) -> None:
        self.database, self.key, self.store = database, key, store
        self.interval, self.batch, self.settle = interval, batch, settle
        self.full_scan_every = full_scan_every
        self._horizon = 0
        self._marks: deque[tuple[float, int]] = deque()
        self._last_full = float("-inf")
        self.last_error: str | None = None
        # Why the chainer refuses to extend the chain, logged once rather than every poll.
        self.halted: str | None = None

    async def run(self, stop: asyncio.Event) -> None:
        delay = self.interval
        while not stop.is_set():
            try:
                chained = await self.chain_once()
                self.last_error, delay = None, self.interval
            except Exception as exc:
                log.exception("audit_chainer_failed")
                self.last_error, chained = type(exc).__name__, 0
                delay = min(delay * 2, 30.0)
            if chained >= self.batch:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)

    async def chain_once(self) -> int:
        """Chain one batch if this process holds the lock; the number of rows chained."""
        async with self.database.engine.connect() as conn:
            locked = (
                await conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _CHAIN_LOCK})
            ).scalar_one()
            await conn.commit()
            if not locked:
                return 0
            try:
                return await self._chain_locked(conn)
            finally:
                await conn.rollback()
                await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _CHAIN_LOCK})
                await conn.commit()

    async def _chain_locked(self, conn: AsyncConnection) -> int:
        now = time.monotonic()
        full = now - self._last_full >= self.full_scan_every
        after = 0 if full else self._horizon
        rows = (
            (await conn.execute(_UNCHAINED_SQL, {"after": after, "limit": self.batch}))
            .mappings()
            .all()
        )
        if full and len(rows) < self.batch:
            self._last_full = now
        if not rows:
            return 0
        seq, prev = await self._trusted_head(conn)
        if seq is None:
            return 0
        entries: list[dict[str, Any]] = []
        for row in rows:
            seq += 1
            digest = entry_hash(self.key, seq, prev, row)
            entries.append({"seq": seq, "id": int(row["id"]), "prev": prev, "hash": digest})
            prev = digest
        await conn.execute(_INSERT_CHAIN, entries)
        await conn.commit()
        self.store.write(Checkpoint(seq, prev, seq, datetime.now(UTC).isoformat()))
        self._advance_horizon(now, max(int(e["id"]) for e in entries))
        return len(entries)

    async def _trusted_head(self, conn: AsyncConnection) -> tuple[int | None, str]:
        """The head to extend, or (None, "") when the chain disagrees with the checkpoint:
        extending a cut chain would overwrite the evidence, so the chainer stops instead."""
        try:
            checkpoint = self.store.read()
        except CheckpointInvalidError:
            return self._halt("audit_checkpoint_invalid")
        head = (
            await conn.execute(text("SELECT seq, hash FROM audit_chain ORDER BY seq DESC LIMIT 1"))
        ).first()
        if checkpoint is not None:
            at = (
                await conn.execute(
                    text("SELECT hash FROM audit_chain WHERE seq = :s"), {"s": checkpoint.seq}
                )
            ).scalar_one_or_none()
            if at != checkpoint.hash:
                return self._halt("audit_chain_disagrees_with_checkpoint")
        elif head is not None:
            return self._halt("audit_checkpoint_missing")
        if self.halted:
            log.info("audit_chainer_resumed", was=self.halted)
            self.halted = None
        return (int(head.seq), str(head.hash)) if head else (0, GENESIS)

    def _halt(self, reason: str) -> tuple[None, str]:
        if self.halted != reason:
            log.error(reason, path=str(self.store.path))
            self.halted = reason
        return None, ""

    def _advance_horizon(self, now: float, chained_up_to: int) -> None:
        self._marks.append((now, chained_up_to))
        while self._marks and self._marks[0][0] <= now - self.settle:
            self._horizon = max(self._horizon, self._marks.popleft()[1])


@dataclass
class ChainReport:
    intact: bool
    rows: int
    chained: int
    unchained: int
    checkpoint_seq: int | None
    first_broken_seq: int | None
    reason: str | None


_CHAIN_SQL = text(
    "SELECT c.seq, c.audit_id, c.prev_hash, c.hash, a.id, a.at, a.actor, a.roles, a.unit, "
    "a.action, a.resource, a.resource_id, a.request_id, a.outcome FROM audit_chain c "
    "LEFT JOIN audit_log a ON a.id = c.audit_id ORDER BY c.seq"
)
_COUNTS_SQL = text(
    "SELECT (SELECT count(*) FROM audit_log) AS rows, "
    "count(*) AS unchained, "
    "count(*) FILTER (WHERE a.at < :stale) AS stale, "
    "min(a.id) FILTER (WHERE a.at < :stale) AS first_stale "
    "FROM audit_log a WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = a.id)"
)


async def _walk(
    session: AsyncSession, key: bytes, checkpoint: Checkpoint | None
) -> tuple[int, int | None, str | None]:
    """Entries verified, and the first broken seq with why."""
    expected, prev = 1, GENESIS
    result = await session.stream(_CHAIN_SQL)
    async for row in result.mappings():
        seq = int(row["seq"])
        if seq != expected:
            return expected - 1, expected, f"chain entry {expected} is missing"
        if row["id"] is None:
            return seq - 1, seq, f"audited row {row['audit_id']} was deleted"
        if row["prev_hash"] != prev or row["hash"] != entry_hash(key, seq, prev, row):
            return seq - 1, seq, "hash mismatch: the row was changed or the chain recomputed"
        if checkpoint is not None and seq == checkpoint.seq and row["hash"] != checkpoint.hash:
            return seq - 1, seq, "the chain differs from the checkpoint"
        prev, expected = row["hash"], seq + 1
    chained = expected - 1
    if checkpoint is not None and chained < checkpoint.seq:
        return (
            chained,
            chained + 1,
            f"the chain ends at {chained} but the checkpoint is at {checkpoint.seq}: "
            "the newest entries were deleted or the tables truncated",
        )
    return chained, None, None


async def verify(session: AsyncSession, trail: AuditTrail) -> ChainReport:
    """Check the chain against the key and the checkpoint, and look for stale rows.

    The checkpoint is read before the chain, so the chain read afterwards always reaches it
    unless entries were removed: no lock with the chainer is needed.
    """
    counts = (
        (await session.execute(_COUNTS_SQL, {"stale": datetime.now(UTC) - UNCHAINED_LIMIT}))
        .mappings()
        .one()
    )
    report = ChainReport(False, int(counts["rows"]), 0, int(counts["unchained"]), None, None, None)
    if trail.key is None or trail.store is None:
        report.reason = "no audit key is configured: the chain cannot be checked"
        return report
    try:
        checkpoint = trail.store.read()
    except CheckpointInvalidError as exc:
        report.reason = str(exc)
        return report
    report.checkpoint_seq = checkpoint.seq if checkpoint else None
    report.chained, report.first_broken_seq, report.reason = await _walk(
        session, trail.key, checkpoint
    )
    # Written right after the first batch commits: look once more before calling it lost.
    if report.reason is None and checkpoint is None and report.chained and not trail.store.read():
        report.first_broken_seq = 1
        report.reason = "the chain has entries but its checkpoint is missing"
    if report.reason is None and counts["stale"]:
        report.reason = (
            f"{counts['stale']} rows left unchained for more than "
            f"{int(UNCHAINED_LIMIT.total_seconds())} s, from audit row {counts['first_stale']}"
        )
    report.intact = report.reason is None
    return report
