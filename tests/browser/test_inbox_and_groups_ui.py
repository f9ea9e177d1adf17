"""The receiving commune's movements inbox and the four-groups dashboard, in the browser."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from gateway.seed import DEMO_PASSWORD
from services import clock
from tests.support import login, person_body, tag

pytestmark = pytest.mark.browser


def _login(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("app-user-name")).not_to_be_empty()


def test_receiving_commune_acknowledges_an_overdue_arrival(page: Page, gateway_url: str) -> None:
    sender = login(gateway_url, "xa.phohien")
    name = f"Đào Văn Chuyển {tag()}"
    person = sender.post("/api/registry/persons", json=person_body(full_name=name)).json()
    three_days_ago = (clock.today() - timedelta(days=3)).isoformat()
    movement = sender.post(
        f"/api/registry/persons/{person['id']}/movements",
        json={"kind": "moved", "on": three_days_ago, "destination_unit_code": "11980"},
    ).json()

    _login(page, "xa.hongchau")
    page.get_by_test_id("menu-movements").click()
    row = page.locator(f"tr[data-row-key='{movement['id']}']")
    expect(row).to_contain_text(name)
    expect(row.get_by_test_id("movement-overdue")).to_be_visible()
    row.get_by_test_id("movement-acknowledge").click()
    page.locator(f"#ack-ok-{movement['id']}").click()
    expect(row).to_have_count(0)
    receiver = login(gateway_url, "xa.hongchau")
    pending = receiver.get("/api/registry/movements").json()["items"]
    assert movement["id"] not in {m["id"] for m in pending}


def test_province_reads_the_four_groups_per_commune(page: Page, gateway_url: str) -> None:
    login(gateway_url, "xa.phohien").post("/api/registry/persons", json=person_body())
    _login(page, "tinh.hungyen")
    page.get_by_test_id("menu-groups").click()
    table = page.get_by_test_id("groups-table")
    expect(table).to_contain_text("Phường Phố Hiến")
