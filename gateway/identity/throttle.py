"""Login and client-credential throttles, checked before any Argon2 work.

Two keys, each a row counted with one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING`:

- the account *from this address* (`login_max_failures`): every attempt takes a slot before
  the password is checked, committed at once, so concurrent guesses serialise on the row and
  exactly `max` of them are ever checked; a success clears the row. Keyed by address, so a
  stranger guessing from elsewhere never locks an officer out: the officer's own address keeps
  its own allowance.
- the address (`login_max_failures_per_ip`): one address spraying many accounts. Only
  failures count here (checked before, incremented after), so many officers logging in at
  once behind one NAT are never refused; concurrent sprays can pass the limit by at most
  their concurrency, each still under its account's own exact limit.

Past either limit the answer is 429 problem+json with `Retry-After` (the window's remainder).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.errors import TooManyRequests

TOO_MANY = "Đăng nhập sai quá nhiều lần, vui lòng thử lại sau / Too many failed logins"

# A row whose window has passed starts a new window; otherwise the attempt is added.
_COUNT = text(
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
_READ = text(
    """
    SELECT attempts,
           EXTRACT(EPOCH FROM window_start + make_interval(secs => :window) - now())
    FROM auth_throttles
    WHERE key = :key AND window_start > now() - make_interval(secs => :window)
    """
)
_RESET = text("DELETE FROM auth_throttles WHERE key = :key")


@dataclass(frozen=True)
class Throttle:
    """The two limits of one login or client-credential attempt."""

    account_key: str
    address_key: str
    max_per_account: int
    max_per_address: int
    window_seconds: int

    def _refuse(self, remaining: float) -> TooManyRequests:
        return TooManyRequests(TOO_MANY, headers={"Retry-After": str(max(int(remaining) + 1, 1))})

    async def admit(self, session: AsyncSession) -> None:
        """Take the account's slot and check the address (both committed), or raise 429."""
        params = {"key": self.address_key, "window": self.window_seconds}
        row = (await session.execute(_READ, params)).one_or_none()
        if row is not None and int(row[0]) >= self.max_per_address:
            await session.rollback()
            raise self._refuse(float(row[1]))
        params = {"key": self.account_key, "window": self.window_seconds}
        attempts, remaining = (await session.execute(_COUNT, params)).one()
        await session.commit()
        if int(attempts) > self.max_per_account:
            raise self._refuse(float(remaining))

    async def failed(self, session: AsyncSession) -> None:
        """Count a failure against the address (committed)."""
        await session.execute(_COUNT, {"key": self.address_key, "window": self.window_seconds})
        await session.commit()

    async def succeeded(self, session: AsyncSession) -> None:
        """Forget the account's failures from this address (in the caller's transaction)."""
        await session.execute(_RESET, {"key": self.account_key})
