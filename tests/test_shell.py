"""The portal shell and the server, over real HTTP."""
from urllib.parse import urlsplit

import pytest
import requests

from e2e import csrf_token

CLIENT = ('daniela.spadafora@studiospadafora.example', 'Cliente2026')


def test_rpc_version(platform):
    response = requests.post(f'{platform.url}/rpc/', json={
            'method': 'common.server.version', 'params': []})
    assert response.json() == '8.0'


def test_back_office_served(platform):
    response = requests.get(f'{platform.url}/')
    assert response.status_code == 200
    assert 'sao' in response.text.lower()


def test_portal_italian_by_default(platform):
    response = requests.get(f'{platform.url}/portal/')
    assert response.status_code == 200
    assert '<html lang="it" dir="ltr">' in response.text
    assert 'Sportello assicurativo' in response.text


def test_browser_language_chosen(platform):
    response = requests.get(
        f'{platform.url}/portal/', headers={'Accept-Language': 'en'})
    assert '<html lang="en" dir="ltr">' in response.text
    assert 'Insurance desk' in response.text


def test_language_switch_persian_right_to_left(platform):
    session = requests.Session()
    response = session.get(
        f'{platform.url}/portal/lang/fa', params={'next': '/portal/login'})
    assert response.url == f'{platform.url}/portal/login'
    assert '<html lang="fa" dir="rtl">' in response.text
    assert 'ورود' in response.text


def test_security_headers(platform):
    headers = requests.get(f'{platform.url}/portal/').headers
    assert "frame-ancestors 'none'" in headers['Content-Security-Policy']
    assert "script-src 'self'" in headers['Content-Security-Policy']
    assert headers['X-Frame-Options'] == 'DENY'
    assert headers['Referrer-Policy'] == 'same-origin'
    assert headers['X-Content-Type-Options'] == 'nosniff'
    # the login page starts a session: its cookie is out of the scripts'
    # reach and stays on this site
    cookie = requests.get(f'{platform.url}/portal/login').headers['Set-Cookie']
    assert cookie.startswith('portal_session='), cookie
    assert '; HttpOnly' in cookie
    assert '; SameSite=Lax' in cookie


def test_https_behind_the_reverse_proxy(platform):
    headers = requests.get(f'{platform.url}/portal/login', headers={
            'X-Forwarded-Proto': 'https'}).headers
    assert headers['Strict-Transport-Security'] == 'max-age=31536000'
    assert '; Secure' in headers['Set-Cookie']
    plain = requests.get(f'{platform.url}/portal/login').headers
    assert 'Strict-Transport-Security' not in plain
    assert '; Secure' not in plain['Set-Cookie']


def test_post_without_csrf_refused(platform):
    response = requests.post(f'{platform.url}/portal/logout')
    assert response.status_code == 400
    assert 'Il modulo è scaduto' in response.text


@pytest.mark.parametrize('target', [
        '//evil.example/', '/\\evil.example/', '/\t/evil.example/',
        'https://evil.example/'])
def test_language_switch_refuses_other_hosts(platform, target):
    response = requests.get(
        f'{platform.url}/portal/lang/it', params={'next': target},
        allow_redirects=False)
    assert response.status_code == 302
    assert urlsplit(response.headers['Location']).path == '/portal/'


def test_not_found_translated(platform):
    response = requests.get(
        f'{platform.url}/portal/no-such-page',
        headers={'Accept-Language': 'fa'})
    assert response.status_code == 404
    assert 'صفحه پیدا نشد' in response.text
    assert 'dir="rtl"' in response.text


def test_health_routes(platform):
    assert requests.get(
        f'{platform.url}/portal/health').json() == {'status': 'ok'}
    # it tells nothing of the sessions: a stolen key cannot be checked
    assert requests.get(
        f'{platform.url}/portal/health/database',
        params={'key': 'any'}).json() == {'status': 'ok'}


def test_login_and_logout(platform):
    session = requests.Session()
    page = session.get(f'{platform.url}/portal/login').text
    response = session.post(f'{platform.url}/portal/login', data={
            'csrf_token': csrf_token(page),
            'login': CLIENT[0], 'password': CLIENT[1]})
    assert response.url == f'{platform.url}/portal/'
    assert 'Daniela Spadafora' in response.text
    response = session.post(f'{platform.url}/portal/logout', data={
            'csrf_token': csrf_token(response.text)})
    assert 'Sei uscito' in response.text
    assert 'Daniela Spadafora' not in response.text


def test_login_wrong_password_keeps_email(platform):
    session = requests.Session()
    page = session.get(f'{platform.url}/portal/login').text
    response = session.post(f'{platform.url}/portal/login', data={
            'csrf_token': csrf_token(page),
            'login': CLIENT[0], 'password': 'Wrong2026'})
    assert 'E-mail o password errata.' in response.text
    assert f'value="{CLIENT[0]}"' in response.text
