"""End-to-end: no one but the client and the companies the client acts for
reaches a card. Every card route is tried as a broker who follows the
client's tickets and as another client, with the client's own ids."""
import pytest
from e2e import BROKER, CLIENT, OPERATOR, BackOffice, csrf_token, log_in

from trytond.modules.portal.demo import CLIENT_PASSWORD

OTHER_CLIENT = ('roberta.conti@condominilombardi.example', CLIENT_PASSWORD)
SECTIONS = ['identity', 'document', 'residence', 'family', 'activity',
    'bank', 'contacts', 'representatives']


@pytest.fixture(scope='module')
def card(platform):
    "The ids and a value of Daniela Spadafora's card and her company's."
    office = BackOffice(platform)
    user, = office.model('web.user', 'search_read',
        [('email', '=', CLIENT[0])], 0, 1, None,
        ['party', 'secondary_parties'])
    documents = office.model('party.card.document', 'search_read',
        [('party', '=', user['party'])], 0, None, None, ['number'])
    assert documents, "the demo client has an identity document"
    return {'parties': [user['party'], *user['secondary_parties']],
        'documents': [d['id'] for d in documents],
        'number': documents[0]['number']}


@pytest.mark.parametrize('credentials', [BROKER, OTHER_CLIENT],
    ids=['broker', 'other client'])
def test_strangers_never_reach_the_card(platform, card, credentials):
    session, response = log_in(platform, *credentials)
    assert '/portal/login' not in response.url, credentials
    base = f'{platform.url}/portal/card'
    for party in card['parties']:
        # choosing the client's party is refused, and changes nothing
        assert session.get(f'{base}/?party={party}',
            allow_redirects=False).status_code == 404
    pages = [session.get(f'{base}/{path}') for path in [
            '', *SECTIONS, 'export?format=json', 'export?format=csv']]
    for page in pages:
        assert 'Spadafora' not in page.text, page.url
        assert card['number'] not in page.text, page.url
    for document in card['documents']:
        for side in ['front', 'back']:
            assert session.get(f'{base}/document/{document}/{side}'
                ).status_code == 404
    # a section posted with the client's party in the form saves the
    # stranger's own card, if any, never the client's
    form = session.get(f'{base}/residence')
    if form.status_code == 200:
        session.post(f'{base}/residence', data={
                'csrf_token': csrf_token(form.text), 'party': card[
                    'parties'][0], 'street': 'Via Intrusa 1'})
    office = BackOffice(platform)
    streets = office.model('party.address', 'search_read',
        [('party', 'in', card['parties'])], 0, None, None, ['street'])
    assert all('Intrusa' not in (a['street'] or '') for a in streets)


def test_operator_keeps_the_card_on_the_clients_behalf(platform):
    "The operator enters a household member; the card says who did, and how"
    office = BackOffice(platform, *OPERATOR)
    party, = BackOffice(platform).model('party.party', 'search',
        [('name', '=', "Paolo Ricci")], 0, 1, None)
    member, = office.model('party.card.household', 'create', [{
                'party': party, 'name': "Luca Ricci",
                'relation': 'child', 'birth_date': '2012-05-04'}])
    office.model('party.card.household', 'write', [member],
        {'relation': 'sibling'})
    history = BackOffice(platform).model('party.card.history', 'search_read',
        [('party', '=', party), ('model', '=', 'party.card.household'),
            ('record', '=', member)], 0, None, None,
        ['channel', 'user.login', 'field_name'])
    assert {h['field_name'] for h in history} >= {'name', 'relation'}
    assert {(h['channel'], h['user.']['login']) for h in history} == {
        ('back_office', OPERATOR[0])}
    office.model('party.card.household', 'delete', [member])
