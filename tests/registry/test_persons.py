from __future__ import annotations

import uuid
from datetime import timedelta

from deploy.local.stack import Stack
from services import clock
from tests.support import Api, cccd, db_fetch, db_scalar, person_body, problem_fields, tag


def _create(api: Api, **overrides: object) -> dict[str, object]:
    response = api.post("/api/registry/persons", json=person_body(**overrides))
    assert response.status_code == 201, response.text
    return dict(response.json())


def _person_count(stack: Stack) -> int:
    return int(db_scalar(stack.config, "registry", "SELECT count(*) FROM persons"))


def test_commune_officer_files_a_person_and_reads_it_back(commune_officer: Api) -> None:
    nid = cccd(sex="female")
    created = _create(
        commune_officer, full_name="  Trần   Thị Bình ", sex="female", national_id=nid
    )
    assert created["full_name"] == "Trần Thị Bình"
    assert created["status"] == "addicted_untreated"
    assert created["national_id"] == nid  # in clear on the single-file answer
    assert created["residence"]["unit_name"] == "Phường Phố Hiến"

    response = commune_officer.get(f"/api/registry/persons/{created['id']}")
    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    assert response.json()["national_id"] == nid
    listed = commune_officer.get("/api/registry/persons", params={"q": nid}).json()["items"]
    assert [p["national_id"] for p in listed] == ["********" + nid[-4:]]


def test_illegal_user_starts_under_management(commune_officer: Api) -> None:
    created = _create(commune_officer, category="illegal_user")
    assert created["status"] == "illegal_user_managed"


def test_peer_commune_gets_404_and_never_lists_it(
    commune_officer: Api, other_commune_officer: Api, province_officer: Api
) -> None:
    name = f"Lê Văn Riêng {tag()}"
    created = _create(commune_officer, full_name=name)

    assert other_commune_officer.get(f"/api/registry/persons/{created['id']}").status_code == 404
    listed = other_commune_officer.get("/api/registry/persons", params={"q": name, "limit": 500})
    assert listed.status_code == 200
    assert all(p["id"] != created["id"] for p in listed.json()["items"])

    assert province_officer.get(f"/api/registry/persons/{created['id']}").status_code == 200
    seen = province_officer.get("/api/registry/persons", params={"q": name}).json()["items"]
    assert [p["id"] for p in seen] == [created["id"]]


def test_province_sees_both_communes(
    commune_officer: Api, other_commune_officer: Api, province_officer: Api
) -> None:
    word = tag()
    a = _create(commune_officer, full_name=f"Phạm Văn Một {word}")
    b = _create(
        other_commune_officer,
        full_name=f"Phạm Văn Hai {word}",
        residence={"unit_code": "11980", "address": "Hồng Châu"},
    )
    found = province_officer.get("/api/registry/persons", params={"q": word}).json()["items"]
    assert {p["id"] for p in found} == {a["id"], b["id"]}


def test_unauthenticated_call_is_401_problem(anonymous: Api) -> None:
    response = anonymous.get("/api/registry/persons")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_volunteer_and_facility_staff_see_nothing_of_the_registry(
    volunteer: Api, facility_staff: Api
) -> None:
    assert volunteer.get("/api/registry/persons").status_code == 403
    assert facility_staff.get("/api/registry/persons").status_code == 403


def test_search_ignores_diacritics_and_word_order(commune_officer: Api) -> None:
    word = tag()
    created = _create(commune_officer, full_name=f"Nguyễn Văn Đức {word}")
    for q in (f"nguyen van duc {word}", f"duc {word} nguyen", f"ĐỨC {word}"):
        items = commune_officer.get("/api/registry/persons", params={"q": q}).json()["items"]
        assert [p["id"] for p in items] == [created["id"]], q


