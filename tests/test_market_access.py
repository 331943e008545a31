"""End-to-end: who may open and act on a marketplace request. Every route
is tried as the owner, as another person, as an agent it was dispatched to
and as an agent it was not."""
import re

import pytest
from e2e import BackOffice, csrf_token, log_in

OWNER = ('user.tehran@bimehmall.example', 'Karbar2026')
OTHER_USER = ('user.shiraz@bimehmall.example', 'Karbar2026')
AGENT = ('agent.iran2@bimehmall.example', 'Agent2026')
OTHER_AGENT = ('agent.waiting@bimehmall.example', 'Agent2026')
ACTIONS = ['accept', 'confirm', 'end', 'cancel', 'again', 'report']


@pytest.fixture(scope='module')
def open_request(platform):
    "The demo's open request of user.tehran, sent to Iran and Asia agents."
    office = BackOffice(platform)
    record, = office.model('marketplace.request', 'search_read', [
            ('state', '=', 'open'),
            ('web_user.email', '=', OWNER[0]),
            ('offers', '!=', None),
            ], 0, 1, [('id', 'ASC')], ['uuid', 'offers'])
    return record


def session_of(platform, credentials):
    session, response = log_in(platform, *credentials)
    assert response.status_code == 200
    assert '/portal/login' not in response.url, credentials
    return session


def post(platform, session, uuid, action, **data):
    page = session.get(f'{platform.url}/portal/market/inbox').text
    return session.post(
        f'{platform.url}/portal/market/requests/{uuid}/{action}',
        data={'csrf_token': csrf_token(page), **data}, allow_redirects=False)


def test_owner_and_dispatched_agent_open_it(platform, open_request):
    url = f"{platform.url}/portal/market/requests/{open_request['uuid']}"
    owner = session_of(platform, OWNER)
    assert owner.get(url).status_code == 200
    agent = session_of(platform, AGENT)
    page = agent.get(url)
    assert page.status_code == 200
    # the agent never reads the person's contact before acceptance
    assert 'contact-phone' not in page.text
    assert '+98935' not in page.text


@pytest.mark.parametrize('credentials', [OTHER_USER, OTHER_AGENT])
def test_strangers_get_not_found(platform, open_request, credentials):
    session = session_of(platform, credentials)
    uuid = open_request['uuid']
    assert session.get(
        f'{platform.url}/portal/market/requests/{uuid}').status_code == 404
    for action in ACTIONS + ['declare']:
        response = post(platform, session, uuid, action,
            offer=str(open_request['offers'][0]), reason='x',
            reason_code='spam', message='Ready')
        assert response.status_code == 404, action


def test_agent_cannot_act_as_owner(platform, open_request):
    session = session_of(platform, AGENT)
    for action in ACTIONS:
        response = post(platform, session, open_request['uuid'], action,
            offer=str(open_request['offers'][0]), reason='x',
            reason_code='spam')
        assert response.status_code == 403, action


def test_owner_cannot_declare(platform, open_request):
    session = session_of(platform, OWNER)
    response = post(platform, session, open_request['uuid'], 'declare',
        message='Ready')
    assert response.status_code == 403


def test_offer_of_another_request_refused(platform, open_request):
    "An offer id of someone else's request is not found on this one."
    office = BackOffice(platform)
    other, = office.model('marketplace.offer', 'search', [
            ('request.web_user.email', '=', OTHER_USER[0])], 0, 1)
    session = session_of(platform, OWNER)
    response = post(platform, session, open_request['uuid'], 'accept',
        offer=str(other))
    assert response.status_code == 404


def test_inbox_shows_only_dispatched(platform, open_request):
    office = BackOffice(platform)
    waiting = session_of(platform, OTHER_AGENT)
    page = waiting.get(f'{platform.url}/portal/market/inbox').text
    # an agency waiting for verification sees counts, not requests
    assert open_request['uuid'] not in page
    assert 'request-count' in page
    agent = session_of(platform, AGENT)
    page = agent.get(f'{platform.url}/portal/market/inbox').text
    shown = set(re.findall(r'/portal/market/requests/([0-9a-f]{32})', page))
    dispatched = {r['request.']['uuid'] for r in office.model(
            'marketplace.dispatch', 'search_read', [
                ('agent.web_user.email', '=', AGENT[0])], 0, None, None,
            ['request.uuid'])}
    assert open_request['uuid'] in shown
    assert shown <= dispatched


def test_person_without_agency(platform):
    session = session_of(platform, OTHER_USER)
    page = session.get(f'{platform.url}/portal/market/inbox').text
    assert '/portal/agents/signup' in page
    response = session.get(f'{platform.url}/portal/market/agency',
        allow_redirects=False)
    assert response.status_code == 302
    assert response.headers['Location'].endswith('/portal/agents/signup')


def test_requests_list_shows_only_own(platform):
    office = BackOffice(platform)
    session = session_of(platform, OTHER_USER)
    page = session.get(f'{platform.url}/portal/market/requests').text
    shown = set(re.findall(r'/portal/market/requests/([0-9a-f]{32})', page))
    own = {r['uuid'] for r in office.model('marketplace.request',
            'search_read', [('web_user.email', '=', OTHER_USER[0])], 0,
            None, None, ['uuid'])}
    assert shown and shown <= own


ITALIAN_ENTRIES = ['/portal/card/', '/portal/tickets/', '/portal/quotes/']
MARKET_ENTRIES = ['/portal/market/requests']


@pytest.mark.parametrize('credentials, entries, hidden', [
        (AGENT, MARKET_ENTRIES + ['/portal/market/inbox'], ITALIAN_ENTRIES),
        (OTHER_AGENT, MARKET_ENTRIES + ['/portal/market/inbox'],
            ITALIAN_ENTRIES),
        (OWNER, MARKET_ENTRIES, ITALIAN_ENTRIES + ['/portal/market/inbox']),
        (('daniela.spadafora@studiospadafora.example', 'Cliente2026'),
            ITALIAN_ENTRIES, MARKET_ENTRIES + ['/portal/market/inbox']),
        ], ids=['agent', 'waiting agent', 'person', 'italian client'])
def test_menu_of_the_service_people_came_for(
        platform, credentials, entries, hidden):
    "The marketplace's people see its entries, the intermediary's clients theirs"
    session = session_of(platform, credentials)
    page = session.get(f'{platform.url}/portal/').text
    menu = page.split('<nav', 1)[1].split('</nav>', 1)[0]
    links = set(re.findall(r'href="([^"]+)"', menu))
    assert set(entries) <= links, links
    assert not set(hidden) & links, links
    # the dashboard follows the menu: no Italian tickets, nor the forms of
    # the Italian quotes, for the marketplace
    assert ('id="tickets-title"' in page) == (
        '/portal/tickets/' in entries)
    if '/portal/tickets/' not in entries:
        assert 'id="before-quote"' not in page
