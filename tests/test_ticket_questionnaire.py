"""End-to-end: the broker picks the questionnaire of a ticket, the client
answers it page by page in the ticket's page in Chromium (pre-filled from
the condominium and the old policy, a bad answer refused next to its field
with what was typed kept), and the broker downloads the spreadsheet of the
answers."""
import io
import os
import pathlib
import zipfile

from playwright.sync_api import expect

from e2e import (
    BROKER, CLIENT, OPERATOR, BackOffice, axe_violations, login, pdf)
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
    client = login(browser, platform, CLIENT, bypass_csp=True)
    uuid, _ = open_quote_request(client, platform,
        6000 + os.getpid() % 1000, policy=pdf(*OLD_POLICY))
    forward_to_rbs(BackOffice(platform, *OPERATOR), uuid)
    url = f'{platform.url}/portal/tickets/{uuid}'
    broker = login(browser, platform, BROKER)
    broker.goto(url)
    broker.select_option('#risk_type', 'globale_fabbricati')
    broker.click('#send-questionnaire button[type=submit]')
    broker.wait_for_selector('.flash-info')

    client.goto(url)
    section = client.locator('#answer-questionnaire')
    expect(section).to_contain_text("Pagina 1 di 2")
    expect(client.locator('#unita')).to_have_value('18')
    expect(client.locator('#anno_costruzione')).to_have_value('1968')
    expect(client.locator('#unita-read')).to_contain_text("pagina 1")
    assert axe_violations(client) == []
    # on a phone the page keeps to the screen's width
    client.set_viewport_size({'width': 390, 'height': 844})
    assert client.evaluate(
        'document.documentElement.scrollWidth') <= 390
    client.set_viewport_size({'width': 1280, 'height': 800})
    client.fill('#condominio_indirizzo', "Via Aurora 3, Milano")
    client.fill('#metri_quadri', 'molti')
    client.click('#answer-questionnaire-button')
    expect(client.locator('#metri_quadri-error')).to_be_visible()
    expect(client.locator('#metri_quadri')).to_have_value('molti')
    expect(client.locator('#condominio_indirizzo')).to_have_value(
        "Via Aurora 3, Milano")
    assert axe_violations(client) == []
    client.fill('#metri_quadri', '1400')
    client.click('#answer-questionnaire-button')

    # in Persian the page runs right to left, the pre-filled values kept
    client.goto(f'{platform.url}/portal/lang/fa?next=/portal/tickets/{uuid}')
    assert client.get_attribute('html', 'dir') == 'rtl'
    expect(client.locator('#compagnia_attuale')).to_have_value(
        "Reale Mutua di Assicurazioni")
    assert axe_violations(client) == []
    client.goto(f'{platform.url}/portal/lang/it?next=/portal/tickets/{uuid}')

    expect(section).to_contain_text("Pagina 2 di 2")
    for name, value in [
            ('compagnia_attuale', "Reale Mutua di Assicurazioni"),
            ('numero_polizza', 'RM/2024077'), ('scadenza', '2026-03-31')]:
        expect(client.locator(f'#{name}')).to_have_value(value)
    client.fill('#sinistri_5_anni', '0')
    client.click('#answer-questionnaire-button')
    client.click('#confirm-questionnaire-button')
    client.wait_for_selector('.flash-info')
    expect(client.locator('#ticket-state')).to_have_text(
        "Questionario restituito")

    broker.goto(url)
    with broker.expect_download() as download:
        broker.click('.message-files a >> nth=-1')
    sheet = spreadsheet_text(download.value)
    for answer in ['1400', "Via Aurora 3, Milano", '31/03/2026',
            "Reale Mutua di Assicurazioni", 'RM/2024077']:
        assert answer in sheet
