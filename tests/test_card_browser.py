"""The client card in a real Chromium: a natural person's card and their
company's card filled section by section in Italian and confirmed, the
Persian card right to left, and axe-core on the card pages."""
import io

import pytest
from codicefiscale import codicefiscale
from PIL import Image
from e2e import axe_violations, login

ROMANO = ('alessandro.romano@romano.example', 'Cliente2026')
RICCI = ('paolo.ricci@studioricci.example', 'Cliente2026')


def save(page, platform, section, values, selects=None, checks=()):
    page.goto(f'{platform.url}/portal/card/{section}')
    for name, value in values.items():
        page.locator(f'#{name}').fill(value)
    for name, value in (selects or {}).items():
        page.locator(f'#{name}').select_option(value)
    for name in checks:
        page.locator(f'input[name={name}][value="{checks[name]}"]').check()
    page.click('form.form button[type=submit]')
    assert page.locator('.error').count() == 0, page.content()[-3000:]


def scan(tmp_path):
    path = tmp_path / 'carta.png'
    buffer = io.BytesIO()
    Image.new('RGB', (60, 40), 'white').save(buffer, 'PNG')
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_natural_and_legal_cards_confirmed(platform, browser, tmp_path):
    page = login(browser, platform, ROMANO)
    code = codicefiscale.encode('Romano', 'Alessandro', 'M', '1972-09-14',
        'Roma')
    # a wrong code first: the error beside the field, what was typed kept
    save_identity = {'surname': 'Romano', 'first_name': 'Alessandro',
        'birth_date': '1972-09-14', 'birth_place': 'Roma',
        'fiscal_code': code[:15] + ('A' if code[15] != 'A' else 'B')}
    page.goto(f'{platform.url}/portal/card/identity')
    for name, value in save_identity.items():
        page.locator(f'#{name}').fill(value)
    page.locator('#sex').select_option('M')
    page.click('form.form button[type=submit]')
    assert page.locator('#fiscal_code-error').count() == 1
    assert page.input_value('#birth_place') == 'Roma'
    save(page, platform, 'identity', dict(save_identity, fiscal_code=code),
        {'sex': 'M', 'citizenship': 'IT'})
    save(page, platform, 'residence', {'street': 'Via del Tritone',
            'street_number': '61', 'postal_code': '00187', 'city': 'Roma'},
        {'province': 'RM', 'country': 'IT'})
    save(page, platform, 'family', {'dependants': '1',
            'member_name': 'Giulia Romano',
            'member_birth_date': '2008-02-02'},
        {'marital_status': 'married', 'member_relation': 'child'})
    save(page, platform, 'activity', {'ateco_code': '68.32.00'},
        {'occupation': 'professional'})
    save(page, platform, 'bank', {'iban': 'IT60X0542811101000000123456',
            'account_holder': 'Alessandro Romano'})
    page.goto(f'{platform.url}/portal/card/document')
    page.locator('#document_type').select_option('identity_card')
    page.locator('#document_number').fill('CA7788990')
    page.locator('#document_issuer').fill('Comune di Roma')
    page.locator('#document_issue_date').fill('2022-03-01')
    page.locator('#document_expiry_date').fill('2032-03-01')
    page.locator('#document_scan').set_input_files(scan(tmp_path))
    page.click('form.form button[type=submit]')
    assert page.locator('.error').count() == 0
    page.goto(f'{platform.url}/portal/card/')
    page.click('#confirm-card')
    assert 'confermata' in page.inner_text('.flashes').lower()
    message = platform.mailbox.wait_for(ROMANO[0], 'confermata')
    assert any(p.get_filename().endswith('.pdf')
        for p in message.iter_attachments())

    # the company's card
    page.goto(f'{platform.url}/portal/card/')
    page.get_by_role('link', name='Gestioni Immobiliari Romano S.r.l.').click()
    page.goto(f'{platform.url}/portal/card/identity')
    page.locator('input[name=person_type][value=legal]').check()
    page.click('form.form button[type=submit]')
    from trytond.modules.portal.demo import italian_number
    vat = italian_number(5)
    save(page, platform, 'identity', {
            'company_name': 'Gestioni Immobiliari Romano S.r.l.',
            'vat_code': vat, 'fiscal_code': vat, 'rea_number': 'RM-654321'},
        {'legal_form': 'srl'})
    save(page, platform, 'residence', {'street': 'Via del Tritone',
            'postal_code': '00187', 'city': 'Roma'}, {'country': 'IT'})
    save(page, platform, 'activity', {'ateco_code': '68.32.00'})
    save(page, platform, 'contacts', {
            'emails': 'alessandro.romano@romano.example',
            'pec': 'romano@pec.example'})
    save(page, platform, 'representatives', {'rep_name': 'Alessandro Romano',
            'rep_fiscal_code': code, 'rep_share': '100'},
        {'rep_role': 'legal_representative'})
    page.goto(f'{platform.url}/portal/card/')
    page.click('#confirm-card')
    assert page.locator('#error-summary').count() == 0, page.content()[-2000:]
    assert 'confermata' in page.inner_text('#card-state').lower()


def test_persian_card_right_to_left(platform, browser):
    page = login(browser, platform, RICCI)
    page.goto(f'{platform.url}/portal/lang/fa?next=/portal/card/')
    assert page.locator('html').get_attribute('dir') == 'rtl'
    assert page.locator('html').get_attribute('lang') == 'fa'
    assert 'پرونده من' in page.inner_text('h1')
    page.goto(f'{platform.url}/portal/card/identity')
    assert page.locator('html').get_attribute('dir') == 'rtl'
    width = page.evaluate('document.documentElement.scrollWidth')
    assert width <= page.viewport_size['width']


@pytest.mark.parametrize('language', ['it', 'fa'])
def test_card_accessibility(platform, browser, language):
    # the pages forbid inline scripts; axe-core is injected as one
    page = login(browser, platform, RICCI, bypass_csp=True)
    page.set_viewport_size({'width': 390, 'height': 844})
    page.goto(f'{platform.url}/portal/lang/{language}?next=/portal/card/')
    problems = {}
    for section in ['', 'identity', 'document', 'residence', 'family',
            'activity', 'bank', 'contacts']:
        page.goto(f'{platform.url}/portal/card/{section}')
        problems[section or 'card'] = axe_violations(page)
        assert page.evaluate('document.documentElement.scrollWidth') <= 390, \
            section
    page.goto(f'{platform.url}/portal/card/identity')
    page.locator('#fiscal_code').fill('XYZ')
    page.click('form.form button[type=submit]')
    problems['identity (errors)'] = axe_violations(page)
    assert not any(problems.values()), problems
