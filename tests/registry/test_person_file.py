"""The complete person file: birth, CCCD rules, duplicates, PATCH with ETags, close, search."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from deploy.local.stack import Stack
from services import clock
from tests.support import Api, cccd, db_fetch, person_body, problem_fields, tag


def _create(api: Api, **overrides: object) -> dict:
    response = api.post("/api/registry/persons", json=person_body(**overrides))
    assert response.status_code == 201, response.text
    return dict(response.json())


def _url(person: dict) -> str:
    return f"/api/registry/persons/{person['id']}"


def _patch(api: Api, person: dict, body: dict, version: object = None):  # type: ignore[no-untyped-def]
    version = person["version"] if version is None else version
    return api.patch(_url(person), json=body, headers={"If-Match": f'"{version}"'})


def test_year_only_birth_when_the_date_is_unknown(commune_officer: Api) -> None:
    body = person_body(birth_year=1985)
    del body["date_of_birth"]
    created = commune_officer.post("/api/registry/persons", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["date_of_birth"] is None and created.json()["birth_year"] == 1985

    both = commune_officer.post("/api/registry/persons", json=person_body(birth_year=1985))
    assert both.status_code == 422 and problem_fields(both) == {"birth_year"}
    neither = person_body()
    del neither["date_of_birth"]
    missing = commune_officer.post("/api/registry/persons", json=neither)
    assert missing.status_code == 422 and problem_fields(missing) == {"date_of_birth"}


def test_cccd_digits_are_checked_against_birth_and_sex(commune_officer: Api) -> None:
    female_id = cccd(sex="female")  # century/sex digit 1
    wrong_sex = commune_officer.post(
        "/api/registry/persons", json=person_body(sex="male", national_id=female_id)
    )
    assert wrong_sex.status_code == 422 and problem_fields(wrong_sex) == {"national_id"}
    assert "giới tính" in wrong_sex.json()["errors"][0]["message"]

    wrong_year = commune_officer.post(
        "/api/registry/persons", json=person_body(national_id=cccd(birth_year=1991))
    )
    assert wrong_year.status_code == 422 and "năm sinh" in wrong_year.json()["detail"]

    born_2003 = commune_officer.post(
        "/api/registry/persons",
        json=person_body(date_of_birth="2003-02-01", national_id=cccd(birth_year=2003)),
    )
    assert born_2003.status_code == 201, born_2003.text


def test_unknown_province_prefix_is_only_a_warning(commune_officer: Api) -> None:
    created = _create(commune_officer, national_id=cccd(province="099"))
    assert [w["field"] for w in created["warnings"]] == ["national_id"]


def test_same_name_and_birth_in_the_province_asks_for_confirmation(
    commune_officer: Api, other_commune_officer: Api
) -> None:
    name = f"Bùi Văn Trùng {tag()}"
    first = _create(commune_officer, full_name=name, date_of_birth="1988-03-03")
    again = commune_officer.post(
        "/api/registry/persons", json=person_body(full_name=name, date_of_birth="1988-03-03")
    )
    assert again.status_code == 409
    assert again.json()["type"].endswith("possible-duplicate")
    assert [c["id"] for c in again.json()["candidates"]] == [first["id"]]
    # A peer commune is told a similar file exists in the province, not whose.
    peer = other_commune_officer.post(
        "/api/registry/persons",
        json=person_body(
            full_name=name,
            date_of_birth="1988-03-03",
            residence={"unit_code": "11980", "address": ""},
        ),
    )
    assert peer.status_code == 409
    assert peer.json()["candidates"] == [] and peer.json()["hidden_candidates"] == 1
    confirmed = commune_officer.post(
        "/api/registry/persons",
        params={"confirm_new": "true"},
        json=person_body(full_name=name, date_of_birth="1988-03-03"),
    )
    assert confirmed.status_code == 201


def test_patch_needs_if_match_and_refuses_a_stale_one(commune_officer: Api) -> None:
    person = _create(commune_officer)
    missing = commune_officer.patch(_url(person), json={"occupation": "Lao động tự do"})
    assert missing.status_code == 428
    changed = _patch(
        commune_officer, person, {"occupation": "Lao động tự do", "phone": "0912000111"}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["version"] == 2 and changed.headers["etag"] == '"2"'
    assert changed.json()["occupation"] == "Lao động tự do"
    stale = _patch(commune_officer, person, {"occupation": "Khác"}, version=1)
    assert stale.status_code == 412 and stale.json()["current_version"] == 2


def test_two_patches_with_the_same_etag_one_wins(commune_officer: Api) -> None:
    person = _create(commune_officer)
    bodies = [{"notes": "sửa A"}, {"notes": "sửa B"}]
    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(
            pool.map(lambda b: _patch(commune_officer, person, b).status_code, bodies)
        )
    assert statuses == [200, 412]
    assert commune_officer.get(_url(person)).json()["version"] == 2


def test_patch_errors_name_the_field_and_change_nothing(commune_officer: Api) -> None:
    person = _create(commune_officer)
    for body, field in (
        ({"full_name": None}, "full_name"),
        ({"full_name": "  "}, "full_name"),
        ({"status": "closed"}, "status"),
        ({"residence": {"unit_code": "11980"}}, "residence.unit_code"),
        ({"national_id": cccd(sex="female")}, "national_id"),
        ({"date_of_birth": (clock.today() + timedelta(days=3)).isoformat()}, "date_of_birth"),
    ):
        response = _patch(commune_officer, person, body)
        assert response.status_code == 422, (body, response.text)
        assert field in problem_fields(response), (body, response.json())
    assert commune_officer.get(_url(person)).json()["version"] == 1


def test_a_reissued_cccd_keeps_the_old_one_in_history(stack: Stack, commune_officer: Api) -> None:
    old, new = cccd(), cccd()
    person = _create(commune_officer, national_id=old)
    response = _patch(commune_officer, person, {"national_id": new})
    assert response.status_code == 200 and response.json()["national_id"] == new
    rows = db_fetch(
        stack.config,
        "registry",
        "SELECT valid_to IS NULL AS current FROM person_identifiers "
        "WHERE person_id = $1 ORDER BY id",
        uuid.UUID(person["id"]),
    )
    assert [r["current"] for r in rows] == [False, True]
    found = commune_officer.get("/api/registry/persons", params={"q": old}).json()["items"]
    assert found == []


def test_management_period_of_an_illegal_user(commune_officer: Api) -> None:
    person = _create(
        commune_officer, category="illegal_user", management_decision_date="2026-03-10"
    )
    assert person["management_start"] == "2026-03-10"
    assert person["management_end"] == "2027-03-10"
    addicted = commune_officer.post(
        "/api/registry/persons",
        json=person_body(category="addicted", management_decision_date="2026-03-10"),
    )
    assert addicted.status_code == 422
    assert problem_fields(addicted) == {"management_decision_date"}


def test_filter_management_ending_soon(commune_officer: Api) -> None:
    word = tag()
    soon = (clock.today() - timedelta(days=360)).isoformat()
    later = (clock.today() - timedelta(days=10)).isoformat()
    ending = _create(
        commune_officer,
        full_name=f"Đinh Văn Sắp {word}",
        category="illegal_user",
        management_decision_date=soon,
    )
    _create(
        commune_officer,
        full_name=f"Đinh Văn Xa {word}",
        category="illegal_user",
        management_decision_date=later,
    )
    found = commune_officer.get(
        "/api/registry/persons", params={"q": word, "management_ending_within_days": 30}
    )
    assert [p["id"] for p in found.json()["items"]] == [ending["id"]]


def test_close_is_soft_and_final(commune_officer: Api, other_commune_officer: Api) -> None:
    person = _create(commune_officer)
    body = {"on": clock.today().isoformat(), "reason": "Chuyển đi nơi khác"}
    assert (
        other_commune_officer.post(
            f"{_url(person)}/close", json=body, headers={"If-Match": '"1"'}
        ).status_code
        == 404
    )
    closed = commune_officer.post(f"{_url(person)}/close", json=body, headers={"If-Match": '"1"'})
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed" and closed.json()["closed_reason"] == body["reason"]
    again = commune_officer.post(
        f"{_url(person)}/close", json=body, headers={"If-Match": closed.headers["etag"]}
    )
    assert again.status_code == 409
    assert _patch(commune_officer, closed.json(), {"notes": "x"}).status_code == 409
    assert commune_officer.get(_url(person)).status_code == 200


def test_peer_commune_cannot_patch(commune_officer: Api, other_commune_officer: Api) -> None:
    person = _create(commune_officer)
    assert _patch(other_commune_officer, person, {"notes": "x"}).status_code == 404


def test_partial_number_search(commune_officer: Api) -> None:
    nid = cccd()
    phone = f"09{uuid.uuid4().int % 10**8:08d}"
    person = _create(commune_officer, national_id=nid, phone=phone)
    for q in (nid[-4:], nid[-7:], nid, phone[-6:], phone):
        items = commune_officer.get("/api/registry/persons", params={"q": q, "limit": 500}).json()
        assert person["id"] in {p["id"] for p in items["items"]}, q
    assert all(p["phone"] is None or p["phone"].startswith("*") for p in items["items"])


def test_sex_and_age_band_filters(commune_officer: Api) -> None:
    word = tag()
    young = _create(
        commune_officer,
        full_name=f"Lý Thị Trẻ {word}",
        sex="female",
        date_of_birth=f"{clock.today().year - 17}-01-01",
    )
    old = _create(commune_officer, full_name=f"Lý Văn Già {word}", date_of_birth="1970-01-01")

    def ids(**params: str) -> list[str]:
        page = commune_officer.get("/api/registry/persons", params={"q": word, **params})
        return [p["id"] for p in page.json()["items"]]

    assert ids(sex="female") == [young["id"]]
    assert ids(age_band="16_18") == [young["id"]]
    assert ids(age_band="over_30") == [old["id"]]
    bad = commune_officer.get("/api/registry/persons", params={"age_band": "teen"})
    assert bad.status_code == 422 and problem_fields(bad) == {"age_band"}


def test_search_ranks_the_closest_name_first(commune_officer: Api) -> None:
    word = tag()
    exact = _create(commune_officer, full_name=f"Hà Văn Nam {word}")
    _create(commune_officer, full_name=f"Hà Văn Nam Phương Thị Long {word}")
    items = commune_officer.get("/api/registry/persons", params={"q": f"nam ha van {word}"}).json()[
        "items"
    ]
    assert len(items) == 2 and items[0]["id"] == exact["id"]


def test_family_contact_is_encrypted_at_rest(stack: Stack, commune_officer: Api) -> None:
    contact = {"full_name": "Nguyễn Thị Mẹ", "relationship": "mẹ", "phone": "0987654321"}
    person = _create(commune_officer, family_contact=contact)
    assert person["family_contact"]["phone"] == "0987654321"
    row = db_fetch(
        stack.config,
        "registry",
        "SELECT family_contact, family_contact_enc FROM persons WHERE id = $1",
        uuid.UUID(person["id"]),
    )[0]
    assert row["family_contact"] is None
    assert "0987654321" not in row["family_contact_enc"] and "Mẹ" not in row["family_contact_enc"]
    changed = _patch(
        commune_officer, person, {"family_contact": {**contact, "phone": "0911111111"}}
    )
    assert changed.json()["family_contact"]["phone"] == "0911111111"


def test_a_list_row_has_no_family_contact_or_notes(commune_officer: Api) -> None:
    """Lists show many people to many officers: the third person's contact and the free-text
    notes stay in the file, and identifiers stay masked."""
    word = tag()
    nid = cccd()
    contact = {"full_name": "Nguyễn Thị Mẹ", "relationship": "mẹ", "phone": "0987654321"}
    person = _create(
        commune_officer,
        full_name=f"Trần Văn Liệt {word}",
        national_id=nid,
        phone="0912345678",
        family_contact=contact,
        notes="hay lui tới quán X",
    )
    listed = commune_officer.get("/api/registry/persons", params={"q": word})
    assert listed.status_code == 200, listed.text
    (row,) = listed.json()["items"]
    assert row["id"] == person["id"]
    assert row["family_contact"] is None and row["notes"] is None
    assert row["national_id"] == "********" + nid[-4:] and row["phone"] == "******5678"
    assert "0987654321" not in listed.text and "quán X" not in listed.text
    full = commune_officer.get(_url(person)).json()
    assert full["family_contact"]["phone"] == "0987654321" and full["notes"] == "hay lui tới quán X"
