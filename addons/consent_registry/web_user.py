# This file is part of the insurance intermediary platform.
from trytond.pool import PoolMeta


class User(metaclass=PoolMeta):
    __name__ = 'web.user'

    def consent_parties(self):
        "Return the (party, kind) pairs the user answers consent forms for."
        return [(party, 'person' if party == self.party else 'legal')
            for party in self.acting_parties]
