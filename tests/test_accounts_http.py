"""Portal accounts over real HTTP: sign-up checks, confirmation, login,
reset, profile and the phone check, against the running platform."""
import base64
import concurrent.futures
import random
import re
import sqlite3
import time
import zlib

import pytest
import requests

from e2e import (
    CLIENT as DEMO_CLIENT, PASSWORD, BackOffice, csrf_token, errors, link,
    log_in, unique_email, visitor)
from platform_harness import is_postgresql

CLIENT, CLIENT_PASSWORD = DEMO_CLIENT


def cookie_content(session):
    "Return what the browser can read of the portal's session cookie."
    value = session.cookies.get('portal_session')
    compressed = value.startswith('.')
    payload = value.lstrip('.').split('.')[0]
    data = base64.urlsafe_b64decode(payload + '=' * (-len(payload) % 4))
    return (zlib.decompress(data) if compressed else data).decode()


def signup_form(session, url, **values):
    "Return a valid sign-up form filled from the page, with the values."
    page = session.get(f'{url}/portal/signup').text
    form = {
        'csrf_token': csrf_token(page),
        'surname': "Rossi", 'first_name': "Mario",
        'phone': '333 123 4567', 'email': unique_email(),
        'company_name': "Rossi Amministrazioni S.r.l.",
        'street': "Via Roma", 'street_number': '12',
        'postal_code': '20121', 'city': "Milano", 'province': 'MI',
        'vat_code': '00743110157', 'management_software': "Danea Domustudio",
        'condominium_count': '14', 'password': PASSWORD,
        'password_repeat': PASSWORD,
        'captcha': re.search(
            r'id="captcha-code"[^>]*>([^<]+)<', page).group(1),
        'privacy_consent': '1',
        }
    form.update(values)
    return form


CONFIRM_SUBJECT = 'Conferma il tuo indirizzo email'


def sign_up(platform, session=None, subject=CONFIRM_SUBJECT, **values):
    "Sign up and return the email and the confirmation email."
    session = session or visitor()
    form = signup_form(session, platform.url, **values)
    response = session.post(f'{platform.url}/portal/signup', data=form)
    assert response.url == f'{platform.url}/portal/signup/done', errors(
        response.text)
    return form['email'], platform.mailbox.wait_for(form['email'], subject)


def confirmed_account(platform, **values):
    email, message = sign_up(platform, **values)
    assert requests.get(link(message, 'confirm')).status_code == 200
    return email


def execute(platform, query, *params):
    "Run SQL on the platform's database (to move time forward)."
    if is_postgresql():
        import psycopg
        uri = platform.postgresql_uri(platform.database)
        with psycopg.connect(uri, autocommit=True) as connection:
            connection.execute(query.replace('?', '%s'), params)
    else:
        path = platform.folder / 'db' / f'{platform.database}.sqlite'
        with sqlite3.connect(path) as connection:
            connection.execute(query, params)


def test_signup_required_fields(platform):
    session = visitor()
    page = session.get(f'{platform.url}/portal/signup').text
    response = session.post(f'{platform.url}/portal/signup', data={
            'csrf_token': csrf_token(page)})
    assert response.status_code == 400
    found = errors(response.text)
    for name in ['surname', 'first_name', 'phone', 'email', 'password',
            'password_repeat', 'captcha']:
        assert found[name] == 'Questo campo è obbligatorio.', name
    assert 'informativa' in found['privacy_consent']
    assert 'aria-describedby="surname-error"' in response.text


def test_signup_bad_values_answered_and_kept(platform):
    session = visitor()
    form = signup_form(
        session, platform.url, email='mario@', phone='12345',
        vat_code='12345678901', postal_code='2012', province='ZZ',
        condominium_count='-3', password='segreta', password_repeat='x',
        captcha='WRONG123')
    del form['privacy_consent']
    response = session.post(f'{platform.url}/portal/signup', data=form)
    assert response.status_code == 400
    found = errors(response.text)
    assert set(found) == {
        'email', 'phone', 'vat_code', 'postal_code', 'province',
        'condominium_count', 'password', 'password_repeat', 'captcha',
        'privacy_consent'}
    assert 'indirizzo email valido' in found['email']
    assert '5 cifre' in found['postal_code']
    assert 'maiuscola' in found['password']
    for name in ['email', 'phone', 'vat_code', 'postal_code',
            'condominium_count', 'captcha', 'company_name', 'street']:
        assert f'value="{form[name]}"' in response.text, name
    assert 'value="segreta"' not in response.text
    assert 'aria-invalid="true"' in response.text


