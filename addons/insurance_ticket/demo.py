# This file is part of the insurance intermediary platform.
"""Demo data of the tickets: the service company, its staff, the
brokerages with their brokers, the condominiums of the administrators and
tickets in every state, the source's sample thread among them."""
import datetime as dt
import io
from decimal import Decimal

from reportlab.pdfgen import canvas
from sql import Literal

from trytond.modules.portal import formats
from trytond.modules.portal.demo import (
    ADMINISTRATORS, CLIENT_PASSWORD, email_of, italian_number)
from trytond.pool import Pool
from trytond.transaction import Transaction

from . import accounting

BROKER_PASSWORD = 'Broker2026'

BROKERAGES = [
    ("RBS Broker S.r.l.", "Milano", "20122", "Corso di Porta Romana 46",
        'B000412587', [("Emilio", "Salerno"), ("Marta", "Fontana")]),
    ("Assibroker Italia S.p.A.", "Roma", "00198", "Viale Regina Margherita 1",
        'B000198344', [("Sara", "Galli")]),
    ]

STAFF = [
    # login, name, password, groups
    # the operator also keeps the clients' cards, on their behalf
    ('operatore', "Marco Di Cosimo", 'Operatore2026',
        ['insurance_ticket.group_operator', 'client_card.group_client_card']),
    ('contabile', "Giulia Ferri", 'Contabile2026',
        ['insurance_ticket.group_accountant', 'account.group_account']),
    ]

CONDOMINIUM_NAMES = [
    "Condominio Residenza dei Tigli", "Condominio Parco Sempione",
    "Supercondominio Le Magnolie", "Condominio Via Roma 15",
    "Condominio Il Glicine", "Condominio Torre Azzurra",
    "Condominio Villa Serena", "Condominio Giardini del Sole",
    "Condominio La Corte", "Condominio San Marco",
    "Condominio Le Querce", "Condominio Belvedere",
    "Condominio Aurora", "Condominio I Portici",
    "Condominio Palazzo Verdi", "Condominio Borgo Antico",
    ]

# the steps of a quote request, each reaching the state named first
STEPS = [
    'in_charge', 'at_broker', 'questionnaire_sent', 'questionnaire_returned',
    'quote_sent', 'accepted', 'signing', 'signed', 'closed']
# (administrator index, line, target state, title)
TICKETS = [
    (1, 'administrator_liability', 'new', "RC Amministratore 2026"),
    (2, 'building', 'in_charge', "Rinnovo Globale Fabbricati"),
    (3, 'legal', 'waiting', "Tutela legale per contenzioso"),
    (4, 'building', 'at_broker', "Preventivo incendio e furto"),
    (5, 'accident', 'questionnaire_returned', "Infortuni portiere"),
    (6, 'building', 'quote_sent', "Globale Fabbricati nuovo stabile"),
    (7, 'd_and_o', 'accepted', "D&O consiglieri"),
    (8, 'building', 'signing', "Polizza fabbricato Via Roma"),
    (9, 'third_party', 'signed', "RC Terzi area giochi"),
    (0, 'building', 'closed', "Globale Fabbricati Residenza dei Tigli"),
    (2, 'third_party', 'cancelled', "RC Terzi ascensore"),
    (4, 'legal', 'declined', "Tutela legale condominio"),
    ]
SAMPLE_NUMBER = '207902056'


COLLEAGUE = ("Paolo", "Rinaldi", 'paolo.rinaldi@studiospadafora.example')


def load():
    company = load_company()
    load_fee(company)
    load_staff(company)
    load_brokerages()
    load_condominiums()
    load_colleague()
    load_tickets()


def load_colleague():
    "A colleague of Daniela Spadafora: the company's tickets are shared."
    pool = Pool()
    Party = pool.get('party.party')
    WebUser = pool.get('web.user')
    first_name, surname, email = COLLEAGUE
    colleague = Party(
        name=f'{first_name} {surname}',
        contact_mechanisms=[{'type': 'email', 'value': email}])
    colleague.save()
    studio, = Party.search([('name', '=', ADMINISTRATORS[0][0])])
    WebUser(
        email=email, password=CLIENT_PASSWORD, email_valid=True,
        party=colleague, secondary_parties=[studio]).save()


