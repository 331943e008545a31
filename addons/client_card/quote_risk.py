# This file is part of the insurance intermediary platform.
"""Risk types: what a client can ask a quote for, each with the
questionnaire in force."""
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields,
    sequence_ordered)
from trytond.pool import Pool


class RiskType(DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    "Risk Type"
    __name__ = 'quote.risk.type'
    code = fields.Char("Code", required=True, size=50)
    name = fields.Char("Name", required=True, translate=True, size=200)
    # the ticket's lines of business live in insurance_ticket, which depends
    # on this module: the risk names its line by code
    line_code = fields.Char(
        "Line of Business", size=50,
        help="The code of the line of business of the tickets it opens.")
    questionnaire = fields.Many2One(
        'questionnaire', "Questionnaire", ondelete='RESTRICT',
        domain=[('kind', '=', 'risk')])
    version = fields.Function(
        fields.Many2One('questionnaire.version', "Version in Force"),
        'get_version')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(table, table.code),
                'client_card.msg_risk_type_code_unique'),
            ]
        cls._sql_indexes.add(Index(table, (table.code, Index.Equality())))

    @classmethod
    def get_version(cls, risks, name):
        Version = Pool().get('questionnaire.version')
        in_force = Version.in_force_of(
            [r.questionnaire.id for r in risks if r.questionnaire])
        return {r.id: in_force.get(r.questionnaire.id)
            if r.questionnaire else None for r in risks}

    @classmethod
    def offered(cls):
        "Return the active risk types whose questionnaire is in force."
        return [r for r in cls.search([]) if r.version]

    @classmethod
    def offered_code(cls, code):
        "Return the risk type of the code if it is offered, or None."
        return {r.code: r for r in cls.offered()}.get((code or '')[:50])
