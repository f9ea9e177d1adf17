"""Paths that must never reach a service, and headers a client must not choose."""

from __future__ import annotations

import uuid

import httpx
import pytest
from starlette.requests import Request

from deploy.local.stack import Stack
from gateway.proxy.router import _forward_headers
from tests.support import Api, person_body

UNSAFE_PATHS = [
    "/api/registry/%2e%2e/internal/events",
    "/api/registry/%2E%2E/internal/events",
    "/api/registry/%2e/internal/events",
    "/api/registry/persons/%2e%2e/%2e%2e/internal/events",
    "/%2e%2e/readyz",
    "/%2e%2e/openapi.json",
    "/api/registry/persons/%19x",
    "/api/registry/persons/%00",
    "/api/registry/persons/a%0d%0aX-Injected:%201",
    "/api/registry//persons",
    "/api/registry/persons%2f%2fx",
    # A decoded `?` must stay in the path, never start a query.
    "/api/registry/persons%3Flimit=1",
]


@pytest.mark.parametrize("path", UNSAFE_PATHS)
def test_unsafe_paths_are_404_problems(admin: Api, path: str) -> None:
    # httpx keeps percent-escapes as given, so the gateway sees exactly these bytes.
    response = admin.get(path)
    assert response.status_code == 404, (path, response.status_code, response.text[:200])
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE"])
def test_unsafe_paths_are_refused_for_every_method(admin: Api, method: str) -> None:
    response = admin.request(method, "/api/registry/persons/%19x", json={})
    assert response.status_code == 404


def test_services_refuse_unsafe_paths_themselves(stack: Stack, admin: Api) -> None:
    registry = stack.config.base_url("registry")
    response = httpx.get(f"{registry}/persons/%19x", headers=admin.headers)
    assert response.status_code == 404


def test_a_forged_request_id_is_replaced_even_on_audited_writes(commune_officer: Api) -> None:
    forged = "x" * 100
    response = commune_officer.post(
        "/api/registry/persons", json=person_body(), headers={"X-Request-ID": forged}
    )
    assert response.status_code == 201, response.text
    echoed = response.headers["x-request-id"]
    assert echoed != forged and 8 <= len(echoed) <= 64


@pytest.mark.parametrize("given", ["short", "has space inside", 'quote"inside-id', "ü" * 10])
def test_request_ids_outside_the_safe_pattern_are_replaced(admin: Api, given: str) -> None:
    response = admin.get("/api/registry/units/33", headers={"X-Request-ID": given.encode()})
    assert response.status_code == 200
    assert response.headers["x-request-id"] != given


def test_a_plain_request_id_is_kept(admin: Api) -> None:
    given = str(uuid.uuid4())
    response = admin.get("/api/registry/units/33", headers={"X-Request-ID": given})
    assert response.headers["x-request-id"] == given


def _request(headers: dict[str, str], client: str = "10.1.2.3") -> Request:
    scope = {
        "type": "http",
        "method": "GET",
        "scheme": "https",
        "path": "/api/registry/persons",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": (client, 5555),
        "server": ("gateway.example", 443),
    }
    request = Request(scope)
    request.state.request_id = "req-12345678"
    return request


def test_client_forwarding_headers_are_replaced_by_the_gateways() -> None:
    forged = {
        "Host": "gateway.example",
        "X-Forwarded-For": "1.2.3.4",
        "X-Forwarded-Host": "evil.example",
        "X-Forwarded-Proto": "http",
        "Forwarded": "for=1.2.3.4;proto=http",
        "X-Real-IP": "1.2.3.4",
        "Authorization": "Bearer abc",
    }
    headers = {
        k.decode().lower(): v.decode("latin-1") for k, v in _forward_headers(_request(forged))
    }
    assert headers["x-forwarded-for"] == "10.1.2.3"
    assert headers["x-real-ip"] == "10.1.2.3"
    assert headers["x-forwarded-host"] == "gateway.example"
    assert headers["x-forwarded-proto"] == "https"
    assert "forwarded" not in headers
    assert headers["authorization"] == "Bearer abc"


# Found by `make fuzz`: a unit code in a query string went into the registry's URL as is, so
# a carriage return was a 500 and an empty code a 503.
@pytest.mark.parametrize("unit", ["\r", "11953\r\n", "a/b", "..", " "])
def test_a_malformed_unit_filter_is_a_422_not_a_server_error(admin: Api, unit: str) -> None:
    for path in ("/api/treatment/episodes", "/api/treatment/dossiers", "/api/treatment/flags"):
        response = admin.get(path, params={"unit": unit})
        assert response.status_code == 422, (path, unit, response.status_code, response.text)
        assert response.json()["errors"][0]["field"] == "unit"


@pytest.mark.parametrize("unit", ["", "\r", "a/b"])
def test_counts_for_a_malformed_unit_are_a_404(admin: Api, unit: str) -> None:
    response = admin.get("/api/reporting/counts/persons", params={"unit": unit})
    assert response.status_code == 404, (unit, response.status_code, response.text)


def test_a_header_outside_ascii_reaches_the_service_and_is_refused_there(
    commune_officer: Api,
) -> None:
    """Found by `make fuzz`: the proxy crashed (500) encoding such a value for the upstream."""
    response = commune_officer.post(
        "/api/registry/persons",
        json=person_body(),
        headers={"Idempotency-Key": "khóa-một".encode()},
    )
    assert response.status_code == 422, response.text
    assert {e["field"] for e in response.json()["errors"]} == {"Idempotency-Key"}
