"""`GET /internal/persons/{id}`: the registry's answer to another service, and to nobody else."""

from __future__ import annotations

import uuid

import httpx

from deploy.local.stack import Stack
from tests.support import Api, client_token, db_scalar, person_body


def test_a_service_reads_where_a_person_is_filed(stack: Stack, commune_officer: Api) -> None:
    person = commune_officer.post("/api/registry/persons", json=person_body()).json()
    token = client_token(
        stack.config.base_url("gateway"),
        "treatment-service",
        stack.config.secrets["client_secret_treatment"],
    )
    registry = stack.config.base_url("registry")
    headers = {"Authorization": f"Bearer {token}"}
    found = httpx.get(f"{registry}/internal/persons/{person['id']}", headers=headers)
    assert found.status_code == 200, found.text
    assert found.json() == {
        "id": person["id"],
        "unit_code": "11953",
        "unit_path": found.json()["unit_path"],
        "date_of_birth": "1990-05-17",
        "birth_year": 1990,
        "sex": "male",
        "status": person["status"],
        "closed_on": None,
    }
    assert found.json()["unit_path"].endswith(".11953")
    # Names and identifiers never leave through this door.
    assert "full_name" not in found.json() and "national_id" not in found.json()
    missing = httpx.get(f"{registry}/internal/persons/{uuid.uuid4()}", headers=headers)
    assert missing.status_code == 404
    audited = db_scalar(
        stack.config,
        "registry",
        "SELECT count(*) FROM audit_log WHERE action = 'person.read_ref' AND resource_id = $1",
        person["id"],
    )
    assert audited == 1


def test_an_officer_token_may_not_use_it(stack: Stack, commune_officer: Api) -> None:
    person = commune_officer.post("/api/registry/persons", json=person_body()).json()
    officer_token = commune_officer.headers["Authorization"]
    direct = httpx.get(
        f"{stack.config.base_url('registry')}/internal/persons/{person['id']}",
        headers={"Authorization": officer_token},
    )
    assert direct.status_code == 403
    # Nor is it reachable through the gateway.
    proxied = commune_officer.get(f"/api/registry/internal/persons/{person['id']}")
    assert proxied.status_code == 404
