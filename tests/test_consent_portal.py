"""The consent registry in the portal, over real HTTP, a real SMTP catcher
and Chromium: My consents, re-consent, withdrawal, PDFs, the dossier and
the sign-up consent."""
import hashlib
import re
import uuid

import requests
from playwright.sync_api import expect

from trytond.modules.portal.demo import CLIENT_PASSWORD, email_of
from trytond.modules.portal.tests.tools import pdfsig, pyhanko_validate

from consent_steps import publish
from e2e import (
    CLIENT, INTERMEDIARY, BackOffice, client_session, csrf_token,
    pdf_attachment)

DANIELA = CLIENT[0]
# a demo client who has not read the information due before a quote yet
NEWCOMER = email_of('Valentina', 'Esposito', None)
VALIDATION = re.compile(
    r'\d\d/\d\d/\d\d/\d\d/\d\d/\d\d [^<\s)]+@[^<\s)]+')


def answer_forms(html):
    "Return the form codes of the rows offering the given action."
    return re.findall(r'data-form="([a-z0-9_]+)"', html)


def test_my_consents_page(platform, page):
    "A client sees the state of each form and the history in a browser"
    page.goto(f'{platform.url}/portal/login')
    page.fill('#login', NEWCOMER)
    page.fill('#password', CLIENT_PASSWORD)
    page.click('button[type=submit]')
    page.goto(f'{platform.url}/portal/consents/')
    assert page.locator('h1').inner_text() == 'I miei consensi'
    state = page.locator('#consent-state')
    assert state.locator('tr[data-form="privacy_insurance"]').count() == 1
    history = page.locator('#consent-history .validation-string')
    count = history.count()
    assert count == 3  # her sign-up consents and the commercial one

    row = state.locator('tr[data-form="allegato_4"]').first
    assert row.locator('.answer').inner_text().strip() == 'Nessuna risposta'
    row.locator('button', has_text='Ho preso visione').click()
    page.wait_for_selector('.flash-success')
    row = state.locator('tr[data-form="allegato_4"]').first
    assert row.locator('.answer').inner_text().strip() == 'Preso visione'
    assert history.count() == count + 1
    assert VALIDATION.fullmatch(history.first.inner_text())
    assert NEWCOMER in history.first.inner_text()
    link = page.locator('#consent-history a').first.get_attribute('href')
    response = page.request.get(f'{platform.url}{link}')
    assert response.headers['content-type'] == 'application/pdf'
    assert response.body().startswith(b'%PDF')


def test_reconsent_shows_only_changed_forms(platform, page):
    "A client who answered an older version reviews only that form"
    email = email_of('Giuseppe', 'Colombo', None)
    page.goto(f'{platform.url}/portal/login')
    page.fill('#login', email)
    page.fill('#password', CLIENT_PASSWORD)
    page.click('button[type=submit]')
    page.wait_for_url(f'{platform.url}/portal/')
    page.click('#consents-title ~ p a.button')
    page.wait_for_url('**/portal/consents/review**')
    fieldsets = page.locator('#review-form fieldset')
    assert fieldsets.count() == 1
    assert fieldsets.first.get_attribute('data-form') == 'privacy_marketing'
    assert 'webinar' in page.locator('.hint').first.inner_text()

    page.click('#review-form button[type=submit]')
    assert page.locator('#review-form .error').count() == 1
    page.check('#review-form input[value="refused"]')
    page.click('#review-form button[type=submit]')
    page.wait_for_url(f'{platform.url}/portal/')
    page.goto(f'{platform.url}/portal/consents/')
    row = page.locator('#consent-state tr[data-form="privacy_marketing"]')
    assert row.locator('.answer').inner_text().strip() == 'Rifiutato'
    page.goto(f'{platform.url}/portal/consents/review')
    assert page.locator('#review-form').count() == 0


