"""End-to-end: who may open, download from and act on a ticket. The
source's sample ticket belongs to Studio Spadafora and RBS Broker."""
import os

import pytest

from e2e import BackOffice, csrf_token, login
from ticket_steps import (
    assign_to_rbs, fill_new_ticket, forward_to_rbs, open_quote_request)

from trytond.modules.portal.demo import italian_number

SAMPLE_TITLE = "Attivazione Polizza"
ALLOWED = {
    'daniela.spadafora@studiospadafora.example': 'Cliente2026',
    'paolo.rinaldi@studiospadafora.example': 'Cliente2026',
    'emilio.salerno@rbsbroker.example': 'Broker2026',
    'marta.fontana@rbsbroker.example': 'Broker2026',
    }
REFUSED = {
    'giuseppe.colombo@studiocolombo.example': 'Cliente2026',
    'sara.galli@assibrokerbroker.example': 'Broker2026',
    }


@pytest.fixture(scope='module')
def sample(platform, browser):
    "A quote request of Studio Spadafora forwarded to RBS Broker."
    client = login(browser, platform, (
            'daniela.spadafora@studiospadafora.example', 'Cliente2026'))
    uuid, _ = open_quote_request(client, platform, 7000 + os.getpid() % 1000)
    operator = BackOffice(platform, 'operatore', 'Operatore2026')
    ticket_id = forward_to_rbs(operator, uuid)
    ticket, = operator.model('insurance.ticket', 'read', [ticket_id], [
            'uuid', 'number', 'attachments', 'condominium.name',
            'condominium.fiscal_code'])
    return ticket


@pytest.fixture(scope='module')
def source_sample(platform):
    "The source's sample thread of the demo."
    operator = BackOffice(platform, 'operatore', 'Operatore2026')
    ticket, = operator.model(
        'insurance.ticket', 'search_read', [('title', '=', SAMPLE_TITLE)],
        0, 1, None, ['uuid', 'number'])
    return ticket


@pytest.mark.parametrize('email', sorted(ALLOWED))
def test_allowed(platform, browser, sample, source_sample, email):
    page = login(browser, platform, (email, ALLOWED[email]))
    page.goto(f'{platform.url}/portal/tickets/{source_sample["uuid"]}')
    assert page.inner_text('#ticket-number') == '207902056'
    # the source's sample thread, to the minute, each time machine-readable
    assert "16/01/2026 17:39" in page.content()
    assert page.locator('.thread time[datetime^="2026-01-16T17:39"]').count()
    response = page.goto(f'{platform.url}/portal/tickets/{sample["uuid"]}')
    assert response.status == 200
    assert page.inner_text('#ticket-number') == sample['number']
    download = page.request.get(
        f'{platform.url}/portal/tickets/{sample["uuid"]}/files/'
        f'{sample["attachments"][0]}')
    assert download.status == 200
    assert download.body().startswith(b'%PDF')
    page.goto(f'{platform.url}/portal/')
    assert page.locator(f'[data-number="{sample["number"]}"]').count() == 1


@pytest.mark.parametrize('email', sorted(REFUSED))
def test_refused(platform, browser, sample, email):
    page = login(browser, platform, (email, REFUSED[email]))
    page.goto(f'{platform.url}/portal/tickets/new')
    token = csrf_token(page.content())
    base = f'{platform.url}/portal/tickets/{sample["uuid"]}'
    assert page.goto(base).status == 404
    for attachment in sample['attachments']:
        assert page.request.get(f'{base}/files/{attachment}').status == 404
    for action in ('messages', 'return_questionnaire', 'accept', 'close',
            'send_quote', 'signature/code', 'signature'):
        response = page.request.post(f'{base}/{action}', form={
                'csrf_token': token, 'body': "intrusion", 'code': '000000'})
        assert response.status == 404, action
    page.goto(f'{platform.url}/portal/')
    assert page.locator(f'[data-number="{sample["number"]}"]').count() == 0


def test_client_cannot_act_as_broker(platform, browser, sample):
    page = login(browser, platform, (
            'daniela.spadafora@studiospadafora.example', 'Cliente2026'))
    page.goto(f'{platform.url}/portal/tickets/new')
    token = csrf_token(page.content())
    base = f'{platform.url}/portal/tickets/{sample["uuid"]}'
    for action in ('send_quote', 'send_policy', 'close', 'signature/code'):
        response = page.request.post(
            f'{base}/{action}', form={'csrf_token': token})
        assert response.status == 403, action


def test_bad_input_keeps_values(platform, browser):
    page = login(browser, platform, (
            'daniela.spadafora@studiospadafora.example', 'Cliente2026'))
    fill_new_ticket(page, platform, 'quote', "Condominio Senza Polizza",
        '12345678901', "Testo da conservare")
    page.click('form.form button[type=submit]')
    assert page.locator('#condominium_fiscal_code-error').count() == 1
    assert page.input_value('#description') == "Testo da conservare"
    assert page.input_value('#condominium_name') == "Condominio Senza Polizza"

    # a valid fiscal code but no old policy
    page.fill('#condominium_fiscal_code',
        italian_number(9000 + os.getpid() % 1000, first='9'))
    page.click('form.form button[type=submit]')
    assert page.locator('#condominium_fiscal_code-error').count() == 0
    assert page.locator('#attachments-error').count() == 1

    # a program disguised as a PDF
    page.set_input_files('#attachments', [{
                'name': 'polizza.pdf', 'mimeType': 'application/pdf',
                'buffer': b'MZ\x90\x00' + b'\x00' * 500}])
    page.click('form.form button[type=submit]')
    assert page.locator('#attachments-error').count() == 1
    assert 'polizza.pdf' in page.inner_text('#attachments-error')


def test_brokerage_sees_only_forwarded_tickets(platform, browser):
    "A brokerage chosen but not yet forwarded to sees nothing of the ticket."
    client = login(browser, platform, (
            'daniela.spadafora@studiospadafora.example', 'Cliente2026'))
    uuid, number = open_quote_request(
        client, platform, 6000 + os.getpid() % 1000)
    operator = BackOffice(platform, 'operatore', 'Operatore2026')
    ticket_id = assign_to_rbs(operator, uuid)
    ticket, = operator.model(
        'insurance.ticket', 'read', [ticket_id], ['attachments'])
    broker = login(browser, platform, (
            'emilio.salerno@rbsbroker.example', 'Broker2026'))
    base = f'{platform.url}/portal/tickets/{uuid}'
    assert broker.goto(base).status == 404
    file = f'{base}/files/{ticket["attachments"][0]}'
    assert broker.request.get(file).status == 404

    operator.model('insurance.ticket', 'forward', [ticket_id])
    assert broker.goto(base).status == 200
    assert broker.inner_text('#ticket-number') == number
    assert broker.request.get(file).status == 200


def test_condominium_of_another_administrator(platform, browser, sample):
    "Its fiscal code is refused, and nothing of it is shown."
    page = login(browser, platform, (
            'giuseppe.colombo@studiocolombo.example', 'Cliente2026'))
    fill_new_ticket(page, platform, 'technical', "Condominio Omonimo",
        sample['condominium.']['fiscal_code'], "Richiesta da conservare")
    page.click('form.form button[type=submit]')
    error = page.inner_text('#condominium_fiscal_code-error')
    assert "altro amministratore" in error
    assert sample['condominium.']['name'] not in page.content()
    assert page.input_value('#condominium_name') == "Condominio Omonimo"
    assert page.input_value('#description') == "Richiesta da conservare"
