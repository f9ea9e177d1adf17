"""Every person-scoped endpoint: a peer commune gets 404 (never the person, never 403) and
a volunteer gets nothing of the registry."""

from __future__ import annotations

import pytest

from services import clock
from tests.support import Api, person_body

TODAY = clock.today().isoformat()
# (method, path under the person, body)
PERSON_ENDPOINTS = [
    ("GET", "", None),
    ("PATCH", "", {"notes": "x"}),
    ("POST", "/close", {"on": TODAY, "reason": "x"}),
    ("GET", "/timeline", None),
    ("GET", "/movements", None),
    ("POST", "/movements", {"kind": "absent", "on": TODAY}),
    ("GET", "/determinations", None),
    (
        "POST",
        "/determinations",
        {
            "determined_on": TODAY,
            "clinic": "Trạm y tế",
            "result": "addicted",
            "substance_group": "opioids",
        },
    ),
    ("GET", "/drug-tests", None),
    ("POST", "/drug-tests", {"tested_on": TODAY, "result": "negative", "substances": []}),
    ("GET", "/commitments", None),
    (
        "POST",
        "/commitments",
        {"signed_on": TODAY, "signer_name": "Nguyễn Thị Mẹ", "relationship": "mẹ"},
    ),
    ("GET", "/checkins", None),
    ("POST", "/checkins", {"on": TODAY, "kind": "check_in", "outcome": "present"}),
]


@pytest.fixture(scope="module")
def person(commune_officer: Api) -> dict:
    created = commune_officer.post("/api/registry/persons", json=person_body())
    assert created.status_code == 201
    return dict(created.json())


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    PERSON_ENDPOINTS,
    ids=[f"{m} {s or '/'}" for m, s, _ in PERSON_ENDPOINTS],
)
def test_peer_commune_gets_404(
    other_commune_officer: Api, person: dict, method: str, suffix: str, body: dict | None
) -> None:
    response = other_commune_officer.request(
        method,
        f"/api/registry/persons/{person['id']}{suffix}",
        json=body,
        headers={"If-Match": f'"{person["version"]}"'},
    )
    assert response.status_code == 404, response.text
    assert person["full_name"] not in response.text


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    PERSON_ENDPOINTS,
    ids=[f"{m} {s or '/'}" for m, s, _ in PERSON_ENDPOINTS],
)
def test_volunteer_gets_nothing(
    volunteer: Api, person: dict, method: str, suffix: str, body: dict | None
) -> None:
    response = volunteer.request(
        method,
        f"/api/registry/persons/{person['id']}{suffix}",
        json=body,
        headers={"If-Match": f'"{person["version"]}"'},
    )
    assert response.status_code in (403, 404), response.text
    assert person["full_name"] not in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/api/registry/persons",
        "/api/registry/movements",
        "/api/registry/persons/export?format=csv",
        "/api/registry/groups?unit=11953",
    ],
)
def test_volunteer_lists_nothing(volunteer: Api, path: str) -> None:
    assert volunteer.get(path).status_code in (403, 404)


def test_peer_lists_never_show_the_person(other_commune_officer: Api, person: dict) -> None:
    listed = other_commune_officer.get(
        "/api/registry/persons", params={"q": person["full_name"]}
    ).json()["items"]
    assert listed == []
    exported = other_commune_officer.get(
        "/api/registry/persons/export", params={"format": "csv", "q": person["full_name"]}
    )
    assert exported.status_code == 200 and person["full_name"] not in exported.text
