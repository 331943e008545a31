# This file is part of the insurance intermediary platform.
from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('marketplace.agent|check_licences',
                    "Check the agents' licences"),
                ('marketplace.subscription|remind_renewals',
                    "Remind the marketplace renewals"),
                ('marketplace.request|remind_unanswered',
                    "Remind the unanswered marketplace requests"),
                ])
