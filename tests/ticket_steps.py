"""The steps of a ticket the end-to-end tests share: its emails, the
new-ticket form, a quote request with the old policy attached, and the
operator's assignment to RBS Broker through JSON-RPC."""
import re
import time

from trytond.modules.portal.demo import italian_number

from e2e import pdf

OPERATOR_EMAIL = 'operatore@mpservice.example'
DESK_EMAIL = 'assistenza@mpservice.example'


def upload(name, data, mime):
    return {'name': name, 'mimeType': mime, 'buffer': data}


class Mail:
    "Wait for the next email of a ticket to each address."

    def __init__(self, mailbox, number):
        self.mailbox = mailbox
        self.tag = f'[Ticket {number}]'
        self.seen = set()

    def next(self, to, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.mailbox.messages():
                key = message['Message-ID']
                if (key not in self.seen
                        and to.lower() in message.get(
                            'X-Envelope-To', '').lower()
                        and self.tag in str(message['Subject'])):
                    self.seen.add(key)
                    return message
            time.sleep(0.2)
        raise AssertionError(f"No email {self.tag} to {to}")

    def none(self, to):
        "Assert the address got no new email of the ticket."
        for message in self.mailbox.messages():
            if (message['Message-ID'] not in self.seen
                    and to.lower() in message.get('X-Envelope-To', '').lower()
                    and self.tag in str(message['Subject'])):
                raise AssertionError(f"Unexpected email to {to}")


def fill_new_ticket(page, platform, request_type, condominium, fiscal_code,
        description):
    "Fill the new-ticket form of a building insurance request."
    page.goto(f'{platform.url}/portal/tickets/new')
    page.select_option('#line', 'building')
    page.select_option('#request_type', request_type)
    page.fill('#condominium_name', condominium)
    page.fill('#condominium_fiscal_code', fiscal_code)
    page.fill('#description', description)


def open_quote_request(client, platform, seed, policy=None):
    "Open a quote request with the old policy; return uuid and number."
    fill_new_ticket(client, platform, 'quote', f"Condominio Prova {seed}",
        italian_number(seed, first='9'),
        "Si richiede offerta, polizza in allegato")
    client.select_option('#company', index=1)
    client.set_input_files('#attachments', [upload(
                'vecchia polizza.pdf', policy or pdf("Vecchia polizza"),
                'application/pdf')])
    client.click('form.form button[type=submit]')
    client.wait_for_url(re.compile(r'.*/portal/tickets/[0-9a-f]{32}$'))
    return client.url.rsplit('/', 1)[1], client.inner_text('#ticket-number')


def assign_to_rbs(operator, uuid):
    "Take the ticket in charge and choose RBS Broker, through JSON-RPC."
    ticket_id, = operator.model(
        'insurance.ticket', 'search', [('uuid', '=', uuid)])
    operator.model('insurance.ticket', 'take_in_charge', [ticket_id])
    rbs, = operator.model(
        'party.party', 'search', [('name', '=', "RBS Broker S.r.l.")])
    operator.model(
        'insurance.ticket', 'write', [ticket_id], {'brokerage': rbs})
    return ticket_id


def forward_to_rbs(operator, uuid):
    "Take the ticket in charge and forward it to RBS, through JSON-RPC."
    ticket_id = assign_to_rbs(operator, uuid)
    operator.model('insurance.ticket', 'forward', [ticket_id])
    return ticket_id
