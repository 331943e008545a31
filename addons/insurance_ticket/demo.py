# This file is part of the insurance intermediary platform.
"""Demo data of the tickets: the service company, its staff, the
brokerages with their brokers and the condominiums of the administrators."""
from trytond.modules.portal.demo import ADMINISTRATORS, italian_number
from trytond.pool import Pool

BROKER_PASSWORD = 'Broker2026'

BROKERAGES = [
    ("RBS Broker S.r.l.", "Milano", "20122", "Corso di Porta Romana 46",
        [("Emilio", "Salerno"), ("Marta", "Fontana")]),
    ("Assibroker Italia S.p.A.", "Roma", "00198", "Viale Regina Margherita 1",
        [("Sara", "Galli")]),
    ]

STAFF = [
    # login, name, password, groups
    ('operatore', "Marco Di Cosimo", 'Operatore2026',
        ['insurance_ticket.group_operator']),
    ('contabile', "Giulia Ferri", 'Contabile2026',
        ['insurance_ticket.group_accountant',
            'sale_opportunity.group_opportunity',
            'account.group_account']),
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


def load():
    company = load_company()
    load_staff(company)
    load_brokerages()
    load_condominiums()


def load_company():
    pool = Pool()
    Party = pool.get('party.party')
    Company = pool.get('company.company')
    Currency = pool.get('currency.currency')
    euro, = Currency.search([('code', '=', 'EUR')]) or Currency.create([{
                'name': "Euro", 'code': 'EUR', 'symbol': '€',
                'numeric_code': '978'}])
    party = Party(
        name="MP Service S.r.l.",
        addresses=[{
                'street': "Via Vittor Pisani 20", 'postal_code': '20124',
                'city': "Milano"}],
        identifiers=[{'type': 'eu_vat', 'code': 'IT' + italian_number(900)}],
        contact_mechanisms=[
            {'type': 'email', 'value': 'assistenza@mpservice.example'},
            {'type': 'phone', 'value': '+39 02 1234 5678'}])
    party.save()
    company = Company(party=party, currency=euro)
    company.save()
    return company


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
    for login, name, password, groups in STAFF:
        User.create([{
                    'login': login, 'name': name, 'password': password,
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
    for index, (name, city, postal_code, street, brokers) in enumerate(
            BROKERAGES, 1):
        domain = name.split()[0].lower() + 'broker'
        brokerage = Party(
            name=name, is_brokerage=True,
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
