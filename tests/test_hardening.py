"""HTTP hardening found missing by a probe: back-office headers, the web
client's optional files, record ids beyond range, POSTs from other sites or
without a Referer, invisible control characters and cached private pages."""
import re

import pytest
import requests

from e2e import CLIENT as DANIELA, csrf_token



def logged_in(platform, headers=None):
    session = requests.Session()
    session.headers.update(headers or {})
    if (headers or {}).get('X-Forwarded-Proto') == 'https':
        def keep_secure_cookies(response, *args, **kwargs):
            "The browser speaks HTTPS to the proxy: its cookies go back."
            for cookie in session.cookies:
                cookie.secure = False
        session.hooks['response'].append(keep_secure_cookies)
    page = session.get(f'{platform.url}/portal/login')
    session.post(f'{platform.url}/portal/login', data={
            'login': DANIELA[0], 'password': DANIELA[1],
            'csrf_token': csrf_token(page.text)})
    return session


@pytest.mark.parametrize('path', ['/', '/index.html'])
def test_back_office_headers(platform, path):
    response = requests.get(platform.url + path)
    assert response.status_code == 200
    headers = response.headers
    assert "frame-ancestors 'none'" in headers['Content-Security-Policy']
    assert "'sha256-" in headers['Content-Security-Policy']
    assert headers['X-Frame-Options'] == 'DENY'
    assert headers['X-Content-Type-Options'] == 'nosniff'
    secure = requests.get(platform.url + path,
        headers={'X-Forwarded-Proto': 'https'})
    assert 'max-age' in secure.headers['Strict-Transport-Security']


def test_rpc_headers(platform):
    response = requests.post(f'{platform.url}/rpc/',
        json={'id': 1, 'method': 'common.server.version', 'params': []})
    assert response.json()['result']
    assert response.headers['X-Content-Type-Options'] == 'nosniff'
    assert response.headers['X-Frame-Options'] == 'DENY'
    refused = requests.post(f'{platform.url}/{platform.database}/rpc/',
        json={'id': 1, 'method': 'model.res.user.read', 'params': []})
    assert refused.status_code == 401
    assert refused.headers['X-Frame-Options'] == 'DENY'


@pytest.mark.parametrize('path, content_type', [
        ('/favicon.ico', 'image/svg+xml'), ('/custom.css', 'text/css'),
        ('/custom.js', 'text/javascript'),
        ('/locale/it_IT.json', 'application/json'),
        ('/locale/fa_IR.json', 'application/json')])
def test_web_client_optional_files(platform, path, content_type):
    response = requests.get(platform.url + path)
    assert response.status_code == 200
    assert response.headers['Content-Type'].startswith(content_type)
    if path.startswith('/locale/it'):
        # the language's own catalog of the web client
        assert response.json() == requests.get(
            f'{platform.url}/locale/it.json').json()


def test_ids_beyond_range_are_missing(platform):
    session = logged_in(platform)
    for path in ['/portal/consents/99999999999999999999999.pdf',
            '/portal/consents/0.pdf',
            '/portal/tickets/0123/files/99999999999999999999']:
        assert session.get(platform.url + path).status_code == 404, path


def test_posts_from_other_sites_refused(platform):
    session = logged_in(platform)
    page = session.get(f'{platform.url}/portal/profile')
    data = {'csrf_token': csrf_token(page.text), 'phone': '+39 333 000 0001'}
    for header in [{'Origin': 'https://evil.example'},
            {'Referer': 'https://evil.example/form'}]:
        response = session.post(
            f'{platform.url}/portal/profile', data=data, headers=header)
        assert response.status_code == 403, header


def test_https_post_without_referer(platform):
    "Behind the proxy over HTTPS, the token and the Origin suffice"
    session = logged_in(platform, {'X-Forwarded-Proto': 'https'})
    page = session.get(f'{platform.url}/portal/profile')
    response = session.post(f'{platform.url}/portal/profile', data={
            'csrf_token': csrf_token(page.text),
            'phone': '+39 333 001 0001'}, allow_redirects=False)
    assert response.status_code == 302, response.text[-400:]
    # and the platform's own origin is accepted
    response = session.post(f'{platform.url}/portal/profile', data={
            'csrf_token': csrf_token(page.text),
            'phone': '+39 333 001 0001'}, allow_redirects=False,
        headers={'Origin': platform.url.replace('http:', 'https:')})
    assert response.status_code == 302


def test_invisible_characters_stripped(platform):
    session = logged_in(platform)
    page = session.get(f'{platform.url}/portal/tickets/new')
    title = 'Rinnovo\u202e\u0000\ufeff polizza'
    response = session.post(f'{platform.url}/portal/tickets/new', data={
            'csrf_token': csrf_token(page.text), 'line': 'legal',
            'request_type': 'technical', 'title': title,
            'description': 'Una richiesta\u202e con \u200cZWNJ'})
    assert response.status_code == 200
    assert 'Rinnovo polizza' in response.text
    assert '\u202e' not in response.text and '\ufeff' not in response.text
    assert '\u200c' in response.text  # Persian's joiner stays


def test_private_pages_not_cached(platform):
    session = logged_in(platform)
    consents = session.get(f'{platform.url}/portal/consents/')
    pdf = re.search(r'href="(/portal/consents/\d+\.pdf)"', consents.text)
    for path in ['/portal/', '/portal/profile', '/portal/consents/',
            pdf.group(1), '/portal/consents/dossier.pdf']:
        response = session.get(platform.url + path)
        assert response.status_code == 200, path
        assert 'no-store' in response.headers['Cache-Control'], path


def field_errors(html):
    return dict(re.findall(
            r'<p class="error" id="([\w-]+)-error">([^<]+)</p>', html))


def test_long_values_refused_by_field(platform):
    "Over-long values get an error beside their field, the rest kept"
    session = requests.Session()
    page = session.get(f'{platform.url}/portal/signup').text
    response = session.post(f'{platform.url}/portal/signup', data={
            'csrf_token': csrf_token(page), 'surname': 'R' * 10000,
            'first_name': 'Mario', 'email': 'a' * 300 + '@example.com',
            'phone': '333 123 4567'})
    assert response.status_code == 400
    errors = field_errors(response.text)
    assert 'surname' in errors and 'email' in errors
    assert 'value="Mario"' in response.text

    session = logged_in(platform)
    page = session.get(f'{platform.url}/portal/tickets/new')
    response = session.post(f'{platform.url}/portal/tickets/new', data={
            'csrf_token': csrf_token(page.text), 'line': 'legal',
            'request_type': 'technical', 'title': 'Lunga',
            'description': 'x' * 1000000})
    assert response.status_code == 400
    assert 'description' in field_errors(response.text)
    assert 'value="Lunga"' in response.text
