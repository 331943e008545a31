# This file is part of the insurance intermediary platform.
"""The opportunity of a quote request knows its ticket."""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta


class Opportunity(metaclass=PoolMeta):
    __name__ = 'sale.opportunity'
    ticket = fields.Function(
        fields.Many2One('insurance.ticket', "Ticket"), 'get_ticket')

    @classmethod
    def get_ticket(cls, opportunities, name):
        Ticket = Pool().get('insurance.ticket')
        result = dict.fromkeys(map(int, opportunities))
        for ticket in Ticket.search([
                    ('opportunity', 'in', list(result)),
                    ]):
            result[ticket.opportunity.id] = ticket.id
        return result
