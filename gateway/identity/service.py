"""Login, refresh-token rotation with reuse detection, logout, client credentials."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.identity.models import ApiClient, LoginFailure, RefreshToken, User
from gateway.identity.passwords import verify_password
from gateway.identity.schemas import ClientToken, TokenPair
from gateway.identity.tokens import TokenIssuer, hash_refresh_token, new_refresh_token
from gateway.settings import GatewaySettings
from services.errors import BadRequest, TooManyRequests, Unauthorized

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


async def _check_throttle(session: AsyncSession, username: str, settings: GatewaySettings) -> None:
    since = datetime.now(UTC) - timedelta(seconds=settings.login_window_seconds)
    failures = (
        await session.execute(
            select(func.count(), func.min(LoginFailure.at)).where(
                LoginFailure.username == username, LoginFailure.at > since
            )
        )
    ).one()
    if failures[0] >= settings.login_max_failures:
        retry_after = int((failures[1] - since).total_seconds()) + 1
        raise TooManyRequests(
            "Đăng nhập sai quá nhiều lần, vui lòng thử lại sau / Too many failed logins",
            headers={"Retry-After": str(max(retry_after, 1))},
        )


async def authenticate(
    session: AsyncSession,
    username: str,
    password: str,
    *,
    remote_addr: str,
    settings: GatewaySettings,
) -> User:
    username = username.strip().lower()
    await _check_throttle(session, username, settings)
    user = (
        await session.execute(select(User).where(User.username == username))
    ).scalar_one_or_none()
    ok = verify_password(password, user.password_hash if user else None)
    if not ok or user is None or not user.active:
        session.add(LoginFailure(username=username, remote_addr=remote_addr))
        await session.commit()
        raise Unauthorized(BAD_LOGIN)
    await session.execute(delete(LoginFailure).where(LoginFailure.username == username))
    return user


async def issue_pair(
    session: AsyncSession,
    user: User,
    issuer: TokenIssuer,
    settings: GatewaySettings,
    *,
    family_id: uuid.UUID | None = None,
) -> TokenPair:
    token, token_hash = new_refresh_token()
    session.add(
        RefreshToken(
            family_id=family_id or uuid.uuid4(),
            user_id=user.id,
            token_hash=token_hash,
            expires_at=datetime.now(UTC) + timedelta(seconds=settings.refresh_token_ttl_seconds),
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
    user = await session.get(User, stored.user_id)
    if user is None or not user.active:
        raise Unauthorized(BAD_REFRESH)
    stored.rotated_at = datetime.now(UTC)
    return await issue_pair(session, user, issuer, settings, family_id=stored.family_id)


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
) -> ClientToken:
    client = await session.get(ApiClient, client_id)
    if not verify_password(client_secret, client.secret_hash if client else None):
        raise Unauthorized("Sai thông tin ứng dụng / Invalid client credentials")
    assert client is not None
    if not client.active:
        raise Unauthorized("Sai thông tin ứng dụng / Invalid client credentials")
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