def load_company():
    pool = Pool()
    Party = pool.get('party.party')
    Company = pool.get('company.company')
    Currency = pool.get('currency.currency')
    euro, = Currency.search([('code', '=', 'EUR')]) or Currency.create([{
                'name': "Euro", 'code': 'EUR', 'symbol': '€',
                'numeric_code': '978'}])
    party = Party(
        name="MP Service S.r.l.", rui_number='A000356871',
        addresses=[{
                'street': "Via Vittor Pisani 20", 'postal_code': '20124',
                'city': "Milano"}],
        identifiers=[{'type': 'eu_vat', 'code': 'IT' + italian_number(900)}],
        contact_mechanisms=[
            {'type': 'email', 'value': 'assistenza@mpservice.example'},
            {'type': 'phone', 'value': '+39 02 1234 5678'}])
    party.save()
    # the back office shows times in the platform's one time zone
    company = Company(party=party, currency=euro,
        timezone=formats.timezone_name())
    company.save()
    return company


def load_fee(company):
    "The brokerage fee, invoiced to the client at each signed policy."
    Configuration = Pool().get('insurance.configuration')
    with Transaction().set_context(company=company.id):
        accounting.ensure_chart(company)
        accounting.ensure_fiscalyear(company)
        configuration = Configuration(1)
        configuration.brokerage_fee = accounting.service(
            company, "Diritti di brokeraggio", Decimal('50.00'))
        configuration.save()


def load_staff(company):
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    Group = pool.get('res.group')
    Lang = pool.get('ir.lang')
    italian, = Lang.search([('code', '=', 'it')])
    admin, = User.search([('login', '=', 'admin')])
    User.write([admin], {
            'companies': [('add', [company.id])], 'company': company.id})
    Employee = pool.get('company.employee')
    Party = pool.get('party.party')
    for login, name, password, groups in STAFF:
        party = Party(name=name, contact_mechanisms=[{
                    'type': 'email', 'value': f'{login}@mpservice.example'}])
        party.save()
        employee = Employee(party=party, company=company)
        employee.save()
        User.create([{
                    'login': login, 'name': name, 'password': password,
                    'email': f'{login}@mpservice.example',
                    'employees': [('add', [employee.id])],
                    'employee': employee.id,
                    'language': italian.id,
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'groups': [('add', [
                                Group(ModelData.get_id(*g.split('.', 1))).id
                                for g in groups])],
                    }])


def load_brokerages():
    pool = Pool()
    Party = pool.get('party.party')
    WebUser = pool.get('web.user')
    for index, (name, city, postal_code, street, rui, brokers) in enumerate(
            BROKERAGES, 1):
        domain = name.split()[0].lower() + 'broker'
        brokerage = Party(
            name=name, is_brokerage=True, rui_number=rui,
            addresses=[{
                    'street': street, 'postal_code': postal_code,
                    'city': city}],
            identifiers=[{
                    'type': 'eu_vat', 'code': 'IT' + italian_number(800 + index)}],
            contact_mechanisms=[
                {'type': 'email', 'value': f'tickets@{domain}.example'}])
        brokerage.save()
        for first_name, surname in brokers:
            email = f'{first_name}.{surname}@{domain}.example'.lower()
            broker = Party(
                name=f'{first_name} {surname}',
                contact_mechanisms=[{'type': 'email', 'value': email}])
            broker.save()
            WebUser(
                email=email, password=BROKER_PASSWORD, email_valid=True,
                party=broker, secondary_parties=[brokerage]).save()


def load_condominiums():
    pool = Pool()
    Party = pool.get('party.party')
    Condominium = pool.get('insurance.condominium')
    names = iter(CONDOMINIUM_NAMES)
    condominiums = []
    for index, (company, first_name, surname, city, postal_code, street) \
            in enumerate(ADMINISTRATORS, 1):
        administrator, = Party.search(
            [('name', '=', company or f'{first_name} {surname}')])
        for number in range(1 + index % 2):
            condominiums.append(Condominium(
                    name=next(names),
                    fiscal_code=italian_number(index * 10 + number, first='9'),
                    street=f"Via Garibaldi {index * 3 + number}",
                    postal_code=postal_code, city=city,
                    administrator=administrator))
    Condominium.save(condominiums)


def pdf(*lines):
    "Return a one-page PDF with the lines of text."
    output = io.BytesIO()
    page = canvas.Canvas(output)
    for number, line in enumerate(lines):
        page.drawString(72, 760 - 18 * number, line)
    page.save()
    return output.getvalue()


