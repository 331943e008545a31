# This file is part of the insurance intermediary platform.
"""An agent's periods in the marketplace: the free trial, then paid periods
invoiced in accounting; the staff record the payment (there is no payment
gateway) and the period counts from then."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import notify
from .exceptions import MissingAccount


class Subscription(Workflow, ModelSQL, ModelView):
    "Marketplace Subscription"
    __name__ = 'marketplace.subscription'

    agent = fields.Many2One(
        'marketplace.agent', "Agent", required=True, ondelete='CASCADE')
    plan = fields.Many2One(
        'marketplace.plan', "Plan", required=True, ondelete='RESTRICT')
    start_date = fields.Date("Start", required=True)
    end_date = fields.Date("End", required=True)
    price = fields.Numeric("Price (IRR)", digits=(16, 0), readonly=True)
    invoice = fields.Many2One(
        'account.invoice', "Invoice", readonly=True, ondelete='RESTRICT')
    state = fields.Selection([
            ('trial', "Trial"),
            ('invoiced', "Invoiced"),
            ('paid', "Paid"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)
    reminded = fields.Boolean("Renewal Reminded", readonly=True)
    expiry_told = fields.Boolean("Expiry Told", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.agent, Index.Range()), (t.end_date, Index.Range())))
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('invoiced', 'paid'),
            ('invoiced', 'cancelled'),
            }
        cls._buttons.update({
                'record_payment': {
                    'invisible': Eval('state') != 'invoiced',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'invoiced',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'invoiced'

    def get_rec_name(self, name):
        return f'{self.plan.rec_name} {self.start_date}/{self.end_date}'

    @classmethod
    def default_reminded(cls):
        return False

    @classmethod
    def default_expiry_told(cls):
        return False

    @classmethod
    def start_trial(cls, agent):
        "Start the free trial of a new agent; return it."
        Plan = Pool().get('marketplace.plan')
        plan, = Plan.search([('kind', '=', 'trial')], limit=1)
        today = dt.date.today()
        subscription = cls(agent=agent, plan=plan, state='trial',
            price=0, start_date=today,
            end_date=today + dt.timedelta(days=plan.period_days - 1))
        subscription.save()
        return subscription

    @classmethod
    def subscribe(cls, agent, plan):
        """Open the next paid period of the plan after the agent's last one
        and invoice it; return it."""
        last = cls.search([
                ('agent', '=', agent.id),
                ('state', 'in', ['trial', 'invoiced', 'paid']),
                ], order=[('end_date', 'DESC')], limit=1)
        start = dt.date.today()
        if last and last[0].end_date >= start and last[0].state != 'trial':
            start = last[0].end_date + dt.timedelta(days=1)
        subscription = cls(agent=agent, plan=plan, state='invoiced',
            price=plan.price, start_date=start,
            end_date=start + dt.timedelta(days=plan.period_days - 1))
        subscription.invoice = subscription.make_invoice()
        subscription.save()
        notify.agent(agent, 'invoiced', subscription=subscription)
        return subscription

    def make_invoice(self):
        "Post the invoice of the period to the agent's party; return it."
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Line = pool.get('account.invoice.line')
        Company = pool.get('company.company')
        Currency = pool.get('currency.currency')
        if not self.plan.account:
            raise MissingAccount(gettext(
                    'agent_marketplace.msg_missing_account',
                    plan=self.plan.rec_name))
        company = Company(Transaction().context.get('company')
            or Company.search([], limit=1)[0].id)
        currencies = Currency.search([('code', '=', 'IRR')], limit=1)
        invoice = Invoice(company=company, type='out',
            party=self.agent.party,
            currency=currencies[0] if currencies else company.currency,
            invoice_date=dt.date.today(),
            description=f'{self.plan.name} {self.start_date}/{self.end_date}')
        invoice.on_change_type()
        invoice.invoice_address = self.agent.invoice_address()
        invoice.lines = [Line(
                type='line', company=company, currency=invoice.currency,
                invoice_type='out', party=invoice.party,
                description=invoice.description, quantity=1,
                unit_price=self.plan.price, account=self.plan.account)]
        invoice.save()
        Invoice.post([invoice])
        return invoice

    @classmethod
    @ModelView.button
    @Workflow.transition('paid')
    def record_payment(cls, subscriptions):
        "The staff received the payment of the invoice."
        for subscription in subscriptions:
            notify.agent(subscription.agent, 'paid', subscription=subscription)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, subscriptions):
        Invoice = Pool().get('account.invoice')
        Invoice.cancel([s.invoice for s in subscriptions
                if s.invoice and s.invoice.state in {'draft', 'validated'}])

    @classmethod
    def mark_paid_invoices(cls):
        "Count as paid the periods whose invoice accounting marked paid."
        paid = cls.search([
                ('state', '=', 'invoiced'),
                ('invoice.state', '=', 'paid'),
                ])
        if paid:
            cls.record_payment(paid)

    @classmethod
    def remind_renewals(cls, date=None):
        """Remind the agents whose last period ends soon; tell those whose
        period ended that they get no new requests (the daily task)."""
        Configuration = Pool().get('marketplace.configuration')
        date = date or dt.date.today()
        cls.mark_paid_invoices()
        soon = date + dt.timedelta(days=Configuration(1).renewal_days)
        for subscription in cls.search([
                    ('state', 'in', ['trial', 'paid']),
                    ('reminded', '=', False),
                    ('end_date', '<=', soon),
                    ('end_date', '>=', date),
                    ]):
            if not subscription.renewed:
                notify.agent(subscription.agent, 'renewal',
                    subscription=subscription)
            subscription.reminded = True
            subscription.save()
        for subscription in cls.search([
                    ('state', 'in', ['trial', 'paid']),
                    ('expiry_told', '=', False),
                    ('end_date', '<', date),
                    ]):
            if not subscription.renewed:
                notify.agent(subscription.agent, 'expired',
                    subscription=subscription)
            subscription.expiry_told = True
            subscription.save()

    @property
    def renewed(self):
        "Tell whether a later period follows this one."
        return bool(self.search([
                    ('agent', '=', self.agent.id),
                    ('state', 'in', ['invoiced', 'paid']),
                    ('end_date', '>', self.end_date),
                    ], limit=1))
