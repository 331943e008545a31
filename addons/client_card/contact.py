# This file is part of the insurance intermediary platform.
"""The contacts section: the party's emails, mobile and landline phones
(Tryton's contact mechanisms, phones checked with phonenumbers) and the
PEC of a company."""
from collections import OrderedDict

from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.tools.email_ import EmailNotValidError, validate_email

from . import checks
from .provenance import ProvenanceMixin

KINDS = ['email', 'mobile', 'phone']


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    pec = fields.Char("PEC", size=254,
        help="The certified email address (posta elettronica certificata) "
        "of a company.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._card_fields = dict(cls._card_fields, pec='contacts')

    def card_contacts(self, kind):
        return [m.value for m in self.contact_mechanisms
            if m.type == kind and m.value]

    def card_missing_contacts(self):
        return [] if self.card_contacts('email') else ['email']

    def card_values_contacts(self):
        values = OrderedDict(
            (f'{kind}s', self.card_contacts(kind)) for kind in KINDS)
        if self.card_kind == 'legal':
            values['pec'] = self.pec
        return values

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        if field_names is None or 'pec' in field_names:
            for party in parties:
                if party.pec:
                    check_email(party.pec, 'pec')


def check_email(value, field):
    try:
        validate_email(value)
    except EmailNotValidError:
        checks.fail(field, 'msg_email_invalid', email=value)


class ContactMechanism(ProvenanceMixin, metaclass=PoolMeta):
    __name__ = 'party.contact_mechanism'
    _card_fields = {'type': 'contacts', 'value': 'contacts'}
