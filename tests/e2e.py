"""What the end-to-end tests share: the demo's logins, a portal visitor over
HTTP, the back office's JSON-RPC, the queue's cron, a logged-in Chromium
page and axe-core. A test file imports these from here, never from another
test file."""
import base64
import pathlib
import random
import re
import uuid

import requests
from requests.adapters import HTTPAdapter

from trytond.modules.portal.demo import CLIENT_PASSWORD
from trytond.modules.portal.tests.tools import pdf_bytes, xlsx_bytes

ROOT = pathlib.Path(__file__).resolve().parent.parent
AXE = ROOT / 'node_modules' / 'axe-core' / 'axe.min.js'

# the demo's logins
ADMIN = ('admin', 'Admin2026')
CLIENT = ('daniela.spadafora@studiospadafora.example', 'Cliente2026')
BROKER = ('emilio.salerno@rbsbroker.example', 'Broker2026')
OPERATOR = ('operatore', 'Operatore2026')
# the password of the accounts the tests sign up
PASSWORD = 'Segreta2026'
# the intermediary's own address, which gets a copy of the evidence
INTERMEDIARY = 'noreply@mpservice.example'

# the documents the tests upload: the module tests' makers
pdf = pdf_bytes
xlsx = xlsx_bytes


class SourceAddressAdapter(HTTPAdapter):
    "Connect from another loopback address: each test its own visitor."

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs['source_address'] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def visitor(language='it', address=None):
    "Return a session from a loopback address: its own, or the one given."
    session = requests.Session()
    address = address or f'127.{random.randint(1, 254)}.' \
        f'{random.randint(1, 254)}.{random.randint(2, 254)}'
    session.mount('http://', SourceAddressAdapter(address))
    session.headers['Accept-Language'] = language
    return session


def csrf_token(html):
    "Return the CSRF token of the page's form."
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def errors(html):
    "Return the field errors of the page by field name."
    return dict(re.findall(
            r'<p class="error" id="([\w-]+)-error">([^<]+)</p>', html))


def unique_email(name='cliente'):
    return f'{name}.{uuid.uuid4().hex[:10]}@example.com'


def link(message, path):
    "Return the portal link of the path found in the email's text."
    text = message.get_body(('plain',)).get_content()
    return re.search(rf'(http\S+/portal/{path}/\S+)', text).group(1)


def log_in(platform, email, password=PASSWORD, session=None, **values):
    "Log in over HTTP; return the session and the answer to the login."
    session = session or visitor()
    page = session.get(f'{platform.url}/portal/login').text
    response = session.post(f'{platform.url}/portal/login', data={
            'csrf_token': csrf_token(page), 'login': email,
            'password': password, **values})
    return session, response


def client_session(platform, email, password=CLIENT_PASSWORD):
    """Return a demo client's session, in English, and the page the login
    led to."""
    session, response = log_in(
        platform, email, password, session=visitor('en'))
    assert response.status_code == 200, response.text
    return session, response


def pdf_attachment(message):
    "Return the one PDF the message carries."
    parts = [p for p in message.iter_attachments()
        if p.get_content_type() == 'application/pdf']
    assert len(parts) == 1, [p.get_content_type()
        for p in message.iter_attachments()]
    return parts[0].get_content()


class BackOffice:
    "The back office's JSON-RPC as one user, the administrator unless told."

    def __init__(self, platform, login=ADMIN[0], password=ADMIN[1]):
        self.url = f'{platform.url}/{platform.database}/rpc/'
        self.session = requests.Session()
        uid, token = self.call(
            'common.db.login', login, {'password': password}, 'it')[:2]
        self.session.headers['Authorization'] = 'Session ' + base64.b64encode(
            f'{login}:{uid}:{token}'.encode()).decode()

    def call(self, method, *params):
        response = self.session.post(self.url, json={
                'id': 0, 'method': method, 'params': list(params)},
            timeout=120)
        result = response.json()
        assert 'error' not in result or not result['error'], result
        return result['result']

    def model(self, model, method, *params, context=None):
        return self.call(f'model.{model}.{method}', *params, context or {})


def run_queue_cron(platform):
    "Run the cron job of the due queue tasks once, as the administrator."
    office = BackOffice(platform)
    crons = office.model(
        'ir.cron', 'search', [('method', '=', 'ir.queue|run_due')])
    office.model('ir.cron', 'run_once', crons)


def login(browser, platform, credentials, **options):
    """Return a Chromium page logged in to the portal; options go to the
    browser context (bypass_csp=True where axe-core is injected)."""
    context = browser.new_context(locale='it-IT', **options)
    page = context.new_page()
    page.goto(f'{platform.url}/portal/login')
    page.fill('#login', credentials[0])
    page.fill('#password', credentials[1])
    page.click('button[type=submit].button')
    page.wait_for_url(f'{platform.url}/portal/**')
    return page


def axe_violations(page):
    "Return the serious and critical axe-core violations of the page."
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v['id'], v['impact'], [n['target'] for n in v['nodes']])
        for v in result['violations']
        if v['impact'] in {'serious', 'critical'}]
