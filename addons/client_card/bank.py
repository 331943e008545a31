# This file is part of the insurance intermediary platform.
"""The bank section: the IBAN (validated, kept as an account of Tryton's
``bank`` module owned by the party), its holder and its bank's name."""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta

from . import checks

FIELDS = ['iban', 'account_holder', 'bank_name']


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    iban = fields.Char("IBAN", size=34)
    account_holder = fields.Char("Account Holder", size=200)
    bank_name = fields.Char("Bank", size=200,
        help="Derived from the IBAN where the bank is known.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._card_fields = dict(cls._card_fields,
            **{n: 'bank' for n in FIELDS})

    def card_missing_bank(self):
        "The bank is optional; an IBAN needs its holder."
        if self.iban and not self.account_holder:
            return ['account_holder']
        return []

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('iban'):
            values['iban'], bank = checks.iban(values['iban'])
            if bank and not values.get('bank_name'):
                values['bank_name'] = bank[:200]
        return values

    @classmethod
    def on_modification(cls, mode, parties, field_names=None):
        super().on_modification(mode, parties, field_names=field_names)
        if mode != 'delete' and (field_names is None
                or 'iban' in field_names):
            # after the commit: creating the bank of a new BIC locks its
            # table, which restarts the transaction
            cls.__queue__.sync_bank_accounts(
                [p for p in parties if p.iban])

    @classmethod
    def sync_bank_accounts(cls, parties):
        "Give each party's IBAN a bank account it owns."
        pool = Pool()
        parties = cls.browse(parties)
        Account = pool.get('bank.account')
        Number = pool.get('bank.account.number')
        for party in parties:
            if not party.iban:
                continue
            numbers = Number.search([
                    ('type', '=', 'iban'),
                    ('number_compact', '=', party.iban),
                    ('account.owners', '=', party.id),
                    ], limit=1)
            if not numbers:
                Account.create([{
                            'owners': [('add', [party.id])],
                            'numbers': [('create', [{
                                            'type': 'iban',
                                            'number': party.iban}])],
                            }])
