"""The portal's pages as each demo role reaches them: a crawl from the
dashboard along the portal's own links, one page per route pattern, in each
language.  The page checks (HTML validity, small screens, accessibility)
walk this list, so a new page is checked once a link leads to it."""
import re
import urllib.parse

import requests

# the demo logins of ../shared/design/PORTAL-CONTRACT.md
ROLES = {
    'visitor': None,
    'client': ('daniela.spadafora@studiospadafora.example', 'Cliente2026'),
    'broker': ('emilio.salerno@rbsbroker.example', 'Broker2026'),
    'agent': ('agent.iran1@bimehmall.example', 'Agent2026'),
    'market user': ('user.tehran@bimehmall.example', 'Karbar2026'),
    }
LANGUAGES = ['it', 'en', 'fa']
# the pages a visitor starts from besides the home page
VISITOR_PAGES = ['/portal/login', '/portal/signup', '/portal/reset',
    '/portal/privacy', '/portal/confirm/resend']
# links that act, leave the portal's pages or download a file
SKIP = re.compile(r'/logout|/lang/|\.(pdf|xlsx|docx|csv|json|png|jpe?g|ico|css|js)'
    r'($|\?)|/files/|/download|/export|/static/|format=')
LIMIT = 40


def pattern(path):
    "Return the route pattern of a path: ids and uuids made one."
    return re.sub(r'[0-9a-f]{32}|[0-9a-f-]{36}|\d+', 'N', path)


def session_for(url, role, language):
    "Return a session logged in as the role, in the language."
    session = requests.Session()
    session.headers['Accept-Language'] = language
    credentials = ROLES[role]
    if credentials:
        page = session.get(f'{url}/portal/login').text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = session.post(f'{url}/portal/login', data={
                'csrf_token': token, 'login': credentials[0],
                'password': credentials[1]}, allow_redirects=False)
        assert response.status_code == 302, (role, response.status_code)
    session.get(f'{url}/portal/lang/{language}')
    return session


def links(url, html):
    "Return the portal paths the page links to."
    found = []
    for href in re.findall(r'<a [^>]*href="([^"#]+)', html):
        href = href.replace('&amp;', '&')
        target = urllib.parse.urljoin(url + '/portal/', href)
        parsed = urllib.parse.urlsplit(target)
        if (f'{parsed.scheme}://{parsed.netloc}' == url
                and parsed.path.startswith('/portal')
                and not SKIP.search(parsed.path + '?' + parsed.query)):
            found.append(parsed.path + (
                    f'?{parsed.query}' if parsed.query else ''))
    return found


def crawl(url, role, language):
    """Return [(path, html)] of the pages the role reaches in the language,
    one per route pattern."""
    session = session_for(url, role, language)
    queue = ['/portal/'] + (VISITOR_PAGES if role == 'visitor' else [])
    seen, pages = set(), []
    while queue and len(pages) < LIMIT:
        path = queue.pop(0)
        if pattern(path) in seen:
            continue
        seen.add(pattern(path))
        response = session.get(url + path)
        if (response.status_code != 200
                or 'text/html' not in response.headers.get(
                    'Content-Type', '')):
            continue
        pages.append((path, response.text))
        queue.extend(links(url, response.text))
    return session, pages
