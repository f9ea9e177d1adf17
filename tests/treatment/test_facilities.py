from __future__ import annotations

from tests.support import Api, problem_fields


def _facility(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "name": "Cơ sở cai nghiện ma túy số 2",
        "kind": "rehab_centre",
        "unit_code": "31",
        "capacities": {"compulsory": 300, "voluntary_facility": 200},
    }
    body.update(overrides)
    return body


def test_province_officer_creates_and_lists_facilities(admin: Api, province_officer: Api) -> None:
    created = admin.post("/api/treatment/facilities", json=_facility())
    assert created.status_code == 201, created.text
    facility = created.json()
    assert facility["capacities"] == {"compulsory": 300, "voluntary_facility": 200}
    mine = province_officer.post(
        "/api/treatment/facilities",
        json=_facility(
            name="Cơ sở Methadone Phố Hiến",
            kind="substitution_clinic",
            unit_code="11953",
            capacities={"substitution": 120},
        ),
    )
    assert mine.status_code == 201, mine.text
    # Hưng Yên's officer does not see Hải Phòng's facility.
    assert province_officer.get(f"/api/treatment/facilities/{facility['id']}").status_code == 404
    listed = province_officer.get("/api/treatment/facilities").json()["items"]
    assert facility["id"] not in {f["id"] for f in listed}
    assert mine.json()["id"] in {f["id"] for f in listed}


def test_facility_staff_sees_its_province(admin: Api, facility_staff: Api) -> None:
    created = admin.post(
        "/api/treatment/facilities", json=_facility(name="Cơ sở Hải Phòng 3")
    ).json()
    assert facility_staff.get(f"/api/treatment/facilities/{created['id']}").status_code == 200


def test_facility_input_errors(province_officer: Api, commune_officer: Api) -> None:
    unknown = province_officer.post("/api/treatment/facilities", json=_facility(unit_code="77777"))
    assert unknown.status_code == 422 and problem_fields(unknown) == {"unit_code"}
    outside = province_officer.post("/api/treatment/facilities", json=_facility(unit_code="31"))
    assert outside.status_code == 422 and problem_fields(outside) == {"unit_code"}
    bad_modality = province_officer.post(
        "/api/treatment/facilities", json=_facility(unit_code="33", capacities={"spa": 3})
    )
    assert bad_modality.status_code == 422
    assert commune_officer.post("/api/treatment/facilities", json=_facility()).status_code == 403
