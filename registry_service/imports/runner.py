"""Import jobs run in the background of the registry process, one at a time per process."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import structlog

from registry_service.imports.jobs import HEARTBEAT_SECONDS, heartbeat
from registry_service.imports.service import ImportRequest, interrupted, recover, run_import
from services.db import Database

log = structlog.get_logger()


class ImportRunner:
    """Holds the running jobs (so they are not garbage-collected) and stops them on shutdown.

    One job runs at a time: an import is CPU-bound and the registry serves officers too.
    """

    def __init__(self, database: Database, concurrency: int = 1, backlog: int = 4) -> None:
        self.database = database
        self.backlog = backlog
        self._slots = asyncio.Semaphore(concurrency)
        self._tasks: set[asyncio.Task[None]] = set()
        self._running: set[uuid.UUID] = set()

    @property
    def full(self) -> bool:
        """Each waiting job holds its file in memory: the queue is short."""
        return len([t for t in self._tasks if t.get_name() != "import-recovery"]) >= self.backlog

    def recover(self) -> asyncio.Task[None]:
        """Finish what stopped jobs left (service.recover), now and every HEARTBEAT_SECONDS."""
        task = asyncio.create_task(self._recover(), name="import-recovery")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _recover(self) -> None:
        while True:
            try:
                await recover(self.database, set(self._running))
            except Exception:
                log.exception("import_recovery_failed")
            await asyncio.sleep(HEARTBEAT_SECONDS)

    def start(self, request: ImportRequest) -> asyncio.Task[None]:
        task = asyncio.create_task(self._run(request), name=f"import-{request.job_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _run(self, request: ImportRequest) -> None:
        # A queued job beats too, so a poller does not take it for an interrupted one.
        try:
            while True:
                try:
                    await asyncio.wait_for(self._slots.acquire(), HEARTBEAT_SECONDS)
                    break
                except TimeoutError:
                    await heartbeat(self.database, request.job_id)
        except asyncio.CancelledError:
            request.source.close()
            await interrupted(self.database, request)
            raise
        self._running.add(request.job_id)
        try:
            await run_import(self.database, request)
        finally:
            self._running.discard(request.job_id)
            self._slots.release()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*self._tasks, return_exceptions=True)
