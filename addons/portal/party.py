# This file is part of the insurance intermediary platform.
"""The parties a portal user reads: those it acts for, and those the
modules show beside them (the brokerage and the client of a ticket it
follows, the representative of its company, an insurer...). The portal's
record rule on ``party.party`` is ``portal_reach``; each module adds the
parties it shows with ``portal_reach_queries``."""
import functools
import operator

from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.transaction import Transaction


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    portal_reach = fields.Function(fields.Boolean(
            "Reached from the Portal",
            help="The party is one the web user of the context acts for or "
            "one the portal shows beside them."),
        'get_portal_reach', searcher='search_portal_reach')

    @classmethod
    def portal_reach_queries(cls, parties):
        """Return the SQL queries of the ids of the parties a web user
        acting for the parties (ids) reads beside them."""
        return []

    @classmethod
    def portal_reach_domain(cls):
        "Return the domain of the parties the context's web user reads."
        parties = list(Transaction().context.get('web_user_parties') or [])
        domain = ['OR', ('id', 'in', parties)]
        queries = cls.portal_reach_queries(parties) if parties else []
        if queries:
            domain.append(('id', 'in', functools.reduce(operator.or_, queries)))
        return domain

    @classmethod
    def search_portal_reach(cls, name, clause):
        _, operator_, value = clause[:3]
        domain = cls.portal_reach_domain()
        if (operator_ == '=') == bool(value):
            return domain
        return ['NOT', domain]

    @classmethod
    def get_portal_reach(cls, parties, name):
        reached = {p.id for p in cls.search([
                    ('id', 'in', [p.id for p in parties]),
                    cls.portal_reach_domain()])}
        return {p.id: p.id in reached for p in parties}
