"""The gateway's own tables: users, API clients, refresh tokens, login throttles."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ARRAY, Boolean, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Base, make_metadata, utcnow


class GatewayBase(Base):
    __abstract__ = True
    metadata = make_metadata()


class User(GatewayBase):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    jurisdiction: Mapped[str] = mapped_column(String(40))
    jurisdiction_path: Mapped[str] = mapped_column(String(200))
    facility_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )


class ApiClient(GatewayBase):
    """An agency system or one of our services, authenticating with client credentials."""

    __tablename__ = "api_clients"

    client_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    secret_hash: Mapped[str] = mapped_column(String(300))
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(60)))
    jurisdiction: Mapped[str] = mapped_column(String(40))
    jurisdiction_path: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class RefreshToken(GatewayBase):
    """One issued refresh token; a family is every token rotated from one login."""

    __tablename__ = "refresh_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    family_id: Mapped[uuid.UUID] = mapped_column(index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rotated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AuthThrottle(GatewayBase):
    """Attempts counted per key (`user:<name>@<address>`, `ip:<address>`, ...) in a window;
    incremented with one UPSERT ... RETURNING, so concurrent guesses cannot slip past it."""

    __tablename__ = "auth_throttles"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
