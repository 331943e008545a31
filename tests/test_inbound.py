"""Replies by email through the mail server's pipe: the follower's own reply
address and its sender are both needed; a forged sender is refused."""
import os
import re
import subprocess
import sys
import uuid

import requests

from e2e import CLIENT as DANIELA, csrf_token

PAOLO = 'paolo.rinaldi@studiospadafora.example'


def inbound(platform, raw):
    "Pipe a received email to the platform's command; return its status."
    command = os.path.join(
        os.path.dirname(sys.executable), 'platform-ticket-inbound')
    return subprocess.run([command, '-d', platform.database], input=raw,
        env=platform.environment(), capture_output=True, timeout=120)


def reply(sender, to, number, text):
    return (f"From: {sender}\nTo: {to}\n"
        f"Authentication-Results: mx.example; dkim=pass header.d=example\n"
        f"Subject: Re: [Ticket {number}]\n\n{text}\n").encode()


def test_reply_by_email(platform):
    session = requests.Session()
    page = session.get(f'{platform.url}/portal/login')
    session.post(f'{platform.url}/portal/login', data={
            'login': DANIELA[0], 'password': DANIELA[1],
            'csrf_token': csrf_token(page.text)})
    form = session.get(f'{platform.url}/portal/tickets/new')
    studio = re.search(r'<option value="(\d+)"[^>]*>Studio Spadafora',
        form.text).group(1)
    title = f"Domanda {uuid.uuid4().hex[:6]}"
    ticket = session.post(f'{platform.url}/portal/tickets/new', data={
            'csrf_token': csrf_token(form.text), 'line': 'legal',
            'request_type': 'commercial', 'company': studio,
            'title': title, 'description': "Una domanda per lo sportello"})
    number = re.search(r'id="ticket-number">(\d+)<', ticket.text).group(1)

    # her colleague follows the studio's ticket: his email answers to his
    # own reply address
    message = platform.mailbox.wait_for(PAOLO, f'[Ticket {number}]')
    address = message['Reply-To']
    assert re.match(rf'assistenza\+{number}\.[0-9a-f]{{16}}@', address)
    assert 'reply' in message.get_body(('plain',)).get_content().lower() \
        or 'rispond' in message.get_body(('plain',)).get_content().lower()

    text = f"Risposta per email {uuid.uuid4().hex[:6]}"
    forged = inbound(platform, reply(DANIELA[0], address, number, "Falso"))
    assert forged.returncode == 1
    done = inbound(platform, reply(f"Paolo <{PAOLO}>", address, number, text))
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    thread = session.get(ticket.url).text
    assert text in thread
    assert 'Falso' not in thread
