"""End-to-end: a quote request from the client's ticket to the signed and
closed policy, with the client and the broker in the portal and the operator
in the back office (sao), each in Chromium, on the same running server."""
import hashlib
import io
import json
import os
import pathlib
import re
import subprocess
import sys

from playwright.sync_api import expect
from pypdf import PdfReader

from trytond.modules.portal.tests.tools import (
    flip_byte, pdfsig, pyhanko_validate)

import environment
import sao
from e2e import BROKER, CLIENT, OPERATOR, BackOffice, login, pdf, xlsx
from ticket_steps import (
    DESK_EMAIL, OPERATOR_EMAIL, Mail, open_quote_request,
    upload)


def assert_link(message, uuid):
    text = message.get_body(('plain',)).get_content()
    assert f'/portal/tickets/{uuid}' in text, text


def forward_in_sao(browser, platform, number):
    "Take the ticket in charge and forward it, as the operator in sao."
    context = browser.new_context(
        locale='it-IT', viewport={'width': 1280, 'height': 1200})
    page = context.new_page()
    sao.login(page, platform, *OPERATOR)
    sao.open_menu(page, 'Assicurazioni', 'Ticket')
    ticket_id = sao.open_record(page, 'number', number)
    sao.click_button(page, 'take_in_charge')
    state = sao.selection(page, 'state')
    expect(state).to_have_text('Presa in carico', timeout=sao.TIMEOUT)
    sao.fill_many2one(page, 'brokerage', "RBS Broker S.r.l.")
    sao.save(page)
    sao.click_button(page, 'forward')
    expect(state).to_have_text('Presso il broker', timeout=sao.TIMEOUT)
    page.screenshot(path=str(platform.folder / 'back-office-ticket.png'))
    context.close()
    return ticket_id


def test_quote_request_to_signed_policy(platform, browser):
    client = login(browser, platform, CLIENT)

    # the client opens a quote request with the old policy
    uuid, number = open_quote_request(
        client, platform, 5000 + os.getpid() % 2000)
    assert len(number) == 9
    mail = Mail(platform.mailbox, number)
    assert_link(mail.next(DESK_EMAIL), uuid)
    # the client is told the number and what comes next
    assert_link(mail.next(CLIENT[0]), uuid)

    # the operator takes it in charge and forwards it to RBS
    ticket_id = forward_in_sao(browser, platform, number)
    assert_link(mail.next(CLIENT[0]), uuid)
    mail.next(CLIENT[0])
    mail.next(BROKER[0])
    mail.none(OPERATOR_EMAIL)

    # the broker sends the questionnaire pre-filled
    broker = login(browser, platform, BROKER)
    broker.goto(f'{platform.url}/portal/tickets/{uuid}')
    broker.fill('#send_questionnaire-body', "In allegato il questionario")
    broker.click('#send-questionnaire button[type=submit]')
    broker.wait_for_selector('.flash-info')
    mail.next(CLIENT[0])
    mail.next(OPERATOR_EMAIL)

    # the client downloads it and returns it completed
    client.goto(f'{platform.url}/portal/tickets/{uuid}')
    with client.expect_download() as download:
        client.click('.message-files a >> nth=-1')
    assert download.value.suggested_filename.endswith('.xlsx')
    client.set_input_files('#return_questionnaire-attachments', [upload(
                'questionario.xlsx', xlsx("Anno di costruzione: 1975"),
                'application/vnd.openxmlformats-officedocument'
                '.spreadsheetml.sheet')])
    client.click('#return-questionnaire button[type=submit]')
    client.wait_for_selector('.flash-info')
    mail.next(BROKER[0])

    # the broker sends the quote and the draft contract
    broker.goto(f'{platform.url}/portal/tickets/{uuid}')
    broker.fill('#insurer', "Generali Italia")
    broker.fill('#premium', "1850,00")
    broker.fill('#coverages', "Incendio\nRC fabbricato")
    broker.fill('#quote_valid_until', '2030-12-31')
    broker.set_input_files('#send_quote-attachments', [upload(
                'bozza.pdf', pdf("Bozza di contratto"), 'application/pdf')])
    broker.click('#send-quote button[type=submit]')
    broker.wait_for_selector('.flash-info')
    assert '1.850,00' in broker.inner_text('.quote-summary')
    mail.next(CLIENT[0])

    # the client accepts
    client.goto(f'{platform.url}/portal/tickets/{uuid}')
    client.fill('#accept-body', "Accetto il preventivo")
    client.click('#accept-button')
    client.wait_for_selector('.flash-info')
    mail.next(BROKER[0])

    # the broker sends the final policy for signature
    broker.goto(f'{platform.url}/portal/tickets/{uuid}')
    broker.fill('#policy_number', f'GF-{number}')
    broker.fill('#policy_start', '2026-02-01')
    broker.fill('#policy_end', '2027-02-01')
    broker.set_input_files('#send_policy-attachments', [upload(
                'polizza.pdf', pdf("Polizza definitiva"),
                'application/pdf')])
    broker.click('#send-policy button[type=submit]')
    broker.wait_for_selector('.flash-info')
    mail.next(CLIENT[0])

    # the client signs with the code of the email
    client.goto(f'{platform.url}/portal/tickets/{uuid}')
    client.click('#send-code')
    client.wait_for_selector('.flash-info')
    code_mail = mail.next(CLIENT[0])
    code = re.search(
        r'\b(\d{6})\b', code_mail.get_body(('plain',)).get_content()).group(1)
    client.fill('#code', code)
    # the signature needs the document read
    client.click('#sign-button')
    expect(client.locator('#read_document-error')).to_be_visible()
    client.check('#read_document')
    client.fill('#code', code)
    client.click('#sign-button')
    client.wait_for_selector('.flash-success')
    assert 'sign-button' not in client.content()
    mail.next(BROKER[0])

    # the client downloads the signed copy: one sealed PDF, its evidence in
    client.goto(f'{platform.url}/portal/tickets/{uuid}')
    with client.expect_download() as download:
        client.click('.message-files a[download] >> nth=-1')
    assert_sealed_signed_copy(platform, pathlib.Path(
            download.value.path()).read_bytes(), number)

    # the broker closes; the client's dashboard shows it closed
    broker.goto(f'{platform.url}/portal/tickets/{uuid}')
    broker.click('#close-button')
    broker.wait_for_selector('.flash-info')
    mail.next(CLIENT[0])
    client.goto(f'{platform.url}/portal/')
    closed = client.locator('#tickets-closed')
    assert closed.locator(f'[data-number="{number}"]').count() == 1
    operator = BackOffice(platform, *OPERATOR)
    ticket, = operator.model('insurance.ticket', 'read', [ticket_id], [
            'state', 'policy', 'opportunity', 'accepted_ip'])
    assert ticket['state'] == 'closed'
    assert ticket['policy'] and ticket['opportunity']
    assert ticket['accepted_ip'] == '127.0.0.1'
    operator.model('insurance.ticket', 'verify_signature', [ticket_id])
    admin = BackOffice(platform)
    opportunity, = admin.model(
        'sale.opportunity', 'read', [ticket['opportunity']], ['state'])
    assert opportunity['state'] == 'won'
    assert_replicated(platform, operator, ticket_id)


