# This file is part of the insurance intermediary platform.
"""Demo data of the portal: condominium administrators and their logins."""
from stdnum import luhn

from trytond.pool import Pool

CLIENT_PASSWORD = 'Cliente2026'

# (company or None, first name, surname, city, postal code, street)
ADMINISTRATORS = [
    ("Studio Spadafora Amministrazioni S.r.l.", "Daniela", "Spadafora",
        "Milano", "20121", "Via Brera 12"),
    (None, "Giuseppe", "Colombo", "Milano", "20135", "Viale Umbria 45"),
    ("Amministrazioni Condominiali Bianchi S.a.s.", "Laura", "Bianchi",
        "Torino", "10121", "Corso Vittorio Emanuele II 88"),
    (None, "Francesca", "Russo", "Napoli", "80121", "Via Chiaia 149"),
    ("Gestioni Immobiliari Romano S.r.l.", "Alessandro", "Romano",
        "Roma", "00187", "Via del Tritone 61"),
    (None, "Paolo", "Ricci", "Bologna", "40126", "Via Zamboni 33"),
    ("Studio Marino & Associati", "Chiara", "Marino",
        "Firenze", "50123", "Via dei Servi 21"),
    (None, "Stefano", "Greco", "Bari", "70122", "Via Sparano da Bari 80"),
    ("Condomini Lombardi S.r.l.", "Roberta", "Conti",
        "Bergamo", "24122", "Via XX Settembre 17"),
    (None, "Valentina", "Esposito", "Genova", "16121", "Via XX Settembre 140"),
    ]


def italian_number(seed, first='0'):
    """Return a valid 11-digit Italian VAT or legal fiscal code.

    The office code (digits 8 to 10) stays within 001-100 as the Revenue
    Agency assigns them; the last digit is the Luhn check digit.
    """
    body = first + f'{seed * 7919 % 1000000:06d}' + f'{seed % 100 + 1:03d}'
    return body + luhn.calc_check_digit(body)


def email_of(first_name, surname, company):
    domain = (company or f'studio {surname}').lower()
    for word in ('s.r.l.', 's.a.s.', 's.p.a.', '&', 'amministrazioni',
            'condominiali', 'gestioni', 'immobiliari', 'associati', '.'):
        domain = domain.replace(word, ' ')
    domain = ''.join(domain.split())
    return f'{first_name}.{surname}@{domain}.example'.lower()


def load():
    configure_back_office()
    load_administrators()


def configure_back_office():
    "Skip the configuration wizard and speak Italian to the administrator."
    pool = Pool()
    Item = pool.get('ir.module.config_wizard.item')
    User = pool.get('res.user')
    Lang = pool.get('ir.lang')
    Item.write(Item.search([]), {'state': 'done'})
    italian, = Lang.search([('code', '=', 'it')])
    User.write(User.search([('login', '=', 'admin')]), {'language': italian.id})


def load_administrators():
    pool = Pool()
    Party = pool.get('party.party')
    WebUser = pool.get('web.user')
    Lang = pool.get('ir.lang')
    italian, = Lang.search([('code', '=', 'it')])

    users = []
    for index, (company, first_name, surname, city, postal_code, street) \
            in enumerate(ADMINISTRATORS, 1):
        email = email_of(first_name, surname, company)
        person = Party(
            name=f'{first_name} {surname}', lang=italian,
            addresses=[{
                    'street': street, 'postal_code': postal_code,
                    'city': city}],
            contact_mechanisms=[
                {'type': 'email', 'value': email},
                {'type': 'mobile', 'value': f'+39 333 {index:03d} {index:04d}'},
                ])
        person.save()
        secondary = []
        if company:
            organisation = Party(
                name=company,
                addresses=[{
                        'street': street, 'postal_code': postal_code,
                        'city': city}],
                identifiers=[{
                        'type': 'eu_vat',
                        'code': 'IT' + italian_number(index)}],
                contact_mechanisms=[{'type': 'email', 'value': email}])
            organisation.save()
            secondary = [organisation]
        users.append(WebUser(
                email=email, password=CLIENT_PASSWORD, email_valid=True,
                party=person, secondary_parties=secondary,
                first_name=first_name, surname=surname,
                phone=f'+39333{index:03d}{index:04d}', phone_verified=True,
                condominium_count=index * 3,
                vat_code=(organisation.identifiers[0].code[2:]
                    if company else None)))
    WebUser.save(users)
