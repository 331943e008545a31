# This file is part of the insurance intermediary platform.
"""The column set of every export, defined once, and the mapping profiles.

A card is flattened to ``{column key: text}``: its sections (identity,
contact, address) as the party holds them, then the client card's own
sections when the card gives them (``Party.card_snapshot``), each field
under the key ``section.field``. A profile chooses the columns, their order
and their headers for one kind of reader:

- ``full``: every column, headers as the keys;
- ``gestionale``: laid out as a management program's client import:
  the required columns first (kind, surname or company name, codice
  fiscale or partita IVA), Italian headers, a legend of the columns;
- ``contacts``: what a contact program (Outlook, a phone) reads.
"""
import json
from collections import namedtuple

from trytond.pool import Pool

Column = namedtuple('Column', 'key label')
Header = namedtuple('Header', 'key header required description')

FISCAL_CODE_TYPES = ('it_codicefiscale',)
VAT_TYPES = ('it_iva', 'eu_vat', 'it_vat')

# the columns every card has, in their order
COLUMNS = [
    Column('identity.code', "Code"),
    Column('identity.kind', "Kind"),
    Column('identity.name', "Name"),
    Column('identity.surname', "Surname"),
    Column('identity.given_name', "Given Name"),
    Column('identity.company_name', "Company Name"),
    Column('identity.fiscal_code', "Fiscal Code"),
    Column('identity.vat_number', "VAT Number"),
    Column('identity.language', "Language"),
    Column('contact.email', "Email"),
    Column('contact.phone', "Phone"),
    Column('contact.mobile', "Mobile"),
    Column('contact.website', "Website"),
    Column('address.street', "Street"),
    Column('address.postal_code', "Postal Code"),
    Column('address.city', "City"),
    Column('address.province', "Province"),
    Column('address.country', "Country"),
    Column('card.updated', "Updated"),
    ]
KEYS = [c.key for c in COLUMNS]

GESTIONALE = [
    Header('identity.kind', 'TIPO', True,
        "F persona fisica, G persona giuridica"),
    Header('identity.surname', 'COGNOME', True,
        "Cognome (persone fisiche)"),
    Header('identity.company_name', 'RAGIONE_SOCIALE', True,
        "Ragione sociale (persone giuridiche)"),
    Header('identity.fiscal_code', 'CODICE_FISCALE', True,
        "Codice fiscale (obbligatorio per le persone fisiche)"),
    Header('identity.vat_number', 'PARTITA_IVA', True,
        "Partita IVA senza prefisso IT (obbligatoria per le società)"),
    Header('identity.given_name', 'NOME', False, "Nome"),
    Header('address.street', 'INDIRIZZO', False, "Via e numero civico"),
    Header('address.postal_code', 'CAP', False, "Codice di avviamento postale"),
    Header('address.city', 'COMUNE', False, "Comune"),
    Header('address.province', 'PROVINCIA', False, "Sigla della provincia"),
    Header('address.country', 'NAZIONE', False, "Codice ISO del paese"),
    Header('contact.email', 'EMAIL', False, "Indirizzo email"),
    Header('contact.phone', 'TELEFONO', False, "Telefono"),
    Header('contact.mobile', 'CELLULARE', False, "Cellulare"),
    Header('identity.code', 'CODICE_CLIENTE', False,
        "Codice del cliente sulla piattaforma"),
    ]

CONTACTS = [
    'identity.name', 'identity.surname', 'identity.given_name',
    'identity.company_name', 'contact.email', 'contact.phone',
    'contact.mobile', 'contact.website', 'address.street',
    'address.postal_code', 'address.city', 'address.province',
    'address.country',
    ]

PROFILES = [
    ('full', "Full"),
    ('gestionale', "Management Software (gestionale)"),
    ('contacts', "Contacts Only"),
    ]


def card_columns():
    "Return the columns of the client card's sections, in their order."
    Party = Pool().get('party.party')
    if not hasattr(Party, 'card_section_values'):
        return []
    found = {}
    blank = {n: None for n in Party._card_fields if n in Party._fields}
    blank.update({n: [] for n, f in Party._fields.items()
            if f._type in {'one2many', 'many2many'}})
    for kind in ['natural', 'legal']:
        party = Party(**dict(blank, card_kind=kind))
        sections = {'card': ['kind', 'state']}
        for section in party.card_sections:
            sections[section] = list(party.card_section_values(section))
        for section, names in sections.items():
            for name in names:
                key = f'{section}.{name}'
                if key in KEYS or key in found or name == 'card_kind':
                    continue
                field = Party._fields.get(name)
                found[key] = Column(key, field.string if field else name)
    return list(found.values())


def columns():
    "Return every column: the party's, then the card's own."
    return COLUMNS + card_columns()


def headers(profile):
    "Return the profile's headers, in their order."
    if profile == 'gestionale':
        return list(GESTIONALE)
    if profile == 'contacts':
        labels = {c.key: c.label for c in COLUMNS}
        return [Header(k, k, False, labels[k]) for k in CONTACTS]
    return [Header(c.key, c.key, False, c.label) for c in columns()]


def _identifier(party, types):
    for identifier in party.identifiers:
        if identifier.type in types and getattr(identifier, 'active', True):
            return identifier.code
    return ''


def _vat(party):
    code = _identifier(party, VAT_TYPES).replace(' ', '')
    if code[:2].isalpha():
        code = code[2:]
    return code


