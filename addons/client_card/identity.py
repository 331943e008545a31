# This file is part of the insurance intermediary platform.
"""The identity section: a natural person's names, birth and codice
fiscale, or a legal person's name, form and registry numbers."""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from . import checks

NATURAL = Eval('card_kind') != 'natural'
LEGAL = Eval('card_kind') != 'legal'
NATURAL_FIELDS = [
    'surname', 'first_name', 'sex', 'birth_date', 'birth_place',
    'citizenship', 'fiscal_code']
LEGAL_FIELDS = [
    'company_name', 'legal_form', 'vat_code', 'fiscal_code', 'rea_number']
LEGAL_FORMS = [
    (None, ""),
    ('srl', "S.r.l."),
    ('srls', "S.r.l.s."),
    ('spa', "S.p.A."),
    ('sapa', "S.a.p.A."),
    ('snc', "S.n.c."),
    ('sas', "S.a.s."),
    ('ss', "Società semplice"),
    ('coop', "Cooperative"),
    ('di', "Sole proprietorship"),
    ('association', "Association"),
    ('foundation', "Foundation"),
    ('condominium', "Condominium"),
    ('other', "Other"),
    ]


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    surname = fields.Char("Surname", size=100,
        states={'invisible': NATURAL}, depends=['card_kind'])
    first_name = fields.Char("First Name", size=100,
        states={'invisible': NATURAL}, depends=['card_kind'])
    sex = fields.Selection([
            (None, ""),
            ('M', "Male"),
            ('F', "Female"),
            ], "Sex", states={'invisible': NATURAL}, depends=['card_kind'])
    birth_date = fields.Date("Birth Date",
        states={'invisible': NATURAL}, depends=['card_kind'])
    birth_place = fields.Char("Birth Place", size=100,
        states={'invisible': NATURAL}, depends=['card_kind'],
        help="The Italian municipality, or the country for those born "
        "abroad.")
    citizenship = fields.Many2One('country.country', "Citizenship",
        states={'invisible': NATURAL}, depends=['card_kind'])
    fiscal_code = fields.Char("Fiscal Code", size=16,
        help="The codice fiscale: 16 characters for a person, 11 digits "
        "for a company.")
    company_name = fields.Char("Company Name", size=200,
        states={'invisible': LEGAL}, depends=['card_kind'])
    legal_form = fields.Selection(LEGAL_FORMS, "Legal Form",
        states={'invisible': LEGAL}, depends=['card_kind'])
    vat_code = fields.Char("VAT Number", size=11,
        states={'invisible': LEGAL}, depends=['card_kind'],
        help="The Italian VAT number (P.IVA), 11 digits.")
    rea_number = fields.Char("REA Number", size=12,
        states={'invisible': LEGAL}, depends=['card_kind'],
        help="The number in the register of companies (REA), "
        "e.g. MI-1234567.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._card_fields = dict(cls._card_fields, **{
                n: 'identity' for n in NATURAL_FIELDS + LEGAL_FIELDS})

    def card_fields_of_kind(self):
        names = super().card_fields_of_kind()
        other = LEGAL_FIELDS if self.card_kind == 'natural' else (
            NATURAL_FIELDS)
        return names - (set(other) - {'fiscal_code'})

    def card_missing_identity(self):
        names = NATURAL_FIELDS if self.card_kind == 'natural' else [
            'company_name', 'legal_form', 'vat_code', 'fiscal_code']
        return [n for n in names if not getattr(self, n)]

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        names = set(NATURAL_FIELDS + LEGAL_FIELDS + ['card_kind'])
        if field_names is None or names & set(field_names):
            for party in parties:
                party.check_identity()

    def check_identity(self):
        "Check the identity values together (the codice fiscale's match)."
        if self.card_kind == 'natural':
            if self.birth_date:
                checks.past_date(self.birth_date, 'birth_date')
            if self.birth_place:
                checks.birth_place(self.birth_place, self.birth_date)
            if self.fiscal_code:
                checks.fiscal_code(self.fiscal_code, self.surname,
                    self.first_name, self.sex, self.birth_date,
                    self.birth_place)
        else:
            if self.vat_code:
                checks.vat_code(self.vat_code)
            if self.fiscal_code:
                checks.company_fiscal_code(self.fiscal_code, 'fiscal_code')
            if self.rea_number:
                checks.rea_number(self.rea_number)

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('fiscal_code'):
            values['fiscal_code'] = checks.compact_fiscal_code(
                values['fiscal_code'])
        if values.get('vat_code'):
            values['vat_code'] = values['vat_code'].upper().replace(
                'IT', '').replace(' ', '')
        return values

    def compute_fields(self, field_names=None):
        "The party's name follows the card's names."
        values = super().compute_fields(field_names)
        names = {'surname', 'first_name', 'company_name', 'card_kind'}
        if field_names is not None and not (names & set(field_names)):
            return values
        if self.card_kind == 'legal' and self.company_name:
            name = self.company_name
        elif self.card_kind == 'natural' and self.surname and self.first_name:
            name = f'{self.first_name} {self.surname}'
        else:
            return values
        if name != self.name:
            values['name'] = name
        return values

    @classmethod
    def on_modification(cls, mode, parties, field_names=None):
        super().on_modification(mode, parties, field_names=field_names)
        if mode != 'delete' and (field_names is None
                or {'fiscal_code', 'vat_code'} & set(field_names)):
            cls.sync_identifiers(parties)

    @classmethod
    def sync_identifiers(cls, parties):
        """Keep the party's codice fiscale and VAT identifiers (Tryton's
        ``it_codicefiscale`` and ``eu_vat``) equal to the card's."""
        Identifier = Pool().get('party.identifier')
        to_save = []
        for party in parties:
            wanted = {'it_codicefiscale': party.fiscal_code
                if party.fiscal_code and len(party.fiscal_code) == 16
                else None,
                'eu_vat': f'IT{party.vat_code}' if party.vat_code
                else None}
            existing = {i.type: i for i in party.identifiers}
            for type_, code in wanted.items():
                if not code:
                    continue
                identifier = existing.get(type_) or Identifier(
                    party=party, type=type_, code=None)
                if identifier.code != code:
                    identifier.code = code
                    to_save.append(identifier)
        if to_save:
            Identifier.save(to_save)
