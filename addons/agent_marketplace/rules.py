# This file is part of the insurance intermediary platform.
"""The marketplace's rules and payment terms, which an agency accepts at
sign-up: a consent form of the registry kept out of the clients' steps
(inactive), each acceptance a consent record with its validation string."""
from trytond.pool import Pool
from trytond.transaction import without_check_access

FORM = 'marketplace_rules'


def current_version():
    """Return the published version of the rules; the first acceptance
    publishes the version installed with the module."""
    pool = Pool()
    Form = pool.get('consent.form')
    Version = pool.get('consent.form.version')
    with without_check_access():
        form, = Form.search([('code', '=', FORM), ('active', '=', False)],
            limit=1)
        if not form.current_version:
            drafts = Version.search([
                    ('form', '=', form.id), ('state', '=', 'draft')],
                order=[('number', 'ASC')], limit=1)
            Version.publish(drafts)
            form = Form(form.id)
        return form.current_version


def accept(agent, language, ip_address=None, user_agent=None):
    "Record the agency's acceptance of the rules; return the record."
    Record = Pool().get('consent.record')
    version = current_version()
    with without_check_access():
        record = Record.record_answer(agent.party, version, 'given',
            channel='portal', web_user=agent.web_user.id,
            ip_address=ip_address, user_agent=(user_agent or '')[:500],
            language=language)
        agent.rules_consent = record
        agent.save()
    return record