def _address(party):
    addresses = [a for a in party.addresses if getattr(a, 'active', True)]
    return addresses[0] if addresses else None


def address_of(party):
    "Return the address section from the party's first address."
    address = _address(party)
    if not address:
        return dict.fromkeys(
            ['street', 'postal_code', 'city', 'province', 'country'], '')
    return {
        'street': address.street_single_line or '',
        'postal_code': address.postal_code or '',
        'city': address.city or '',
        'province': (address.subdivision.code.split('-')[-1]
            if address.subdivision else ''),
        'country': address.country.code if address.country else '',
        }


def residence(party):
    "Return the address section from the card's residence, if filled."
    if not _card(party, 'residence_city'):
        return None
    country = getattr(party, 'residence_country', None)
    return {
        'street': ' '.join(filter(None, [
                    _card(party, 'residence_street'),
                    _card(party, 'residence_street_number')])),
        'postal_code': _card(party, 'residence_postal_code'),
        'city': _card(party, 'residence_city'),
        'province': _card(party, 'residence_province'),
        'country': country.code if country else '',
        }


def _card(party, name):
    "Return the value of the client card's field, if the card has it."
    return getattr(party, name, None) or ''


def _kind(party, vat, fiscal_code):
    if _card(party, 'company_name') or _card(party, 'vat_code'):
        return 'company'
    if _card(party, 'surname') or _card(party, 'first_name'):
        return 'person'
    if getattr(party, 'card_kind', None) == 'legal':
        return 'company'
    return 'company' if vat and not (
        fiscal_code and not fiscal_code.isdigit()) else 'person'


def contacts(party):
    "Return the party's first contact of each kind."
    found = {}
    for mechanism in party.contact_mechanisms:
        if mechanism.type in {'email', 'phone', 'mobile', 'website'} \
                and getattr(mechanism, 'active', True):
            found.setdefault(mechanism.type, mechanism.value or '')
    return {kind: found.get(kind, '')
        for kind in ['email', 'phone', 'mobile', 'website']}


def base_snapshot(party):
    "Return the card sections that every party holds."
    vat = _card(party, 'vat_code') or _vat(party)
    fiscal_code = (_card(party, 'fiscal_code')
        or _identifier(party, FISCAL_CODE_TYPES))
    kind = _kind(party, vat, fiscal_code)
    name = party.name or ''
    given, _, surname = name.rpartition(' ')
    if not surname:
        surname = name
    surname = _card(party, 'surname') or surname
    given = _card(party, 'first_name') or given
    if kind == 'company':
        given = surname = ''
    return {
        'identity': {
            'code': party.code or '',
            'kind': kind,
            'name': name,
            'surname': surname,
            'given_name': given,
            'company_name': (_card(party, 'company_name') or name)
            if kind == 'company' else '',
            'fiscal_code': fiscal_code or (vat if kind == 'company' else ''),
            'vat_number': vat,
            'language': party.lang.code if party.lang else '',
            },
        'contact': contacts(party),
        'address': residence(party) or address_of(party),
        'card': {
            'updated': (party.write_date or party.create_date).isoformat(
                timespec='seconds'),
            },
        }


def snapshot(party):
    """Return the card as {section: {field: value}}, the card's own
    included: its values of the party's columns are those columns'."""
    sections = base_snapshot(party)
    if hasattr(party, 'card_section_values'):
        for section, values in card_sections(party).items():
            mine = sections.setdefault(section, {})
            for name, value in values.items():
                if name != 'card_kind' or section == 'card':
                    mine.setdefault(name, value)
    return sections


def card_sections(party):
    """Return the sections of the client card, as ``Party.card_snapshot``
    does, read from the party itself: a batch of parties reads each of
    its fields once for the batch."""
    sections = {'card': {
            'kind': party.card_kind, 'state': party.card_state}}
    for section in party.card_sections:
        sections[section] = party.card_section_values(section)
    return sections


def flatten(sections):
    "Return {section.field: text} of the sections."
    flat = {}
    for section, values in sections.items():
        for field, value in values.items():
            flat[f'{section}.{field}'] = text(value)
    return flat


def text(value):
    if value is None or value is False:
        return ''
    if value is True:
        return '1'
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, str) for v in value):
            return '; '.join(value)
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if hasattr(value, 'isoformat'):
        return value.isoformat()
    return str(value)


def flat(party):
    "Return the card of the party flattened: {section.field: text}."
    return flatten(snapshot(party))


def kind_code(kind):
    "Return the gestionale's kind: G for a company, F for a person."
    return 'G' if kind == 'company' else 'F'


# the values a profile writes otherwise than the card holds them
VALUE_MAPS = {'gestionale': {'identity.kind': kind_code}}


def profile_values(values, profile, keys):
    """Return the texts of the keys (values, in the keys' order) as the
    profile writes them."""
    maps = VALUE_MAPS.get(profile)
    if not maps:
        return values
    return [maps[k](v) if k in maps else v for k, v in zip(keys, values)]


def row(party, profile='full', profile_headers=None):
    """Return the party's values of the profile as {key: text}, in order
    (profile_headers: the profile's headers, when known)."""
    keys = [h.key for h in profile_headers or headers(profile)]
    card = flat(party)
    return dict(zip(keys, profile_values(
                [card.get(k, '') for k in keys], profile, keys)))
