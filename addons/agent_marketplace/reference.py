# This file is part of the insurance intermediary platform.
"""Configurable lists of the marketplace: Iran's provinces and the lines of
insurance people ask for."""
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields,
    sequence_ordered)


class _CodedList(DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    name = fields.Char("Name", required=True, translate=True, size=100)
    code = fields.Char("Code", required=True, size=30)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(table, table.code),
                'agent_marketplace.msg_code_unique'),
            ]
        cls._sql_indexes.add(Index(table, (table.code, Index.Equality())))
        cls._order = [('sequence', 'ASC'), ('name', 'ASC'), ('id', 'ASC')]

    @classmethod
    def by_code(cls, code):
        "Return the active record of the code, or None."
        records = cls.search([('code', '=', code or '')], limit=1)
        return records[0] if records else None


class Province(_CodedList):
    "Province"
    __name__ = 'marketplace.province'


class Line(_CodedList):
    "Insurance Line"
    __name__ = 'marketplace.line'
