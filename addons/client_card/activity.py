# This file is part of the insurance intermediary platform.
"""The activity section: occupation, employer or own business, the ATECO
2025 code of the self-employed and of companies, and the income band."""
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval

from . import checks

OCCUPATIONS = [
    (None, ""),
    ('employee', "Employee"),
    ('civil_servant', "Civil servant"),
    ('self_employed', "Self-employed"),
    ('professional', "Professional"),
    ('entrepreneur', "Entrepreneur"),
    ('retired', "Retired"),
    ('student', "Student"),
    ('homemaker', "Homemaker"),
    ('unemployed', "Unemployed"),
    ('other', "Other"),
    ]
# the occupations that run a business and so have an ATECO code
WITH_ATECO = {'self_employed', 'professional', 'entrepreneur'}
INCOME_BANDS = [
    (None, ""),
    ('0-15', "Up to 15,000 €"),
    ('15-28', "15,000 to 28,000 €"),
    ('28-50', "28,000 to 50,000 €"),
    ('50-100', "50,000 to 100,000 €"),
    ('100+', "Over 100,000 €"),
    ]
FIELDS = ['occupation', 'occupation_detail', 'employer', 'ateco_code',
    'income_band']


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    occupation = fields.Selection(OCCUPATIONS, "Occupation",
        states={'invisible': Eval('card_kind') != 'natural'})
    occupation_detail = fields.Char("Occupation Detail", size=200,
        help="The occupation in the client's words.")
    employer = fields.Char("Employer or Business", size=200)
    ateco_code = fields.Char("ATECO Code", size=8,
        help="The ATECO 2025 code of the activity; an ATECO 2007 code is "
        "converted when it has one counterpart.")
    ateco_title = fields.Function(fields.Char("ATECO Activity"),
        'on_change_with_ateco_title')
    income_band = fields.Selection(INCOME_BANDS, "Annual Income")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._card_fields = dict(cls._card_fields,
            **{n: 'activity' for n in FIELDS})

    @fields.depends('ateco_code')
    def on_change_with_ateco_title(self, name=None):
        try:
            return checks.ateco_title(self.ateco_code)
        except Exception:
            return ''

    def card_fields_of_kind(self):
        names = super().card_fields_of_kind()
        if self.card_kind == 'legal':
            names -= {'occupation', 'occupation_detail', 'employer',
                'income_band'}
        return names

    def card_missing_activity(self):
        if self.card_kind == 'legal':
            return [] if self.ateco_code else ['ateco_code']
        if not self.occupation:
            return ['occupation']
        if self.occupation in WITH_ATECO and not self.ateco_code:
            return ['ateco_code']
        return []

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('ateco_code'):
            values['ateco_code'] = checks.ateco_code(values['ateco_code'])
        return values
