"""Tokens: jurisdiction claims, the JWKS cache, key rotation, production key and demo users."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from deploy.local import postgres
from deploy.local.stack import REPO, Stack
from gateway.app import create_app
from gateway.identity.keys import generate_pem, load_key_ring, load_signing_key
from gateway.identity.tokens import TokenIssuer
from gateway.seed import DEMO_PASSWORD
from gateway.settings import GatewaySettings
from services.auth import JwksCache, TokenVerifier
from services.errors import Unauthorized

ISSUER = "cainghien-gateway"
AUDIENCE = "cainghien-api"


def _stack_issuer(stack: Stack) -> TokenIssuer:
    """The running gateway's own key, so forged claims carry a valid signature."""
    key = load_signing_key(None, stack.config.data_dir / "gateway")
    return TokenIssuer(key, issuer=ISSUER, audience=AUDIENCE)


BAD_JURISDICTIONS: list[dict[str, Any]] = [
    {"jurisdiction": "", "jurisdiction_path": ""},
    {"jurisdiction": "33", "jurisdiction_path": ""},
    {"jurisdiction": "", "jurisdiction_path": "VN.33"},
    {},
    {"jurisdiction": "33", "jurisdiction_path": "VN.33.*"},
    {"jurisdiction": "33", "jurisdiction_path": "VN.31"},
    {"jurisdiction": "*", "jurisdiction_path": "*"},
    {"jurisdiction": ["33"], "jurisdiction_path": "VN.33"},
    {"jurisdiction": "33", "jurisdiction_path": "33"},
]


@pytest.mark.parametrize("claims", BAD_JURISDICTIONS)
def test_a_token_without_a_valid_jurisdiction_is_refused(
    stack: Stack, gateway_url: str, claims: dict[str, Any]
) -> None:
    token = _stack_issuer(stack).issue(
        "forged", {"roles": ["admin"], "preferred_username": "forged", **claims}, 300
    )
    headers = {"Authorization": f"Bearer {token}"}
    for url in (
        f"{gateway_url}/api/registry/persons",
        f"{stack.config.base_url('reporting')}/counts/persons",
        f"{gateway_url}/auth/me",
    ):
        response = httpx.get(url, headers=headers)
        assert response.status_code == 401, (url, claims, response.text)


def test_a_well_formed_jurisdiction_still_works(stack: Stack, gateway_url: str) -> None:
    token = _stack_issuer(stack).issue(
        "ok",
        {"roles": ["province_officer"], "jurisdiction": "33", "jurisdiction_path": "VN.33"},
        300,
    )
    response = httpx.get(
        f"{gateway_url}/api/registry/persons", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200


class CountingJwks:
    """A stand-in issuer endpoint (an HTTP peer, not our code) that counts its callers."""

    def __init__(self, jwks: dict[str, Any] | None, delay: float = 0.05) -> None:
        self.jwks = jwks
        self.delay = delay
        self.calls = 0

    async def handler(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        await asyncio.sleep(self.delay)
        if self.jwks is None:
            return httpx.Response(503)
        return httpx.Response(200, json=self.jwks)


@pytest.fixture(scope="module")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> TokenIssuer:
    key = load_signing_key(None, tmp_path_factory.mktemp("keys"))
    return TokenIssuer(key, issuer=ISSUER, audience=AUDIENCE)


def test_concurrent_callers_share_one_jwks_fetch(issuer: TokenIssuer) -> None:
    peer = CountingJwks(issuer.jwks())

    async def run() -> list[dict[str, Any] | None]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(peer.handler)) as http:
            cache = JwksCache("http://issuer/jwks", http=http)
            return await asyncio.gather(*(cache.get(issuer.key.kid) for _ in range(50)))

    keys = asyncio.run(run())
    assert peer.calls == 1
    assert all(k is not None and k["kid"] == issuer.key.kid for k in keys)


def test_a_failing_jwks_fetch_is_not_repeated_by_every_caller(issuer: TokenIssuer) -> None:
    peer = CountingJwks(None)

    async def run() -> int:
        refused = 0
        async with httpx.AsyncClient(transport=httpx.MockTransport(peer.handler)) as http:
            cache = JwksCache("http://issuer/jwks", http=http)
            for _ in range(3):
                results = await asyncio.gather(
                    *(cache.get("any") for _ in range(20)), return_exceptions=True
                )
                refused += sum(isinstance(r, Unauthorized) for r in results)
        return refused

    assert asyncio.run(run()) == 60
    assert peer.calls == 1  # the failure is remembered during its backoff


def test_rotation_publishes_both_keys_and_old_tokens_still_verify(tmp_path: Path) -> None:
    before = load_key_ring(None, None, tmp_path, production=False)
    old_token = TokenIssuer(before, issuer=ISSUER, audience=AUDIENCE).issue(
        "u", {"jurisdiction": "VN", "jurisdiction_path": "VN"}, 300
    )
    result = subprocess.run(
        [sys.executable, "-m", "gateway.identity.keys", "rotate", "--data-dir", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    after = load_key_ring(None, None, tmp_path, production=False)
    assert after.current.kid != before.current.kid
    assert after.previous is not None and after.previous.kid == before.current.kid
    assert after.current.kid in result.stdout
    issuer = TokenIssuer(after, issuer=ISSUER, audience=AUDIENCE)
    jwks = issuer.jwks()
    assert [k["kid"] for k in jwks["keys"]] == [after.current.kid, before.current.kid]
    verifier = TokenVerifier(JwksCache("unused", static=jwks), issuer=ISSUER, audience=AUDIENCE)
    new_token = issuer.issue("u", {"jurisdiction": "VN", "jurisdiction_path": "VN"}, 300)
    for token in (old_token, new_token):
        assert asyncio.run(verifier.verify(token))["sub"] == "u"


def test_rotation_through_settings_publishes_the_previous_key(tmp_path: Path) -> None:
    old, new = generate_pem(), generate_pem()
    ring = load_key_ring(new, old, tmp_path, production=True)
    assert len(TokenIssuer(ring, issuer=ISSUER, audience=AUDIENCE).jwks()["keys"]) == 2


def test_production_refuses_to_start_without_a_signing_key(tmp_path: Path) -> None:
    settings = GatewaySettings(environment="production", data_dir=tmp_path)
    with pytest.raises(RuntimeError, match="CN_SIGNING_KEY_PEM"):
        create_app(settings)
    assert not (tmp_path / "signing-key.pem").exists()


@pytest.fixture(scope="module")
def production_gateway(stack: Stack) -> Iterator[str]:
    """A second gateway in production mode over the test stack's gateway database."""
    port = postgres.free_port()
    env = {
        **os.environ,
        **stack.config.env("gateway"),
        "CN_ENVIRONMENT": "production",
        "CN_SIGNING_KEY_PEM": generate_pem(),
    }
    log = (stack.config.data_dir / "production-gateway.log").open("ab")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "gateway.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, "the production gateway exited"
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)
        log.close()


def test_demo_users_are_refused_at_login_in_production(production_gateway: str) -> None:
    response = httpx.post(
        f"{production_gateway}/auth/login",
        json={"username": "admin", "password": DEMO_PASSWORD},
        timeout=30,
    )
    assert response.status_code == 401
    agency = httpx.post(
        f"{production_gateway}/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "province-hungyen",
            "client_secret": DEMO_PASSWORD,
        },
        timeout=30,
    )
    assert agency.status_code == 401
