# This file is part of the insurance intermediary platform.
"""The family section: marital status, the household and the dependants."""
from collections import OrderedDict

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import PoolMeta

from . import checks
from .provenance import ProvenanceMixin, plain

MARITAL_STATUSES = [
    (None, ""),
    ('single', "Single"),
    ('married', "Married"),
    ('civil_union', "Civil union"),
    ('cohabiting', "Cohabiting"),
    ('separated', "Separated"),
    ('divorced', "Divorced"),
    ('widowed', "Widowed"),
    ]
RELATIONS = [
    ('spouse', "Spouse or partner"),
    ('child', "Child"),
    ('parent', "Parent"),
    ('sibling', "Sibling"),
    ('other', "Other"),
    ]
MEMBER_FIELDS = ['name', 'relation', 'birth_date', 'person']


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    marital_status = fields.Selection(MARITAL_STATUSES, "Marital Status")
    dependants = fields.Integer("Dependants",
        domain=['OR', ('dependants', '=', None), ('dependants', '>=', 0)],
        help="The people the client supports.")
    household = fields.One2Many(
        'party.card.household', 'party', "Household")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._card_fields = dict(cls._card_fields,
            marital_status='family', dependants='family')

    def card_missing_family(self):
        return [] if self.marital_status else ['marital_status']

    def card_values_family(self):
        values = OrderedDict((n, plain(getattr(self, n)))
            for n in ['marital_status', 'dependants'])
        values['household'] = [m.card_values() for m in self.household]
        return values


class HouseholdMember(ProvenanceMixin, ModelSQL, ModelView):
    "Household Member"
    __name__ = 'party.card.household'
    _card_fields = {n: 'family' for n in MEMBER_FIELDS}

    party = fields.Many2One(
        'party.party', "Client", required=True, ondelete='CASCADE')
    name = fields.Char("Name", size=200, required=True)
    relation = fields.Selection(RELATIONS, "Relation", required=True)
    birth_date = fields.Date("Birth Date")
    person = fields.Many2One('party.party', "Person",
        help="The member's own card, when they have one.")

    def card_values(self):
        return OrderedDict((n, plain(getattr(self, n)))
            for n in MEMBER_FIELDS)

    @classmethod
    def validate_fields(cls, members, field_names):
        super().validate_fields(members, field_names)
        for member in members:
            checks.past_date(member.birth_date, 'birth_date')
