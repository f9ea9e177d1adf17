from __future__ import annotations

import json

from deploy.local.stack import Stack
from tests.support import Api, db_fetch, db_scalar, person_body, problem_fields, tag


def test_current_tree_has_34_provinces_and_3321_communes(stack: Stack) -> None:
    count = "SELECT count(*) FROM units WHERE level = $1 AND valid_from = DATE '2025-07-01'"
    assert db_scalar(stack.config, "registry", count, "province") == 34
    old = "SELECT count(*) FROM units WHERE level = $1 AND valid_to = DATE '2025-06-30'"
    assert db_scalar(stack.config, "registry", old, "province") == 63
    assert db_scalar(stack.config, "registry", old, "commune") == 10051
    assert db_scalar(stack.config, "registry", count, "commune") == 3321


def test_official_codes_as_they_are(commune_officer: Api) -> None:
    hung_yen = commune_officer.get("/api/registry/units/33").json()
    assert hung_yen["name"] == "Hưng Yên" and hung_yen["level"] == "province"
    pho_hien = commune_officer.get("/api/registry/units/11953").json()
    assert pho_hien["name"] == "Phường Phố Hiến"
    assert pho_hien["parent_code"] == "33" and pho_hien["path"] == "VN.33.11953"


def test_search_units_without_diacritics(commune_officer: Api) -> None:
    found = commune_officer.get("/api/registry/units", params={"q": "pho hien"}).json()["items"]
    assert "11953" in {u["code"] for u in found}


def test_children_of_a_province(commune_officer: Api) -> None:
    codes: set[str] = set()
    cursor = None
    while True:
        params = {"parent": "33", "limit": 500, **({"cursor": cursor} if cursor else {})}
        page = commune_officer.get("/api/registry/units", params=params).json()
        codes |= {u["code"] for u in page["items"]}
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert {"11953", "11980"} <= codes


def test_unknown_unit_is_404(commune_officer: Api) -> None:
    assert commune_officer.get("/api/registry/units/00000000").status_code == 404


def _all(api: Api, **params: str) -> list[dict]:
    items: list[dict] = []
    cursor = None
    while True:
        page = api.get(
            "/api/registry/units",
            params={**params, "limit": 500, **({"cursor": cursor} if cursor else {})},
        ).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def test_valid_on_picks_the_tree(commune_officer: Api) -> None:
    before = _all(commune_officer, level="province", valid_on="2024-01-01")
    after = _all(commune_officer, level="province", valid_on="2025-07-01")
    assert len(before) == 63 and all(u["code"].startswith("O") for u in before)
    assert len(after) == 34 and not any(u["code"].startswith("O") for u in after)
    districts = _all(commune_officer, level="district", valid_on="2025-06-30")
    assert len(districts) == 696
    assert _all(commune_officer, level="district") == []  # no districts since 1 July 2025


def test_old_communes_resolve_to_their_successors(commune_officer: Api) -> None:
    old = commune_officer.get("/api/registry/units/O11953").json()
    assert old["valid_to"] == "2025-06-30" and old["path"].startswith("VN.O33.")
    current = commune_officer.get("/api/registry/units/O11953/current").json()
    assert [u["code"] for u in current] == ["11953"]
    itself = commune_officer.get("/api/registry/units/11953/current").json()
    assert [u["code"] for u in itself] == ["11953"]


def _unit_events(stack: Stack, code: str) -> list[dict]:
    """The registry's published events about unit `code`, in publication order."""
    sql = "SELECT type, payload::text FROM events WHERE subject = $1 ORDER BY position"
    rows = db_fetch(stack.config, "registry", sql, f"unit:{code}")
    return [{"type": t, "payload": json.loads(p)} for t, p in rows]


def test_admin_corrects_the_mapping_all_or_nothing(
    stack: Stack, admin: Api, commune_officer: Api
) -> None:
    report = admin.get("/api/registry/units/mapping/report").json()
    assert report["old_communes"] == 10051 and report["mapped"] >= 9900
    unmapped = report["unmapped"][0]["code"]
    bad = f"code,successor_codes,note\n{unmapped},11953,ok\nO99999999,11953,x\n"
    refused = admin.post(
        "/api/registry/units/mapping/corrections",
        files={"file": ("c.csv", bad.encode(), "text/csv")},
    )
    assert refused.status_code == 200 and refused.json()["applied"] == 0
    assert [e["row"] for e in refused.json()["errors"]] == [3]
    assert commune_officer.get(f"/api/registry/units/{unmapped}").json()["successor_codes"] == []
    good = f"code,successor_codes,note\n{unmapped},11953;11980,theo Nghị quyết\n"
    applied = admin.post(
        "/api/registry/units/mapping/corrections",
        files={"file": ("c.csv", good.encode(), "text/csv")},
    )
    assert applied.json()["applied"] == 1
    assert commune_officer.get(f"/api/registry/units/{unmapped}").json()["successor_codes"] == [
        "11953",
        "11980",
    ]
    assert admin.get("/api/registry/units/mapping/report").json()["corrections"] >= 1
    assert [
        (e["type"], e["payload"]["previous_successor_codes"], e["payload"]["successor_codes"])
        for e in _unit_events(stack, unmapped)
    ] == [("unit.successor_set", [], ["11953", "11980"])]
    latin1 = admin.post(
        "/api/registry/units/mapping/corrections",
        files={"file": ("c.csv", "code,successor_codes\nÔ,1".encode("cp1258"), "text/csv")},
    )
    assert latin1.status_code == 422 and latin1.json()["errors"][0]["field"] == "file"
    assert (
        commune_officer.post(
            "/api/registry/units/mapping/corrections",
            files={"file": ("c.csv", good.encode(), "text/csv")},
        ).status_code
        == 403
    )


