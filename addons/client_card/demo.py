# This file is part of the insurance intermediary platform.
"""Demo data of the client card: complete cards of natural and legal
persons entered by the clients in the portal and confirmed, one with an
identity document expiring next week, one entered by the intermediary and
not confirmed yet, and a company with two representatives."""
import datetime as dt
import io

from codicefiscale import codicefiscale
from PIL import Image, ImageDraw
from trytond.modules.portal.demo import italian_number
from trytond.pool import Pool
from trytond.transaction import Transaction

from . import questionnaire_install

# email: (sex, birth date, birth place, marital status, occupation, IBAN)
PEOPLE = {
    'daniela.spadafora@studiospadafora.example': (
        'F', dt.date(1975, 4, 18), 'Milano', 'married', 'professional',
        'IT60X0542811101000000123456'),
    'laura.bianchi@bianchi.example': (
        'F', dt.date(1969, 11, 2), 'Torino', 'divorced', 'professional',
        'IT25O0306909606100000012345'),
    'francesca.russo@studiorusso.example': (
        'F', dt.date(1983, 7, 9), 'Napoli', 'single', 'self_employed', None),
    'giuseppe.colombo@studiocolombo.example': (
        'M', dt.date(1961, 2, 27), 'Monza', 'married', 'professional', None),
    }
# entered by the intermediary and not yet confirmed by the client
BY_STAFF = {'giuseppe.colombo@studiocolombo.example'}
# the identity document of this person expires next week
EXPIRING = 'francesca.russo@studiorusso.example'


def scan(text):
    "Return a PNG picture standing for a scanned document."
    image = Image.new('RGB', (420, 260), 'white')
    ImageDraw.Draw(image).text((20, 20), text, fill='black')
    buffer = io.BytesIO()
    image.save(buffer, 'PNG')
    return buffer.getvalue()


def load():
    # the quote area: the shipped questionnaires, published, and their risks
    questionnaire_install.install()
    pool = Pool()
    WebUser = pool.get('web.user')
    for email in PEOPLE:
        users = WebUser.search([('email', '=', email)])
        if not users:
            continue
        user, = users
        staff = email in BY_STAFF
        with channel(user, staff):
            fill_person(user, *PEOPLE[email])
            for company in user.secondary_parties:
                fill_company(company, user)
        if not staff:
            confirm(user, user.acting_parties)


def channel(user, staff):
    "The context of the writes: the client in the portal, or the staff."
    if staff:
        User = Pool().get('res.user')
        admin, = User.search([('login', '=', 'admin')])
        return Transaction().set_context(card_channel='back_office',
            card_staff_user=admin.id,
            card_reference="entered at the desk from the paper form")
    return Transaction().set_context(card_channel='portal',
        web_user=user.id, _request={'remote_addr': '192.0.2.10'})


def italy():
    Country = Pool().get('country.country')
    return Country.search([('code', '=', 'IT')], limit=1)[0]


def fill_person(user, sex, birth_date, birth_place, marital_status,
        occupation, iban):
    pool = Pool()
    Party = pool.get('party.party')
    Document = pool.get('party.card.document')
    party = user.party
    address = party.addresses[0] if party.addresses else None
    code = codicefiscale.encode(user.surname, user.first_name, sex,
        birth_date.isoformat(), birth_place)
    values = {
        'card_kind': 'natural', 'surname': user.surname,
        'first_name': user.first_name, 'sex': sex, 'birth_date': birth_date,
        'birth_place': birth_place, 'citizenship': italy().id,
        'fiscal_code': code,
        'residence_street': address.street if address else 'Via Roma 1',
        'residence_postal_code': address.postal_code if address
        else '20121',
        'residence_city': address.city if address else 'Milano',
        'residence_country': italy().id,
        'marital_status': marital_status, 'dependants': 1,
        'occupation': occupation,
        'occupation_detail': "Amministratore di condominio",
        'employer': "Studio proprio",
        'ateco_code': '68.32.00', 'income_band': '50-100',
        }
    if iban:
        values.update(iban=iban,
            account_holder=f'{user.first_name} {user.surname}')
    Party.write([party], values)
    expiry = (dt.date.today() + dt.timedelta(days=7)
        if user.email == EXPIRING else dt.date(2031, 6, 30))
    Document.create([{
                'party': party.id, 'type': 'identity_card',
                'number': f'CA{party.id:05d}AB',
                'issuer': f'Comune di {birth_place}',
                'issue_place': birth_place,
                'issue_date': expiry.replace(year=expiry.year - 10),
                'expiry_date': expiry,
                'front': scan(f'{user.first_name} {user.surname}'),
                'front_name': 'carta-identita-fronte.png',
                }])


def fill_company(company, user):
    "A company's card with its legal representative and beneficial owners."
    pool = Pool()
    Party = pool.get('party.party')
    Representative = pool.get('party.card.representative')
    address = company.addresses[0] if company.addresses else None
    vat = next((i.code[2:] for i in company.identifiers
            if i.type == 'eu_vat'), italian_number(company.id))
    Party.write([company], {
            'card_kind': 'legal', 'company_name': company.name,
            'legal_form': 'srl' if 'S.r.l.' in company.name else 'sas',
            'vat_code': vat, 'fiscal_code': vat,
            'rea_number': f'MI-{company.id:06d}',
            'residence_street': address.street if address else None,
            'residence_postal_code': address.postal_code if address
            else None,
            'residence_city': address.city if address else None,
            'residence_country': italy().id,
            'ateco_code': '68.32.00',
            'pec': f'amministrazione{company.id}@pec.example',
            })
    person = user.party
    Representative.create([{
                'party': company.id, 'person': person.id,
                'name': person.rec_name, 'fiscal_code': person.fiscal_code,
                'role': 'legal_representative', 'share': 60,
                }, {
                'party': company.id, 'name': 'Marco Ferrara',
                'fiscal_code': codicefiscale.encode(
                    'Ferrara', 'Marco', 'M', '1970-03-15', 'Milano'),
                'role': 'beneficial_owner', 'share': 40,
                }])


def confirm(user, parties):
    Party = Pool().get('party.party')
    with Transaction().set_context(web_user=user.id,
            _request={'remote_addr': '192.0.2.10'}):
        Party.confirm_card(Party.browse(parties), web_user=user)
