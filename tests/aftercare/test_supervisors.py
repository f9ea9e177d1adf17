from __future__ import annotations

from tests.support import Api, problem_fields


def _supervisor(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "full_name": "Hoàng Thị Hoa",
        "organisation": "women_union",
        "unit_code": "11953",
        "phone": "0912345678",
    }
    body.update(overrides)
    return body


def test_commune_registers_supervisors_peer_cannot_see(
    commune_officer: Api, other_commune_officer: Api, volunteer: Api
) -> None:
    created = commune_officer.post("/api/aftercare/supervisors", json=_supervisor())
    assert created.status_code == 201, created.text
    sid = created.json()["id"]
    assert sid in {s["id"] for s in volunteer.get("/api/aftercare/supervisors").json()["items"]}
    peer = other_commune_officer.get("/api/aftercare/supervisors").json()["items"]
    assert sid not in {s["id"] for s in peer}


def test_supervisor_input_errors(commune_officer: Api, volunteer: Api) -> None:
    outside = commune_officer.post(
        "/api/aftercare/supervisors", json=_supervisor(unit_code="11980")
    )
    assert outside.status_code == 422 and problem_fields(outside) == {"unit_code"}
    bad = commune_officer.post(
        "/api/aftercare/supervisors", json=_supervisor(organisation="club", phone="abc")
    )
    assert bad.status_code == 422 and problem_fields(bad) == {"organisation", "phone"}
    assert volunteer.post("/api/aftercare/supervisors", json=_supervisor()).status_code == 403
