# This file is part of the insurance intermediary platform.
"""Logins answer in the same time whether or not the account exists: an
unknown login's password is checked against a hash made for that purpose,
so timing tells no stranger which addresses have accounts."""
from functools import cache

from trytond.pool import PoolMeta
from trytond.res.user import PASSWORD_HASH


@cache
def unknown_hash():
    "Return the hash an unknown login's password is checked against."
    return PASSWORD_HASH.hash('no account has this password')


def check_unknown(password):
    "Spend the time of a password check; it never succeeds."
    PASSWORD_HASH.verify_and_update(password or '', unknown_hash())
    return False


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def _login_password(cls, login, parameters):
        user_id, password_hash, _ = cls._get_login(login)
        if 'password' in parameters and not (user_id and password_hash):
            check_unknown(parameters['password'])
        return super()._login_password(login, parameters)
