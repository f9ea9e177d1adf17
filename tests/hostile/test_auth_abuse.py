"""Login floods, lockouts, service secrets and refresh families against the running gateway."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx

from deploy.local.stack import SERVICES, Stack
from gateway.seed import DEMO_PASSWORD
from tests.hostile.conftest import client_from
from tests.support import db_execute


def _login(client: httpx.Client, username: str, password: str) -> httpx.Response:
    return client.post("/auth/login", json={"username": username, "password": password})


def test_logins_in_flight_do_not_stall_other_calls(gateway_url: str) -> None:
    """Argon2 runs off the event loop: /healthz answers while a batch of logins is checked."""
    logins = 12
    clients = [client_from(f"127.0.1.{i + 1}", gateway_url) for i in range(logins)]
    with ThreadPoolExecutor(logins) as pool:
        started = time.perf_counter()
        futures = [
            pool.submit(_login, c, f"nobody-{uuid.uuid4().hex[:6]}", "wrong") for c in clients
        ]
        time.sleep(0.05)
        probe_started = time.perf_counter()
        health = httpx.get(f"{gateway_url}/healthz", timeout=30)
        probe = time.perf_counter() - probe_started
        statuses = [f.result().status_code for f in futures]
        batch = time.perf_counter() - started
    assert health.status_code == 200
    assert statuses == [401] * logins
    # On the event loop the probe waited behind the queued checks (most of the batch); now it
    # waits for none of them. Relative, so a busy test machine does not decide the outcome.
    assert probe < batch / 3, (probe, batch)


def test_a_stranger_cannot_lock_an_officer_out(gateway_url: str) -> None:
    with client_from("127.0.2.1", gateway_url) as stranger:
        statuses = [_login(stranger, "tnv.phohien", "guess").status_code for _ in range(7)]
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]
    with client_from("127.0.2.2", gateway_url) as officer:
        assert _login(officer, "tnv.phohien", DEMO_PASSWORD).status_code == 200


def test_a_forged_forwarded_for_does_not_escape_the_throttle(gateway_url: str) -> None:
    user = f"ghost-{uuid.uuid4().hex[:8]}"
    statuses = [
        httpx.post(
            f"{gateway_url}/auth/login",
            json={"username": user, "password": "x"},
            headers={"X-Forwarded-For": f"203.0.113.{i}", "X-Real-IP": f"203.0.113.{i}"},
        ).status_code
        for i in range(6)
    ]
    assert statuses == [401] * 5 + [429]


def test_the_throttle_holds_under_concurrent_guesses(gateway_url: str) -> None:
    """Twenty guesses at once from one address: exactly five are checked, the rest are 429."""
    user = f"ghost-{uuid.uuid4().hex[:8]}"
    with client_from("127.0.2.3", gateway_url) as client, ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(lambda _: _login(client, user, "x").status_code, range(20)))
    assert sorted(statuses) == [401] * 5 + [429] * 15
    blocked = next(s for s in statuses if s == 429)
    assert blocked == 429


def test_a_throttled_answer_is_a_problem_with_retry_after(gateway_url: str) -> None:
    user = f"ghost-{uuid.uuid4().hex[:8]}"
    with client_from("127.0.2.4", gateway_url) as client:
        for _ in range(5):
            _login(client, user, "x")
        response = _login(client, user, "x")
    assert response.status_code == 429
    assert response.headers["content-type"].startswith("application/problem+json")
    assert 0 < int(response.headers["retry-after"]) <= 900


def test_one_address_spraying_many_accounts_is_throttled(gateway_url: str) -> None:
    """Each account is guessed once, so only the address's own limit can stop it."""

    def spray(client: httpx.Client) -> int:
        return _login(client, f"spray-{uuid.uuid4().hex[:8]}", "x").status_code

    with client_from("127.0.2.5", gateway_url) as client, ThreadPoolExecutor(4) as pool:
        first = list(pool.map(lambda _: spray(client), range(30)))
        after = [spray(client) for _ in range(2)]
    assert first == [401] * 30
    assert after == [429, 429]


def test_the_client_token_endpoint_is_throttled(gateway_url: str) -> None:
    form = {"grant_type": "client_credentials", "client_id": "province-hungyen"}
    with client_from("127.0.2.6", gateway_url) as client:
        statuses = [
            client.post("/auth/token", data={**form, "client_secret": "guess"}).status_code
            for _ in range(6)
        ]
        assert statuses == [401] * 5 + [429]
    with client_from("127.0.2.7", gateway_url) as agency:
        ok = agency.post("/auth/token", data={**form, "client_secret": DEMO_PASSWORD})
        assert ok.status_code == 200


def test_each_service_has_its_own_secret_and_only_the_feed_scope(
    gateway_url: str, stack: Stack
) -> None:
    secrets = {name: stack.config.secrets[f"client_secret_{name}"] for name in SERVICES}
    assert len(set(secrets.values())) == len(SERVICES)
    with client_from("127.0.2.8", gateway_url) as client:

        def token(client_id: str, secret: str, scope: str | None = None) -> httpx.Response:
            data = {"grant_type": "client_credentials", "client_id": client_id}
            data["client_secret"] = secret
            if scope:
                data["scope"] = scope
            return client.post("/auth/token", data=data)

        granted = token("registry-service", secrets["registry"])
        assert granted.status_code == 200 and granted.json()["scope"] == "events:read"
        # Another service's secret does not open this service's client.
        assert token("registry-service", secrets["reporting"]).status_code == 401
        for scope in ("persons:read", "units:read", "targets:write"):
            assert token("reporting-service", secrets["reporting"], scope).status_code == 400


def test_refresh_families_expire_absolutely(gateway_url: str, stack: Stack) -> None:
    with client_from("127.0.2.9", gateway_url) as client:
        pair = _login(client, "xa.hongchau", DEMO_PASSWORD).json()
        rotated = client.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]})
        assert rotated.status_code == 200
        # The family began 31 days ago; each token in it is still within its sliding window.
        db_execute(
            stack.config,
            "gateway",
            "UPDATE refresh_tokens SET issued_at = now() - interval '31 days' "
            "WHERE family_id = (SELECT family_id FROM refresh_tokens "
            "ORDER BY issued_at DESC LIMIT 1)",
        )
        latest = rotated.json()["refresh_token"]
        response = client.post("/auth/refresh", json={"refresh_token": latest})
    assert response.status_code == 401
