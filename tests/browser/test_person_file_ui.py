"""The person file in the SPA (search, record tabs, timeline, import, duplicates, edit
conflicts) in Debian's headless Chromium against the real stack serving frontend/dist.

Never a downloaded browser: `make test` installs Debian's chromium when it is missing."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from gateway.seed import DEMO_PASSWORD
from tests.support import Api, login

PHO_HIEN = "11953"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def officer(gateway_url: str) -> Api:
    """xa.phohien through the API, to prepare files."""
    return login(gateway_url, "xa.phohien")


def _word() -> str:
    """A made-up word (letters only, so that the search reads it as a name)."""
    return "".join(random.choice("bcdghklmnpqrstvx") for _ in range(7))


def _login(page: Page, username: str = "xa.phohien") -> None:
    page.goto("/login")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("app-user-name")).not_to_be_empty()


def _create(api: Api, full_name: str, **extra: Any) -> dict[str, Any]:
    body = {
        "full_name": full_name,
        "date_of_birth": "1990-05-17",
        "sex": "male",
        "residence": {"unit_code": PHO_HIEN, "address": "Số 7, phố Bãi Sậy"},
        "category": "addicted",
        **extra,
    }
    response = api.post("/api/registry/persons", json=body, params={"confirm_new": "true"})
    assert response.status_code == 201, response.text
    return dict(response.json())


def _open_file_by_search(page: Page, query: str, full_name: str) -> None:
    page.get_by_test_id("menu-persons").click()
    page.get_by_test_id("person-search").fill(query)
    link = page.get_by_test_id("person-table").get_by_role("link", name=full_name, exact=True)
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_test_id("person-header-name")).to_have_text(full_name)


def test_search_unaccented_add_a_drug_test_and_see_it_on_the_timeline(
    page: Page, officer: Api
) -> None:
    word = _word()
    name = f"Nguyễn Văn Thử {word}"
    _create(officer, name)

    _login(page)
    _open_file_by_search(page, f"nguyen van thu {word}", name)

    page.get_by_test_id("person-tab-drug-tests").click()
    page.get_by_test_id("drug-test-add").click()
    page.get_by_test_id("drug-test-date").fill("01/06/2025")
    page.get_by_test_id("drug-test-result-positive").click()
    page.get_by_test_id("drug-test-substance-heroin").click()
    page.get_by_test_id("drug-test-substance-methamphetamine").click()
    page.get_by_test_id("drug-test-submit").click()
    table = page.get_by_test_id("drug-test-table")
    expect(table).to_contain_text("01/06/2025")
    expect(table).to_contain_text("Dương tính")
    expect(table).to_contain_text("Heroin")

    page.get_by_test_id("person-tab-timeline").click()
    items = page.get_by_test_id("timeline-item")
    # Newest first: the test just recorded, then the file's opening.
    expect(items.first).to_have_attribute("data-type", "person.drug_test_recorded")
    expect(items.first).to_contain_text("Xét nghiệm ma túy")
    expect(items.first).to_contain_text("Dương tính")
    expect(items.first).to_contain_text("Heroin")
    expect(items.last).to_contain_text("Lập hồ sơ")


def test_import_shows_the_row_error_with_its_row_number(
    page: Page, officer: Api, tmp_path: Path
) -> None:
    word = _word()
    good, bad = f"Trần Văn Nhập {word}", f"Lê Văn Lỗi {word}"
    csv = (
        "Họ và tên,Ngày sinh,Giới tính,Mã xã nơi thường trú,Địa chỉ thường trú,Đối tượng\n"
        f"{good},17/05/1991,Nam,{PHO_HIEN},Số 2,Người nghiện\n"
        f"{bad},31/02/1990,Nam,{PHO_HIEN},Số 3,Người nghiện\n"
    )
    path = tmp_path / "danh-sach.csv"
    path.write_text(csv, encoding="utf-8")

    _login(page)
    page.get_by_test_id("menu-persons").click()
    page.get_by_test_id("person-import").click()
    page.get_by_test_id("import-upload").locator("input[type=file]").set_input_files(str(path))
    page.get_by_test_id("import-mode-all_or_nothing").click()
    page.get_by_test_id("import-submit").click()

    # All or nothing: one bad row and nothing is written. Rows count as in the spreadsheet
    # (the header is row 1), so the bad date is on row 3.
    expect(page.get_by_test_id("import-report")).to_have_attribute("data-status", "rejected")
    rows = page.get_by_test_id("import-errors-table").locator("tbody tr", has_text="Ngày sinh")
    expect(rows).to_have_count(1)
    expect(rows.get_by_test_id("import-issue-row")).to_have_text("3")
    listed = officer.get("/api/registry/persons", params={"q": word}).json()["items"]
    assert listed == []

    # Valid rows only: the good row is filed, the bad one still reported.
    page.get_by_test_id("import-mode-valid_rows").click()
    page.get_by_test_id("import-submit").click()
    expect(page.get_by_test_id("import-report")).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_test_id("import-outcome")).to_contain_text("Đã nhập 1 hồ sơ")
    expect(page.get_by_test_id("import-errors-table")).to_contain_text("3")
    listed = officer.get("/api/registry/persons", params={"q": word}).json()["items"]
    assert [p["full_name"] for p in listed] == [good]


def test_possible_duplicate_shows_the_candidates_and_files_a_new_one_on_confirm(
    page: Page, officer: Api
) -> None:
    word = _word()
    name = f"Phạm Văn Trùng {word}"
    existing = _create(officer, name)

    _login(page)
    page.get_by_test_id("menu-persons").click()
    page.get_by_test_id("person-create").click()
    page.get_by_test_id("person-full-name").fill(name)
    page.get_by_test_id("person-dob").fill("17/05/1990")
    page.get_by_test_id("person-sex-male").click()
    page.get_by_test_id("person-unit").click()
    page.keyboard.type("Phố Hiến")
    page.locator(".ant-select-item-option", has_text="Phố Hiến").first.click()
    page.get_by_test_id("person-address").fill("Số 9, phố Bãi Sậy")
    page.get_by_test_id("person-category-addicted").click()
    page.get_by_test_id("person-submit").click()

    duplicate = page.get_by_test_id("person-duplicate")
    expect(duplicate).to_contain_text("Có thể đã có hồ sơ của người này")
    candidate = page.get_by_test_id("person-duplicate-candidate")
    expect(candidate).to_have_count(1)
    expect(candidate).to_contain_text(name)
    expect(candidate).to_contain_text("17/05/1990")
    expect(candidate.get_by_test_id("person-duplicate-open")).to_have_attribute(
        "href", f"/persons/{existing['id']}"
    )
    # Nothing was filed yet.
    assert len(officer.get("/api/registry/persons", params={"q": word}).json()["items"]) == 1

    page.get_by_test_id("person-confirm-new").click()
    expect(page).to_have_url("/persons")
    expect(page.get_by_test_id("person-table")).to_contain_text(name)
    assert len(officer.get("/api/registry/persons", params={"q": word}).json()["items"]) == 2


def test_an_edit_over_someone_elses_change_is_refused_and_offers_a_reload(
    page: Page, officer: Api
) -> None:
    word = _word()
    name = f"Hoàng Văn Sửa {word}"
    person = _create(officer, name)

    _login(page)
    page.goto(f"/persons/{person['id']}")
    expect(page.get_by_test_id("person-header-name")).to_have_text(name)
    page.get_by_test_id("person-edit").click()
    page.get_by_test_id("person-occupation").fill("Thợ hàn")

    # Meanwhile a colleague changes the file.
    current = officer.get(f"/api/registry/persons/{person['id']}")
    changed = officer.patch(
        f"/api/registry/persons/{person['id']}",
        json={"ethnicity": "Kinh"},
        headers={"If-Match": current.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.text

    page.get_by_test_id("person-edit-submit").click()
    expect(page.get_by_test_id("person-conflict")).to_contain_text("người khác cập nhật")
    page.get_by_test_id("person-conflict-reload").click()
    expect(page.get_by_test_id("person-conflict")).to_have_count(0)
    expect(page.get_by_test_id("person-ethnicity")).to_have_value("Kinh")

    page.get_by_test_id("person-occupation").fill("Thợ hàn")
    page.get_by_test_id("person-edit-submit").click()
    expect(page.get_by_test_id("person-detail")).to_contain_text("Thợ hàn")
    saved = officer.get(f"/api/registry/persons/{person['id']}").json()
    assert (saved["occupation"], saved["ethnicity"]) == ("Thợ hàn", "Kinh")
