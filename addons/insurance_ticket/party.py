# This file is part of the insurance intermediary platform.
from trytond.model import fields
from trytond.pool import PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    is_brokerage = fields.Boolean(
        "Brokerage",
        help="Check for an insurance brokerage that receives tickets.")
    condominiums = fields.One2Many(
        'insurance.condominium', 'administrator', "Condominiums")

    @classmethod
    def default_is_brokerage(cls):
        return False
