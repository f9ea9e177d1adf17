"""Argon2id password and client-secret hashing (pwdlib), off the event loop.

One check costs ~200 ms of CPU and 64 MiB: run on the event loop, five logins a second stall
every other call. Checks run in worker threads (argon2 releases the GIL), at most
`password_hash_threads` at once, so a login flood queues behind the limiter instead of
taking the gateway's memory and loop with it.
"""

from __future__ import annotations

from functools import partial

import anyio
from anyio import to_thread
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_hasher = PasswordHash((Argon2Hasher(),))
# Verified against when a username does not exist, so timing does not reveal which ones do.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
_limiter: anyio.CapacityLimiter | None = None
_threads = 2


def configure_pool(threads: int) -> None:
    """Set the pool size (from settings, at startup); the limiter is made on first use, inside
    the running event loop."""
    global _threads, _limiter
    _threads = max(1, threads)
    _limiter = None


def _pool() -> anyio.CapacityLimiter:
    global _limiter
    if _limiter is None:
        _limiter = anyio.CapacityLimiter(_threads)
    return _limiter


def hash_password(password: str) -> str:
    """Blocking: for seeding and command-line tools, never inside a request."""
    return _hasher.hash(password)


def _verify(password: str, password_hash: str | None) -> bool:
    return _hasher.verify(password, password_hash or _DUMMY_HASH) and password_hash is not None


async def verify_password(password: str, password_hash: str | None) -> bool:
    return await to_thread.run_sync(partial(_verify, password, password_hash), limiter=_pool())
