from __future__ import annotations

import uuid

import httpx

from deploy.local.stack import Stack
from gateway.seed import DEMO_PASSWORD
from tests.support import Api


def _login(url: str, username: str, password: str = DEMO_PASSWORD) -> httpx.Response:
    return httpx.post(f"{url}/auth/login", json={"username": username, "password": password})


def test_login_and_me(gateway_url: str) -> None:
    response = _login(gateway_url, "xa.phohien")
    assert response.status_code == 200
    pair = response.json()
    assert pair["token_type"] == "bearer" and pair["expires_in"] > 0 and pair["refresh_token"]
    me = httpx.get(
        f"{gateway_url}/auth/me", headers={"Authorization": f"Bearer {pair['access_token']}"}
    ).json()
    assert me == {
        "username": "xa.phohien",
        "full_name": "Công an phường Phố Hiến",
        "roles": ["commune_police"],
        "jurisdiction": "11953",
        "facility_id": None,
    }


def test_wrong_password_is_401_problem(gateway_url: str) -> None:
    response = _login(gateway_url, "xa.phohien", "wrong")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "Sai tên đăng nhập" in response.json()["detail"]


def test_unknown_fields_in_login_are_refused(gateway_url: str) -> None:
    response = httpx.post(
        f"{gateway_url}/auth/login", json={"username": "a", "password": "b", "remember": True}
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"remember"}


def test_repeated_failures_are_throttled(gateway_url: str) -> None:
    ghost = f"ghost-{uuid.uuid4().hex[:8]}"
    statuses = [_login(gateway_url, ghost, "nope").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    throttled = _login(gateway_url, ghost, "nope")
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) > 0


def test_refresh_rotates_and_reuse_revokes_the_family(gateway_url: str) -> None:
    first = _login(gateway_url, "tinh.hungyen").json()
    second = httpx.post(
        f"{gateway_url}/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert second.status_code == 200
    second_pair = second.json()
    assert second_pair["refresh_token"] != first["refresh_token"]
    # The rotated token is presented again: someone replayed it.
    replay = httpx.post(
        f"{gateway_url}/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert replay.status_code == 401
    # ...so the legitimate holder's newer token is revoked too.
    after = httpx.post(
        f"{gateway_url}/auth/refresh", json={"refresh_token": second_pair["refresh_token"]}
    )
    assert after.status_code == 401


def test_logout_revokes_the_refresh_token(gateway_url: str) -> None:
    pair = _login(gateway_url, "tinh.hungyen").json()
    assert (
        httpx.post(
            f"{gateway_url}/auth/logout", json={"refresh_token": pair["refresh_token"]}
        ).status_code
        == 204
    )
    again = httpx.post(f"{gateway_url}/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert again.status_code == 401


def test_client_credentials(gateway_url: str) -> None:
    form = {
        "grant_type": "client_credentials",
        "client_id": "province-hungyen",
        "client_secret": DEMO_PASSWORD,
    }
    response = httpx.post(f"{gateway_url}/auth/token", data=form)
    assert response.status_code == 200
    assert response.json()["scope"] == "targets:write"
    bad = httpx.post(f"{gateway_url}/auth/token", data={**form, "client_secret": "x"})
    assert bad.status_code == 401
    greedy = httpx.post(f"{gateway_url}/auth/token", data={**form, "scope": "events:read"})
    assert greedy.status_code == 400


def test_jwks_publishes_only_public_rsa_keys(gateway_url: str) -> None:
    keys = httpx.get(f"{gateway_url}/.well-known/jwks.json").json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(keys[0])


def test_feeds_are_not_exposed_through_the_gateway(admin: Api) -> None:
    assert admin.get("/api/registry/internal/events").status_code == 404


def test_unknown_service_is_404(admin: Api) -> None:
    response = admin.get("/api/nowhere/things")
    assert response.status_code == 404


def test_request_id_and_security_headers(admin: Api) -> None:
    response = admin.get("/api/registry/units/33", headers={"X-Request-ID": "abc123-req"})
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "abc123-req"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_merged_openapi_lists_every_service(gateway_url: str) -> None:
    spec = httpx.get(f"{gateway_url}/api/openapi.json").json()
    for path in (
        "/auth/login",
        "/api/registry/persons",
        "/api/treatment/facilities",
        "/api/aftercare/supervisors",
        "/api/reporting/counts/persons",
    ):
        assert path in spec["paths"], path
    assert not [p for p in spec["paths"] if "/internal/" in p]


def test_spa_history_fallback(gateway_url: str) -> None:
    response = httpx.get(f"{gateway_url}/persons/some/deep/link")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


def test_readyz_checks_migrations(stack: Stack) -> None:
    for name in ("gateway", "registry", "treatment", "aftercare", "reporting"):
        body = httpx.get(f"{stack.config.base_url(name)}/readyz").json()
        assert body["status"] == "ready" and body["migration"], name
