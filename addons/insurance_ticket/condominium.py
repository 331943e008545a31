# This file is part of the insurance intermediary platform.
from stdnum.it import codicefiscale

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields

from .exceptions import InvalidFiscalCode


class Condominium(ModelSQL, ModelView):
    "Condominium"
    __name__ = 'insurance.condominium'

    name = fields.Char("Name", required=True)
    fiscal_code = fields.Char(
        "Fiscal Code", required=True, size=16,
        help="The 11-digit fiscal code of the condominium.")
    street = fields.Char("Street")
    postal_code = fields.Char("Postal Code", size=5)
    city = fields.Char("City")
    province = fields.Many2One(
        'country.subdivision', "Province", ondelete='RESTRICT',
        domain=[('country.code', '=', 'IT')])
    administrator = fields.Many2One(
        'party.party', "Administrator", required=True, ondelete='RESTRICT',
        help="The administrator who manages the condominium.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_constraints += [
            ('fiscal_code_unique', Unique(table, table.fiscal_code),
                'insurance_ticket.msg_condominium_fiscal_code_unique'),
            ]
        cls._sql_indexes.add(
            Index(table, (table.administrator, Index.Range())))
        cls._order.insert(0, ('name', 'ASC'))

    @fields.depends('fiscal_code')
    def on_change_fiscal_code(self):
        if self.fiscal_code:
            self.fiscal_code = codicefiscale.compact(self.fiscal_code)

    def get_rec_name(self, name):
        return f'{self.name} ({self.fiscal_code})'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        return [bool_op,
            ('name', operator, value),
            ('fiscal_code', operator, value),
            ]

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('fiscal_code'):
            values['fiscal_code'] = codicefiscale.compact(
                values['fiscal_code'])
        return values

    @classmethod
    def validate_fields(cls, condominiums, field_names):
        super().validate_fields(condominiums, field_names)
        if field_names & {'fiscal_code'}:
            for condominium in condominiums:
                condominium.check_fiscal_code()

    def check_fiscal_code(self):
        if not codicefiscale.is_valid(self.fiscal_code):
            raise InvalidFiscalCode(gettext(
                    'insurance_ticket.msg_condominium_fiscal_code_invalid',
                    fiscal_code=self.fiscal_code,
                    condominium=self.name))
