"""The routes measured by bench/run.py; the first two are the floors."""
import json
from dataclasses import dataclass, field


@dataclass
class Route:
    name: str
    path: str
    method: str = 'GET'
    body: str = ''
    content_type: str = ''
    floor: bool = False
    login: tuple = field(default=())

    def prepare(self, base):
        "Return the request wrk sends: path, method, body, headers."
        request = {'path': self.path, 'method': self.method,
            'body': self.body, 'content_type': self.content_type}
        if self.login:
            request['cookie'] = portal_cookie(base, *self.login)
        return request


def portal_cookie(base, email, password):
    "Log in to the portal and return the session cookie header."
    import re

    import requests
    session = requests.Session()
    page = session.get(f'{base}/portal/login').text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    session.post(f'{base}/portal/login', data={
            'csrf_token': token, 'login': email, 'password': password})
    return '; '.join(f'{c.name}={c.value}' for c in session.cookies)


CLIENT = ('daniela.spadafora@studiospadafora.example', 'Cliente2026')

ROUTES = [
    Route("F0 portal /health", '/portal/health', floor=True),
    Route("F1 portal /health/database", '/portal/health/database',
        floor=True),
    Route("portal login page", '/portal/login'),
    Route("JSON-RPC common.server.version", '/rpc/', method='POST',
        body=json.dumps({'method': 'common.server.version', 'params': []}),
        content_type='application/json'),
    Route("portal dashboard (logged in)", '/portal/', login=CLIENT),
    ]