def test_list_pages_with_a_cursor(commune_officer: Api) -> None:
    word = tag()
    ids = {_create(commune_officer, full_name=f"Đỗ Văn Trang {word} {i}")["id"] for i in range(5)}
    seen: list[str] = []
    cursor = None
    while True:
        params = {"q": word, "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = commune_officer.get("/api/registry/persons", params=params).json()
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 5 and set(seen) == ids


def test_unit_filter_takes_the_subtree(province_officer: Api, commune_officer: Api) -> None:
    word = tag()
    created = _create(commune_officer, full_name=f"Vũ Thị Cây {word}")
    in_province = province_officer.get("/api/registry/persons", params={"q": word, "unit": "33"})
    assert [p["id"] for p in in_province.json()["items"]] == [created["id"]]
    elsewhere = province_officer.get("/api/registry/persons", params={"q": word, "unit": "11980"})
    assert elsewhere.json()["items"] == []


def test_bad_input_is_422_naming_each_field_and_writes_nothing(
    stack: Stack, commune_officer: Api
) -> None:
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    cases = {
        "nickname": person_body(nickname="x"),
        "date_of_birth": person_body(date_of_birth="not-a-date"),
        "full_name": person_body(full_name="   "),
        "sex": person_body(sex="unknown"),
        "national_id": person_body(national_id="12345"),
        "residence.unit_code": person_body(residence={"unit_code": "99999", "address": ""}),
        "residence.extra": person_body(residence={"unit_code": "11953", "extra": 1}),
        "category": person_body(category=7),
    }
    before = _person_count(stack)
    for field, body in cases.items():
        response = commune_officer.post("/api/registry/persons", json=body)
        assert response.status_code == 422, (field, response.text)
        assert field in problem_fields(response), (field, response.json())
    future = commune_officer.post("/api/registry/persons", json=person_body(date_of_birth=tomorrow))
    assert future.status_code == 422 and "date_of_birth" in problem_fields(future)
    assert _person_count(stack) == before


def test_unit_outside_jurisdiction_is_refused(stack: Stack, commune_officer: Api) -> None:
    before = _person_count(stack)
    response = commune_officer.post(
        "/api/registry/persons", json=person_body(residence={"unit_code": "11980", "address": ""})
    )
    assert response.status_code == 422
    assert problem_fields(response) == {"residence.unit_code"}
    assert _person_count(stack) == before


def test_duplicate_national_id_is_409_naming_the_file(
    commune_officer: Api, other_commune_officer: Api
) -> None:
    nid = cccd()
    first = _create(commune_officer, national_id=nid)
    again = commune_officer.post("/api/registry/persons", json=person_body(national_id=nid))
    assert again.status_code == 409
    assert again.json()["existing_id"] == first["id"]
    # A peer commune learns a file exists, never which one.
    peer = other_commune_officer.post(
        "/api/registry/persons",
        json=person_body(national_id=nid, residence={"unit_code": "11980", "address": ""}),
    )
    assert peer.status_code == 409 and "existing_id" not in peer.json()


def test_national_id_is_encrypted_at_rest(stack: Stack, commune_officer: Api) -> None:
    nid = cccd()
    created = _create(commune_officer, national_id=nid)
    stored = db_scalar(
        stack.config,
        "registry",
        "SELECT national_id_enc || national_id_index FROM persons WHERE id = $1",
        uuid.UUID(str(created["id"])),
    )
    assert nid not in stored
    found = commune_officer.get("/api/registry/persons", params={"q": nid}).json()["items"]
    assert [p["id"] for p in found] == [created["id"]]


def test_reads_and_writes_are_audited(stack: Stack, commune_officer: Api) -> None:
    created = _create(commune_officer)
    commune_officer.get(f"/api/registry/persons/{created['id']}")
    actions = [
        r["action"]
        for r in db_fetch(
            stack.config,
            "registry",
            "SELECT action FROM audit_log WHERE resource_id = $1 ORDER BY id",
            str(created["id"]),
        )
    ]
    assert actions == ["person.create", "person.read"]
