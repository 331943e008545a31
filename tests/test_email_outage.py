"""Account and code emails while the SMTP server is down: each waits in the
outbox and leaves once the server is back and the queue cron runs; the link
or code it carries still works."""
import re
import uuid

import requests

from trytond.modules.portal.demo import CLIENT_PASSWORD

from e2e import (
    PASSWORD, BackOffice, csrf_token, link, run_queue_cron)


def none_to(platform, address):
    return not [m for m in platform.mailbox.messages()
        if address in m.get('X-Envelope-To', '')]


def test_signup_and_reset_emails_survive_an_outage(platform):
    address = f'outage-{uuid.uuid4().hex[:8]}@example.com'
    session = requests.Session()
    page = session.get(f'{platform.url}/portal/signup').text
    form = {
        'csrf_token': csrf_token(page), 'surname': "Neri",
        'first_name': "Anna", 'phone': '333 765 4321', 'email': address,
        'password': PASSWORD, 'password_repeat': PASSWORD,
        'captcha': re.search(
            r'id="captcha-code"[^>]*>([^<]+)<', page).group(1),
        'privacy_consent': '1'}
    with platform.mail_outage():
        done = session.post(f'{platform.url}/portal/signup', data=form)
        assert done.url.endswith('/portal/signup/done')
    assert none_to(platform, address)
    run_queue_cron(platform)
    confirmation = platform.mailbox.wait_for(address, 'Conferma')
    confirmed = session.get(link(confirmation, 'confirm'))
    assert confirmed.status_code == 200

    page = session.get(f'{platform.url}/portal/reset').text
    with platform.mail_outage():
        session.post(f'{platform.url}/portal/reset', data={
                'csrf_token': csrf_token(page), 'email': address})
    run_queue_cron(platform)
    reset = platform.mailbox.wait_for(address, 'password')
    new = session.get(link(reset, 'reset'))
    assert new.status_code == 200 and 'password_repeat' in new.text


def test_signature_code_survives_an_outage(platform):
    "The code of a policy to sign reaches the client after the outage"
    session_admin = BackOffice(platform)
    ticket, = session_admin.call('model.insurance.ticket.search_read',
        [('state', '=', 'signing')], 0, 1, None, ['uuid', 'client'], {})
    user, = session_admin.call('model.web.user.search_read',
        [('party', '=', ticket['client'])], 0, 1, None, ['email'], {})
    session = requests.Session()
    page = session.get(f'{platform.url}/portal/login').text
    session.post(f'{platform.url}/portal/login', data={
            'login': user['email'], 'password': CLIENT_PASSWORD,
            'csrf_token': csrf_token(page)})
    url = f"{platform.url}/portal/tickets/{ticket['uuid']}"
    page = session.get(url).text
    with platform.mail_outage():
        sent = session.post(f'{url}/signature/code',
            data={'csrf_token': csrf_token(page)})
        if 'id="review-form"' in sent.text:
            # the contract's forms first, then the code goes
            hidden = dict(re.findall(
                    r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                    sent.text))
            for name, value in re.findall(
                    r'type="radio" name="(answer-\d+)" value="([a-z]+)"',
                    sent.text):
                hidden.setdefault(name, value)
            sent = session.post(f'{url}/signature/code', data=hidden)
        assert sent.status_code == 200 and '#sign' in sent.url, sent.text[-500:]

    def codes():
        return [m for m in platform.mailbox.messages()
            if user['email'] in m.get('X-Envelope-To', '')
            and 'firmare' in str(m['Subject'])]
    before = len(codes())
    run_queue_cron(platform)
    message = platform.mailbox.wait_for(user['email'], 'firmare')
    assert len(codes()) == before + 1
    assert re.search(r'\b\d{6}\b', message.get_body(('plain',)).get_content())

