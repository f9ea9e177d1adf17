"""Login and client-credential throttles: counted before the password is checked.

Every attempt first takes a slot with one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, and
is committed at once, so concurrent guesses serialise on the row and cannot all pass a
check-then-insert. A success gives its slots back. Two keys are counted:

- the account *from this address* (`login_max_failures`): a stranger guessing from elsewhere
  never locks an officer out; the officer's own address keeps its own allowance;
- the address (`login_max_failures_per_ip`): one address spraying many accounts.

Past either limit the answer is 429 problem+json with `Retry-After` (the window's remainder),
without any Argon2 check.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.errors import TooManyRequests

TOO_MANY = "Đăng nhập sai quá nhiều lần, vui lòng thử lại sau / Too many failed logins"

# A row whose window has passed starts a new window; otherwise the attempt is added.
_TAKE = text(
    """
    INSERT INTO auth_throttles AS t (key, attempts, window_start)
    VALUES (:key, 1, now())
    ON CONFLICT (key) DO UPDATE SET
        attempts = CASE WHEN t.window_start <= now() - make_interval(secs => :window)
                        THEN 1 ELSE t.attempts + 1 END,
        window_start = CASE WHEN t.window_start <= now() - make_interval(secs => :window)
                            THEN now() ELSE t.window_start END
    RETURNING attempts,
              EXTRACT(EPOCH FROM t.window_start + make_interval(secs => :window) - now())
    """
)
_GIVE_BACK = text("UPDATE auth_throttles SET attempts = GREATEST(attempts - 1, 0) WHERE key = :key")
_RESET = text("DELETE FROM auth_throttles WHERE key = :key")


@dataclass(frozen=True)
class Limit:
    key: str
    max_attempts: int
    # On success: forget earlier failures (the account's own count) rather than only
    # returning this attempt's slot (the address's count, shared by everyone behind it).
    reset_on_success: bool = False


async def take(session: AsyncSession, limits: list[Limit], window_seconds: int) -> None:
    """Count one attempt under every limit (committed), or raise 429 once one is exceeded."""
    for limit in limits:
        params = {"key": limit.key, "window": window_seconds}
        row = (await session.execute(_TAKE, params)).one()
        await session.commit()
        attempts, remaining = int(row[0]), float(row[1])
        if attempts > limit.max_attempts:
            raise TooManyRequests(
                TOO_MANY, headers={"Retry-After": str(max(int(remaining) + 1, 1))}
            )


async def give_back(session: AsyncSession, limits: list[Limit]) -> None:
    """A successful attempt: its slots are returned (within the caller's transaction)."""
    for limit in limits:
        await session.execute(_RESET if limit.reset_on_success else _GIVE_BACK, {"key": limit.key})
