# This file is part of the insurance intermediary platform.
"""One-time codes: 6 digits sent to a person, kept only as a hash, valid for
a while and locked after too many wrong tries."""
import datetime as dt
import secrets

from trytond.model import fields
from trytond.res.user import PASSWORD_HASH


class OneTimeCodeMixin:
    "Fields and checks shared by the models of one-time codes."
    __slots__ = ()

    code_hash = fields.Char("Code Hash", required=True)
    expires_at = fields.Timestamp("Expires At", required=True)
    attempts = fields.Integer("Attempts", required=True)
    used = fields.Boolean("Used")

    @classmethod
    def default_attempts(cls):
        return 0

    @classmethod
    def default_used(cls):
        return False

    @classmethod
    def code_validity(cls):
        "Return how long a code is valid."
        return dt.timedelta(minutes=10)

    @classmethod
    def code_attempts(cls):
        "Return how many wrong tries lock a code."
        return 5

    def new_code(self):
        "Set a fresh code on the record and return it in clear."
        code = f'{secrets.randbelow(10 ** 6):06d}'
        self.code_hash = PASSWORD_HASH.hash(code)
        self.expires_at = dt.datetime.now() + self.code_validity()
        return code

    @property
    def locked(self):
        return self.attempts >= self.code_attempts()

    def check_code(self, code):
        """Check the code and count a wrong try.

        Return 'verified', 'wrong', 'locked', 'expired' or 'used'; the record
        is saved when the check changed it."""
        if self.used:
            return 'used'
        if self.locked:
            return 'locked'
        if self.expires_at < dt.datetime.now():
            return 'expired'
        valid, _ = PASSWORD_HASH.verify_and_update(
            (code or '').strip(), self.code_hash)
        if valid:
            self.used = True
        else:
            self.attempts += 1
        self.save()
        if valid:
            return 'verified'
        return 'locked' if self.locked else 'wrong'
