"""Every portal page a demo role reaches, in Chromium at 390 px, in Italian
and Persian: nothing scrolls sideways, and axe-core finds no serious or
critical violation."""
import pathlib
import urllib.parse

import pytest

from portal_pages import crawl

AXE = pathlib.Path(__file__).resolve().parent.parent / 'node_modules' / \
    'axe-core' / 'axe.min.js'
ROLES = ['visitor', 'client', 'broker', 'agent', 'market user']


def serious(page):
    "Return the serious and critical axe-core violations of the page."
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v['id'], [n['target'] for n in v['nodes']][:3])
        for v in result['violations']
        if v['impact'] in {'serious', 'critical'}]


def context_of(browser, platform, session, width):
    "Return a browser context with the session's cookies at the width."
    # the pages forbid inline scripts; axe-core is injected as one
    context = browser.new_context(bypass_csp=True,
        viewport={'width': width, 'height': 800})
    host = urllib.parse.urlsplit(platform.url).hostname
    context.add_cookies([{'name': c.name, 'value': c.value,
                'domain': host, 'path': c.path or '/'}
            for c in session.cookies])
    return context


@pytest.mark.parametrize('language', ['it', 'fa'])
@pytest.mark.parametrize('role', ROLES)
def test_every_page(platform, browser, role, language):
    "No sideways scroll at 390 px and no serious axe violation"
    session, pages = crawl(platform.url, role, language)
    problems = {}
    context = context_of(browser, platform, session, 390)
    page = context.new_page()
    for path, _ in pages:
        page.goto(platform.url + path)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > 390:
            problems[f'{path} scrolls'] = scroll
        if found := serious(page):
            problems[path] = found
    context.close()
    assert pages
    assert not problems, problems
