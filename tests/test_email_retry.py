"""Emails while the SMTP server is down: what the user did is kept, the
email waits in the queue and goes out once the server is back and the queue
cron runs (as an administrator's "Run once" in the back office)."""
import os
import re

from e2e import (
    CLIENT, INTERMEDIARY, client_session, csrf_token, login,
    pdf_attachment, run_queue_cron)
from ticket_steps import DESK_EMAIL, open_quote_request
from trytond.modules.portal.demo import email_of

MARKETING = re.compile(r'<tr data-form="privacy_marketing".*?</tr>', re.S)
VALIDATION = re.compile(r'\d\d/\d\d/\d\d/\d\d/\d\d/\d\d ')


def answer_marketing(platform, session):
    "Answer the optional marketing consent with the first answer offered."
    page = session.get(f'{platform.url}/portal/consents/')
    row = MARKETING.search(page.text).group(0)
    answer = re.search(r'name="answer" value="([a-z]+)"', row).group(1)
    response = session.post(f'{platform.url}/portal/consents/answer', data={
            'party': re.search(r'name="party" value="(\d+)"', row).group(1),
            'version': re.search(
                r'name="version" value="(\d+)"', row).group(1),
            'answer': answer, 'csrf_token': csrf_token(page.text)})
    assert response.status_code == 200, response.text
    return answer, response


def test_consent_email_sent_when_smtp_is_back(platform):
    address = email_of('Francesca', 'Russo', None)
    session, _ = client_session(platform, address)
    before = session.get(f'{platform.url}/portal/consents/').text
    with platform.mail_outage():
        answer, response = answer_marketing(platform, session)
    # the answer is recorded though its email could not leave
    assert len(VALIDATION.findall(response.text)) == \
        len(VALIDATION.findall(before)) + 1
    subject = f'"{answer}"'
    assert not [m for m in platform.mailbox.messages()
        if address in m.get('X-Envelope-To', '')
        and subject in str(m['Subject'])]

    run_queue_cron(platform)
    message = platform.mailbox.wait_for(address, subject)
    assert INTERMEDIARY in message['X-Envelope-To']
    assert pdf_attachment(message).startswith(b'%PDF')


def test_ticket_email_sent_when_smtp_is_back(platform, browser):
    client = login(browser, platform, CLIENT)
    with platform.mail_outage():
        uuid, number = open_quote_request(
            client, platform, 8000 + os.getpid() % 1000)
    # the ticket is open though its email to the desk could not leave
    assert len(number) == 9
    tagged = [m for m in platform.mailbox.messages()
        if f'[Ticket {number}]' in str(m['Subject'])]
    assert not tagged

    run_queue_cron(platform)
    message = platform.mailbox.wait_for(DESK_EMAIL, f'[Ticket {number}]')
    assert f'/portal/tickets/{uuid}' in message.get_body(
        ('plain',)).get_content()
