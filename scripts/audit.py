"""Measure the portal's Lighthouse scores on the demo database.

    python scripts/audit.py [--database demo] [--languages it fa]

Builds the demo database if missing, serves it on a free loopback port,
logs in as the demo client and runs Lighthouse (npm lighthouse@12.2.3 with
Debian's Chromium) on the login, sign-up, dashboard, ticket and consent
pages in each language. Prints a table, writes it to var/audit/report.md
and exits non-zero when an accessibility, best-practices or SEO score is
under 95. Not a test: nothing here is timed.
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time

import environment
from trytond.modules.portal.tests.demo_pki import free_port
import requests

ROOT = environment.ROOT
OUT = ROOT / 'var' / 'audit'
LIGHTHOUSE = 'lighthouse@12.2.3'
CATEGORIES = ['accessibility', 'best-practices', 'seo']
THRESHOLD = 95
CLIENT = ('daniela.spadafora@studiospadafora.example', 'Cliente2026')
TICKET_LINK = re.compile(r'href="(/portal/tickets/[0-9a-f]{8}-?(?:[0-9a-f]{4}-?){3}[0-9a-f]{12})"')


def start_server(database, port, mail_port):
    "Start scripts/serve.py with its mail catcher in its own process group."
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / 'server.log', 'w') as log:
        server = _spawn(database, port, mail_port, log)
    base = f'http://127.0.0.1:{port}/portal'
    return _wait(server, base)


def _spawn(database, port, mail_port, log):
    return subprocess.Popen([sys.executable, str(ROOT / 'scripts' / 'serve.py'),
            '--database', database, '--listen', f'127.0.0.1:{port}',
            '--mail', str(OUT / 'mail'), '--mail-port', str(mail_port)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)


def _wait(server, base):
    "Wait for the portal to answer; return the server and the portal's URL."
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit(f"the server stopped; see {OUT / 'server.log'}")
        try:
            requests.get(f'{base}/login', timeout=5)
            return server, base
        except requests.ConnectionError:
            time.sleep(1)
    stop_server(server)
    raise SystemExit("the server did not answer within two minutes")


def stop_server(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def visitor(base, language):
    "Return a session of an anonymous visitor who chose the language."
    session = requests.Session()
    session.get(f'{base}/lang/{language}', params={'next': '/portal/login'})
    return session


def client(base, language):
    "Return a session logged in as the demo client, in the language."
    session = visitor(base, language)
    page = session.get(f'{base}/login').text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = session.post(f'{base}/login',
        data={'csrf_token': token, 'login': CLIENT[0],
            'password': CLIENT[1]},
        headers={'Referer': f'{base}/login', 'Origin': base.rsplit('/', 1)[0]})
    response.raise_for_status()
    if 'portal_session' not in session.cookies:
        raise SystemExit("the demo client could not log in")
    session.get(f'{base}/lang/{language}', params={'next': '/portal/'})
    return session


def ticket_path(session, base):
    "Return the path of the first ticket the dashboard links to."
    match = TICKET_LINK.search(session.get(f'{base}/').text)
    if not match:
        raise SystemExit("the dashboard links to no ticket")
    return match.group(1)


def cookie_header(session):
    return '; '.join(f'{c.name}={c.value}' for c in session.cookies)


def lighthouse(url, cookie, name):
    "Run Lighthouse on the page; return its report as a dict."
    output = OUT / f'{name}.json'
    command = ['npx', '--yes', LIGHTHOUSE, url,
        f'--only-categories={",".join(CATEGORIES)}', '--output=json',
        f'--output-path={output}', '--quiet',
        '--chrome-flags=--headless=new --no-sandbox',
        f'--extra-headers={json.dumps({"Cookie": cookie})}']
    env = dict(os.environ, CHROME_PATH=os.environ.get(
            'CHROME_PATH', '/usr/bin/chromium'))
    subprocess.run(command, cwd=ROOT, env=env, check=True,
        stdout=subprocess.DEVNULL)
    return json.loads(output.read_text())


def summary(report):
    "Return the scores (0-100) and the ids of the failing audits."
    scores, failing = {}, []
    for category in CATEGORIES:
        data = report['categories'][category]
        scores[category] = round((data['score'] or 0) * 100)
        for ref in data['auditRefs']:
            audit = report['audits'][ref['id']]
            if (ref['weight'] and audit['score'] is not None
                    and audit['score'] < 1 and ref['id'] not in failing):
                failing.append(ref['id'])
    final = report.get('finalDisplayedUrl') or report.get('finalUrl')
    return scores, failing, final


def table(rows):
    lines = [('| page | language | accessibility | best-practices | seo '
        '| failing audits |'), '| --- | --- | --- | --- | --- | --- |']
    for page, language, scores, failing in rows:
        lines.append(f'| {page} | {language} | '
            + ' | '.join(str(scores[c]) for c in CATEGORIES)
            + f' | {", ".join(failing) or "–"} |')
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database', default='demo')
    parser.add_argument('--languages', nargs='+', default=['it', 'fa'])
    options = parser.parse_args()
    subprocess.run([sys.executable, str(ROOT / 'scripts' / 'build_demo.py'),
            '--database', options.database], cwd=ROOT, check=True)
    server, base = start_server(options.database, free_port(), free_port())
    rows = []
    try:
        for language in options.languages:
            anonymous, logged = visitor(base, language), client(base, language)
            pages = [('login', '/login', anonymous),
                ('signup', '/signup', anonymous),
                ('dashboard', '/', logged),
                ('ticket', ticket_path(logged, base)[len('/portal'):], logged),
                ('consents', '/consents/', logged)]
            for page, path, session in pages:
                url = base + path
                report = lighthouse(url, cookie_header(session),
                    f'{page}-{language}')
                scores, failing, final = summary(report)
                if final.rstrip('/') != url.rstrip('/'):
                    failing.append(f'(redirected to {final})')
                rows.append((page, language, scores, failing))
                print(page, language, scores, failing, flush=True)
    finally:
        stop_server(server)
    text = table(rows)
    (OUT / 'report.md').write_text(
        f'# Lighthouse {LIGHTHOUSE.split("@")[1]} scores of the portal\n\n'
        f'{text}\n')
    print(text)
    low = [row for row in rows if min(row[2].values()) < THRESHOLD]
    if low:
        print(f"{len(low)} page(s) score under {THRESHOLD}", file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
