"""The routes measured by bench/run.py; the first two are the floors.

A route's ``prepare`` returns the request wrk repeats: path, method, body
file, content type and cookie (routes behind the login log in first). A
route may also be compared with another row of the same run (``relative``):
the new ticket with the upload floor, which posts the same 5 MB to a route
of the bench's server only (bench/wsgi.py) that streams it to disk and
hashes it.
"""
import functools
import io
import json
import pathlib
import random
import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

ROOT = pathlib.Path(__file__).resolve().parent.parent
VAR = ROOT / 'var' / 'bench'
UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_FLOOR = "upload floor POST, 5 MB PDF"
# where the run keeps its fixture and request bodies (bench/run.py sets the
# database's own folder)
FOLDER = VAR


def fixture():
    "The bench client and its ticket, written by bench/dataset.py."
    return json.loads((FOLDER / 'fixture.json').read_text())


def login(base, prefix=''):
    "Log the bench client (or agent, by prefix) in; return its session."
    import requests
    account = fixture()
    session = requests.Session()
    session.post(f'{base}/portal/login', data={
            'csrf_token': csrf_token(session.get(f'{base}/portal/login')),
            'login': account[prefix + 'login'],
            'password': account[prefix + 'password']})
    return session


def csrf_token(response):
    return re.search(
        r'name="csrf_token" value="([^"]+)"', response.text).group(1)


def cookie(session):
    return '; '.join(f'{c.name}={c.value}' for c in session.cookies)


@functools.cache
def pdf_of_size(size):
    "Return a real PDF document of at least the given size."
    pages = size // 6000 + 1
    while True:
        data = pdf_of_pages(pages)
        if len(data) >= size:
            return data
        pages = pages * size // len(data) + 1


def pdf_of_pages(pages):
    "Return an uncompressed PDF of pages full of random text."
    from reportlab.pdfgen import canvas
    output = io.BytesIO()
    document = canvas.Canvas(output, pageCompression=0)
    randomly = random.Random(5)
    letters = 'abcdefghijklmnopqrstuvwxyz '
    for _ in range(pages):
        for line in range(60):
            document.drawString(40, 800 - line * 13, ''.join(
                    randomly.choices(letters, k=95)))
        document.showPage()
    document.save()
    return output.getvalue()


def multipart(fields, files):
    "Encode a multipart/form-data body; return it and its content type."
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; '
            f'name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, mime_type) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; '
            f'name="{name}"; filename="{filename}"\r\n'
            f'Content-Type: {mime_type}\r\n\r\n'.encode() + content + b'\r\n')
    parts.append(f'--{boundary}--\r\n'.encode())
    return b''.join(parts), f'multipart/form-data; boundary={boundary}'


@dataclass
class Route:
    name: str
    path: str
    method: str = 'GET'
    floor: bool = False
    target: float = None  # the most the route may cost, in F1s
    relative: str = None  # the name of the row it is compared with
    relative_target: float = None  # the most it may cost, in those rows

    def prepare(self, base):
        return {'path': self.path, 'method': self.method}


class JsonRpc(Route):
    def prepare(self, base):
        body = FOLDER / 'rpc.body'
        body.write_text(json.dumps(
                {'method': 'common.server.version', 'params': []}))
        return {'path': self.path, 'method': 'POST', 'body_file': str(body),
            'content_type': 'application/json'}


class LoggedIn(Route):
    "A page of the logged-in client, checked to answer itself (no redirect)."

    def prepare(self, base):
        path = self.path.format(**fixture())
        session = login(base)
        response = session.get(base + path, allow_redirects=False)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code} "
                f"{response.headers.get('Location', '')}")
        return {'path': path, 'method': 'GET', 'cookie': cookie(session)}


class AgentLoggedIn(Route):
    "A marketplace page of the bench agent, whose inbox holds its share."

    def prepare(self, base):
        path = self.path.format(**fixture())
        session = login(base, 'market_')
        response = session.get(base + path, allow_redirects=False)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code} "
                f"{response.headers.get('Location', '')}")
        return {'path': path, 'method': 'GET', 'cookie': cookie(session)}


def new_ticket_form(token):
    "Return the new-ticket form with the 5 MB old policy, and its type."
    from trytond.modules.portal.demo import italian_number
    return multipart({
            'csrf_token': token, 'line': 'building',
            'request_type': 'quote',
            'condominium_name': "Condominio Prova Carico",
            'condominium_fiscal_code': italian_number(7, first='9'),
            'description': "Preventivo globale fabbricati",
            }, {'attachments': (
                'polizza.pdf', pdf_of_size(UPLOAD_BYTES), 'application/pdf')})


class UploadFloor(Route):
    """The new-ticket form's body posted to the bench server's upload floor
    (bench/wsgi.py): parsed, streamed to disk and hashed, nothing else."""

    def prepare(self, base):
        body, content_type = new_ticket_form('floor')
        response = requests_post(base + self.path, body, content_type)
        if response.status_code != 200 or len(response.text) != 64:
            raise SystemExit(f"upload floor answered {response.status_code}"
                " (is bench/wsgi.py served?)")
        path = FOLDER / 'upload-floor.body'
        path.write_bytes(body)
        return {'path': self.path, 'method': 'POST', 'body_file': str(path),
            'content_type': content_type}