def test_a_person_filed_under_an_old_commune_resolves_to_the_new_one(
    commune_officer: Api, province_officer: Api
) -> None:
    # O11953 (old Phường Hiến Nam, TP Hưng Yên) became part of today's Phường Phố Hiến.
    created = commune_officer.post(
        "/api/registry/persons",
        json=person_body(residence={"unit_code": "O11953", "address": "Hiến Nam cũ"}),
    )
    assert created.status_code == 201, created.text
    residence = created.json()["residence"]
    assert residence["unit_code"] == "11953" and residence["filed_unit_code"] == "O11953"
    assert residence["filed_unit_name"]
    # It is in the new commune's jurisdiction and counts there.
    found = commune_officer.get(
        "/api/registry/persons", params={"unit": "11953", "q": created.json()["full_name"]}
    )
    assert [p["id"] for p in found.json()["items"]] == [created.json()["id"]]


def test_a_split_old_commune_must_be_given_as_the_current_one(commune_officer: Api) -> None:
    split = next(
        u
        for u in _all(commune_officer, level="commune", valid_on="2025-06-30", q="ngoc thanh")
        if len(u["successor_codes"]) > 1
    )
    response = commune_officer.post(
        "/api/registry/persons", json=person_body(residence={"unit_code": split["code"]})
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "residence.unit_code"


def _spare_commune(stack: Stack) -> tuple[str, str, int]:
    """A current commune of Hà Nội (01), which no other test files anything under."""
    sql = (
        "SELECT code, name, version FROM units WHERE level = 'commune' AND valid_to IS NULL "
        "AND path <@ 'VN.01' ORDER BY code LIMIT 1"
    )
    code, name, version = db_fetch(stack.config, "registry", sql)[0]
    return code, name, version


def test_admin_renames_a_unit_and_the_registry_publishes_it(
    stack: Stack, admin: Api, commune_officer: Api
) -> None:
    code, name, version = _spare_commune(stack)
    new_name = f"Phường Thử {tag()}"
    renamed = admin.patch(f"/api/registry/units/{code}", json={"name": f"  {new_name} "})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == new_name and renamed.json()["path"] == f"VN.01.{code}"
    found = commune_officer.get("/api/registry/units", params={"q": new_name.lower()}).json()
    assert [u["code"] for u in found["items"]] == [code]
    events = _unit_events(stack, code)
    assert [e["type"] for e in events] == ["unit.renamed"]
    assert events[0]["payload"]["previous_name"] == name
    assert events[0]["payload"]["version"] == version + 1
    # The same name again changes nothing and publishes nothing.
    assert admin.patch(f"/api/registry/units/{code}", json={"name": new_name}).status_code == 200
    assert len(_unit_events(stack, code)) == 1
    restored = admin.patch(f"/api/registry/units/{code}", json={"name": name})
    assert restored.status_code == 200 and restored.json()["name"] == name
    assert [e["payload"]["version"] for e in _unit_events(stack, code)] == [
        version + 1,
        version + 2,
    ]


def test_unit_changes_are_for_administrators_and_are_checked(
    stack: Stack, admin: Api, commune_officer: Api
) -> None:
    code, _, version = _spare_commune(stack)
    published = len(_unit_events(stack, code))
    url = f"/api/registry/units/{code}"
    assert commune_officer.patch(url, json={"name": "Phường Khác"}).status_code == 403
    missing = admin.patch("/api/registry/units/00000000", json={"name": "X"})
    assert missing.status_code == 404
    refusals = [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "Phường\x00Nul"}, "name"),
        ({"name": "X", "parent": "31"}, "parent"),
        ({"parent_code": "99"}, "parent_code"),  # no such unit
        ({"parent_code": "11953"}, "parent_code"),  # a commune under a commune
        ({"parent_code": "O33"}, "parent_code"),  # a pre-reform province
    ]
    for body, field in refusals:
        response = admin.patch(url, json=body)
        assert response.status_code == 422, (body, response.text)
        assert field in problem_fields(response), (body, response.text)
    # An old unit stays where history put it; a province cannot go under its own commune.
    assert "parent_code" in problem_fields(
        admin.patch("/api/registry/units/O11953", json={"parent_code": "33"})
    )
    assert "parent_code" in problem_fields(
        admin.patch("/api/registry/units/33", json={"parent_code": "11953"})
    )
    sql = "SELECT version FROM units WHERE code = $1"
    assert db_scalar(stack.config, "registry", sql, code) == version
    assert len(_unit_events(stack, code)) == published
