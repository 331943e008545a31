# This file is part of the insurance intermediary platform.
import datetime as dt

from trytond import config
from trytond.model import ModelSQL, fields
from trytond.transaction import Transaction

# Requests allowed per address in the window, by action; each can be set in
# the [portal] section as <action>_max and <action>_window (seconds).
LIMITS = {
    'signup': (20, 60 * 60),
    'confirm_resend': (5, 60 * 60),
    'reset': (5, 60 * 60),
    'sms': (10, 60 * 60),
    }


class Attempt(ModelSQL):
    "Portal Attempt by Address"
    __name__ = 'portal.attempt'

    action = fields.Char("Action", required=True)
    ip_network = fields.Char("IP Network")

    @classmethod
    def limit(cls, action):
        maximum, window = LIMITS[action]
        return (
            config.getint('portal', f'{action}_max', default=maximum),
            dt.timedelta(seconds=config.getint(
                    'portal', f'{action}_window', default=window)))

    @classmethod
    def _network(cls):
        _, network = Transaction().remote_address()
        return str(network) if network else None

    @classmethod
    def retry_at(cls, action):
        "Return when the visitor's address may try again, None if now."
        maximum, window = cls.limit(action)
        attempts = cls.search([
                ('action', '=', action),
                ('ip_network', '=', cls._network()),
                ('create_date', '>=', dt.datetime.now() - window),
                ], order=[('create_date', 'DESC')])
        if len(attempts) < maximum:
            return None
        return attempts[maximum - 1].create_date + window

    @classmethod
    def add(cls, action):
        "Record an attempt of the visitor's address, forgetting old ones."
        cls.delete(cls.search([
                    ('create_date', '<',
                        dt.datetime.now() - dt.timedelta(days=1)),
                    ]))
        cls.create([{'action': action, 'ip_network': cls._network()}])
