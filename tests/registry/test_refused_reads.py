"""A refused read keeps its audit row: the handlers run on the commit-on-success session
(`TransactionDep`, which rolls back on a 404), so the refusal commits its audit row first."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from deploy.local.stack import Stack
from tests.support import Api, client_token, db_scalar, person_body

AUDITED = "SELECT outcome FROM audit_log WHERE action = $1 AND resource_id = $2 AND request_id = $3"


def _person(api: Api) -> dict[str, Any]:
    created = api.post("/api/registry/persons", json=person_body())
    assert created.status_code == 201, created.text
    return dict(created.json())


def _outcome(stack: Stack, action: str, resource_id: str, response: httpx.Response) -> Any:
    return db_scalar(
        stack.config, "registry", AUDITED, action, resource_id, response.headers["X-Request-ID"]
    )


@pytest.mark.parametrize(
    ("path", "action"),
    [
        ("", "person.read"),
        ("/determinations", "determination.list"),
        ("/commitments/{other}/document", "commitment.document_read"),
    ],
)
def test_a_refused_read_keeps_its_audit_row(
    stack: Stack, commune_officer: Api, other_commune_officer: Api, path: str, action: str
) -> None:
    person = _person(commune_officer)["id"]
    url = f"/api/registry/persons/{person}" + path.format(other=uuid.uuid4())
    # A peer commune does not see the person: 404, and the attempt is on the trail.
    refused = other_commune_officer.get(url)
    assert refused.status_code == 404, refused.text
    assert _outcome(stack, action, person, refused) == "not_found"
    # The owner's read answers (or, for a missing document, refuses) and is on the trail too.
    read = commune_officer.get(url)
    assert read.status_code == (404 if "document" in path else 200), read.text
    assert _outcome(stack, action, person, read) == ("not_found" if "document" in path else "ok")


def test_a_refused_service_read_keeps_its_audit_row(stack: Stack) -> None:
    token = client_token(
        stack.config.base_url("gateway"),
        "treatment-service",
        stack.config.secrets["client_secret_treatment"],
    )
    missing = str(uuid.uuid4())
    refused = httpx.get(
        f"{stack.config.base_url('registry')}/internal/persons/{missing}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert refused.status_code == 404
    assert _outcome(stack, "person.read_ref", missing, refused) == "not_found"
