"""Portal accounts in a real Chromium: the whole journey of a new client,
keyboard use and the axe-core accessibility check."""
import re

import pytest
from playwright.sync_api import expect

from e2e import PASSWORD, BackOffice, axe_violations, link, unique_email


def fill_signup(page, email):
    values = {
        'surname': 'Esposito', 'first_name': 'Carla',
        'phone': '333 222 1100', 'email': email,
        'company_name': 'Esposito Condomini S.r.l.', 'street': 'Via Toledo',
        'street_number': '256', 'postal_code': '80134', 'city': 'Napoli',
        'management_software': 'Danea', 'condominium_count': '8',
        'password': PASSWORD, 'password_repeat': PASSWORD,
        'captcha': page.locator('#captcha-code').inner_text(),
        }
    for name, value in values.items():
        page.locator(f'#{name}').fill(value)
    page.get_by_label('Provincia').select_option('NA')
    page.get_by_label(re.compile('informativa')).check()


def test_new_client_journey(platform, page):
    email = unique_email('carla')
    page.goto(f'{platform.url}/portal/signup')
    rules = page.locator('#password-rules li.met')
    expect(rules).to_have_count(0)
    page.locator('#password').fill('abc')
    expect(rules).to_have_count(1)
    fill_signup(page, email)
    expect(rules).to_have_count(4)
    page.get_by_role('button', name='Crea l\'account').click()
    expect(page.locator('h1')).to_have_text('Registrazione da completare')

    message = platform.mailbox.wait_for(email, 'Conferma')
    page.goto(link(message, 'confirm'))
    expect(page.locator('h1')).to_have_text(
        'Il tuo indirizzo email è confermato')
    page.get_by_role('link', name='Accedi').last.click()
    page.locator('#login').fill(email)
    page.get_by_label('Password').fill(PASSWORD)
    page.get_by_label('Password').press('Enter')
    expect(page.locator('.nav-user')).to_have_text('Carla Esposito')

    page.get_by_role('link', name='Profilo').click()
    page.get_by_label('Software gestionale').fill('Stabili Pro')
    page.get_by_label('Numero di condomini').fill('11')
    page.get_by_role('button', name='Salva', exact=True).click()
    expect(page.locator('.flash-success')).to_be_visible()
    expect(page.get_by_label('Numero di condomini')).to_have_value('11')

    page.get_by_label('Dato da cambiare').select_option('surname')
    page.get_by_label('Nuovo valore').fill('Esposito Russo')
    page.get_by_label('Nota per il personale').fill('Cognome da sposata')
    page.get_by_role('button', name='Invia la richiesta').click()
    expect(page.locator('table.changes')).to_contain_text('In attesa')

    office = BackOffice(platform)
    user, = office.model('web.user', 'search', [('email', '=', email)])
    change, = office.model(
        'portal.identity.change', 'search', [('web_user', '=', user)])
    office.model('portal.identity.change', 'approve', [change])
    page.reload()
    expect(page.locator('#identity-surname')).to_have_text('Esposito Russo')
    expect(page.locator('table.changes')).to_contain_text('Approvata')

    page.get_by_role('button', name='Esci').click()
    expect(page.locator('.flash')).to_contain_text('Sei uscito')
    page.goto(f'{platform.url}/portal/login')
    page.get_by_role('link', name='Password dimenticata?').click()
    page.locator('#email').fill(email)
    page.get_by_role('button', name='Invia il link').click()
    reset = platform.mailbox.wait_for(email, 'nuova password')
    page.goto(link(reset, 'reset'))
    page.get_by_label('Nuova password').fill('Cambiata2026')
    page.get_by_label('Ripeti la password').fill('Cambiata2026')
    page.get_by_role('button', name='Salva la password').click()
    page.locator('#login').fill(email)
    page.get_by_label('Password').fill('Cambiata2026')
    page.get_by_role('button', name='Accedi').click()
    expect(page.locator('.nav-user')).to_have_text('Carla Esposito Russo')
    page.screenshot(path=str(platform.folder / 'accounts-journey.png'))


def test_signup_errors_by_keyboard(platform, page):
    page.goto(f'{platform.url}/portal/signup')
    page.get_by_label('E-mail').fill('non-valida')
    page.get_by_label('CAP').fill('123')
    page.get_by_label('CAP').press('Enter')
    email = page.get_by_label('E-mail')
    expect(email).to_have_attribute('aria-invalid', 'true')
    expect(email).to_have_value('non-valida')
    expect(page.locator('#email-error')).to_contain_text('email valido')
    expect(page.get_by_label('CAP')).to_have_value('123')
    expect(page.get_by_label('CAP')).to_have_attribute(
        'aria-describedby', 'postal_code-error')
    expect(page.locator('[aria-invalid="true"]').first).to_be_focused()


@pytest.mark.parametrize('language', ['it', 'fa'])
def test_accessibility(platform, browser, language):
    # The pages forbid inline scripts; axe-core is injected as one
    context = browser.new_context(locale='it-IT', bypass_csp=True)
    page = context.new_page()
    page.goto(f'{platform.url}/portal/lang/{language}?next=/portal/signup')
    problems = {}
    for path in ['/portal/signup', '/portal/login', '/portal/reset']:
        page.goto(f'{platform.url}{path}')
        problems[path] = axe_violations(page)
    page.goto(f'{platform.url}/portal/signup')
    page.locator('form.form button[type=submit]').click()
    problems['/portal/signup (errors)'] = axe_violations(page)
    page.goto(f'{platform.url}/portal/login')
    page.locator('#login').fill('daniela.spadafora@studiospadafora.example')
    page.locator('#password').fill('Cliente2026')
    page.locator('#password').press('Enter')
    for path in ['/portal/profile', '/portal/profile/phone']:
        page.goto(f'{platform.url}{path}')
        problems[path] = axe_violations(page)
    context.close()
    assert not any(problems.values()), problems
