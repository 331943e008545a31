# This file is part of the insurance intermediary platform.
"""Configurable lists of the tickets: lines of business and request types."""
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields,
    sequence_ordered)


class _CodedList(DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(table, table.code),
                'insurance_ticket.msg_code_unique'),
            ]
        cls._sql_indexes.add(Index(table, (table.code, Index.Equality())))


class Line(_CodedList):
    "Line of Business"
    __name__ = 'insurance.ticket.line'


class RequestType(_CodedList):
    "Request Type"
    __name__ = 'insurance.ticket.request_type'

    is_quote_request = fields.Boolean(
        "Quote Request",
        help="The old policy is required: the broker pre-fills the quote "
        "from it.")

    @classmethod
    def default_is_quote_request(cls):
        return False
