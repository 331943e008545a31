# This file is part of the insurance intermediary platform.
"""Cards of the export and synchronisation tests, and the deliveries of
the synchronisation targets."""
from trytond.pool import Pool

# a person with Italian accents, a person with a Persian name, a company
PEOPLE = [
    {'name': "Niccolò Pàstina", 'fiscal_code': 'PSTNCL80A01H501A',
        'email': 'niccolo.pastina@example.it', 'mobile': '+39 333 123 4567',
        'street': "Via Sant'Agnese 12", 'postal_code': '00198',
        'city': "Roma"},
    {'name': "مریم رضایی", 'fiscal_code': 'RZAMRY85E45Z224N',
        'email': 'maryam.rezaei@example.ir', 'mobile': '+98 912 345 6789',
        'street': "خیابان ولیعصر ۱۲", 'postal_code': '14155',
        'city': "تهران"},
    ]
COMPANY = {'name': "Società Edile Àbaco S.r.l.", 'vat': 'IT00743110157',
    'email': 'amministrazione@abaco.example', 'phone': '+39 02 1234 5678',
    'street': "Corso Buenos Aires 3", 'postal_code': '20124',
    'city': "Milano"}


def create_card(name, fiscal_code=None, vat=None, email=None, phone=None,
        mobile=None, street=None, postal_code=None, city=None):
    pool = Pool()
    Party = pool.get('party.party')
    identifiers = []
    if fiscal_code:
        identifiers.append({'type': 'it_codicefiscale', 'code': fiscal_code})
    if vat:
        identifiers.append({'type': 'eu_vat', 'code': vat})
    mechanisms = [{'type': t, 'value': v} for t, v in [
            ('email', email), ('phone', phone), ('mobile', mobile)] if v]
    addresses = []
    if street or city:
        addresses.append({'street_unstructured': street,
                'postal_code': postal_code, 'city': city})
    party = Party(name=name, identifiers=identifiers,
        contact_mechanisms=mechanisms, addresses=addresses)
    party.save()
    return party


def create_cards():
    "Return the two people and the company."
    return [create_card(**p) for p in PEOPLE] + [create_card(**COMPANY)]


def deliveries(target, state=None):
    Delivery = Pool().get('client_card.sync.delivery')
    domain = [('target', '=', target.id)]
    if state:
        domain.append(('state', '=', state))
    return Delivery.search(domain, order=[('id', 'ASC')])


def deliver_all(target):
    Delivery = Pool().get('client_card.sync.delivery')
    Delivery.deliver(deliveries(target))


def set_email(party, email):
    mechanism, = [m for m in party.contact_mechanisms if m.type == 'email']
    mechanism.value = email
    mechanism.save()


class Hook:
    """A real HTTP server on loopback receiving the webhook's POSTs; it
    answers 503 while down."""

    def __init__(self):
        import http.server
        import threading
        self.received = []
        self.down = False
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers['Content-Length']))
                if hook.down:
                    self.send_response(503)
                    self.end_headers()
                    return
                hook.received.append((dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(
            ('127.0.0.1', 0), Handler)
        self.url = f'http://127.0.0.1:{self.server.server_port}/hook'
        self.thread = threading.Thread(
            target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
