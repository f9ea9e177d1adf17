"""The shell a newcomer meets: a volunteer's phone at 360 px, the empty state, the header."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from gateway.seed import DEMO_PASSWORD
from tests.support import login, person_body

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser: Browser, gateway_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=gateway_url, locale="vi-VN", viewport=PHONE)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _login(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("app-user-name")).to_be_visible()


def _page_width(page: Page) -> int:
    return int(page.evaluate("document.scrollingElement.scrollWidth"))


def test_at_360_px_the_shell_fits_the_menu_opens_and_files_are_cards(
    phone: Page, gateway_url: str
) -> None:
    with login(gateway_url, "xa.phohien") as api:
        created = api.post("/api/registry/persons", json=person_body())
        assert created.status_code == 201, created.text
    name = created.json()["full_name"]

    phone.goto("/login")
    expect(phone.get_by_test_id("login-submit")).to_be_visible()
    # The login gradient covers the whole viewport, not half of it.
    height = phone.evaluate("document.querySelector('.login-page').getBoundingClientRect().height")
    assert height >= PHONE["height"]
    _login(phone, "xa.phohien")

    phone.goto(f"/persons?q={name.split()[-1]}")
    cards = phone.get_by_test_id("person-table-cards").get_by_test_id("list-card")
    expect(cards.first).to_contain_text(name)
    expect(phone.locator(".ant-table")).to_have_count(0)
    assert _page_width(phone) <= PHONE["width"]

    # The unit's name stays on one line (cut with an ellipsis), not one letter per line.
    unit = phone.get_by_test_id("app-jurisdiction")
    expect(unit).to_contain_text("Phố Hiến")
    box = unit.bounding_box()
    assert box is not None and box["height"] < 30 and box["x"] + box["width"] <= PHONE["width"]

    # No sider on a phone: the menu is a drawer opened from a button.
    expect(phone.get_by_test_id("menu-groups")).to_have_count(0)
    phone.get_by_test_id("menu-button").click()
    phone.get_by_test_id("menu-groups").click()
    expect(phone).to_have_url("/groups")
    expect(phone.get_by_test_id("menu-groups")).to_be_hidden()
    assert _page_width(phone) <= PHONE["width"]


def test_an_empty_list_speaks_the_users_language(page: Page) -> None:
    _login(page, "xa.phohien")
    page.goto("/persons?q=khongaicotenthenay")
    empty = page.get_by_test_id("person-table").get_by_test_id("empty-state")
    empty = empty.locator(".ant-empty-description")
    expect(empty).to_have_text("Chưa có dữ liệu")
    page.get_by_test_id("lang-switch").click()
    expect(empty).to_have_text("No data yet")
    page.get_by_test_id("lang-switch").click()


def test_a_long_name_stays_inside_the_header(page: Page) -> None:
    _login(page, "coso.haiphong")
    name = page.get_by_test_id("app-user-name")
    expect(name).to_have_text("Cán bộ cơ sở cai nghiện Hải Phòng")
    header = page.locator(".app-header").bounding_box()
    box = name.bounding_box()
    assert header is not None and box is not None
    assert box["height"] < 30
    assert header["y"] <= box["y"] and box["y"] + box["height"] <= header["y"] + header["height"]
