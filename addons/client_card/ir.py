# This file is part of the insurance intermediary platform.
from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('party.card.document|run_expiry',
                "Remind and Expire Identity Documents"))
