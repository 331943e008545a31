"""The portal shell and the back-office login in a real Chromium."""
from playwright.sync_api import expect


def test_portal_shell_and_persian(platform, page):
    page.goto(f'{platform.url}/portal/')
    expect(page.locator('h1')).to_have_text('Sportello assicurativo')
    page.get_by_role('link', name='فارسی').click()
    expect(page.locator('html')).to_have_attribute('dir', 'rtl')
    expect(page.locator('h1')).to_have_text('میز خدمات بیمه')
    page.screenshot(path=str(platform.folder / 'portal-fa.png'))


def test_back_office_administrator_login(platform, page):
    page.goto(f'{platform.url}/#{platform.database}')
    login = page.locator('#login')
    login.wait_for(timeout=30000)
    login.fill('admin')
    page.keyboard.press('Enter')
    password = page.locator('input[type=password]')
    password.wait_for(timeout=30000)
    password.fill('Admin2026')
    page.keyboard.press('Enter')
    expect(page.get_by_text('Assicurazioni').first).to_be_visible(timeout=30000)
    page.screenshot(path=str(platform.folder / 'back-office.png'))