def requests_post(url, body, content_type):
    import requests
    return requests.post(url, data=body,
        headers={'Content-Type': content_type}, allow_redirects=False)


class NewTicket(Route):
    """The new-ticket form posted with a 5 MB old policy; posted once first
    to be sure it opens a ticket."""

    def prepare(self, base):
        session = login(base)
        body, content_type = new_ticket_form(
            csrf_token(session.get(f'{base}/portal/tickets/new')))
        response = session.post(base + self.path, data=body,
            headers={'Content-Type': content_type}, allow_redirects=False)
        location = response.headers.get('Location', '')
        if not re.search(r'/portal/tickets/[0-9a-f]{32}$', location):
            raise SystemExit(f"new ticket refused ({response.status_code} "
                f"{location}): {response.text[:500]}")
        path = FOLDER / 'new-ticket.body'
        path.write_bytes(body)
        return {'path': self.path, 'method': 'POST', 'body_file': str(path),
            'content_type': content_type, 'cookie': cookie(session)}


class QuoteAnswer(Route):
    """A page of the home questionnaire saved with right answers (it
    answers with the next page's address): each connection saves a draft
    of its own, as clients do (saves of one draft follow each other)."""

    def prepare(self, base):
        account = fixture()
        paths = [self.path.format(quote=uuid)
            for uuid in account.get('quotes', [account['quote']])]
        path = paths[0]
        session = login(base)
        token = csrf_token(session.get(f'{base}{path}?page=1'))
        body = urlencode({
                'csrf_token': token, 'page': '1', 'action': 'next',
                'indirizzo': 'Via Roma 1', 'cap': '20121',
                'tipo_abitazione': 'appartamento', 'uso': 'abituale',
                'metri_quadri': '90', 'anno_costruzione': '1975',
                'costruzione': 'cemento', 'allarme': 'false'})
        for draft in paths:
            response = session.post(base + draft, data=body, headers={
                    'Content-Type': 'application/x-www-form-urlencoded'},
                allow_redirects=False)
            if response.status_code != 302:
                raise SystemExit(f"answer refused ({response.status_code})")
        file = FOLDER / 'quote-answer.body'
        file.write_text(body)
        return {'path': path, 'paths': ','.join(paths), 'method': 'POST',
            'body_file': str(file),
            'content_type': 'application/x-www-form-urlencoded',
            'cookie': cookie(session)}


class CardSave(Route):
    """A section of the card saved: the family section adding a household
    member, a write of the card and of its history each time; posted once
    first to be sure it saves."""

    def prepare(self, base):
        from urllib.parse import urlencode
        session = login(base)
        token = csrf_token(session.get(base + self.path))
        body = urlencode({'csrf_token': token, 'marital_status': 'married',
                'dependants': '1', 'member_name': "Figlia Prova",
                'member_relation': 'child',
                'member_birth_date': '2010-05-01'})
        content_type = 'application/x-www-form-urlencoded'
        response = session.post(base + self.path, data=body,
            headers={'Content-Type': content_type}, allow_redirects=False)
        if response.status_code != 302:
            raise SystemExit(f"card section refused ({response.status_code})"
                f": {response.text[:500]}")
        path = FOLDER / 'card-save.body'
        path.write_text(body)
        return {'path': self.path, 'method': 'POST', 'body_file': str(path),
            'content_type': content_type, 'cookie': cookie(session)}


ROUTES = [
    Route("F0 portal /health", '/portal/health', floor=True),
    Route("F1 portal /health/database", '/portal/health/database',
        floor=True),
    Route("portal login page", '/portal/login', target=2),
    JsonRpc("JSON-RPC common.server.version", '/rpc/', target=1),
    LoggedIn("portal dashboard (client)", '/portal/', target=15),
    LoggedIn("ticket page", '/portal/tickets/{ticket}', target=10),
    # the card's sections, each with its state from the card's history
    LoggedIn("client card page", '/portal/card/', target=15),
    # validation, the household member, its history rows, the redirect
    CardSave("card section save POST", '/portal/card/family', target=25),
    # 10,000 agents, 100,000 requests: the inbox counts and lists the
    # agent's share, the request page checks the dispatch by record rule
    AgentLoggedIn("marketplace agent inbox", '/portal/market/inbox',
        target=15),
    AgentLoggedIn("marketplace request page (agent)",
        '/portal/market/requests/{market_request}', target=10),
    # parsing the 5 MB form, streaming the file to disk, hashing it
    UploadFloor(UPLOAD_FLOOR, '/bench/upload'),
    # the checks on the file's head, the durable primary copy hashed as it
    # streams, the ticket, its thread and opportunity, and without a queue
    # worker the emails and the replica copy after the commit
    NewTicket("new ticket POST, 5 MB PDF", '/portal/tickets/new',
        target=120, relative=UPLOAD_FLOOR, relative_target=3),
    LoggedIn("questionnaire page (home quote)",
        '/portal/quotes/{quote}?page=1', target=10),
    QuoteAnswer("questionnaire answer save POST", '/portal/quotes/{quote}',
        target=15),
    ]
