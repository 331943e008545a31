"""End-to-end: a question an administrator adds in the back office, as a
new version published, is asked to the next client without a restart of the
server; the client who refuses the demands and needs goes straight to the
risk's questions."""

from playwright.sync_api import expect

from e2e import CLIENT, BackOffice, login
from quote_steps import start_quote


def add_question(admin):
    "Publish a new version of the home questionnaire with a new question."
    published, = admin.model('questionnaire.version', 'search', [
            ('questionnaire.code', '=', 'casa'), ('state', '=', 'published')])
    admin.model('questionnaire.version', 'new_draft', [published])
    draft, = admin.model('questionnaire.version', 'search', [
            ('questionnaire.code', '=', 'casa'), ('state', '=', 'draft')])
    section, = admin.model('questionnaire.section', 'search', [
            ('version', '=', draft), ('code', '=', 'abitazione')])
    question, = admin.model('questionnaire.question', 'create', [{
                'section': section, 'code': 'piscina', 'type': 'boolean',
                'label': "Is there a swimming pool?", 'required': True,
                'sequence': 100}])
    admin.model('questionnaire.question', 'write', [question], {
            'label': "C'è una piscina?"}, context={'language': 'it'})
    admin.model('questionnaire.version', 'publish', [draft])
    return published, draft


def remove_question(admin, version):
    "Publish the home questionnaire again without the added question."
    admin.model('questionnaire.version', 'new_draft', [version])
    draft, = admin.model('questionnaire.version', 'search', [
            ('questionnaire.code', '=', 'casa'), ('state', '=', 'draft')])
    admin.model('questionnaire.question', 'delete', admin.model(
            'questionnaire.question', 'search', [
                ('section.version', '=', draft), ('code', '=', 'piscina')]))
    admin.model('questionnaire.version', 'publish', [draft])


def test_added_question_asked(platform, browser):
    admin = BackOffice(platform, 'admin', 'Admin2026')
    published, draft = add_question(admin)
    try:
        asked(admin, browser, platform, published)
    finally:
        # the other tests answer the questionnaire as the demo has it
        remove_question(admin, draft)


def asked(admin, browser, platform, published):
    state, = admin.model('questionnaire.version', 'read', [published],
        ['state'])
    assert state['state'] == 'retired'

    page = login(browser, platform, CLIENT, bypass_csp=True)
    start_quote(page, platform, 'casa')
    page.check('#confirm_card')
    page.click('#review-card button[type=submit]')
    # refused: the other demands-and-needs questions are hidden, not required
    page.check('input[name=dn_rifiuto][value=true]')
    page.click('button[value=next]')
    expect(page.locator('h1')).to_have_text("L'abitazione")
    expect(page.locator('#piscina legend')).to_contain_text("C'è una piscina?")
