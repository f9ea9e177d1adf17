"""Oversized bodies, control characters, malformed JSON and wrong methods: 4xx, never 500."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from deploy.local.stack import Stack
from tests.hostile.conftest import raw_request, status_of
from tests.support import Api, person_body, problem_fields

MiB = 1024 * 1024


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_declared_300_mb_login_body_is_refused_before_it_is_read(gateway_url: str) -> None:
    head = (
        b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 314572800\r\n\r\n"
    )
    raw = raw_request(gateway_url, head, [b"{" + b" " * 65535])
    assert status_of(raw) == 413
    assert b"application/problem+json" in raw


def test_a_streamed_body_is_cut_off_at_the_cap(gateway_url: str, stack: Stack) -> None:
    """Chunked (no Content-Length): counted as it arrives; the gateway does not grow."""
    pid = stack.processes["gateway"].pid
    before = _rss_kib(pid)
    head = (
        b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b" " * 65536
    framed = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
    raw = raw_request(gateway_url, head, [framed] * (64 * 16))  # 64 MiB offered
    assert status_of(raw) == 413
    assert _rss_kib(pid) - before < 32 * 1024


def test_a_streamed_body_through_the_proxy_is_cut_off(gateway_url: str, admin: Api) -> None:
    token = admin.headers["authorization"].encode()
    head = (
        b"POST /api/registry/persons HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Authorization: " + token + b"\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b" " * 65536
    framed = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
    raw = raw_request(gateway_url, head, [framed] * 64)
    assert status_of(raw) == 413


def test_every_service_caps_json_bodies(stack: Stack, admin: Api) -> None:
    for service in ("registry", "treatment", "aftercare", "reporting", "gateway"):
        url = stack.config.base_url(service)
        response = httpx.post(
            f"{url}/anything",
            content=b" " * (2 * MiB),
            headers={**admin.headers, "Content-Type": "application/json"},
        )
        assert response.status_code == 413, (service, response.status_code)
        assert response.headers["content-type"].startswith("application/problem+json")


def test_a_nul_in_the_residence_unit_code_is_a_422_naming_it(commune_officer: Api) -> None:
    body = person_body(residence={"unit_code": "11953\x00", "address": "12 Phố Hiến"})
    response = commune_officer.post("/api/registry/persons", json=body)
    assert response.status_code == 422, response.text
    assert problem_fields(response) == {"residence.unit_code"}


@pytest.mark.parametrize(
    ("field", "value"),
    [("full_name", "Nguyễn\x00Văn"), ("notes", "ghi chú\x1b[31m"), ("occupation", "a\x7f")],
)
def test_control_characters_in_text_are_refused(
    commune_officer: Api, field: str, value: str
) -> None:
    response = commune_officer.post("/api/registry/persons", json=person_body(**{field: value}))
    assert response.status_code == 422, response.text
    assert problem_fields(response) == {field}


def test_a_patch_with_a_nul_is_refused(commune_officer: Api) -> None:
    created = commune_officer.post("/api/registry/persons", json=person_body())
    assert created.status_code == 201
    response = commune_officer.patch(
        f"/api/registry/persons/{created.json()['id']}",
        json={"occupation": "nông\x00dân"},
        headers={"If-Match": created.headers["etag"]},
    )
    assert response.status_code == 422, response.text
    assert problem_fields(response) == {"occupation"}


def test_line_breaks_in_notes_are_still_accepted(commune_officer: Api) -> None:
    body = person_body(notes="dòng một\ndòng hai\r\n\tthụt lề")
    assert commune_officer.post("/api/registry/persons", json=body).status_code == 201


def test_a_nul_in_a_query_parameter_is_a_422_naming_it(commune_officer: Api) -> None:
    response = commune_officer.get("/api/registry/persons", params={"q": "abc\x00"})
    assert response.status_code == 422, response.text
    assert problem_fields(response) == {"q"}


@pytest.mark.parametrize("body", [b"{not json", b'{"username": "\xff\xfe"}', b"\xff"])
def test_malformed_json_is_a_documented_422(gateway_url: str, body: bytes) -> None:
    response = httpx.post(
        f"{gateway_url}/auth/login", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_get_on_the_login_endpoint_is_405_allowing_post(gateway_url: str) -> None:
    response = httpx.get(f"{gateway_url}/auth/login")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.headers["content-type"].startswith("application/problem+json")


def _allow(response: httpx.Response) -> set[str]:
    return {m.strip() for m in response.headers["allow"].split(",")}


def test_405_allows_only_what_the_path_supports(admin: Api) -> None:
    listing = admin.delete("/api/registry/persons")
    assert listing.status_code == 405
    assert _allow(listing) == {"GET", "POST"}
    one = admin.put("/api/registry/persons/00000000-0000-0000-0000-000000000000", json={})
    assert one.status_code == 405
    assert _allow(one) == {"GET", "PATCH"}
    options = admin.options("/api/registry/persons")
    assert options.status_code == 405
    assert _allow(options) == {"GET", "POST"}


def test_uploads_keep_their_own_larger_limit(commune_officer: Api) -> None:
    """A 3 MiB scan passes the 1 MiB JSON cap (multipart has its own); 6 MiB meets the scan
    endpoint's 5 MB limit."""
    created = commune_officer.post("/api/registry/persons", json=person_body())
    person = created.json()["id"]
    commitment = commune_officer.post(
        f"/api/registry/persons/{person}/commitments",
        json={"signed_on": "2026-01-05", "signer_name": "Hoa", "relationship": "Vợ"},
    )
    assert commitment.status_code == 201, commitment.text
    url = f"/api/registry/persons/{person}/commitments/{commitment.json()['id']}/document"
    pdf = b"%PDF-1.4\n" + b"%" + b" " * (3 * MiB) + b"\n%%EOF\n"
    ok = commune_officer.put(url, files={"file": ("scan.pdf", pdf, "application/pdf")})
    assert ok.status_code == 200, ok.text[:300]
    big = b"%PDF-1.4\n" + b" " * (6 * MiB)
    refused = commune_officer.put(url, files={"file": ("scan.pdf", big, "application/pdf")})
    assert refused.status_code == 413