def test_withdrawal_emailed_with_pdf(platform):
    "An optional consent given and withdrawn; each answer emailed with its PDF"
    email = email_of('Laura', 'Bianchi',
        'Amministrazioni Condominiali Bianchi S.a.s.')
    session, _ = client_session(platform, email)
    response = session.get(f'{platform.url}/portal/consents/review')
    name = re.search(r'name="(answer-\d+)"', response.text).group(1)
    response = session.post(response.url, data={
            name: 'given', 'csrf_token': csrf_token(response.text)})
    assert response.status_code == 200

    mine = session.get(f'{platform.url}/portal/consents/')
    row = re.search(r'<tr data-form="privacy_marketing".*?</tr>',
        mine.text, re.S).group(0)
    assert 'Withdraw my consent' in row
    party = re.search(r'name="party" value="(\d+)"', row).group(1)
    version = re.search(r'name="version" value="(\d+)"', row).group(1)
    response = session.post(f'{platform.url}/portal/consents/answer', data={
            'party': party, 'version': version, 'answer': 'withdrawn',
            'csrf_token': csrf_token(mine.text)})
    assert response.status_code == 200
    row = re.search(r'<tr data-form="privacy_marketing".*?</tr>',
        response.text, re.S).group(0)
    assert 'Withdrawn' in row and 'I consent' in row

    message = platform.mailbox.wait_for(email, '"withdrawn"')
    assert INTERMEDIARY in message['X-Envelope-To']
    body = message.get_body(('plain', 'html')).get_content()
    validation = VALIDATION.search(body).group(0)
    assert validation in response.text
    data = pdf_attachment(message)
    assert data.startswith(b'%PDF')
    # the emailed PDF is sealed by the platform, for any reader
    valid, report = pdfsig(data)
    assert valid, report
    valid, report = pyhanko_validate(data)
    assert valid, report
    link = re.search(r'href="(/portal/consents/\d+\.pdf)"', response.text)
    stored = session.get(f'{platform.url}{link.group(1)}').content
    assert hashlib.sha256(stored).hexdigest() == \
        hashlib.sha256(data).hexdigest()
    assert platform.mailbox.wait_for(email, '"given"')


def test_other_clients_pdf_refused(platform):
    "A client cannot open another client's consent PDF"
    session, _ = client_session(platform, email_of('Paolo', 'Ricci', None))
    mine = session.get(f'{platform.url}/portal/consents/')
    own = re.findall(r'/portal/consents/(\d+)\.pdf', mine.text)
    assert own
    daniela, _ = client_session(platform, DANIELA)
    response = daniela.get(f'{platform.url}/portal/consents/{own[0]}.pdf')
    assert response.status_code == 404


def test_dossier(platform):
    "The dossier is one PDF; a wrong date is answered next to the field"
    session, _ = client_session(platform, DANIELA)
    response = session.get(f'{platform.url}/portal/consents/dossier.pdf')
    assert response.headers['Content-Type'] == 'application/pdf'
    assert response.content.startswith(b'%PDF')
    valid, report = pdfsig(response.content)
    assert valid, report
    since = session.get(f'{platform.url}/portal/consents/dossier.pdf',
        params={'since': '2020-01-01'})
    assert since.content.startswith(b'%PDF')
    wrong = session.get(f'{platform.url}/portal/consents/dossier.pdf',
        params={'since': '31/02/2026'})
    assert wrong.status_code == 400
    assert 'id="since-error"' in wrong.text
    assert 'value="31/02/2026"' in wrong.text


def test_signup_consent_recorded(platform):
    "The sign-up's GDPR consent becomes a record, emailed with its PDF"
    session = requests.Session()
    session.headers['Accept-Language'] = 'it'
    form = session.get(f'{platform.url}/portal/signup').text
    email = f'nuovo.{uuid.uuid4().hex[:8]}@example.it'
    response = session.post(f'{platform.url}/portal/signup', data={
            'surname': 'Verdi', 'first_name': 'Anna',
            'phone': '+39 333 123 4567', 'email': email,
            'company_name': '', 'street': 'Via Roma', 'street_number': '1',
            'postal_code': '20121', 'province': 'MI', 'city': 'Milano',
            'vat_code': '', 'management_software': '',
            'condominium_count': '', 'password': 'Segreta2026',
            'password_repeat': 'Segreta2026',
            'captcha': re.search(
                r'id="captcha-code"[^>]*>([^<]+)<', form).group(1),
            'privacy_consent': '1', 'csrf_token': csrf_token(form)})
    assert response.status_code == 200, response.text
    message = platform.mailbox.wait_for(email, 'Informativa privacy')
    assert INTERMEDIARY in message['X-Envelope-To']
    assert pdf_attachment(message).startswith(b'%PDF')
    body = message.get_body(('plain', 'html')).get_content()
    assert VALIDATION.search(body).group(0).endswith(email)