@pytest.mark.parametrize('password, message', [
        ('Corta1', '8 caratteri'),
        ('senzamaiuscole1', 'maiuscola'),
        ('SenzaCifre', 'cifra'),
        ('Con Spazio1', 'spazi'),
        ('Password123', 'troppo comune'),
        ])
def test_signup_password_rule(platform, password, message):
    session = visitor()
    form = signup_form(session, platform.url, password=password,
        password_repeat=password)
    response = session.post(f'{platform.url}/portal/signup', data=form)
    assert message in errors(response.text)['password']


def test_signup_client_code_accepted_and_email_unique(platform):
    "An address with an account answers as a new one; its owner is told"
    email, _ = sign_up(platform, vat_code='AB-123456', company_name='')
    for address in [CLIENT.upper(), email.upper()]:
        session = visitor()
        form = signup_form(session, platform.url, email=address)
        response = session.post(f'{platform.url}/portal/signup', data=form)
        assert response.url == f'{platform.url}/portal/signup/done'
        notice = platform.mailbox.wait_for(address.lower(), 'Qualcuno')
        assert '/portal/reset' in notice.get_body(('plain',)).get_content()
    # no second account: the owner's password still opens the first
    _, response = log_in(platform, email)
    assert response.status_code in {200, 403}


def test_signup_confirm_then_login(platform):
    email, message = sign_up(platform)
    session, response = log_in(platform, email)
    assert response.status_code == 403
    assert 'non è ancora confermato' in response.text
    assert '/portal/confirm/resend?email=' in response.text
    confirm = link(message, 'confirm')
    response = requests.get(confirm)
    assert response.status_code == 200
    assert 'confermato' in response.text
    assert requests.get(confirm).status_code == 404
    session, response = log_in(platform, email, session=session)
    assert response.url == f'{platform.url}/portal/'
    assert 'Mario Rossi' in response.text


def test_signup_email_in_persian(platform):
    session = visitor('fa')
    email, message = sign_up(
        platform, session=session, subject='نشانی ایمیل خود را تأیید کنید')
    assert 'dir="rtl"' in message.get_body(('html',)).get_content()


def test_confirmation_expires_and_resend(platform):
    email, message = sign_up(platform)
    execute(platform, "UPDATE web_user SET email_token_expire = ? "
        "WHERE email = ?", '2020-01-01 00:00:00', email)
    response = requests.get(link(message, 'confirm'))
    assert response.status_code == 410
    session = visitor()
    page = session.get(f'{platform.url}/portal/confirm/resend').text
    response = session.post(f'{platform.url}/portal/confirm/resend', data={
            'csrf_token': csrf_token(page), 'email': email})
    assert 'nuovo link' in response.text
    for _ in range(50):
        messages = [m for m in platform.mailbox.messages()
            if email in m['X-Envelope-To']
            and m['Subject'] == CONFIRM_SUBJECT]
        if len(messages) == 2:
            break
        time.sleep(0.2)
    assert len(messages) == 2
    assert requests.get(link(messages[-1], 'confirm')).status_code == 200


def test_captcha_and_honeypot(platform):
    session = visitor()
    form = signup_form(session, platform.url, captcha='00000000')
    response = session.post(f'{platform.url}/portal/signup', data=form)
    assert 'non corrisponde' in errors(response.text)['captcha']
    assert form['captcha'] not in cookie_content(session)
    form = signup_form(session, platform.url, website='http://spam.example')
    response = session.post(f'{platform.url}/portal/signup', data=form)
    assert response.status_code == 400
    assert not [m for m in platform.mailbox.messages()
        if form['email'] in m['X-Envelope-To']]


