# This file is part of the insurance intermediary platform.
"""Policies signed through the tickets, kept for the renewals."""
from trytond.model import Index, ModelSQL, ModelView, fields


class Policy(ModelSQL, ModelView):
    "Insurance Policy"
    __name__ = 'insurance.policy'

    number = fields.Char("Number", required=True, readonly=True)
    insurer = fields.Char("Insurer", readonly=True)
    premium = fields.Numeric("Premium", digits=(16, 2), readonly=True)
    start_date = fields.Date("Start Date", readonly=True)
    end_date = fields.Date("End Date", readonly=True)
    client = fields.Many2One(
        'party.party', "Client", required=True, readonly=True,
        ondelete='RESTRICT')
    condominium = fields.Many2One(
        'insurance.condominium', "Condominium", readonly=True,
        ondelete='RESTRICT')
    ticket = fields.Many2One(
        'insurance.ticket', "Ticket", readonly=True, ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.end_date, Index.Range())),
                Index(t, (t.client, Index.Range())),
                })
        cls._order.insert(0, ('end_date', 'ASC'))

    @classmethod
    def from_ticket(cls, ticket):
        "Create the policy of a signed ticket."
        policy = cls(
            number=ticket.policy_number, insurer=ticket.insurer,
            premium=ticket.premium, start_date=ticket.policy_start,
            end_date=ticket.policy_end, client=ticket.client,
            condominium=ticket.condominium, ticket=ticket)
        policy.save()
        return policy
