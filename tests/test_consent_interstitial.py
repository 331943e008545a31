"""A step that needs a consent form first: the forms come in place of the
action posted, and once answered the action goes on with everything typed
and uploaded, over real HTTP."""
import contextlib
import re
import uuid

from consent_steps import publish
from e2e import BackOffice, client_session, csrf_token, pdf

from trytond.modules.portal.demo import email_of

# demo clients no other test asks for forms: one has a quote to accept
MARINO = email_of('Chiara', 'Marino', 'Studio Marino & Associati')
ROMANO = email_of(
    'Alessandro', 'Romano', 'Gestioni Immobiliari Romano S.r.l.')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@contextlib.contextmanager
def mandatory_form(platform, moment):
    "A new mandatory form due at the moment, for the block only."
    admin = BackOffice(platform)
    form, = admin.call('model.consent.form.create', [{
                'code': f'test_{uuid.uuid4().hex[:8]}',
                'name': 'Condizioni del servizio', 'mandatory': True,
                'moment': moment}], {})
    try:
        version, = admin.call('model.consent.form.version.create',
            [{'form': form, 'text': 'Testo delle condizioni.'}], {})
        publish(admin, version)
        yield admin, form, version
    finally:  # the other clients are not asked for it
        admin.call('model.consent.form.write', [form],
            {'active': False}, {})


def answer_in_place(session, page, answers, others=True):
    """Post the forms shown in place of an action, carrying the action;
    the forms not named get their first answer."""
    assert 'id="review-form"' in page.text
    action = re.search(r'id="review-form" action="([^"]+)"', page.text)
    data = dict(HIDDEN.findall(page.text))
    if others:
        for name, value in re.findall(
                r'type="radio" name="(answer-\d+)" value="([a-z]+)"',
                page.text):
            data.setdefault(name, value)
    data.update(answers)
    return session.post(
        session.base + action.group(1).replace('&amp;', '&'), data=data)


def ticket_state(platform, admin, number):
    ticket, = admin.call('model.insurance.ticket.search_read',
        [('number', '=', number)], 0, None, None, ['state'], {})
    return ticket['state']


def test_accept_carried_across_the_forms(platform):
    "Accepting a quote asks the contract's new form, then accepts"
    with mandatory_form(platform, 'contract') as (admin, _, version):
        ticket, = admin.call('model.insurance.ticket.search_read', [
                ('state', '=', 'quote_sent'),
                ('client.name', '=', 'Chiara Marino')], 0, None, None,
            ['uuid', 'number'], {})
        session, _ = client_session(platform, MARINO)
        session.base = platform.url
        url = f"{platform.url}/portal/tickets/{ticket['uuid']}"
        page = session.get(url)
        message = f"Accetto il preventivo {uuid.uuid4().hex[:6]}\nGrazie"
        forms = session.post(f'{url}/accept', data={
                'body': message, 'csrf_token': csrf_token(page.text)})
        # the forms, not the acceptance; the message travels with them
        assert forms.status_code == 200
        assert ticket_state(platform, admin, ticket['number']) == 'quote_sent'
        assert HIDDEN.findall(forms.text)

        # an unanswered form is asked again, the message still kept
        refused = answer_in_place(session, forms, {}, others=False)
        assert refused.status_code == 400
        assert 'Accetto il preventivo' in refused.text

        done = answer_in_place(
            session, refused, {f'answer-{version}': 'given'})
        assert done.url == url, (done.status_code, done.text[-3000:])
        assert ticket_state(platform, admin, ticket['number']) == 'accepted'
        assert 'Accetto il preventivo' in done.text
        assert 'Grazie' in done.text


def test_new_ticket_carried_with_its_file(platform):
    "A quote request posted before the forms keeps its old policy"
    with mandatory_form(platform, 'quote') as (admin, _, version):
        session, _ = client_session(platform, ROMANO)
        session.base = platform.url
        new = f'{platform.url}/portal/tickets/new'
        # the form page itself asks the forms first
        first = session.get(new, allow_redirects=False)
        assert '/portal/consents/review' in first.headers['location']
        review = session.get(platform.url + first.headers['location'])
        code = f'{uuid.uuid4().int % 10 ** 11:011d}'
        title = f'Polizza {code}'
        forms = session.post(new, data={
                'csrf_token': csrf_token(review.text),
                'line': 'building', 'request_type': 'quote',
                'title': title, 'description': "Rinnovo in scadenza",
                'condominium_name': '', 'condominium_fiscal_code': '',
                }, files={'attachments': (
                    'polizza vecchia.pdf', pdf(f"Polizza {code}"),
                    'application/pdf')})
        assert forms.status_code == 200 and 'review-form' in forms.text
        done = answer_in_place(
            session, forms, {f'answer-{version}': 'given'})
        assert '/portal/tickets/' in done.url, done.text[-2000:]
        assert title in done.text
        assert 'polizza vecchia' in done.text


def test_reply_waits_for_a_changed_form(platform):
    "A reply after a mandatory form changed asks it, then is posted"
    with mandatory_form(platform, 'contract') as (admin, form, version):
        ticket, = admin.call('model.insurance.ticket.search_read', [
                ('state', 'in', ['quote_sent', 'accepted']),
                ('client.name', '=', 'Chiara Marino')], 0, 1, None,
            ['uuid', 'client'], {})
        session, _ = client_session(platform, MARINO)
        session.base = platform.url
        party = ticket['client']
        admin.call('model.consent.record.create', [{
                    'party': party, 'version': version, 'answer': 'given'}],
            {})
        second, = admin.call('model.consent.form.version.create',
            [{'form': form, 'text': 'Testo nuovo.'}], {})
        publish(admin, second)

        url = f"{platform.url}/portal/tickets/{ticket['uuid']}"
        page = session.get(url)
        body = f"Ecco i dati {uuid.uuid4().hex[:6]}"
        forms = session.post(f'{url}/messages', data={
                'body': body, 'csrf_token': csrf_token(page.text)})
        assert 'review-form' in forms.text and body not in session.get(
            url).text.split('review-form')[0]
        done = answer_in_place(
            session, forms, {f'answer-{second}': 'given'})
        assert done.url == url
        assert body in done.text
