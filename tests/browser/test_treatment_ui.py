"""Treatment screens in the browser: the facility dashboard's occupancy bars, registering and
admitting a person from their file, the episode page's allowed actions, at 1280 and 360 px."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from deploy.local.stack import Stack
from gateway.seed import DEMO_PASSWORD
from services import clock
from tests.support import db_execute, login, person_body, tag

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
# Screenshots land here for a person to look at (kept out of git by .gitignore's .data/).
SHOTS = Path(
    os.environ.get("CN_SCREENSHOTS", Path(__file__).resolve().parents[2] / ".data" / "shots")
)


def _context_page(browser: Browser, gateway_url: str, viewport: dict[str, int]) -> Iterator[Page]:
    context = browser.new_context(base_url=gateway_url, locale="vi-VN", viewport=viewport)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def wide(browser: Browser, gateway_url: str) -> Iterator[Page]:
    yield from _context_page(browser, gateway_url, WIDE)


@pytest.fixture
def phone(browser: Browser, gateway_url: str) -> Iterator[Page]:
    yield from _context_page(browser, gateway_url, PHONE)


def _login(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("app-user-name")).not_to_be_empty()


def _facility_card(page: Page, facility_id: str) -> Any:
    """The facility's card on the dashboard, loading further pages until it shows."""
    page.goto("/facilities")
    card = page.locator(f"[data-facility-id='{facility_id}']")
    more = page.get_by_test_id("facility-load-more")
    expect(page.get_by_test_id("facility-card").first).to_be_visible()
    while card.count() == 0 and more.count() > 0:
        more.click()
        page.wait_for_timeout(300)
    expect(card).to_be_visible()
    return card


def _pick(page: Page, select_testid: str, option_title: str, typed: str | None = None) -> None:
    page.get_by_test_id(select_testid).click()
    if typed:
        page.keyboard.type(typed)
    page.locator(f".ant-select-item-option[title='{option_title}']").click()


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_admitting_a_person_fills_the_facility_bar(
    wide: Page, phone: Page, gateway_url: str
) -> None:
    name = f"Cơ sở cai nghiện thử {tag()}"
    with login(gateway_url, "admin") as admin:
        created = admin.post(
            "/api/treatment/facilities",
            json={
                "name": name,
                "kind": "rehab_centre",
                "unit_code": "31",
                "capacities": {"voluntary_facility": 2, "compulsory": 5},
            },
        )
        assert created.status_code == 201, created.text
    facility = created.json()
    with login(gateway_url, "xa.phohien") as officer:
        person = officer.post("/api/registry/persons", json=person_body()).json()

    page = wide
    _login(page, "admin")
    card = _facility_card(page, facility["id"])
    bar = card.get_by_test_id("occupancy-voluntary_facility")
    expect(bar.get_by_test_id("occupancy-count")).to_have_text("0/2")
    expect(bar.locator(".ant-progress")).to_be_visible()
    expect(
        card.get_by_test_id("occupancy-compulsory").get_by_test_id("occupancy-count")
    ).to_have_text("0/5")

    # From the person's file: "Đăng ký điều trị" opens the form with the person filled in.
    page.goto(f"/persons/{person['id']}")
    page.get_by_test_id("person-register-treatment").click()
    expect(page.get_by_test_id("admission-person")).to_have_value(person["id"])
    _pick(page, "admission-modality", "Cai nghiện tự nguyện tại cơ sở")
    # No decision is asked for a voluntary placement; a compulsory one would need it.
    expect(page.get_by_test_id("admission-decision-number")).to_have_count(0)
    _pick(page, "admission-facility", name, typed=name[-8:])
    two_days_ago = clock.today() - timedelta(days=2)
    page.get_by_test_id("admission-start").fill(two_days_ago.strftime("%d/%m/%Y"))
    page.get_by_test_id("admission-submit").click()

    # The episode page offers only what a registered episode allows.
    expect(page).to_have_url(re.compile(r"/episodes/[0-9a-f-]{36}$"))
    expect(page.get_by_test_id("episode-state").first).to_have_text("Đã đăng ký")
    actions = page.get_by_test_id("episode-actions")
    expect(actions.get_by_role("button")).to_have_count(2)
    expect(page.get_by_test_id("episode-action-admit")).to_be_visible()
    expect(page.get_by_test_id("episode-action-complete")).to_have_count(0)

    # Admitted yesterday: the dialog asks why the date is before today.
    page.get_by_test_id("episode-action-admit").click()
    yesterday = clock.today() - timedelta(days=1)
    page.get_by_test_id("action-on").fill(yesterday.strftime("%d/%m/%Y"))
    page.get_by_test_id("action-ok").click()
    reason = page.get_by_test_id("action-backdate-reason")
    expect(reason).to_be_visible()
    expect(page.locator(".ant-form-item-explain-error")).to_contain_text("lý do")
    reason.fill("Tiếp nhận ngoài giờ, ghi bù hôm sau")
    page.get_by_test_id("action-ok").click()
    expect(page.get_by_test_id("episode-state").first).to_have_text("Đã tiếp nhận")
    expect(page.get_by_test_id("episode-action-start")).to_be_visible()
    expect(page.get_by_test_id("episode-action-admit")).to_have_count(0)
    expect(page.get_by_test_id("episode-history")).to_contain_text("Tiếp nhận ngoài giờ")
    episode_url = page.url
    _shot(page, "episode-1280.png")

    card = _facility_card(page, facility["id"])
    bar = card.get_by_test_id("occupancy-voluntary_facility")
    expect(bar.get_by_test_id("occupancy-count")).to_have_text("1/2")
    expect(bar.get_by_test_id("occupancy-admitted")).to_contain_text("1")
    expect(card.get_by_test_id("facility-admissions")).to_contain_text("1")
    _shot(page, "facilities-1280.png")

    # On a phone the same screens fit 360 px without scrolling sideways.
    _login(phone, "admin")
    card = _facility_card(phone, facility["id"])
    expect(
        card.get_by_test_id("occupancy-voluntary_facility").get_by_test_id("occupancy-count")
    ).to_have_text("1/2")
    card.scroll_into_view_if_needed()
    _shot(phone, "facilities-360.png")
    assert int(phone.evaluate("document.scrollingElement.scrollWidth")) <= PHONE["width"]
    phone.goto(episode_url)
    expect(phone.get_by_test_id("episode-history-cards").get_by_test_id("list-card")).to_have_count(
        2
    )
    _shot(phone, "episode-360.png")
    assert int(phone.evaluate("document.scrollingElement.scrollWidth")) <= PHONE["width"]


