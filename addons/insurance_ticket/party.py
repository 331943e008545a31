# This file is part of the insurance intermediary platform.
import re

from sql import Literal, Null

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta

from .exceptions import InvalidRUINumber

# the register of insurance intermediaries (IVASS): a section, 9 digits
RUI_NUMBER = re.compile(r'[A-E]\d{9}')


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    is_brokerage = fields.Boolean(
        "Brokerage",
        help="Check for an insurance brokerage that receives tickets.")
    condominiums = fields.One2Many(
        'insurance.condominium', 'administrator', "Condominiums")
    rui_number = fields.Char(
        "RUI Number", size=10,
        help="The registration of an insurance intermediary in the IVASS "
        "register (RUI): the section letter and 9 digits.")

    @classmethod
    def default_is_brokerage(cls):
        return False

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('rui_number'):
            values['rui_number'] = ''.join(
                values['rui_number'].split()).upper()
        return values

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        if field_names is None or 'rui_number' in field_names:
            for party in parties:
                if party.rui_number and not RUI_NUMBER.fullmatch(
                        party.rui_number):
                    raise InvalidRUINumber(gettext(
                            'insurance_ticket.msg_rui_number_invalid',
                            number=party.rui_number))

    def intermediary_details(self):
        "Return the name, address and RUI number of an intermediary."
        address = self.address_get()
        parts = [self.rec_name]
        if address and address.full_address.strip():
            parts.append(' '.join(address.full_address.split()))
        if self.rui_number:
            parts.append(gettext(
                    'insurance_ticket.msg_doc_rui', number=self.rui_number))
        return ' · '.join(parts)

    @classmethod
    def portal_reach_queries(cls, parties):
        """The portal shows the intermediaries' companies and brokerages,
        and the clients of the tickets the web user follows."""
        pool = Pool()
        Company = pool.get('company.company')
        Ticket = pool.get('insurance.ticket')
        queries = super().portal_reach_queries(parties)
        party = cls.__table__()
        company = Company.__table__()
        ticket = Ticket.__table__()
        queries.append(company.select(company.party))
        queries.append(party.select(
                party.id, where=party.is_brokerage == Literal(True)))
        followed = Ticket.search(
            [('portal_parties', 'in', parties)], query=True)
        for field in ['client', 'client_company']:
            column = getattr(ticket, field)
            queries.append(ticket.select(column,
                    where=ticket.id.in_(followed) & (column != Null)))
        return queries
