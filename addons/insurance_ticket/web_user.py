# This file is part of the insurance intermediary platform.
from trytond.pool import PoolMeta


class User(metaclass=PoolMeta):
    __name__ = 'web.user'

    @property
    def is_broker(self):
        "The web user works for a brokerage."
        return any(p.is_brokerage for p in self.secondary_parties)

    def consent_parties(self):
        "Brokers answer no client's consent forms."
        return [] if self.is_broker else super().consent_parties()