def test_quote_forms_asked_before_the_first_quote(platform, page):
    "The forms due before a quote, never answered, are asked at the step"
    email = email_of('Roberta', 'Conti', 'Condomini Lombardi S.r.l.')
    page.goto(f'{platform.url}/portal/login')
    page.fill('#login', email)
    page.fill('#password', CLIENT_PASSWORD)
    page.click('button[type=submit]')
    page.wait_for_url(f'{platform.url}/portal/')

    page.goto(f'{platform.url}/portal/tickets/new')
    page.wait_for_url(re.compile(r'/portal/consents/review\?.*moment=quote'))
    assert 'Prima di proseguire' in page.inner_text('.flash-error')
    forms = page.locator('#review-form fieldset')
    codes = [forms.nth(i).get_attribute('data-form')
        for i in range(forms.count())]
    # asked once, answered for her and for her company; the contract's
    # forms wait
    for code in ['allegato_3', 'allegato_4', 'allegato_4ter']:
        assert codes.count(code) == 1, codes
        assert 'Condomini Lombardi S.r.l.' in forms.nth(
            codes.index(code)).inner_text()
    assert not {'mandate_letter', 'law_248_2006'} & set(codes)
    assert 'Non ancora compilato' in page.inner_text('#review-form')

    # the information is read in one click, the optional consent answered
    marketing = codes.index('privacy_marketing') if (
        'privacy_marketing' in codes) else None
    if marketing is not None:
        forms.nth(marketing).locator('input[value="refused"]').check()
    page.click('button[name="answer_all"][value="acknowledgement"]')
    page.wait_for_url(f'{platform.url}/portal/tickets/new')
    expect(page.locator('#description')).to_be_visible()
    page.goto(f'{platform.url}/portal/consents/')
    for code in ['allegato_3', 'allegato_4', 'allegato_4ter']:
        answered = page.locator(f'#consent-state tr[data-form="{code}"]')
        assert answered.count() == 2  # her own and her company's
        for index in range(2):
            assert answered.nth(index).locator(
                '.answer').inner_text().strip() == 'Preso visione'


def test_mandatory_change_blocks_until_given(platform, page):
    "A changed mandatory form is asked at the next access and blocks steps"
    admin = BackOffice(platform)
    email = email_of('Francesca', 'Russo', None)
    party, = admin.call('model.party.party.search',
        [('name', '=', 'Francesca Russo')], 0, None, None, {})
    code = f'test_{uuid.uuid4().hex[:8]}'
    form, = admin.call('model.consent.form.create', [{
                'code': code, 'name': 'Polizza collettiva',
                'mandatory': True}], {})
    try:
        first, = admin.call('model.consent.form.version.create',
            [{'form': form, 'text': 'Prima versione.'}], {})
        assert publish(admin, first) == 0
        admin.call('model.consent.record.create', [{
                    'party': party, 'version': first, 'answer': 'given'}],
            {})
        second, = admin.call('model.consent.form.version.create',
            [{'form': form, 'text': 'Seconda versione.',
                'change_summary': 'Nuovi massimali.'}], {})
        assert publish(admin, second) == 1

        page.goto(f'{platform.url}/portal/login')
        page.fill('#login', email)
        page.fill('#password', CLIENT_PASSWORD)
        page.click('button[type=submit]')
        page.wait_for_url('**/portal/consents/review**')
        forms = page.locator('#review-form fieldset')
        codes = [forms.nth(i).get_attribute('data-form')
            for i in range(forms.count())]
        assert code in codes and 'privacy_insurance' not in codes

        page.click('text=Più tardi')
        page.wait_for_url(f'{platform.url}/portal/')
        ticket = page.request.get(f'{platform.url}/portal/tickets/new',
            max_redirects=0)
        assert '/portal/consents/review' in ticket.headers['location']

        page.goto(f'{platform.url}/portal/consents/review')
        name = f'answer-{second}'
        page.check(f'input[name="{name}"][value="given"]')
        for index in range(forms.count()):
            other = forms.nth(index)
            if other.get_attribute('data-form') != code:
                other.locator('input').first.check()
        page.click('#review-form button[type=submit]')
        page.wait_for_url(f'{platform.url}/portal/')
        page.goto(f'{platform.url}/portal/consents/review')
        assert page.locator('#review-form').count() == 0
    finally:  # the other clients are not asked for it
        admin.call('model.consent.form.write', [form],
            {'active': False}, {})


def test_broker_answers_no_forms(platform):
    "A broker works for the brokerage: no client consent form applies"
    session, _ = client_session(
        platform, 'sara.galli@assibrokerbroker.example',
        'Broker2026')
    page = session.get(f'{platform.url}/portal/consents/').text
    assert 'No consent form applies to your account.' in page
    assert 'id="consent-state"' not in page
