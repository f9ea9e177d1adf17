from __future__ import annotations

from deploy.local.stack import Stack
from tests.support import Api, db_scalar


def test_current_tree_has_34_provinces_and_3321_communes(stack: Stack) -> None:
    count = "SELECT count(*) FROM units WHERE level = $1 AND valid_from = DATE '2025-07-01'"
    assert db_scalar(stack.config, "registry", count, "province") == 34
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


def test_units_before_the_reform_are_not_in_force(commune_officer: Api) -> None:
    page = commune_officer.get(
        "/api/registry/units", params={"level": "province", "valid_on": "2024-01-01"}
    ).json()
    assert page["items"] == []
