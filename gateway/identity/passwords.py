"""Argon2id password and client-secret hashing (pwdlib), off the event loop.

One check costs ~200 ms of CPU and 64 MiB: run on the event loop, five logins a second stall
every other call. Checks run in a dedicated pool of `password_hash_threads` workers (Argon2
releases the GIL), so a login flood queues behind the pool instead of taking the gateway's
loop and memory with it. The workers run at a lower CPU priority than the event loop (on
Linux `nice` is per thread, and Argon2's own lane threads inherit it): on a busy machine a
flood slows logins, not every other call. Measured with twelve wrong logins at once on a
2-core machine at load average ~20: `/healthz` p50 0.06–0.18 s and max 0.15–0.8 s during the
flood, against p50 0.8–1.9 s and max 2.6–4.5 s with the checks on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

WORKER_NICENESS = 10

_hasher = PasswordHash((Argon2Hasher(),))
# Verified against when a username does not exist, so timing does not reveal which ones do.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def _lower_priority() -> None:
    # Not Linux, or not permitted: the workers run at normal priority.
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICENESS)


def _new_pool(threads: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(
        max_workers=max(1, threads), thread_name_prefix="argon2", initializer=_lower_priority
    )


_pool = _new_pool(2)


def configure_pool(threads: int) -> None:
    """Size the pool from settings (at startup, before any check)."""
    global _pool
    old, _pool = _pool, _new_pool(threads)
    old.shutdown(wait=False)


def hash_password(password: str) -> str:
    """Blocking: for seeding and command-line tools, never inside a request."""
    return _hasher.hash(password)


def _verify(password: str, password_hash: str | None) -> bool:
    return _hasher.verify(password, password_hash or _DUMMY_HASH) and password_hash is not None


async def verify_password(password: str, password_hash: str | None) -> bool:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool, partial(_verify, password, password_hash))
