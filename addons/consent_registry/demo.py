# This file is part of the insurance intermediary platform.
"""Demo data of the consent registry: the consents of the demo clients and a
second version of the commercial consent (the forms themselves are the
module's reference data, form_data.xml)."""
from trytond.pool import Pool
from trytond.transaction import Transaction


def version_text(code, language):
    "Return the text of the form's first version in the language."
    Version = Pool().get('consent.form.version')
    version, = Version.search([('form.code', '=', code), ('number', '=', 1)])
    with Transaction().set_context(language=language):
        return Version(version.id).text


MARKETING_V2_ADDED = {
    'it': (
        "\n\nDal 2026 i dati di contatto possono essere trattati anche per "
        "inviti a webinar formativi sulla gestione dei rischi condominiali."),
    'en': (
        "\n\nFrom 2026 the contact data may also be used for invitations "
        "to training webinars on condominium risk management."),
    'fa': (
        "\n\nاز سال ۲۰۲۶ داده‌های تماس ممکن است برای دعوت به وبینارهای "
        "آموزشی مدیریت ریسک ساختمان‌های مشترک نیز به کار رود."),
    }
MARKETING_V2_CHANGE = {
    'it': "Aggiunti gli inviti a webinar formativi.",
    'en': "Invitations to training webinars added.",
    'fa': "دعوت به وبینارهای آموزشی افزوده شد.",
    }


def load():
    versions = first_versions()
    load_consents(versions)
    publish_marketing_update(versions['privacy_marketing'].form)


def first_versions():
    "Return the first version of each form the module installs, by code."
    Version = Pool().get('consent.form.version')
    return {v.form.code: v for v in Version.search([('number', '=', 1)])}


def translated(Model, record, values_by_language):
    "Write each language's values on the record (English is the source)."
    for language in ['en', 'it', 'fa']:
        with Transaction().set_context(language=language):
            Model.write([Model(record.id)], {
                    name: values[language]
                    for name, values in values_by_language.items()})


# What the demo clients have answered, by the moment the forms are asked.
SIGNUP = [('electronic_collection', 'given'), ('privacy_insurance', 'given')]
BEFORE_QUOTE = [('allegato_3', 'acknowledged'),
    ('allegato_4', 'acknowledged'), ('allegato_4ter', 'acknowledged')]
BEFORE_CONTRACT = [('mandate_letter', 'given')]
BEFORE_CONTRACT_LEGAL = [('law_248_2006', 'given')]
# They have not read the information due before a quote yet: they are
# asked for it at their first quote request.
NEWCOMERS = {'Stefano Greco', 'Roberta Conti', 'Valentina Esposito'}


def load_consents(versions):
    """Record the answers of the demo clients and of their companies as
    their staff entered them; half of them gave the commercial consent."""
    pool = Pool()
    WebUser = pool.get('web.user')
    Record = pool.get('consent.record')
    Signup = pool.get('portal.signup')
    Signup.migrate_consents()
    users = WebUser.search([('party', '!=', None)], order=[('id', 'ASC')])
    companies = set()
    for index, user in enumerate(users):
        newcomer = user.party.name in NEWCOMERS
        answers = SIGNUP + ([] if newcomer else BEFORE_QUOTE + BEFORE_CONTRACT)
        marketing = ('privacy_marketing', 'given' if index % 2 else 'refused')
        parties = [(user.party, answers + [marketing])] + [
            (company, answers + ([] if newcomer else BEFORE_CONTRACT_LEGAL))
            for company in user.secondary_parties if company not in companies]
        companies.update(user.secondary_parties)
        for party, forms in parties:
            for code, answer in forms:
                Record.record_answer(
                    party, versions[code], answer, channel='staff',
                    language='it')


def publish_marketing_update(form):
    """Publish a second version of the commercial consent: the clients who
    gave or refused the first one review it at their next access. The first
    demo client answers it at once, as if done in the portal."""
    pool = Pool()
    Version = pool.get('consent.form.version')
    Record = pool.get('consent.record')
    WebUser = pool.get('web.user')
    with Transaction().set_context(language='en'):
        version, = Version.create([{'form': form.id}])
        translated(Version, version, {
                'text': {language: version_text('privacy_marketing', language)
                    + added for language, added in MARKETING_V2_ADDED.items()},
                'change_summary': MARKETING_V2_CHANGE})
        version = Version(version.id)
        Version.publish([version])
    for user in WebUser.search([('party', '!=', None)]):
        if user.email.startswith('daniela.spadafora@'):
            Record.record_answer(
                user.party, version, 'given', channel='portal',
                web_user=user.id, language='it')
