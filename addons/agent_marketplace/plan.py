# This file is part of the insurance intermediary platform.
"""The plans an agent subscribes to: a free trial, monthly and yearly
periods priced in rials."""
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields,
    sequence_ordered)
from trytond.pool import Pool
from trytond.pyson import Eval


class Plan(DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    "Marketplace Plan"
    __name__ = 'marketplace.plan'

    name = fields.Char("Name", required=True, translate=True, size=100)
    code = fields.Char("Code", required=True, size=30)
    kind = fields.Selection([
            ('trial', "Free Trial"),
            ('monthly', "Monthly"),
            ('yearly', "Yearly"),
            ], "Kind", required=True)
    days = fields.Integer(
        "Days", states={'invisible': Eval('kind') == 'trial'},
        help="The length of a paid period; the trial's is configured.")
    price = fields.Numeric(
        "Price (IRR)", digits=(16, 0), required=True,
        help="The price of a period in Iranian rials.")
    account = fields.Many2One(
        'account.account', "Revenue Account", ondelete='RESTRICT',
        domain=[('type.revenue', '=', True)],
        help="The account the invoices of the plan credit.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(table, table.code),
                'agent_marketplace.msg_code_unique'),
            ]
        cls._sql_indexes.add(Index(table, (table.code, Index.Equality())))

    @classmethod
    def default_kind(cls):
        return 'monthly'

    @classmethod
    def default_price(cls):
        return 0

    @property
    def period_days(self):
        "The days the plan gives: the configured trial or the period."
        if self.kind == 'trial':
            Configuration = Pool().get('marketplace.configuration')
            return Configuration(1).trial_days
        return self.days or (365 if self.kind == 'yearly' else 30)

    @property
    def toman(self):
        "The price in toman, as the Persian pages show it."
        return self.price / 10
