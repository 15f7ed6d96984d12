"""Playwright with the machine's Chromium (never a downloaded browser), and an axe-core scan helper."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from playwright.sync_api import sync_playwright

from tests.factories import TOTP_SECRET

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
WCAG_22_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    cache.clear()  # TOTP codes are single-use per period; each test starts afresh
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


_axe = Axe()


def assert_accessible(page):
    """Scan the page with axe-core (WCAG 2.2 AA and best practice): no violations allowed.

    Waits for the page's main heading first, so a scan straight after a click never meets a half-loaded page.
    """
    page.locator("main h1").first.wait_for()
    results = _axe.run(page, options=WCAG_22_AA)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    assert_chart_labels_legible(page)


# The size each chart label is drawn at on the screen: its font size scaled as its SVG is scaled to fit the page
# (the length of the transform's first column, so a label turned on its side, like an axis title, counts too).
_CHART_LABEL_SIZES = """() => [...document.querySelectorAll("svg text")].filter((t) => t.getClientRects().length).map(
  (t) => [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize) * Math.hypot(t.getScreenCTM().a, t.getScreenCTM().b)])"""


def assert_chart_labels_legible(page):
    """No chart label is drawn smaller than 12px, however the chart is fitted to the page (axe does not look)."""
    small = [(text, round(size, 1)) for text, size in page.evaluate(_CHART_LABEL_SIZES) if size < 11.95]
    assert not small, f"{page.url}: chart labels drawn under 12px: {small[:5]}"


def totp_code(secret: str = TOTP_SECRET, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def sign_in(page, email: str, password: str = "correct-horse-battery", check_accessible: bool = False):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    if check_accessible:
        assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Authenticator code").fill(totp_code())
    if check_accessible:
        assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