def _substitution_patient(admin: Any, officer: Any, facility_id: str, dose_mg: float | None) -> str:
    """A person in substitution therapy at the clinic since two days ago (API), maybe dosed."""
    person = officer.post("/api/registry/persons", json=person_body()).json()
    three_days_ago = clock.today() - timedelta(days=3)
    two_days_ago = clock.today() - timedelta(days=2)
    episode = admin.post(
        "/api/treatment/episodes",
        json={
            "person_id": person["id"],
            "modality": "substitution",
            "facility_id": facility_id,
            "start_date": three_days_ago.isoformat(),
        },
    )
    assert episode.status_code == 201, episode.text
    episode_id = str(episode.json()["id"])
    for action, on in (("admit", three_days_ago), ("start", two_days_ago)):
        done = admin.post(
            f"/api/treatment/episodes/{episode_id}/{action}",
            json={"on": on.isoformat(), "backdate_reason": "ghi bù"},
        )
        assert done.status_code == 200, done.text
    if dose_mg is not None:
        given = admin.post(
            f"/api/treatment/episodes/{episode_id}/doses",
            json={"given_at": f"{two_days_ago.isoformat()}T08:00:00+07:00", "dose_mg": dose_mg},
        )
        assert given.status_code == 201, given.text
    return episode_id


