# This file is part of the insurance intermediary platform.
"""The accounting the platform's invoices need (the brokerage fees, the
marketplace's subscriptions), set up through Tryton's
public wizard and models: a chart of accounts from the template, a fiscal
year of the date with its periods and invoice sequences. The demo and the
tests use it; production sets its accounting up in the back office."""
import datetime as dt

from trytond.pool import Pool
from trytond.transaction import Transaction


def ensure_chart(company, template=('account', 'account_template_root_en')):
    "Create the chart of accounts of the company from the template."
    pool = Pool()
    Account = pool.get('account.account')
    AccountTemplate = pool.get('account.account.template')
    ModelData = pool.get('ir.model.data')
    CreateChart = pool.get('account.create_chart', type='wizard')
    if Account.search([('company', '=', company.id)], limit=1):
        return
    session_id, _, _ = CreateChart.create()
    wizard = CreateChart(session_id)
    wizard.account.account_template = AccountTemplate(
        ModelData.get_id(*template))
    wizard.account.company = company
    wizard.transition_create_account()
    state = wizard.states['properties']
    for name, value in state.get_defaults(wizard, 'properties',
            list(wizard.properties._fields.keys())).items():
        if name in wizard.properties._fields:
            setattr(wizard.properties, name, value)
    for name, kind in [('account_receivable', 'receivable'),
            ('account_payable', 'payable')]:
        if not getattr(wizard.properties, name, None):
            account, = Account.search([
                    (f'type.{kind}', '=', True),
                    ('party_required', '=', True),
                    ('company', '=', company.id),
                    ], limit=1)
            setattr(wizard.properties, name, account)
    wizard.transition_create_properties()


def ensure_fiscalyear(company, date=None):
    "Open the fiscal year of the date with monthly periods and sequences."
    pool = Pool()
    FiscalYear = pool.get('account.fiscalyear')
    Sequence = pool.get('ir.sequence.strict')
    SequenceType = pool.get('ir.sequence.type')
    InvoiceSequence = pool.get('account.fiscalyear.invoice_sequence')
    date = date or dt.date.today()
    if FiscalYear.search([
                ('company', '=', company.id),
                ('start_date', '<=', date), ('end_date', '>=', date),
                ], limit=1):
        return
    with Transaction().set_context(language='en'):
        move_type, = SequenceType.search(
            [('name', '=', "Account Move")], limit=1)
        invoice_type, = SequenceType.search(
            [('name', '=', "Invoice")], limit=1)
    name = str(date.year)
    move_sequence = Sequence(
        name=name, sequence_type=move_type, company=company)
    move_sequence.save()
    invoice_sequence = Sequence(
        name=name, sequence_type=invoice_type, company=company)
    invoice_sequence.save()
    fiscalyear = FiscalYear(name=name, company=company,
        start_date=date.replace(month=1, day=1),
        end_date=date.replace(month=12, day=31),
        move_sequence=move_sequence,
        invoice_sequences=[InvoiceSequence(
                in_invoice_sequence=invoice_sequence,
                in_credit_note_sequence=invoice_sequence,
                out_invoice_sequence=invoice_sequence,
                out_credit_note_sequence=invoice_sequence)])
    fiscalyear.save()
    FiscalYear.create_period([fiscalyear])


def revenue_account(company):
    "Return a revenue account of the company's chart."
    Account = Pool().get('account.account')
    accounts = Account.search([
            ('company', '=', company.id),
            ('type.revenue', '=', True),
            ('closed', '!=', True),
            ], limit=1)
    return accounts[0] if accounts else None


def service(company, name, price):
    "Return a new service sold at the price, its revenue in the chart."
    pool = Pool()
    Category = pool.get('product.category')
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    ModelData = pool.get('ir.model.data')
    with Transaction().set_context(company=company.id):
        category = Category(name=name, accounting=True,
            account_revenue=revenue_account(company))
        category.save()
        template = Template(name=name, type='service',
            default_uom=Uom(ModelData.get_id('product', 'uom_unit')),
            list_price=price, account_category=category, products=[{}])
        template.save()
    return template.products[0]
