# This file is part of the insurance intermediary platform.
"""A legal person's legal representatives and beneficial owners: people
with their own card, their codice fiscale, role and share."""
from collections import OrderedDict

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import PoolMeta

from . import checks
from .provenance import ProvenanceMixin, plain

ROLES = [
    ('legal_representative', "Legal representative"),
    ('beneficial_owner', "Beneficial owner"),
    ('director', "Director"),
    ]
FIELDS = ['name', 'fiscal_code', 'role', 'share', 'person']


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    representatives = fields.One2Many(
        'party.card.representative', 'party',
        "Representatives and Owners")

    def card_missing_representatives(self):
        return [] if any(r.role == 'legal_representative'
            for r in self.representatives) else ['representatives']

    def card_values_representatives(self):
        return OrderedDict(representatives=[
                r.card_values() for r in self.representatives])


class Representative(ProvenanceMixin, ModelSQL, ModelView):
    "Representative or Owner"
    __name__ = 'party.card.representative'
    _card_fields = {n: 'representatives' for n in FIELDS}

    party = fields.Many2One(
        'party.party', "Company", required=True, ondelete='CASCADE')
    person = fields.Many2One('party.party', "Person",
        help="The person's own card.")
    name = fields.Char("Name", size=200, required=True)
    fiscal_code = fields.Char("Fiscal Code", size=16, required=True)
    role = fields.Selection(ROLES, "Role", required=True)
    role_string = role.translated('role')
    share = fields.Numeric("Share (%)", digits=(5, 2),
        help="The percentage of the company the person owns.")

    @fields.depends('person', 'name', 'fiscal_code')
    def on_change_person(self):
        if self.person:
            self.name = self.person.rec_name
            self.fiscal_code = self.person.fiscal_code

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('fiscal_code'):
            values['fiscal_code'] = checks.compact_fiscal_code(
                values['fiscal_code'])
        return values

    @classmethod
    def validate_fields(cls, representatives, field_names):
        super().validate_fields(representatives, field_names)
        for representative in representatives:
            checks.fiscal_code(representative.fiscal_code)
            share = representative.share
            if share is not None and not (0 <= share <= 100):
                checks.fail('share', 'msg_share_range')

    def card_values(self):
        return OrderedDict((n, plain(getattr(self, n))) for n in FIELDS)
