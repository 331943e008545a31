import os

import pytest

from platform_harness import Platform

CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync']


@pytest.fixture(scope='session')
def platform():
    "The running platform with its demo data and mail catcher."
    instance = Platform()
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture(scope='session')
def browser():
    "Debian's Chromium, headless, driven by Playwright."
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium`")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale='it-IT')
    yield context.new_page()
    context.close()
