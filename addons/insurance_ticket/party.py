# This file is part of the insurance intermediary platform.
from sql import Literal, Null

from trytond.model import fields
from trytond.pool import Pool, PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    is_brokerage = fields.Boolean(
        "Brokerage",
        help="Check for an insurance brokerage that receives tickets.")
    condominiums = fields.One2Many(
        'insurance.condominium', 'administrator', "Condominiums")

    @classmethod
    def default_is_brokerage(cls):
        return False

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