def test_signup_rate_limit(platform):
    session = visitor()
    page = session.get(f'{platform.url}/portal/signup').text
    for _ in range(20):
        response = session.post(f'{platform.url}/portal/signup', data={
                'csrf_token': csrf_token(page)})
        assert response.status_code == 400
    response = session.post(f'{platform.url}/portal/signup', data={
            'csrf_token': csrf_token(page)})
    assert response.status_code == 429
    assert 'Riprova tra 60 minuti' in response.text
    assert 3500 < int(response.headers['Retry-After']) <= 3600
    assert visitor().get(f'{platform.url}/portal/signup').status_code == 200


def test_post_without_csrf_refused(platform):
    form = signup_form(visitor(), platform.url)
    del form['csrf_token']
    response = visitor().post(f'{platform.url}/portal/signup', data=form)
    assert response.status_code == 400
    assert 'Il modulo è scaduto' in response.text


def test_login_same_answer_unknown_or_wrong(platform):
    _, unknown = log_in(platform, unique_email('nessuno'))
    _, wrong = log_in(platform, CLIENT, 'Sbagliata2026')
    assert unknown.status_code == wrong.status_code == 401
    message = 'E-mail o password errata.'
    assert message in unknown.text and message in wrong.text


def test_login_throttled(platform):
    email = unique_email('forza')
    address = f'127.9.{random.randint(1, 254)}.{random.randint(2, 254)}'
    with concurrent.futures.ThreadPoolExecutor(5) as pool:
        assert list(pool.map(
                lambda _: log_in(platform, email, 'Sbagliata2026',
                    session=visitor(address=address))[1].status_code,
                range(5))) == [401] * 5
    _, response = log_in(
        platform, email, 'Sbagliata2026', session=visitor(address=address))
    assert response.status_code == 429
    assert 'Troppi tentativi' in response.text
    assert int(response.headers['Retry-After']) > 0


def test_strangers_do_not_lock_the_owner_out(platform):
    "Failures from one address throttle it, not the owner elsewhere"
    email = confirmed_account(platform)
    stranger = visitor()
    for _ in range(6):
        log_in(platform, email, 'Sbagliata2026', session=stranger)
    _, refused = log_in(platform, email, PASSWORD, session=stranger)
    assert refused.status_code == 429
    owner, response = log_in(platform, email, PASSWORD)
    assert response.status_code == 200
    assert response.url == f'{platform.url}/portal/'


def test_login_new_session_remember_and_last_login(platform):
    email = confirmed_account(platform)
    session = visitor()
    session.get(f'{platform.url}/portal/login')
    before = session.cookies.get('portal_session')
    session, response = log_in(platform, email, session=session)
    cookie, = [c for c in session.cookies if c.name == 'portal_session']
    assert cookie.value != before
    assert cookie.expires is None
    remembered, _ = log_in(platform, email, remember='1')
    cookie, = [c for c in remembered.cookies if c.name == 'portal_session']
    assert cookie.expires > time.time() + 29 * 24 * 3600
    response = remembered.get(f'{platform.url}/portal/profile')
    assert 'Accesso precedente' in response.text
    assert '127.' in response.text


def test_client_address_forwarded_by_the_proxy(platform):
    email = confirmed_account(platform)
    for _ in range(2):  # the profile shows the previous login
        session = visitor()
        session.headers['X-Forwarded-For'] = '203.0.113.7'
        log_in(platform, email, session=session)
    response = session.get(f'{platform.url}/portal/profile')
    # the previous login in local time, from the client's own address
    assert re.search(r'Accesso precedente: \d\d/\d\d/\d{4} \d\d:\d\d da '
        r'203\.0\.113\.7\.', response.text)


def test_logout_needs_post(platform):
    session, _ = log_in(platform, CLIENT, CLIENT_PASSWORD)
    assert session.get(f'{platform.url}/portal/logout').status_code == 405
    assert session.get(f'{platform.url}/portal/profile').url.endswith(
        '/portal/profile')