def test_the_clinic_records_the_day_by_keyboard_and_in_bulk(
    wide: Page, phone: Page, gateway_url: str
) -> None:
    name = f"Cơ sở điều trị Methadone thử {tag()}"
    with login(gateway_url, "admin") as admin, login(gateway_url, "xa.phohien") as officer:
        created = admin.post(
            "/api/treatment/facilities",
            json={
                "name": name,
                "kind": "substitution_clinic",
                "unit_code": "31",
                "capacities": {"substitution": 10},
            },
        )
        assert created.status_code == 201, created.text
        facility_id = created.json()["id"]
        dosed = _substitution_patient(admin, officer, facility_id, 80)
        new = _substitution_patient(admin, officer, facility_id, None)
        changed = _substitution_patient(admin, officer, facility_id, 60)

    page = wide
    _login(page, "admin")
    card = _facility_card(page, facility_id)
    expect(
        card.get_by_test_id("occupancy-substitution").get_by_test_id("occupancy-count")
    ).to_have_text("3/10")
    card.get_by_test_id("facility-dose-sheet").click()

    # The last dose is prefilled: Enter records it and moves to the next patient still due.
    first = page.get_by_test_id(f"dose-mg-{dosed}")
    expect(first).to_have_value("80.0")
    first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id(f"dose-status-{dosed}")).to_have_text("Đã cấp")
    expect(page.get_by_test_id(f"dose-mg-{new}")).to_be_focused()
    page.keyboard.type("40")

    # A dose different from the last one asks for a reason before it can go.
    page.get_by_test_id(f"dose-mg-{changed}").fill("65")
    expect(page.get_by_test_id(f"dose-reason-{changed}")).to_be_visible()
    expect(page.get_by_test_id("dose-record-all")).to_contain_text("(1)")
    page.get_by_test_id(f"dose-reason-{changed}").fill("Tăng liều theo chỉ định bác sĩ")
    page.get_by_test_id("dose-record-all").click()
    expect(page.get_by_test_id(f"dose-status-{new}")).to_have_text("Đã cấp")
    expect(page.get_by_test_id(f"dose-status-{changed}")).to_have_text("Đã cấp")
    expect(page.get_by_test_id("dose-progress")).to_have_text("Đã cấp 3/3")
    expect(page.get_by_test_id(f"dose-mg-{new}")).to_be_disabled()
    expect(page.get_by_test_id(f"dose-record-{changed}")).to_be_disabled()
    _shot(page, "doses-1280.png")
    # On a phone the sheet is one card per patient, nothing scrolling sideways.
    _login(phone, "admin")
    phone.goto(f"/facilities/{facility_id}/doses")
    expect(phone.get_by_test_id("dose-sheet-cards").get_by_test_id("list-card")).to_have_count(3)
    _shot(phone, "doses-360.png")
    assert int(phone.evaluate("document.scrollingElement.scrollWidth")) <= PHONE["width"]
    with login(gateway_url, "admin") as admin:
        doses = admin.get(f"/api/treatment/episodes/{changed}/doses").json()
    assert [(d["dose_mg"], d["change_reason"]) for d in doses][:1] == [
        (65.0, "Tăng liều theo chỉ định bác sĩ")
    ]

    # Completing an episode frees its place.
    page.goto(f"/episodes/{dosed}")
    page.get_by_test_id("episode-action-complete").click()
    page.get_by_test_id("action-ok").click()
    expect(page.get_by_test_id("episode-state").first).to_have_text("Đã kết thúc")
    expect(page.get_by_test_id("episode-actions").get_by_role("button")).to_have_count(0)
    card = _facility_card(page, facility_id)
    expect(
        card.get_by_test_id("occupancy-substitution").get_by_test_id("occupancy-count")
    ).to_have_text("2/10")


def test_facility_staff_land_on_their_own_facility(wide: Page, stack: Stack) -> None:
    """Only their facility, though GET /facilities lists every facility of their province."""
    gateway_url = stack.config.base_url("gateway")
    name = f"Cơ sở cai nghiện của cán bộ {tag()}"
    with login(gateway_url, "admin") as admin:
        for other in (f"Cơ sở khác {tag()}", name):
            created = admin.post(
                "/api/treatment/facilities",
                json={
                    "name": other,
                    "kind": "rehab_centre",
                    "unit_code": "31",
                    "capacities": {"compulsory": 4},
                },
            )
            assert created.status_code == 201, created.text
    facility_id = created.json()["id"]
    username = f"coso.{tag()}"
    # A facility officer like the demo one, bound to this facility. (In a thread: the database
    # helper runs its own event loop, and Playwright's is running in this one.)
    with ThreadPoolExecutor(1) as pool:
        pool.submit(
            db_execute,
            stack.config,
            "gateway",
            "INSERT INTO users (id, username, full_name, password_hash, roles, jurisdiction, "
            "jurisdiction_path, facility_id, active, created_at) "
            f"SELECT gen_random_uuid(), '{username}', full_name, password_hash, roles, "
            f"jurisdiction, jurisdiction_path, '{facility_id}', true, now() FROM users "
            "WHERE username = 'coso.haiphong'",
        ).result()

    _login(wide, username)
    wide.get_by_test_id("menu-facilities").click()
    cards = wide.get_by_test_id("facility-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_have_attribute("data-facility-id", facility_id)
    expect(wide.get_by_test_id("dashboard-title")).to_have_text(name)
    expect(
        cards.first.get_by_test_id("occupancy-compulsory").get_by_test_id("occupancy-count")
    ).to_have_text("0/4")
