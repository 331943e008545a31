"""End-to-end: the client answers the questionnaire online in Chromium. The
form comes pre-filled from the old policy, refuses bad answers keeping what
was typed, and the answers reach the broker as the spreadsheet."""
import io
import os
import pathlib
import zipfile

from playwright.sync_api import expect

from e2e import BROKER, CLIENT, OPERATOR, BackOffice, login, pdf
from ticket_steps import forward_to_rbs, open_quote_request

OLD_POLICY = [
    "Compagnia: Reale Mutua di Assicurazioni", "Polizza n. RM/2024077",
    "Scadenza: 31/03/2026", "Premio annuo lordo: € 2.140,00",
    "Anno di costruzione: 1968", "Unità immobiliari: 18"]


def spreadsheet_text(download):
    data = pathlib.Path(download.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read('xl/sharedStrings.xml').decode()


def test_questionnaire_answered_online(platform, browser):
    client = login(browser, platform, CLIENT)
    uuid, _ = open_quote_request(client, platform,
        6000 + os.getpid() % 1000, policy=pdf(*OLD_POLICY))
    forward_to_rbs(BackOffice(platform, *OPERATOR), uuid)
    url = f'{platform.url}/portal/tickets/{uuid}'
    broker = login(browser, platform, BROKER)
    broker.goto(url)
    broker.click('#send-questionnaire button[type=submit]')
    broker.wait_for_selector('.flash-info')

    client.goto(url)
    for name, value in [('year_built', '1968'), ('units', '18'),
            ('current_insurer', "Reale Mutua di Assicurazioni"),
            ('policy_number', 'RM/2024077'), ('premium', '2.140,00'),
            ('expiry', '2026-03-31')]:
        expect(client.locator(f'#q-{name}')).to_have_value(value)

    client.fill('#q-floors', 'sei')
    client.fill('#q-rebuild_value', 'molto')
    client.fill('#q-claims', "Nessuno negli ultimi cinque anni")
    client.click('#answer-questionnaire-button')
    expect(client.locator('#floors-error')).to_be_visible()
    expect(client.locator('#rebuild_value-error')).to_be_visible()
    expect(client.locator('#q-floors')).to_have_value('sei')
    expect(client.locator('#q-claims')).to_have_value(
        "Nessuno negli ultimi cinque anni")

    client.fill('#q-floors', '6')
    client.fill('#q-rebuild_value', '3.200.000,00')
    client.click('#answer-questionnaire-button')
    client.wait_for_selector('.flash-info')
    expect(client.locator('#ticket-state')).to_have_text(
        "Questionario restituito")

    broker.goto(url)
    with broker.expect_download() as download:
        broker.click('.message-files a >> nth=-1')
    sheet = spreadsheet_text(download.value)
    for answer in ['1968', '3200000.00', "Nessuno negli ultimi cinque anni",
            '31/03/2026', "Reale Mutua di Assicurazioni"]:
        assert answer in sheet
