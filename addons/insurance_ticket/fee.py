# This file is part of the insurance intermediary platform.
"""The brokerage fee: when configured, a signed policy makes a draft
customer invoice of the fee to the client (its company when it asked for
one), which the accountants check and post."""
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "Insurance Configuration"
    __name__ = 'insurance.configuration'

    brokerage_fee = fields.Many2One(
        'product.product', "Brokerage Fee",
        domain=[('type', '=', 'service')],
        help="The service invoiced to the client when it signs a policy, "
        "at its list price; none when empty.")


class Ticket(metaclass=PoolMeta):
    __name__ = 'insurance.ticket'

    fee_invoice = fields.Many2One(
        'account.invoice', "Fee Invoice", readonly=True,
        ondelete='RESTRICT',
        help="The customer invoice of the brokerage fee of the policy.")

    @classmethod
    def signed(cls, tickets, author, files):
        super().signed(tickets, author, files)
        cls.invoice_fees(tickets)

    @classmethod
    def invoice_fees(cls, tickets):
        "Make the draft invoice of the brokerage fee of each ticket."
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        invoiced = []
        with without_check_access():
            fee = Configuration(1).brokerage_fee
            if not fee:
                return
            for ticket in tickets:
                # the fee's accounts are the ticket's company's: both are
                # read again in its context
                with Transaction().set_context(company=ticket.company.id):
                    ticket = cls(ticket.id)
                    if not ticket.fee_invoice:
                        ticket.fee_invoice = ticket.fee_invoice_of(
                            fee.__class__(fee.id))
                        invoiced.append(ticket)
            cls.save(invoiced)

    def fee_invoice_of(self, fee):
        "Return the saved draft invoice of the fee for the ticket's client."
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Line = pool.get('account.invoice.line')
        Address = pool.get('party.address')
        invoice = Invoice(company=self.company, type='out',
            party=self.client_company or self.client,
            currency=self.company.currency,
            description=f'{self.number} {self.title}'[:100])
        invoice.on_change_type()
        invoice.on_change_party()
        if not invoice.invoice_address:
            # the accountants complete it: the fee is never lost
            invoice.invoice_address = Address(party=invoice.party)
            invoice.invoice_address.save()
        line = Line(invoice=invoice, type='line', company=self.company,
            currency=invoice.currency, invoice_type='out',
            party=invoice.party, product=fee, quantity=1)
        line.on_change_product()
        line.unit_price = fee.list_price_used
        line.description = f'{fee.rec_name} {self.number}'
        invoice.lines = [line]
        invoice.save()
        return invoice