def test_reset_same_answer_and_link_rules(platform):
    email = confirmed_account(platform)
    answers = []
    for address in [email, unique_email('sconosciuto')]:
        session = visitor()
        page = session.get(f'{platform.url}/portal/reset').text
        response = session.post(f'{platform.url}/portal/reset', data={
                'csrf_token': csrf_token(page), 'email': address})
        answers.append((response.status_code, response.url,
                re.sub(r'csrf_token" value="[^"]+"', '', response.text)))
    assert answers[0] == answers[1]
    logged_in, _ = log_in(platform, email)
    reset = link(platform.mailbox.wait_for(email, 'password'), 'reset')
    session = visitor()
    page = session.get(reset).text
    response = session.post(reset, data={
            'csrf_token': csrf_token(page), 'password': 'nuova',
            'password_repeat': 'nuova'})
    assert response.status_code == 400
    assert 'maiuscola' in errors(response.text)['password']
    response = session.post(reset, data={
            'csrf_token': csrf_token(page), 'password': 'Nuova2026x',
            'password_repeat': 'Nuova2026x'})
    assert response.url == f'{platform.url}/portal/login'
    assert session.get(reset).status_code == 410
    changed = platform.mailbox.wait_for(email, 'password è stata cambiata')
    assert 'sessioni' in changed.get_body(('plain',)).get_content()
    assert logged_in.get(f'{platform.url}/portal/profile').url.startswith(
        f'{platform.url}/portal/login')
    assert log_in(platform, email, 'Nuova2026x')[1].url == \
        f'{platform.url}/portal/'


def test_reset_link_expires(platform):
    email = confirmed_account(platform)
    session = visitor()
    page = session.get(f'{platform.url}/portal/reset').text
    session.post(f'{platform.url}/portal/reset', data={
            'csrf_token': csrf_token(page), 'email': email})
    reset = link(platform.mailbox.wait_for(email, 'password'), 'reset')
    execute(platform, "UPDATE web_user SET reset_password_token_expire = ? "
        "WHERE email = ?", '2020-01-01 00:00:00', email)
    assert requests.get(reset).status_code == 410


def test_profile_edit_and_identity_change(platform):
    email = confirmed_account(platform)
    session, _ = log_in(platform, email)
    page = session.get(f'{platform.url}/portal/profile').text
    assert 'name="surname"' not in page
    assert 'id="identity-surname">Rossi<' in page
    response = session.post(f'{platform.url}/portal/profile', data={
            'csrf_token': csrf_token(page), 'phone': '333 765 4321',
            'street': 'Via Po', 'street_number': '3', 'postal_code': '1012',
            'city': 'Torino', 'province': 'TO',
            'management_software': 'Stabili', 'condominium_count': '9'})
    assert response.status_code == 400
    assert '5 cifre' in errors(response.text)['postal_code']
    assert 'value="Via Po"' in response.text
    response = session.post(f'{platform.url}/portal/profile', data={
            'csrf_token': csrf_token(page), 'phone': '333 765 4321',
            'street': 'Via Po', 'street_number': '3', 'postal_code': '10121',
            'city': 'Torino', 'province': 'TO',
            'management_software': 'Stabili', 'condominium_count': '9'})
    assert response.url == f'{platform.url}/portal/profile'
    assert 'value="+393337654321"' in response.text
    assert 'value="TO" selected' in response.text
    response = session.post(f'{platform.url}/portal/profile/change', data={
            'csrf_token': csrf_token(page), 'field': 'email',
            'new_value': CLIENT})
    assert 'Un altro account' in errors(response.text)['new_value']
    for field, value in [('surname', 'Rossi Verdi'),
            ('first_name', 'Marco')]:
        session.post(f'{platform.url}/portal/profile/change', data={
                'csrf_token': csrf_token(page), 'field': field,
                'new_value': value, 'note': 'Documento allegato'})
    office = BackOffice(platform)
    user, = office.model('web.user', 'search', [('email', '=', email)])
    surname, first_name = sorted(office.model(
            'portal.identity.change', 'search', [('web_user', '=', user)]))
    office.model('portal.identity.change', 'approve', [surname])
    office.model('portal.identity.change', 'write', [first_name],
        {'rejection_reason': 'Serve un documento di identità.'})
    office.model('portal.identity.change', 'reject', [first_name])
    page = session.get(f'{platform.url}/portal/profile').text
    assert 'id="identity-surname">Rossi Verdi<' in page
    assert 'id="identity-first_name">Mario<' in page
    rejected = platform.mailbox.wait_for(email, 'rifiutata')
    assert 'Serve un documento' in rejected.get_body(('plain',)).get_content()


