"""`/auth/*` and `/.well-known/jwks.json`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from sqlalchemy import select

from gateway.identity import service
from gateway.identity.models import User
from gateway.identity.schemas import ClientToken, LoginIn, Me, RefreshIn, TokenPair
from gateway.identity.tokens import TokenIssuer
from gateway.settings import GatewaySettings
from services.auth import CurrentPrincipal
from services.db import SessionDep
from services.errors import BadRequest, Unauthorized, problem_responses

router = APIRouter(tags=["auth"])


def _issuer(request: Request) -> TokenIssuer:
    issuer: TokenIssuer = request.app.state.token_issuer
    return issuer


def _settings(request: Request) -> GatewaySettings:
    settings: GatewaySettings = request.app.state.settings
    return settings


def _remote(request: Request) -> str:
    # The peer address itself: forwarding headers from clients are never trusted here.
    return request.client.host if request.client else "unknown"


Issuer = Annotated[TokenIssuer, Depends(_issuer)]
Settings = Annotated[GatewaySettings, Depends(_settings)]


@router.post("/auth/login", response_model=TokenPair, responses=problem_responses(401, 422, 429))
async def login(
    body: LoginIn, request: Request, session: SessionDep, issuer: Issuer, settings: Settings
) -> TokenPair:
    """Officers: username and password → a short-lived access token and a refresh token."""
    user = await service.authenticate(
        session, body.username, body.password, remote_addr=_remote(request), settings=settings
    )
    pair = await service.issue_pair(session, user, issuer, settings)
    await session.commit()
    return pair


@router.post("/auth/refresh", response_model=TokenPair, responses=problem_responses(401, 422))
async def refresh(
    body: RefreshIn, session: SessionDep, issuer: Issuer, settings: Settings
) -> TokenPair:
    """Rotate: the old refresh token stops working; reusing it revokes the whole session."""
    pair = await service.rotate(session, body.refresh_token, issuer, settings)
    await session.commit()
    return pair


@router.post("/auth/logout", status_code=204, responses=problem_responses(422))
async def logout(body: RefreshIn, session: SessionDep) -> Response:
    await service.logout(session, body.refresh_token)
    await session.commit()
    return Response(status_code=204)


@router.post(
    "/auth/token", response_model=ClientToken, responses=problem_responses(400, 401, 422, 429)
)
async def client_token(
    request: Request,
    session: SessionDep,
    issuer: Issuer,
    settings: Settings,
    grant_type: Annotated[str, Form()],
    client_id: Annotated[str, Form(max_length=100)],
    client_secret: Annotated[str, Form(max_length=200)],
    scope: Annotated[str | None, Form(max_length=500)] = None,
) -> ClientToken:
    """Agencies and services: OAuth2 client credentials."""
    if grant_type != "client_credentials":
        raise BadRequest("grant_type phải là client_credentials", slug="unsupported-grant-type")
    return await service.client_credentials(
        session, client_id, client_secret, scope, issuer, settings, remote_addr=_remote(request)
    )


@router.get("/auth/me", response_model=Me, responses=problem_responses(401))
async def me(principal: CurrentPrincipal, session: SessionDep) -> Me:
    if principal.is_client:
        return Me(
            username=principal.username,
            full_name=principal.username,
            roles=[],
            jurisdiction=principal.jurisdiction,
            facility_id=None,
        )
    user = (
        await session.execute(select(User).where(User.username == principal.username))
    ).scalar_one_or_none()
    if user is None or not user.active:
        raise Unauthorized("Tài khoản không còn hiệu lực / Account disabled")
    return Me(
        username=user.username,
        full_name=user.full_name,
        roles=list(user.roles),
        jurisdiction=user.jurisdiction,
        facility_id=str(user.facility_id) if user.facility_id else None,
    )


@router.get("/.well-known/jwks.json", tags=["auth"])
async def jwks(issuer: Issuer) -> dict[str, Any]:
    return issuer.jwks()
