"""End-to-end: the operator works a client's ticket in the back office (sao):
an internal note and a public message in its thread, then a question to the
client, who answers in the portal. Internal notes stay with the staff."""
import os

from playwright.sync_api import expect

import sao
from e2e import CLIENT, OPERATOR, login
from ticket_steps import (
    DESK_EMAIL, OPERATOR_EMAIL, Mail, open_quote_request)

THREAD = "Conversazione"
AUTHOR = 'author_name'  # filled by the server's defaults of a new message


def text_of(message):
    "The text of an email: its plain part, or else its HTML."
    return message.get_body(('plain', 'html')).get_content()


def assert_never_emailed(mailbox, text):
    "Assert no email caught so far holds the text."
    for message in mailbox.messages():
        assert text not in text_of(message), message['Subject']
        assert text not in str(message['Subject'])


def test_operator_thread_and_question(platform, browser):
    seed = 9000 + os.getpid() % 1000
    note = f"Nota interna {seed}: cliente storico, verificare sinistri"
    public = f"Messaggio {seed}: stiamo preparando la richiesta al broker"
    question = f"Domanda {seed}: quanti piani ha il condominio?"
    answer = f"Risposta {seed}: cinque piani"

    # the client opens a quote request in the portal
    client = login(browser, platform, CLIENT)
    uuid, number = open_quote_request(client, platform, seed)
    mail = Mail(platform.mailbox, number)
    mail.next(DESK_EMAIL)
    mail.next(CLIENT[0])  # the acknowledgement of the new ticket

    # the operator takes it in charge in sao
    context = browser.new_context(
        locale='it-IT', viewport={'width': 1280, 'height': 1200})
    page = context.new_page()
    sao.login(page, platform, *OPERATOR)
    sao.open_menu(page, 'Assicurazioni', 'Ticket')
    sao.open_record(page, 'number', number)
    sao.click_button(page, 'take_in_charge')
    state = sao.selection(page, 'state')
    expect(state).to_have_text('Presa in carico', timeout=sao.TIMEOUT)
    mail.next(CLIENT[0])

    # an internal note and a public message in the thread, each saved
    thread = sao.one2many(page, THREAD)
    sao.add_line(page, THREAD, AUTHOR, body=note, internal=True)
    expect(thread).to_contain_text(note, timeout=sao.TIMEOUT)
    sao.save(page)
    sao.add_line(page, THREAD, AUTHOR, body=public)
    expect(thread).to_contain_text(public, timeout=sao.TIMEOUT)
    sao.save(page)
    page.screenshot(path=str(platform.folder / 'back-office-thread.png'))

    # the client is emailed the public message only, and sees only it
    assert public in text_of(mail.next(CLIENT[0]))
    client.goto(f'{platform.url}/portal/tickets/{uuid}')
    portal_thread = client.locator('.thread')
    expect(portal_thread).to_contain_text(public)
    expect(portal_thread).not_to_contain_text(note)

    # the operator asks the client a question and waits for the answer
    sao.add_line(page, THREAD, AUTHOR, body=question)
    sao.save(page)
    sao.click_button(page, 'ask_client')
    expect(state).to_have_text('In attesa del cliente', timeout=sao.TIMEOUT)
    assert question in text_of(mail.next(CLIENT[0]))
    mail.next(CLIENT[0])

    # the client answers in the portal: the ticket is back with the operator
    client.goto(f'{platform.url}/portal/tickets/{uuid}')
    expect(client.locator('#ticket-state')).to_have_text(
        'In attesa del cliente')
    client.fill('#reply-body', answer)
    client.click('#reply-button')
    client.wait_for_selector('.flash-info')
    expect(client.locator('#ticket-state')).to_have_text('Presa in carico')
    # the operator is emailed the answer and the change of state
    emails = [mail.next(OPERATOR_EMAIL) for _ in range(2)]
    assert any(answer in text_of(message) for message in emails)
    assert any('Stato: Presa in carico' in str(message['Subject'])
        for message in emails)
    sao.reload(page)
    expect(state).to_have_text('Presa in carico', timeout=sao.TIMEOUT)
    expect(sao.one2many(page, THREAD)).to_contain_text(
        answer, timeout=sao.TIMEOUT)
    page.screenshot(path=str(platform.folder / 'back-office-answer.png'))
    context.close()

    # the internal note never left the back office
    expect(client.locator('.thread')).not_to_contain_text(note)
    assert_never_emailed(platform.mailbox, note)
    mail.none(CLIENT[0])
