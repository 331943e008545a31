# This file is part of the insurance intermediary platform.
"""The residence (a legal person's registered office) and the domicile
when it differs."""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from . import checks

PARTS = ['street', 'street_number', 'postal_code', 'city', 'province',
    'country']
RESIDENCE_FIELDS = [f'residence_{p}' for p in PARTS]
DOMICILE_FIELDS = ['domicile_differs'] + [f'domicile_{p}' for p in PARTS]
REQUIRED = ['street', 'postal_code', 'city', 'country']


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    residence_street = fields.Char("Residence Street", size=200)
    residence_street_number = fields.Char("Residence Number", size=20)
    residence_postal_code = fields.Char("Residence Postcode", size=10)
    residence_city = fields.Char("Residence Municipality", size=100)
    residence_province = fields.Char("Residence Province", size=2,
        help="The two letters, e.g. MI.")
    residence_country = fields.Many2One('country.country',
        "Residence Country")
    domicile_differs = fields.Boolean("Domicile Differs",
        help="The person lives elsewhere than their residence.")
    _domicile = {'invisible': ~Eval('domicile_differs')}
    domicile_street = fields.Char("Domicile Street", size=200,
        states=_domicile)
    domicile_street_number = fields.Char("Domicile Number", size=20,
        states=_domicile)
    domicile_postal_code = fields.Char("Domicile Postcode", size=10,
        states=_domicile)
    domicile_city = fields.Char("Domicile Municipality", size=100,
        states=_domicile)
    domicile_province = fields.Char("Domicile Province", size=2,
        states=_domicile)
    domicile_country = fields.Many2One('country.country',
        "Domicile Country", states=_domicile)
    del _domicile

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._card_fields = dict(cls._card_fields, **{
                n: 'residence' for n in RESIDENCE_FIELDS + DOMICILE_FIELDS})

    def card_fields_of_kind(self):
        names = super().card_fields_of_kind()
        if not self.domicile_differs:
            names -= set(DOMICILE_FIELDS[1:])
        return names

    def card_missing_residence(self):
        missing = [f'residence_{p}' for p in REQUIRED
            if not getattr(self, f'residence_{p}')]
        if self.domicile_differs:
            missing += [f'domicile_{p}' for p in REQUIRED
                if not getattr(self, f'domicile_{p}')]
        return missing

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        names = {'residence_postal_code', 'residence_country',
            'domicile_postal_code', 'domicile_country', 'residence_province',
            'domicile_province'}
        if field_names is None or names & set(field_names):
            for party in parties:
                party.check_addresses()

    def check_addresses(self):
        Subdivision = Pool().get('country.subdivision')
        for prefix in ['residence', 'domicile']:
            country = getattr(self, f'{prefix}_country')
            code = country.code if country else 'IT'
            postal = getattr(self, f'{prefix}_postal_code')
            if postal:
                checks.postal_code(postal, code, f'{prefix}_postal_code')
            province = getattr(self, f'{prefix}_province')
            if province and code == 'IT' and not (
                    Subdivision.italian_province(province)):
                checks.fail(f'{prefix}_province', 'msg_province_invalid',
                    province=province)
