"""Login, refresh-token rotation with reuse detection, logout, client credentials."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.identity.models import ApiClient, RefreshToken, User
from gateway.identity.passwords import verify_password
from gateway.identity.schemas import ClientToken, TokenPair
from gateway.identity.throttle import Throttle
from gateway.identity.tokens import TokenIssuer, hash_refresh_token, new_refresh_token
from gateway.seed import DEMO_ACCOUNTS, DEMO_PASSWORD
from gateway.settings import GatewaySettings
from services.errors import BadRequest, Unauthorized

BAD_LOGIN = "Sai tên đăng nhập hoặc mật khẩu / Invalid username or password"
BAD_REFRESH = "Phiên đăng nhập không hợp lệ / Invalid refresh token"


def user_claims(user: User) -> dict[str, object]:
    return {
        "preferred_username": user.username,
        "name": user.full_name,
        "roles": list(user.roles),
        "jurisdiction": user.jurisdiction,
        "jurisdiction_path": user.jurisdiction_path,
        "facility_id": str(user.facility_id) if user.facility_id else None,
    }


def _throttle(kind: str, name: str, remote_addr: str, settings: GatewaySettings) -> Throttle:
    return Throttle(
        account_key=f"{kind}:{name}@{remote_addr}",
        address_key=f"ip:{remote_addr}",
        max_per_account=settings.login_max_failures,
        max_per_address=settings.login_max_failures_per_ip,
        window_seconds=settings.login_window_seconds,
    )


def _is_demo_login(username: str, password: str, settings: GatewaySettings) -> bool:
    """Demo accounts exist only outside production; one that reached a production database
    (a restored dump, a mistaken seed) still cannot log in."""
    if settings.environment != "production":
        return False
    return username in DEMO_ACCOUNTS or password == DEMO_PASSWORD


async def authenticate(
    session: AsyncSession,
    username: str,
    password: str,
    *,
    remote_addr: str,
    settings: GatewaySettings,
) -> User:
    username = username.strip().lower()
    throttle = _throttle("user", username, remote_addr, settings)
    await throttle.admit(session)
    user = (
        await session.execute(select(User).where(User.username == username))
    ).scalar_one_or_none()
    # Hand the connection back while Argon2 runs (~0.2 s): a burst of logins must not hold
    # the pool and starve every other call of the gateway (the row stays loaded).
    await session.commit()
    ok = await verify_password(password, user.password_hash if user else None)
    if not ok or user is None or not user.active or _is_demo_login(username, password, settings):
        await throttle.failed(session)
        raise Unauthorized(BAD_LOGIN)
    await throttle.succeeded(session)
    return user


async def issue_pair(
    session: AsyncSession,
    user: User,
    issuer: TokenIssuer,
    settings: GatewaySettings,
    *,
    family_id: uuid.UUID | None = None,
    family_ends: datetime | None = None,
) -> TokenPair:
    """A new pair; a rotated token never outlives its family (`family_ends`)."""
    token, token_hash = new_refresh_token()
    expires_at = datetime.now(UTC) + timedelta(seconds=settings.refresh_token_ttl_seconds)
    session.add(
        RefreshToken(
            family_id=family_id or uuid.uuid4(),
            user_id=user.id,
            token_hash=token_hash,
            expires_at=min(expires_at, family_ends) if family_ends else expires_at,
        )
    )
    access = issuer.issue(str(user.id), user_claims(user), settings.access_token_ttl_seconds)
    return TokenPair(
        access_token=access, expires_in=settings.access_token_ttl_seconds, refresh_token=token
    )


async def _revoke_family(session: AsyncSession, family_id: uuid.UUID) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )


async def rotate(
    session: AsyncSession, token: str, issuer: TokenIssuer, settings: GatewaySettings
) -> TokenPair:
    """Exchange a refresh token for a new pair. Presenting an already-rotated token means it
    was stolen or replayed: the whole family is revoked and both holders must log in again."""
    stored = (
        await session.execute(
            select(RefreshToken)
            .where(RefreshToken.token_hash == hash_refresh_token(token))
            .with_for_update()
        )
    ).scalar_one_or_none()
    if stored is None:
        raise Unauthorized(BAD_REFRESH)
    if stored.rotated_at is not None or stored.revoked_at is not None:
        await _revoke_family(session, stored.family_id)
        await session.commit()
        raise Unauthorized(BAD_REFRESH)
    if stored.expires_at <= datetime.now(UTC):
        raise Unauthorized(BAD_REFRESH)
    # Sliding alone would keep a stolen family alive forever: it ends a fixed time after login.
    family_ends = await _family_started(session, stored.family_id) + timedelta(
        seconds=settings.refresh_family_max_age_seconds
    )
    if family_ends <= datetime.now(UTC):
        await _revoke_family(session, stored.family_id)
        await session.commit()
        raise Unauthorized(BAD_REFRESH)
    user = await session.get(User, stored.user_id)
    if user is None or not user.active:
        raise Unauthorized(BAD_REFRESH)
    stored.rotated_at = datetime.now(UTC)
    return await issue_pair(
        session, user, issuer, settings, family_id=stored.family_id, family_ends=family_ends
    )


async def _family_started(session: AsyncSession, family_id: uuid.UUID) -> datetime:
    started: datetime = (
        await session.execute(
            select(func.min(RefreshToken.issued_at)).where(RefreshToken.family_id == family_id)
        )
    ).scalar_one()
    return started


async def logout(session: AsyncSession, token: str) -> None:
    stored = (
        await session.execute(
            select(RefreshToken).where(RefreshToken.token_hash == hash_refresh_token(token))
        )
    ).scalar_one_or_none()
    if stored is not None:
        await _revoke_family(session, stored.family_id)


async def client_credentials(
    session: AsyncSession,
    client_id: str,
    client_secret: str,
    requested_scope: str | None,
    issuer: TokenIssuer,
    settings: GatewaySettings,
    *,
    remote_addr: str,
) -> ClientToken:
    throttle = _throttle("client", client_id, remote_addr, settings)
    await throttle.admit(session)
    client = await session.get(ApiClient, client_id)
    ok = await verify_password(client_secret, client.secret_hash if client else None)
    demo = _is_demo_login(client_id, client_secret, settings)
    if not ok or client is None or not client.active or demo:
        await throttle.failed(session)
        raise Unauthorized("Sai thông tin ứng dụng / Invalid client credentials")
    await throttle.succeeded(session)
    await session.commit()
    granted = set(client.scopes)
    if requested_scope:
        asked = set(requested_scope.split())
        if not asked <= granted:
            raise BadRequest(
                "Phạm vi không được cấp / Scope not granted: " + " ".join(sorted(asked - granted)),
                slug="invalid-scope",
            )
        granted = asked
    scope = " ".join(sorted(granted))
    claims = {
        "client_id": client.client_id,
        "preferred_username": client.client_id,
        "scope": scope,
        "roles": [],
        "jurisdiction": client.jurisdiction,
        "jurisdiction_path": client.jurisdiction_path,
    }
    access = issuer.issue(f"client:{client.client_id}", claims, settings.client_token_ttl_seconds)
    return ClientToken(
        access_token=access, expires_in=settings.client_token_ttl_seconds, scope=scope
    )
