"""Browser tests: Debian's Chromium, driven by Playwright, against a real `shoplink serve`.

One server per session on a fresh SQLite file (the embedded default a seller runs with
`make run`). The world is built through the JSON API (tests.factories), then a person walks
through the pages. Each test saves screenshots at desktop and phone size under
artifacts/screenshots/ for a human to look at. Under CI=true a missing Chromium fails.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, async_playwright

from shoplink.cli import upgrade_database
from tests.factories import PASSWORD, Person, World
from tests.servers import Server, start_server, wait_healthy

CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI") == "true"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
# The machine has no network but loopback: keep Chromium from trying to reach out.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


CHEAP_PASSWORDS = {"SHOPLINK_PASSWORD_TIME_COST": "1", "SHOPLINK_PASSWORD_MEMORY_KIB": "1024"}


@contextmanager
def serve(platform: str, database_url: str | None = None) -> Iterator[Server]:
    """A `shoplink serve` of the given platform profile on a fresh SQLite file (or on the
    given, empty database)."""
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} not found; CI must run the browser tests")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix=f"shoplink-browser-{platform}-") as tmp:
        workdir = Path(tmp)
        url = database_url or f"sqlite:///{workdir / 'browser.db'}"
        upgrade_database(url)
        for _ in range(3):
            server = start_server(url, workdir, 0, env_extra=CHEAP_PASSWORDS, platform=platform)
            if wait_healthy(server):
                break
        else:
            pytest.fail(f"no free port for the {platform} browser-test server")
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="session")
def live_server() -> Iterator[Server]:
    with serve("tiktok_shop") as server:
        yield server


@pytest.fixture
async def world(live_server: Server) -> AsyncIterator[World]:
    async with httpx.AsyncClient(base_url=live_server.url, timeout=30) as client:
        yield World(client)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield launched
        await launched.close()


@asynccontextmanager
async def _page(browser: Browser, live_server: Server, **options: Any) -> AsyncIterator[Page]:
    """A page in a fresh context; at the end, no script error and nothing the Content
    Security Policy refused (an inline style or script would be)."""
    context = await browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(15_000)
    page = await context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    try:
        yield page
    finally:
        await context.close()
    assert not problems, problems


@pytest.fixture
async def page(browser: Browser, live_server: Server) -> AsyncIterator[Page]:
    async with _page(browser, live_server, viewport=DESKTOP, locale="en-US") as opened:
        yield opened


@pytest.fixture
async def phone(browser: Browser, live_server: Server) -> AsyncIterator[Page]:
    """The Seller App's place: 390 px wide, touch, mobile user agent."""
    async with _page(
        browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US"
    ) as opened:
        yield opened


@pytest.fixture
async def page_zh(browser: Browser, live_server: Server) -> AsyncIterator[Page]:
    async with _page(browser, live_server, viewport=DESKTOP, locale="zh-CN") as opened:
        yield opened


async def log_in(page: Page, person: Person, *, password: str = PASSWORD) -> None:
    await page.goto("/login")
    await page.get_by_label("Username").fill(person.username)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_load_state()
    assert "/login" not in page.url, await page.content()


async def screenshot(page: Page, name: str) -> Path:
    """Full-page PNG under artifacts/screenshots/, named for the page and the viewport."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or DESKTOP
    kind = "phone" if size["width"] <= PHONE["width"] else "desktop"
    path = ARTIFACTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}-{kind}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path


async def assert_fits_width(page: Page) -> None:
    """No sideways scrolling: nothing is wider than the viewport."""
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


async def assert_accessible(page: Page) -> None:
    """axe-core's WCAG 2 A/AA rules (labels, contrast, names, landmarks) find nothing."""
    results = await Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}}
    )
    assert results.violations_count == 0, results.generate_report()