def old_policy(condominium, number):
    "Return the expiring policy of a condominium, as insurers print them."
    expiry = dt.date(2026, 1, 31) + dt.timedelta(days=30 * (number % 10))
    return pdf(
        "POLIZZA GLOBALE FABBRICATI CIVILI",
        "Compagnia: Reale Mutua di Assicurazioni",
        f"Polizza n. RM/{2024000 + number}",
        f"Contraente: {condominium.name if condominium else ''}",
        f"Decorrenza: {expiry.replace(year=expiry.year - 1):%d/%m/%Y}",
        f"Scadenza: {expiry:%d/%m/%Y}",
        f"Premio annuo lordo: € {1500 + 37 * number:,},00".replace(
            ',', '.', 1),
        f"Somma assicurata fabbricato: € {2 + number % 5}.500.000,00",
        f"Anno di costruzione: {1960 + number % 40}",
        f"Unità immobiliari: {12 + number % 30}",
        f"Piani fuori terra: {4 + number % 6}",
        "Sinistri ultimi 5 anni: 1 (danni da acqua, 2023)")


def web_user_of(index):
    WebUser = Pool().get('web.user')
    company, first_name, surname = ADMINISTRATORS[index][:3]
    user, = WebUser.search(
        [('email', '=', email_of(first_name, surname, company))])
    return user


def broker(email):
    WebUser = Pool().get('web.user')
    user, = WebUser.search([('email', '=', email)])
    return user


def load_tickets():
    pool = Pool()
    User = pool.get('res.user')
    Queue = pool.get('ir.queue')
    operator, = User.search([('login', '=', 'operatore')])
    with Transaction().set_context(language='it'):
        for index, line, state, title in TICKETS:
            ticket = open_ticket(index, line, title)
            advance(ticket, state, operator, web_user_of(index))
        load_sample_thread(operator)
    # the demo history is not notified: no email waits for a worker
    Queue.delete(Queue.search([]))


def open_ticket(index, line_code, title,
        body="Si richiede offerta per il condominio, polizza in allegato.",
        **values):
    pool = Pool()
    Ticket = pool.get('insurance.ticket')
    Line = pool.get('insurance.ticket.line')
    RequestType = pool.get('insurance.ticket.request_type')
    Message = pool.get('insurance.ticket.message')
    Attachment = pool.get('insurance.ticket.attachment')
    client = web_user_of(index)
    line, = Line.search([('code', '=', line_code)])
    request_type, = RequestType.search([('code', '=', 'quote')])
    company = client.secondary_parties[0] if client.secondary_parties \
        else None
    condominiums = (company or client.party).condominiums or \
        client.party.condominiums
    condominium = condominiums[0] if condominiums else None
    return Ticket.open({
            'title': title, 'client': client.party.id,
            'client_company': company.id if company else None,
            'line': line.id, 'request_type': request_type.id,
            'condominium': condominium.id if condominium else None,
            **values}, body,
        [Attachment.upload(
                'vecchia polizza.pdf', old_policy(condominium, index))],
        Message.web_author(client))


def advance(ticket, state, operator, client_user):
    "Move the ticket through the workflow up to the state."
    pool = Pool()
    Ticket = pool.get('insurance.ticket')
    Party = pool.get('party.party')
    if state == 'new':
        return
    with Transaction().set_user(operator.id), \
            Transaction().set_context(company=ticket.company.id):
        Ticket.take_in_charge([ticket])
        if state == 'waiting':
            ticket.post("Ci servono le planimetrie del condominio.")
            Ticket.ask_client([ticket])
            return
        if state in {'cancelled'}:
            Ticket.cancel([ticket])
            return
        if state == 'in_charge':
            return
        rbs, = Party.search([('name', '=', BROKERAGES[0][0])])
        ticket.brokerage = rbs
        ticket.save()
        Ticket.forward([ticket])
    run_broker_steps(ticket, state, client_user)


