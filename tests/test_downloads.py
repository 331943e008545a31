"""Files come back as they were sent, whatever script their name is in, and
open in the page only as inert documents."""
import re
from urllib.parse import unquote

import requests

from e2e import CLIENT, csrf_token, log_in, pdf

NAMES = ['بیمه‌نامه قدیمی.pdf', 'файл 名前.pdf', 'Polizza città "2025".pdf']


def filename_of(header):
    "Return the name a browser saves: filename* over filename (RFC 6266)."
    encoded = re.search(r"filename\*=UTF-8''([^;\s]+)", header)
    if encoded:
        return unquote(encoded.group(1))
    return re.search(r'filename="([^"]*)"', header).group(1)


def test_names_in_any_script(platform):
    session, _ = log_in(platform, *CLIENT, session=requests.Session())
    form = session.get(f'{platform.url}/portal/tickets/new')
    documents = {name: pdf(f'documento {n}') for n, name in enumerate(NAMES)}
    response = session.post(f'{platform.url}/portal/tickets/new', data={
            'csrf_token': csrf_token(form.text), 'line': 'legal',
            'request_type': 'technical', 'title': 'Documenti',
            'description': 'Allego i documenti',
            }, files=[('attachments', (name, data, 'application/pdf'))
            for name, data in documents.items()])
    assert response.status_code == 200
    links = re.findall(r'href="(/portal/tickets/[0-9a-f]+/files/\d+)"',
        response.text)
    assert len(links) == len(NAMES)
    got = {}
    for link in links:
        download = session.get(platform.url + link, timeout=10)
        assert download.status_code == 200
        header = download.headers['Content-Disposition']
        assert header.startswith('attachment;')
        header.encode('latin-1')  # a header any server can send
        got[filename_of(header)] = download.content
        assert download.headers['Cache-Control'] == 'private, no-store'

        shown = session.get(platform.url + link + '?view=1', timeout=10)
        assert shown.headers['Content-Disposition'].startswith('inline;')
        assert "frame-ancestors 'self'" in shown.headers[
            'Content-Security-Policy']
        assert shown.headers['X-Frame-Options'] == 'SAMEORIGIN'
        assert shown.content == download.content
    # the names keep their letters (odd marks made safe), the files their
    # bytes
    for name, data in documents.items():
        word = name.split()[0].split('\u200c')[0]
        matches = [g for g in got if g.startswith(word)]
        assert matches, (name, list(got))
        assert got[matches[0]] == data


def test_new_ticket_posted_twice_opens_one(platform):
    "A form posted again (the answer was lost) shows the first ticket"
    session, _ = log_in(platform, *CLIENT, session=requests.Session())
    form = session.get(f'{platform.url}/portal/tickets/new').text
    key = re.search(r'name="request_key" value="([0-9a-f]+)"', form).group(1)
    data = {'csrf_token': csrf_token(form), 'request_key': key,
        'line': 'legal', 'request_type': 'technical',
        'title': 'Una sola richiesta', 'description': 'Inviata due volte'}
    first = session.post(f'{platform.url}/portal/tickets/new', data=data)
    again = session.post(f'{platform.url}/portal/tickets/new', data=data)
    assert first.url == again.url
    assert re.search(r'/portal/tickets/[0-9a-f]{32}$', again.url)
    dashboard = session.get(f'{platform.url}/portal/').text
    assert dashboard.count('Una sola richiesta') == 1


def test_generated_names_in_the_readers_language(platform):
    "The card export, the consent dossier and a consent's PDF are named in the portal's language"
    session, _ = log_in(platform, *CLIENT, session=requests.Session())
    names = {}
    for language in ['it', 'en', 'fa']:
        session.get(f'{platform.url}/portal/lang/{language}')
        consents = session.get(f'{platform.url}/portal/consents/').text
        record = re.search(r'href="/portal/consents/(\d+)\.pdf"', consents)
        assert record, "the client has a consent PDF to open"
        names[language] = [filename_of(session.get(
                    f'{platform.url}/portal/{path}').headers[
                    'Content-Disposition']) for path in [
                'card/export?format=json', 'card/export?format=csv',
                'consents/dossier.pdf', f'consents/{record.group(1)}.pdf']]
    assert names['it'][:3] == ["Scheda cliente Daniela Spadafora.json",
        "Scheda cliente Daniela Spadafora.csv",
        "Fascicolo consensi Daniela Spadafora.pdf"]
    assert names['en'][:3] == ["Client card Daniela Spadafora.json",
        "Client card Daniela Spadafora.csv",
        "Consent dossier Daniela Spadafora.pdf"]
    assert names['fa'][2] == "پرونده رضایت‌ها Daniela Spadafora.pdf"
    consent = {language: names[language][3].split()[0]
        for language in names}
    assert consent == {'it': 'Consenso', 'en': 'Consent', 'fa': 'رضایت'}
