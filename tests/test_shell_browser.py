"""The portal shell and the back-office login in a real Chromium."""
from playwright.sync_api import expect

import sao


def test_portal_shell_and_persian(platform, page):
    page.goto(f'{platform.url}/portal/')
    expect(page.locator('h1')).to_have_text('Sportello assicurativo')
    page.get_by_role('link', name='فارسی').click()
    expect(page.locator('html')).to_have_attribute('dir', 'rtl')
    expect(page.locator('h1')).to_have_text('میز خدمات بیمه')
    page.screenshot(path=str(platform.folder / 'portal-fa.png'))


def test_back_office_administrator_login(platform, page):
    sao.login(page, platform, 'admin', 'Admin2026')
    expect(page.get_by_text('Assicurazioni').first).to_be_visible(
        timeout=sao.TIMEOUT)
    page.screenshot(path=str(platform.folder / 'back-office.png'))
