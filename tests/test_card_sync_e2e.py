"""End-to-end: the export command on the demo database, a webhook target
receiving a change made in the back office through the queue, and an
approval in sao where one field is approved and another rejected."""
import csv
import http.server
import io
import json
import os
import subprocess
import sys
import threading

import sao
from lxml import etree
from playwright.sync_api import expect
from e2e import ADMIN, BackOffice, run_queue_cron
from trytond.modules.client_card import sync_transport
from trytond.modules.client_card.export_formats import XSD

SECRET = 'e2e-webhook-secret'


class Hook:
    "A webhook receiver on loopback."

    def __init__(self):
        self.received = []
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers['Content-Length']))
                hook.received.append((dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(
            ('127.0.0.1', 0), Handler)
        self.url = f'http://127.0.0.1:{self.server.server_port}/hook'
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def values(self, party):
        "Return the values received of the party, oldest first."
        cards = [json.loads(b)['card'] for _, b in self.received]
        return [c['values'] for c in cards if c['id'] == party]

    def last(self, party):
        "Return the headers and body of the party's newest delivery."
        return [(h, b) for h, b in self.received
            if json.loads(b)['card']['id'] == party][-1]


def export_command(platform, tmp_path, *args):
    output = tmp_path / 'out'
    subprocess.run([sys.executable, '-m', 'trytond.modules.client_card.export',
            '-c', str(platform.config_path), '-d', platform.database,
            '--output', str(output), *args],
        check=True, env=platform.environment(), capture_output=True)
    return output.read_bytes()


def test_export_command(platform, tmp_path):
    data = export_command(
        platform, tmp_path, '--format', 'csv', '--profile', 'gestionale')
    assert data.startswith('\ufeff'.encode())
    rows = list(csv.DictReader(
            io.StringIO(data.decode('utf-8-sig'), newline=''), delimiter=';'))
    assert rows and {r['TIPO'] for r in rows} <= {'F', 'G'}
    assert any(r['CODICE_FISCALE'] or r['PARTITA_IVA'] for r in rows)
    data = export_command(platform, tmp_path, '--format', 'xml')
    etree.XMLSchema(etree.parse(XSD)).assertValid(etree.fromstring(data))


def new_party(rpc, name, email, mobile):
    party, = rpc.model('party.party', 'create', [{
                'name': name,
                'contact_mechanisms': [('create', [
                            {'type': 'email', 'value': email},
                            {'type': 'mobile', 'value': mobile}])]}])
    return party


def mechanisms(rpc, party):
    found = rpc.model('party.contact_mechanism', 'search_read',
        [('party', '=', party)], 0, None, None, ['type', 'value'])
    return {m['type']: m['id'] for m in found}


def settle(platform, hook, party, count):
    "Run the queue until the hook received count deliveries of the party."
    for _ in range(4):
        run_queue_cron(platform)
        if len(hook.values(party)) >= count:
            return
    raise AssertionError(
        f"{len(hook.values(party))} deliveries, not {count}")


def test_webhook_target(platform):
    rpc = BackOffice(platform, *ADMIN)
    hook = Hook()
    try:
        target, = rpc.model('client_card.sync.target', 'create', [{
                    'name': "Gestionale e2e", 'kind': 'webhook',
                    'mode': 'automatic', 'profile': 'gestionale',
                    'url': hook.url, 'new_secret': SECRET}])
        # the secret reads back empty, even for the administrator
        read, = rpc.model('client_card.sync.target', 'read', [target],
            ['new_secret', 'has_credential'])
        assert (read['new_secret'], read['has_credential']) == (None, True)
        party = new_party(
            rpc, "Ottavio Lùcchesi", 'ottavio@example.it', '+39 333 111 2222')
        settle(platform, hook, party, 1)
        headers, body = hook.last(party)
        assert sync_transport.verify(SECRET, headers['X-Card-Signature'], body)
        assert hook.values(party)[-1]['EMAIL'] == 'ottavio@example.it'
        rpc.model('party.contact_mechanism', 'write',
            [mechanisms(rpc, party)['email']],
            {'value': 'ottavio.lucchesi@example.it'})
        settle(platform, hook, party, 2)
        assert hook.values(party)[-1]['EMAIL'] == \
            'ottavio.lucchesi@example.it'
    finally:
        rpc.model('client_card.sync.target', 'write', [target],
            {'active': False})
        hook.stop()


def test_approve_one_field_reject_another(platform, browser):
    rpc = BackOffice(platform, *ADMIN)
    hook = Hook()
    seed = os.getpid() % 10000
    name = f"Serena Albèri {seed}"
    try:
        target, = rpc.model('client_card.sync.target', 'create', [{
                    'name': "Approvazione e2e", 'kind': 'webhook',
                    'mode': 'approval', 'profile': 'gestionale',
                    'url': hook.url, 'new_secret': SECRET}])
        party = new_party(rpc, name, f'serena{seed}@example.it',
            '+39 333 444 5555')
        run_queue_cron(platform)
        changes = rpc.model('client_card.sync.change', 'search',
            [('party', '=', party), ('state', '=', 'pending')], 0, None, None)
        rpc.model('client_card.sync.change', 'approve_all', changes)
        settle(platform, hook, party, 1)
        ids = mechanisms(rpc, party)
        rpc.model('party.contact_mechanism', 'write', [ids['email']],
            {'value': f'serena.alberi{seed}@example.it'})
        rpc.model('party.contact_mechanism', 'write', [ids['mobile']],
            {'value': '+39 333 999 0000'})
        run_queue_cron(platform)
        change, = rpc.model('client_card.sync.change', 'search',
            [('party', '=', party), ('state', '=', 'pending')], 0, None, None)

        page = browser.new_page(locale='it-IT',
            viewport={'width': 1280, 'height': 1200})
        sao.login(page, platform, *ADMIN)
        sao.open_menu(page, 'Schede cliente', 'Modifiche da approvare')
        row = sao.tab(page).locator('.treeview tbody tr').filter(
            has_text=name)
        expect(row).to_have_count(1, timeout=sao.TIMEOUT)
        # the change's form, at its address
        page.goto(f'{platform.url}/#{platform.database}'
            f'/model/client_card.sync.change/{change}')
        expect(sao.form_field(page, 'party')).to_have_value(
            name, timeout=sao.TIMEOUT)
        lines = sao.one2many(page, "Campi")
        email = lines.locator('tr', has_text='EMAIL')
        mobile = lines.locator('tr', has_text='CELLULARE')
        expect(email).to_contain_text(f'serena.alberi{seed}@example.it',
            timeout=sao.TIMEOUT)
        expect(mobile).to_contain_text('+39 333 999 0000')
        # a row's button acts once its row is the current one
        email.get_by_text('EMAIL', exact=True).click()
        email.locator('button[name="approve"]').click()
        expect(email).to_contain_text('Approvato', timeout=sao.TIMEOUT)
        mobile.get_by_text('CELLULARE', exact=True).click()
        mobile.locator('button[name="reject"]').click()
        expect(mobile).to_contain_text('Rifiutato', timeout=sao.TIMEOUT)
        page.screenshot(path=str(platform.folder / 'card-approval.png'))
        page.close()

        settle(platform, hook, party, 2)
        values = hook.values(party)[-1]
        assert values['EMAIL'] == f'serena.alberi{seed}@example.it'
        assert values['CELLULARE'] == '+39 333 444 5555'
        assert not any(b'999 0000' in b for _, b in hook.received)
        decisions = rpc.model('client_card.sync.decision', 'search_read',
            [('change.party', '=', party)], 0, None, None,
            ['key', 'decision', 'user'])
        assert {(d['key'], d['decision']) for d in decisions} >= {
            ('contact.email', 'approved'), ('contact.mobile', 'rejected')}
    finally:
        rpc.model('client_card.sync.target', 'write', [target],
            {'active': False})
        hook.stop()
