"""The marketplace in a real Chromium, in Persian: a person signs up,
verifies the phone with the code from the SMS outbox and posts a request
to two insurers; one agent of each insurer answers, the second agent of
the first insurer is refused; the person accepts, sees the agency, ends the
cooperation and posts again without that agent. Then axe-core on the
marketplace pages in Persian and English."""
import random
import re
import time

import pytest
from playwright.sync_api import expect
from e2e import PASSWORD, BackOffice, axe_violations, link, unique_email
from trytond.modules.portal.formats import ascii_digits

AGENT_PASSWORD = 'Agent2026'


def persian_page(browser, platform, credentials=None):
    context = browser.new_context(locale='fa-IR')
    page = context.new_page()
    page.goto(f'{platform.url}/portal/lang/fa?next=/portal/login')
    if credentials:
        page.fill('#login', credentials[0])
        page.fill('#password', credentials[1])
        page.click('button[type=submit].button')
        page.wait_for_url(f'{platform.url}/portal/**')
    return page


def sms_code(platform, number):
    for _ in range(100):
        files = sorted((platform.folder / 'sms').glob(
                f"*-{number.lstrip('+')}-*.txt"))
        if files:
            text = ascii_digits(files[-1].read_text().split('\n\n', 1)[1])
            return re.search(r'(?<!\d)(\d{6})(?!\d)', text).group(1)
        time.sleep(0.2)
    raise AssertionError(f"No SMS to {number}")


def confirmation_link(platform, email):
    "Return the confirmation link emailed to the address."
    for _ in range(100):
        for message in platform.mailbox.messages():
            if email in message.get('X-Envelope-To', '') and (
                    '/portal/confirm/' in message.get_body(
                        ('plain',)).get_content()):
                return link(message, 'confirm')
        time.sleep(0.2)
    raise AssertionError(f"No confirmation to {email}")


def sign_up_and_verify(page, platform):
    email = unique_email('sara')
    number = f'+98912{random.randint(1000000, 9999999)}'
    page.goto(f'{platform.url}/portal/signup')
    for name, value in {
            'surname': 'نوری', 'first_name': 'سارا',
            'phone': number, 'email': email, 'password': PASSWORD,
            'password_repeat': PASSWORD,
            'captcha': ascii_digits(
                page.locator('#captcha-code').inner_text()),
            }.items():
        page.locator(f'#{name}').fill(value)
    page.locator('#privacy_consent').check()
    page.locator('form.form button[type=submit]').click()
    page.goto(confirmation_link(platform, email))
    page.goto(f'{platform.url}/portal/login')
    page.fill('#login', email)
    page.fill('#password', PASSWORD)
    page.click('button[type=submit].button')
    page.wait_for_url(f'{platform.url}/portal/**')
    page.goto(f'{platform.url}/portal/market/requests/new')
    expect(page.locator('#phone')).to_contain_text('پیامک')
    page.goto(f'{platform.url}/portal/profile/phone')
    page.locator('form[action$="/phone/send"] button').click()
    page.locator('#code').fill(sms_code(platform, number))
    page.locator('form[action$="/phone/verify"] button').click()
    expect(page.locator('.flash-success')).to_be_visible()
    return email


def declare(browser, platform, login, uuid, message):
    page = persian_page(browser, platform, (login, AGENT_PASSWORD))
    page.goto(f'{platform.url}/portal/market/requests/{uuid}')
    page.locator('#message').fill(message)
    page.locator('form[action$="/declare"] button').click()
    return page


def dispatched_codes(platform, uuid):
    office = BackOffice(platform)
    return sorted(d['agent.']['agency_code'] for d in office.model(
            'marketplace.dispatch', 'search_read',
            [('request.uuid', '=', uuid)], 0, None, None,
            ['agent.agency_code']))


