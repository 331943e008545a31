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
    choose_database(page, platform.database)
    login.fill('admin')
    page.keyboard.press('Enter')
    password = page.locator('input[type=password]')
    password.wait_for(timeout=30000)
    password.fill('Admin2026')
    page.keyboard.press('Enter')
    expect(page.get_by_text('Assicurazioni').first).to_be_visible(timeout=30000)
    page.screenshot(path=str(platform.folder / 'back-office.png'))


def choose_database(page, database):
    "Pick the database in the login dialog: a list when the server has several."
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('#database'))"
        ".some(e => e.offsetParent !== null && e.value)", timeout=30000)
    choice = page.locator('select#database')
    if choice.is_visible():
        choice.select_option(database)
    elif page.locator('input#database').is_editable():
        page.locator('input#database').fill(database)
