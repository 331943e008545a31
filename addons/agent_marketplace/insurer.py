# This file is part of the insurance intermediary platform.
"""Insurance companies whose agents work in the marketplace."""
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool, PoolMeta


class Insurer(DeactivableMixin, ModelSQL, ModelView):
    "Insurer"
    __name__ = 'marketplace.insurer'

    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='RESTRICT')
    name = fields.Char("Name", required=True, translate=True, size=100)
    code = fields.Char(
        "Code", required=True, size=30,
        help="The short code people and forms choose the insurer by.")
    logo = fields.Binary("Logo", file_id='logo_id')
    logo_id = fields.Char("Logo ID", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(table, table.code),
                'agent_marketplace.msg_code_unique'),
            ]
        cls._sql_indexes.add(Index(table, (table.code, Index.Equality())))
        cls._order = [('name', 'ASC'), ('id', 'ASC')]

    @classmethod
    def by_codes(cls, codes):
        "Return the active insurers of the codes."
        return cls.search([('code', 'in', list(codes))])


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def portal_reach_queries(cls, parties):
        "The portal shows the insurers of the marketplace."
        Insurer = Pool().get('marketplace.insurer')
        insurer = Insurer.__table__()
        return super().portal_reach_queries(parties) + [
            insurer.select(insurer.party)]