def run_broker_steps(ticket, state, client_user):
    pool = Pool()
    Ticket = pool.get('insurance.ticket')
    Message = pool.get('insurance.ticket.message')
    Attachment = pool.get('insurance.ticket.attachment')
    emilio = Message.web_author(broker('emilio.salerno@rbsbroker.example'))
    client = Message.web_author(client_user)
    today = dt.date.today()
    steps = {
        'questionnaire_sent': lambda: Ticket.send_questionnaire(
            [ticket], emilio, "In allegato il questionario da compilare."),
        'questionnaire_returned': lambda: Ticket.return_questionnaire(
            [ticket], client, "Questionario compilato.", [Attachment.upload(
                    'questionario.pdf', pdf("Questionario compilato"),
                    'questionnaire')]),
        'quote_sent': lambda: Ticket.send_quote(
            [ticket], emilio, "In allegato preventivo e bozza di contratto.",
            [Attachment.upload(
                    'bozza contratto.pdf', pdf("Bozza"), 'contract')],
            {'insurer': "Generali Italia", 'premium': Decimal('1850.00'),
                'coverages': "Incendio\nEventi atmosferici\nRC fabbricato",
                'quote_valid_until': today + dt.timedelta(days=30)}),
        'accepted': lambda: Ticket.accept(
            [ticket], client, "Accetto il preventivo.", client_user,
            '127.0.0.1'),
        'declined': lambda: Ticket.decline(
            [ticket], client, "Preferiamo rinnovare con l'attuale compagnia."),
        'signing': lambda: Ticket.send_policy(
            [ticket], emilio, "Polizza definitiva da firmare.",
            [Attachment.upload(
                    'polizza.pdf', pdf("Polizza definitiva"), 'policy')],
            {'policy_number': f'GF-{ticket.number}',
                'policy_start': today,
                'policy_end': today + dt.timedelta(days=365)}),
        'signed': lambda: sign(ticket, client_user),
        'closed': lambda: Ticket.finish(
            [ticket], emilio, "Pratica chiusa, grazie."),
        }
    if state == 'declined':
        path = ['questionnaire_sent', 'questionnaire_returned',
            'quote_sent', 'declined']
    else:
        path = STEPS[2:STEPS.index(state) + 1]
    for step in path:
        steps[step]()


def sign(ticket, client_user):
    "Sign with a fresh code, as the client would type it."
    SignatureRequest = Pool().get('insurance.ticket.signature_request')
    request = SignatureRequest(
        ticket=ticket, web_user=client_user,
        document_hash=ticket.policy_hash, channel='email',
        destination='d***a@example', sent_at=dt.datetime.now())
    code = request.new_code()
    request.save()
    ticket.sign(client_user, code, '127.0.0.1', 'Demo')


SAMPLE_THREAD = [
    # (author, text, time) after the opening message of the client
    ('client', "Si richiede offerta per il condominio cui Polizza in allegato",
        dt.datetime(2026, 1, 16, 17, 39, 10)),
    ('operator', "Grazie per la richiesta, pratica presa in carico",
        dt.datetime(2026, 1, 16, 17, 41, 11)),
    ('client', "Grazie, mi contatti via telefono appena pronto",
        dt.datetime(2026, 1, 16, 17, 57, 15)),
    ('broker', "in allegato il questionario da compilare nelle sue parti",
        dt.datetime(2026, 1, 16, 18, 10, 47)),
    ]


def load_sample_thread(operator):
    "The source's sample thread: Attivazione Polizza, 16/01/2026."
    pool = Pool()
    Ticket = pool.get('insurance.ticket')
    Party = pool.get('party.party')
    Message = pool.get('insurance.ticket.message')
    # the number of the source's sample, below the sequence's start, from
    # the opening: every email, file and answer names the ticket by it
    ticket = open_ticket(0, 'building', "Attivazione Polizza",
        SAMPLE_THREAD[0][1], number=SAMPLE_NUMBER)
    client = Message.web_author(web_user_of(0))
    emilio = Message.web_author(broker('emilio.salerno@rbsbroker.example'))
    with Transaction().set_user(operator.id), \
            Transaction().set_context(company=ticket.company.id):
        ticket.post(SAMPLE_THREAD[1][1])
        Ticket.take_in_charge([ticket])
        ticket.post(SAMPLE_THREAD[2][1], author=client)
        rbs, = Party.search([('name', '=', BROKERAGES[0][0])])
        ticket.brokerage = rbs
        ticket.save()
        Ticket.forward([ticket])
    Ticket.send_questionnaire([ticket], emilio, SAMPLE_THREAD[3][1])
    date_thread(ticket)


def date_thread(ticket):
    "Give the sample messages the times of the source (Italian time)."
    Message = Pool().get('insurance.ticket.message')
    table = Message.__table__()
    cursor = Transaction().connection.cursor()
    opening, answer, replied, questionnaire = (
        t for _, _, t in SAMPLE_THREAD)
    # opening, operator's answer and its event, client's reply and the
    # forward, the broker's questionnaire
    times = [opening, answer, answer, replied, replied, questionnaire]
    messages = Message.search([('ticket', '=', ticket.id)])
    for message, moment in zip(messages, times):
        # Italian winter time is UTC+1
        cursor.execute(*table.update(
                [table.create_date],
                [Literal(moment - dt.timedelta(hours=1))],
                where=table.id == message.id))
