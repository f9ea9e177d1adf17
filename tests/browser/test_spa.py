"""The SPA in Debian's headless Chromium, driven by Playwright, against the real stack.

Never a downloaded browser: `make test` installs Debian's chromium when it is missing."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from gateway.seed import DEMO_PASSWORD
from tests.support import login

pytestmark = pytest.mark.browser


def _login(page: Page, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()


def test_wrong_password_shows_the_error(page: Page) -> None:
    _login(page, "xa.phohien", "mat-khau-sai")
    expect(page.get_by_test_id("login-error")).to_contain_text("Sai tên đăng nhập")
    expect(page).to_have_url("/login")


def test_commune_officer_creates_a_person_and_sees_it_listed(page: Page) -> None:
    name = f"Nguyễn Thị Thử {uuid.uuid4().hex[:5]}"
    _login(page, "xa.phohien", DEMO_PASSWORD)
    expect(page.get_by_test_id("app-user-name")).to_contain_text("Công an phường Phố Hiến")
    # The menu follows the role: commune police see persons, not facilities.
    expect(page.get_by_test_id("menu-persons")).to_be_visible()
    expect(page.get_by_test_id("menu-facilities")).to_have_count(0)

    page.get_by_test_id("menu-persons").click()
    page.get_by_test_id("person-create").click()
    page.get_by_test_id("person-full-name").fill(name)
    page.get_by_test_id("person-dob").fill("17/05/1990")
    page.get_by_test_id("person-sex-female").click()
    unit = page.get_by_test_id("person-unit")
    unit.click()
    page.keyboard.type("Phố Hiến")
    page.locator(".ant-select-item-option", has_text="Phố Hiến").first.click()
    page.get_by_test_id("person-address").fill("Số 5, phố Bãi Sậy")
    page.get_by_test_id("person-category-addicted").click()
    page.get_by_test_id("person-submit").click()

    expect(page.get_by_test_id("person-table")).to_contain_text(name)


def test_server_field_errors_are_shown_in_place(page: Page, gateway_url: str) -> None:
    _login(page, "xa.phohien", DEMO_PASSWORD)
    page.get_by_test_id("menu-persons").click()
    page.get_by_test_id("person-create").click()
    page.get_by_test_id("person-full-name").fill("Trần Văn Lỗi")
    page.get_by_test_id("person-dob").fill("17/05/1990")
    page.get_by_test_id("person-sex-male").click()
    # Hồng Châu is a real commune, but outside xa.phohien's jurisdiction: the server says so.
    page.get_by_test_id("person-unit").click()
    page.keyboard.type("Hồng Châu")
    page.locator(".ant-select-item-option", has_text="Hồng Châu").first.click()
    page.get_by_test_id("person-address").fill("Thôn Đông")
    page.get_by_test_id("person-category-illegal_user").click()
    page.get_by_test_id("person-submit").click()
    error = page.locator(".ant-form-item-explain-error", has_text="ngoài địa bàn")
    expect(error).to_be_visible()
    # Nothing was filed: the province, which sees both communes, finds no such person.
    found = login(gateway_url, "tinh.hungyen").get(
        "/api/registry/persons", params={"q": "Trần Văn Lỗi"}
    )
    assert found.status_code == 200 and found.json()["items"] == []
