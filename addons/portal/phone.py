# This file is part of the insurance intermediary platform.
import datetime as dt
import math
import secrets

from trytond import config
from trytond.model import ModelSQL, fields
from trytond.pool import Pool
from trytond.res.user import PASSWORD_HASH
from trytond.transaction import without_check_access

from .web.i18n import gettext as _
from .web.texts import SMS_CODE


class PhoneCode(ModelSQL):
    """Phone Verification Code

    A 6-digit code sent by SMS to the web user's phone; it is valid for
    ``[portal] phone_code_minutes`` (5) and locks after
    ``[portal] phone_code_attempts`` (5) wrong tries; a new code can be
    asked after ``[portal] phone_code_resend`` seconds (60)."""
    __name__ = 'portal.phone.code'

    web_user = fields.Many2One(
        'web.user', "Web User", required=True, ondelete='CASCADE')
    phone = fields.Char("Phone", required=True)
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

    @staticmethod
    def minutes():
        return config.getint('portal', 'phone_code_minutes', default=5)

    @staticmethod
    def max_attempts():
        return config.getint('portal', 'phone_code_attempts', default=5)

    @classmethod
    def _latest(cls, user):
        codes = cls.search([
                ('web_user', '=', user.id),
                ('phone', '=', user.phone),
                ], order=[('id', 'DESC')], limit=1)
        return codes[0] if codes else None

    @classmethod
    def resend_in(cls, user):
        "Return the seconds to wait before a new code may be sent."
        # Codes are the server's secrets: never readable through the portal
        with without_check_access():
            latest = cls._latest(user)
        if not latest:
            return 0
        wait = dt.timedelta(seconds=config.getint(
                'portal', 'phone_code_resend', default=60))
        remaining = latest.create_date + wait - dt.datetime.now()
        return max(0, math.ceil(remaining.total_seconds()))

    @classmethod
    def issue(cls, user):
        "Send a new code to the user's phone; return the seconds to wait."
        SMS = Pool().get('portal.sms')
        wait = cls.resend_in(user)
        if wait:
            return wait
        code = f'{secrets.randbelow(10 ** 6):06d}'
        with without_check_access():
            cls.create([{
                        'web_user': user.id,
                        'phone': user.phone,
                        'code_hash': PASSWORD_HASH.hash(code),
                        'expires_at': dt.datetime.now() + dt.timedelta(
                            minutes=cls.minutes()),
                        }])
        SMS.send(user.phone, _(
                SMS_CODE, language=user.language, code=code,
                minutes=cls.minutes()))
        return 0

    @classmethod
    def verify(cls, user, code):
        """Check the code against the latest one sent to the user's phone.

        Return 'verified', 'wrong', 'locked', 'expired' or 'missing'; a
        wrong try is counted even though no exception is raised."""
        with without_check_access():
            latest = cls._latest(user)
            if not latest or latest.used:
                return 'missing'
            if latest.attempts >= cls.max_attempts():
                return 'locked'
            if latest.expires_at < dt.datetime.now():
                return 'expired'
            valid, _new_hash = PASSWORD_HASH.verify_and_update(
                (code or '').strip(), latest.code_hash)
            if not valid:
                latest.attempts += 1
                latest.save()
                return ('locked' if latest.attempts >= cls.max_attempts()
                    else 'wrong')
            latest.used = True
            latest.save()
            user.phone_verified = True
            user.save()
        return 'verified'
