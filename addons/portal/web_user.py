# This file is part of the insurance intermediary platform.
from trytond.pool import PoolMeta


class User(metaclass=PoolMeta):
    __name__ = 'web.user'

    @property
    def acting_parties(self):
        "The parties the web user acts for: its own and its secondary ones."
        parties = [self.party] if self.party else []
        return parties + [p for p in self.secondary_parties if p not in parties]