def sms_codes(platform, number, count=1):
    "Return the codes sent to the number by SMS, waiting for count."
    for _ in range(50):
        files = sorted((platform.folder / 'sms').glob(
                f"*-{number.lstrip('+')}-*.txt"))
        if len(files) >= count:
            return [re.search(r'(\d{6})\.', f.read_text().split(
                        '\n\n', 1)[1]).group(1) for f in files]
        time.sleep(0.2)
    raise AssertionError(f"No SMS to {number}")


def test_phone_verification(platform):
    number = f'+39333{random.randint(1000000, 9999999)}'
    email = confirmed_account(platform, phone=number)
    session, _ = log_in(platform, email)
    page = session.get(f'{platform.url}/portal/profile/phone').text
    session.post(f'{platform.url}/portal/profile/phone/send', data={
            'csrf_token': csrf_token(page)})
    code, = sms_codes(platform, number)
    response = session.post(f'{platform.url}/portal/profile/phone/send',
        data={'csrf_token': csrf_token(page)})
    assert response.status_code == 429
    wrong = '000000' if code != '000000' else '111111'
    statuses = [session.post(
            f'{platform.url}/portal/profile/phone/verify', data={
                'csrf_token': csrf_token(page), 'code': wrong}).status_code
        for _ in range(5)]
    assert statuses == [400] * 4 + [429]
    response = session.post(f'{platform.url}/portal/profile/phone/verify',
        data={'csrf_token': csrf_token(page), 'code': code})
    assert 'Troppi codici errati' in errors(response.text)['code']
    execute(platform, "UPDATE portal_phone_code SET attempts = 0, "
        "expires_at = ? WHERE phone = ?", '2020-01-01 00:00:00', number)
    response = session.post(f'{platform.url}/portal/profile/phone/verify',
        data={'csrf_token': csrf_token(page), 'code': code})
    assert 'scaduto' in errors(response.text)['code']
    execute(platform, "UPDATE portal_phone_code SET create_date = ?, "
        "expires_at = ? WHERE phone = ?", '2020-01-01 00:00:00',
        '2999-01-01 00:00:00', number)
    session.post(f'{platform.url}/portal/profile/phone/send', data={
            'csrf_token': csrf_token(page)})
    fresh = sms_codes(platform, number, 2)[-1]
    response = session.post(f'{platform.url}/portal/profile/phone/verify',
        data={'csrf_token': csrf_token(page), 'code': fresh})
    assert response.url == f'{platform.url}/portal/profile'
    assert 'Telefono verificato' in response.text
    office = BackOffice(platform)
    user, = office.model('web.user', 'search', [('email', '=', email)])
    verified, = office.model('web.user', 'read', [user], ['phone_verified'])
    assert verified['phone_verified']


def test_back_office_validation_button_link(platform):
    email, _ = sign_up(platform)
    office = BackOffice(platform)
    user, = office.model('web.user', 'search', [('email', '=', email)])
    office.model('web.user', 'validate_email', [user])
    for _ in range(50):
        texts = [m.get_body(('html', 'plain')).get_content()
            for m in platform.mailbox.messages()
            if email in m['X-Envelope-To']]
        found = [re.search(r'/portal/confirm\?token=(\w+)', t) for t in texts]
        found = [f for f in found if f]
        if found:
            break
        time.sleep(0.2)
    response = requests.get(
        f'{platform.url}/portal/confirm?token={found[-1].group(1)}')
    assert response.url.endswith(f'/portal/confirm/{found[-1].group(1)}')
    assert response.status_code == 200


@pytest.mark.parametrize('language, headings', [
        ('it', ["Titolare del trattamento", "Finalità", "Base giuridica",
                "Conservazione", "Diritti", "Reclamo"]),
        ('fa', ["کنترل‌کننده", "اهداف"]),
        ])
def test_privacy_notice_by_article_13(platform, language, headings):
    "The privacy notice gives the items of GDPR art. 13 in the language"
    page = visitor(language).get(f'{platform.url}/portal/privacy').text
    found = re.findall(r'<h2>([^<]+)</h2>', page)
    assert len(found) == 9, found
    for heading in headings:
        assert any(heading in h for h in found), (heading, found)
    assert 'Garante' in page
