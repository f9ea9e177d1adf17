"""Every service verifies tokens itself: each forgery below must be a 401 problem+json."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jose import jwt

from gateway.identity.keys import load_signing_key
from gateway.identity.tokens import TokenIssuer
from services.auth import CurrentPrincipal, JwksCache, TokenVerifier
from services.errors import install_problem_handlers

ISSUER = "cainghien-gateway"
AUDIENCE = "cainghien-api"
CLAIMS = {"roles": ["commune_police"], "jurisdiction": "11953", "jurisdiction_path": "VN.33.11953"}


@pytest.fixture(scope="module")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> TokenIssuer:
    key = load_signing_key(None, tmp_path_factory.mktemp("keys"))
    return TokenIssuer(key, issuer=ISSUER, audience=AUDIENCE)


@pytest.fixture(scope="module")
def client(issuer: TokenIssuer) -> Iterator[TestClient]:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.token_verifier = TokenVerifier(
        JwksCache("http://unused", static=issuer.jwks()), issuer=ISSUER, audience=AUDIENCE
    )

    @app.get("/whoami")
    async def whoami(principal: CurrentPrincipal) -> dict[str, Any]:
        return {"subject": principal.subject, "jurisdiction": principal.jurisdiction_path}

    with TestClient(app) as test_client:
        yield test_client


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _call(client: TestClient, token: str) -> httpx.Response:
    return client.get("/whoami", headers={"Authorization": f"Bearer {token}"})


def _assert_refused(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 401


def _sign(issuer: TokenIssuer, **overrides: Any) -> str:
    now = int(time.time())
    payload = {"sub": "u1", "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 60, **CLAIMS}
    payload.update(overrides)
    return jwt.encode(
        payload, issuer.key.private_pem, algorithm="RS256", headers={"kid": issuer.key.kid}
    )


def test_a_valid_token_is_accepted(client: TestClient, issuer: TokenIssuer) -> None:
    response = _call(client, issuer.issue("u1", CLAIMS, 60))
    assert response.status_code == 200
    assert response.json() == {"subject": "u1", "jurisdiction": "VN.33.11953"}


def test_missing_token(client: TestClient) -> None:
    _assert_refused(client.get("/whoami"))


def test_expired(client: TestClient, issuer: TokenIssuer) -> None:
    past = int(time.time()) - 3600
    _assert_refused(_call(client, _sign(issuer, iat=past - 60, exp=past)))


def test_wrong_audience(client: TestClient, issuer: TokenIssuer) -> None:
    _assert_refused(_call(client, _sign(issuer, aud="another-api")))


def test_wrong_issuer(client: TestClient, issuer: TokenIssuer) -> None:
    _assert_refused(_call(client, _sign(issuer, iss="https://evil.example")))


def test_alg_none(client: TestClient, issuer: TokenIssuer) -> None:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": issuer.key.kid}).encode())
    body = _b64(
        json.dumps(
            {"sub": "u1", "iss": ISSUER, "aud": AUDIENCE, "exp": int(time.time()) + 60, **CLAIMS}
        ).encode()
    )
    _assert_refused(_call(client, f"{header}.{body}."))


def test_hs256_signed_with_the_public_key(client: TestClient, issuer: TokenIssuer) -> None:
    from cryptography.hazmat.primitives import serialization

    private = serialization.load_pem_private_key(issuer.key.private_pem.encode(), None)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = int(time.time())
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": issuer.key.kid}).encode())
    body = _b64(
        json.dumps(
            {"sub": "u1", "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 60, **CLAIMS}
        ).encode()
    )
    import hashlib
    import hmac

    signature = _b64(hmac.new(public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest())
    _assert_refused(_call(client, f"{header}.{body}.{signature}"))


def test_unknown_kid(client: TestClient, tmp_path: Path) -> None:
    other = TokenIssuer(load_signing_key(None, tmp_path), issuer=ISSUER, audience=AUDIENCE)
    _assert_refused(_call(client, other.issue("u1", CLAIMS, 60)))


def test_tampered_payload(client: TestClient, issuer: TokenIssuer) -> None:
    header, _, signature = issuer.issue("u1", CLAIMS, 60).split(".")
    forged = {
        "sub": "u1",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": int(time.time()),
        "exp": int(time.time()) + 60,
        **CLAIMS,
        "jurisdiction_path": "VN",
    }
    _assert_refused(_call(client, f"{header}.{_b64(json.dumps(forged).encode())}.{signature}"))


def test_garbage(client: TestClient) -> None:
    _assert_refused(_call(client, "not-a-token"))
