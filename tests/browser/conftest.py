"""Debian's headless Chromium driven by Playwright; never a downloaded browser
(`make test` installs Debian's chromium when it is missing)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Assertions wait as long as actions do: on a loaded 2-core machine a lazily loaded screen and
# its first API call can take more than Playwright's default 5 s.
expect.set_options(timeout=15_000)
# Without the background-networking flags Chromium keeps calling out of a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser(gateway_url: str) -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread while it is open, and
    # asyncio.run (stack setup, database helpers) cannot start inside it: so the stack
    # starts first, and the browser closes with its module, before other suites run.
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, gateway_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=gateway_url, locale="vi-VN")
    context.set_default_timeout(15_000)
    opened = context.new_page()
    yield opened
    context.close()