def verify_command(platform, *args):
    "Run platform-ticket-verify on the platform; return its exit status."
    env = platform.environment()
    env['TRYTOND_SEAL__TRUST'] = str(environment.PKI / 'root.cert.pem')
    return subprocess.run([sys.executable, '-m',
            'trytond.modules.insurance_ticket.verify', *args],
        env=env, check=False, capture_output=True, text=True, timeout=120)


def assert_sealed_signed_copy(platform, data, number):
    """Assert the signed copy is one PDF, the policy then the evidence page,
    the evidence JSON embedded, that pdfsig, pyHanko and our verify command
    find valid, and that one flipped byte makes all three fail."""
    reader = PdfReader(io.BytesIO(data))
    assert "Polizza definitiva" in reader.pages[0].extract_text()
    evidence_page = reader.pages[-1].extract_text().replace('\n', '')
    assert len(reader.pages) == 2
    evidence = json.loads(reader.attachments['evidence.json'][0])
    assert evidence['ticket_number'] == number
    assert evidence['chain_hash'] in evidence_page
    assert 'Europe/Rome' in evidence_page
    valid, report = pdfsig(data)
    assert valid, report
    valid, report = pyhanko_validate(data)
    assert valid, report
    path = platform.folder / f'signed-{number}.pdf'
    path.write_bytes(data)
    result = verify_command(platform, '--pdf', str(path),
        '-d', platform.database)
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'seal valid' in result.stdout

    changed = flip_byte(data)
    assert not pdfsig(changed)[0]
    assert not pyhanko_validate(changed)[0]
    path.write_bytes(changed)
    result = verify_command(platform, '--pdf', str(path))
    assert result.returncode == 1, result.stdout + result.stderr


def assert_replicated(platform, operator, ticket_id):
    "Assert every file of the ticket has its second copy in the replica."
    ticket, = operator.model(
        'insurance.ticket', 'read', [ticket_id], ['attachments'])
    files = operator.model('insurance.ticket.attachment', 'read',
        ticket['attachments'], ['file_id', 'sha256', 'category'])
    assert {'old_policy', 'signed'} <= {f['category'] for f in files}
    primary = platform.folder / 'db' / platform.database
    replica = platform.folder / 'replica' / platform.database
    for file in files:
        stored, = primary.rglob(file['file_id'])
        copy = replica / stored.relative_to(primary)
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == file['sha256']
