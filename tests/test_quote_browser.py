"""End-to-end: a client asks for a home insurance quote in Chromium, in
Italian: the forms due before a quote, the review of the card and the
consents, the card confirmed, the questionnaire answered page by page with
one bad value corrected, the confirmation; the ticket is on the dashboard and
the client and the intermediary get the answers PDF by email. The pages pass
axe-core, and in Persian they are right to left."""
import re

from playwright.sync_api import expect

from e2e import CLIENT, axe_violations, login
from quote_steps import answer_forms_due, start_quote


def test_home_quote(platform, browser):
    page = login(browser, platform, CLIENT, bypass_csp=True)
    start_quote(page, platform, 'casa')
    answer_forms_due(page)
    url = page.url.split('?')[0]
    uuid = url.rsplit('/', 1)[1]

    # the review: the card and the consents with their validation strings
    expect(page.locator('#card-title')).to_be_visible()
    expect(page.locator('table.consents code').first).to_have_text(
        re.compile(r'^\d\d/\d\d/\d\d/\d\d/\d\d/\d\d '))
    assert axe_violations(page) == []
    page.click('#review-card button[type=submit]')
    expect(page.locator('#confirm_card-error')).to_be_visible()
    page.check('#confirm_card')
    page.click('#review-card button[type=submit]')

    # demands and needs (art. 58), with a wrong age corrected
    expect(page.locator('h1')).to_have_text("Le sue richieste ed esigenze")
    page.check('input[name=dn_rifiuto][value=false]')
    page.fill('#dn_eta', '17')
    page.check('input[name=dn_lavoro][value=dipendente]')
    page.check('input[name=dn_famiglia][value=figli]')
    page.check('input[name=dn_situazione][value=auto]')
    page.check('input[name=dn_aspettative][value=completa]')
    page.check('input[name=dn_durata][value=annuale]')
    page.click('button[value=next]')
    expect(page.locator('#dn_eta-error')).to_have_text("Almeno 18.")
    expect(page.locator('#dn_eta')).to_have_value('17')
    expect(page.locator('input[name=dn_lavoro][value=dipendente]')
        ).to_be_checked()
    assert axe_violations(page) == []
    page.fill('#dn_eta', '45')
    page.click('button[value=next]')

    # the home: its address comes from the card's residence
    expect(page.locator('h1')).to_have_text("L'abitazione")
    assert page.input_value('#indirizzo')
    page.check('input[name=tipo_abitazione][value=appartamento]')
    page.check('input[name=uso][value=abituale]')
    page.fill('#metri_quadri', '95')
    page.fill('#anno_costruzione', '1978')
    page.check('input[name=costruzione][value=cemento]')
    expect(page.locator('#allarme_collegato')).to_have_count(0)
    page.check('input[name=allarme][value=false]')
    page.fill('#cap', page.input_value('#cap') or '20121')
    page.click('button[value=next]')

    page.fill('#somma_fabbricato', '250.000')
    page.fill('#somma_contenuto', '40.000,00')
    page.click('button[value=next]')

    # a repeating group: one other property
    page.check('input[name=sinistri][value=false]')
    page.click('button[value="add_row:altri_immobili"]')
    page.fill('#altri_immobili-0-immobile_indirizzo', "Via dei Mille 4, Como")
    page.fill('#altri_immobili-0-immobile_mq', '60')
    page.check('input[name=polizza_esistente][value=false]')
    page.click('button[value=next]')

    # the summary, then the confirmation
    expect(page.locator('h1')).to_have_text("Controlla e invia")
    expect(page.locator('main')).to_contain_text("Via dei Mille 4, Como")
    expect(page.locator('main')).to_contain_text("250.000,00")
    page.click('button[value=confirm]')
    expect(page.locator('#quote-ticket')).to_be_visible()
    number = page.inner_text('#quote-ticket')

    page.goto(f'{platform.url}/portal/')
    expect(page.locator(f'[data-number="{number}"]')).to_be_visible()
    expect(page.locator(f'.quotes [data-uuid="{uuid}"]')).to_be_visible()

    for address in [CLIENT[0], 'noreply@mpservice.example']:
        message = platform.mailbox.wait_for(address, "Richiesta di preventivo")
        names = [p.get_filename() for p in message.iter_attachments()]
        assert any(n and n.endswith('.pdf') for n in names), names


def test_persian_questionnaire_right_to_left(platform, browser):
    page = login(browser, platform, CLIENT, bypass_csp=True)
    page.goto(f'{platform.url}/portal/lang/fa')
    start_quote(page, platform, 'globale_fabbricati')
    page.check('#confirm_card')
    page.click('#review-card button[type=submit]')
    assert page.get_attribute('html', 'dir') == 'rtl'
    expect(page.locator('h1')).to_have_text("خواسته‌ها و نیازهای شما")
    assert axe_violations(page) == []