def test_persian_story(platform, browser):
    page = persian_page(browser, platform)
    sign_up_and_verify(page, platform)
    page.goto(f'{platform.url}/portal/market/requests/new')
    expect(page.locator('html')).to_have_attribute('dir', 'rtl')
    page.locator('#line').select_option('third_party_car')
    page.locator('input[name=insurers][value=iran]').check()
    page.locator('input[name=insurers][value=asia]').check()
    page.locator('#province').select_option('tehran')
    page.locator('#city').fill('تهران')
    page.locator('#vehicle_year').fill('۱۳۹۵')
    page.locator('#vehicle_year').fill('٢٠١٦')
    page.locator('#description').fill('بیمه شخص ثالث برای پراید')
    page.locator('form.form button[type=submit]').click()
    page.wait_for_url(re.compile(r'.*/portal/market/requests/[0-9a-f]{32}$'))
    uuid = page.url.rsplit('/', 1)[1]
    assert dispatched_codes(platform, uuid) == ['4465', '5120', '7731']

    declare(browser, platform, 'agent.iran1@bimehmall.example', uuid,
        'سلام، آماده خدمت هستم.')
    refused = declare(browser, platform, 'agent.iran2@bimehmall.example',
        uuid, 'من هم آماده‌ام.')
    expect(refused.locator('#message-error')).to_contain_text(
        'نماینده دیگری از شرکت بیمه شما')
    declare(browser, platform, 'agent.asia1@bimehmall.example', uuid,
        'درود، در خدمتم.')

    page.reload()
    offers = page.locator('article.offer')
    expect(offers).to_have_count(2)
    # no agency is shown before acceptance
    expect(page.locator('.agency-code')).to_have_count(0)
    page.locator('#insurer-iran ~ article form[action$="/accept"] button'
        ).click()
    expect(page.locator('.agency-code')).to_have_text('۴۴۶۵')
    expect(page.locator('.agency-name')).to_have_text('نمایندگی رضایی')
    expect(page.locator('.agency-address')).to_contain_text('ولیعصر')
    expect(page.locator('.agency-address')).to_contain_text('۱۵۱۱۸۳۳۱۱۱')

    page.locator('#reason').fill('در مبلغ به توافق نرسیدیم.')
    page.locator('form[action$="/end"] button').click()
    expect(page.locator('#request-state')).to_have_text('بدون توافق')
    page.locator('form[action$="/again"] button').click()
    page.wait_for_url(re.compile(r'.*/portal/market/requests/[0-9a-f]{32}$'))
    again = page.url.rsplit('/', 1)[1]
    assert again != uuid
    assert dispatched_codes(platform, again) == ['5120', '7731']
    page.screenshot(path=str(platform.folder / 'market-story.png'),
        full_page=True)


@pytest.mark.parametrize('language', ['fa', 'en'])
def test_accessibility(platform, browser, language):
    office = BackOffice(platform)
    record, = office.model('marketplace.request', 'search_read', [
            ('state', '=', 'accepted'),
            ('web_user.email', '=', 'user.tehran@bimehmall.example'),
            ], 0, 1, None, ['uuid'])
    problems = {}
    for login, password, paths in [
            ('user.tehran@bimehmall.example', 'Karbar2026', [
                    '/portal/market/requests/new', '/portal/market/requests',
                    f"/portal/market/requests/{record['uuid']}"]),
            ('agent.iran1@bimehmall.example', AGENT_PASSWORD, [
                    '/portal/market/inbox', '/portal/market/agency',
                    f"/portal/market/requests/{record['uuid']}"]),
            ('user.shiraz@bimehmall.example', 'Karbar2026', [
                    '/portal/agents/signup'])]:
        context = browser.new_context(bypass_csp=True)
        page = context.new_page()
        page.goto(f'{platform.url}/portal/lang/{language}?next=/portal/login')
        page.fill('#login', login)
        page.fill('#password', password)
        page.click('button[type=submit].button')
        page.wait_for_url(f'{platform.url}/portal/**')
        for path in paths:
            page.goto(f'{platform.url}{path}')
            problems[f'{login} {path}'] = axe_violations(page)
        context.close()
    assert not any(problems.values()), problems
