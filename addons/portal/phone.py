# This file is part of the insurance intermediary platform.
import datetime as dt
import math

from trytond import config
from trytond.model import ModelSQL, fields
from trytond.pool import Pool
from trytond.transaction import without_check_access

from .one_time_code import OneTimeCodeMixin
from .i18n import gettext as _
from .texts import SMS_CODE


class PhoneCode(OneTimeCodeMixin, ModelSQL):
    """Phone Verification Code

    A 6-digit code sent by SMS to the web user's phone; it is valid for
    ``[portal] phone_code_minutes`` (5) and locks after
    ``[portal] phone_code_attempts`` (5) wrong tries; a new code can be
    asked after ``[portal] phone_code_resend`` seconds (60), at most
    ``[portal] phone_code_max`` (5) an hour for an account, whatever its
    numbers, and ``[portal] sms_max`` (10) an hour for an address."""
    __name__ = 'portal.phone.code'

    web_user = fields.Many2One(
        'web.user', "Web User", required=True, ondelete='CASCADE')
    phone = fields.Char("Phone", required=True)

    @classmethod
    def code_validity(cls):
        return dt.timedelta(minutes=config.getint(
                'portal', 'phone_code_minutes', default=5))

    @classmethod
    def code_attempts(cls):
        return config.getint('portal', 'phone_code_attempts', default=5)

    @classmethod
    def _latest(cls, user):
        "Return the last code sent to the user's current number."
        codes = cls.search([
                ('web_user', '=', user.id),
                ('phone', '=', user.phone),
                ], order=[('id', 'DESC')], limit=1)
        return codes[0] if codes else None

    @classmethod
    def resend_in(cls, user):
        """Return the seconds to wait before a new code may be sent: after
        the last code of the account, whatever its number; after
        ``[portal] phone_code_max`` (5) codes of the account in an hour;
        after ``[portal] sms_max`` (10) codes asked from the visitor's
        address in ``[portal] sms_window`` seconds (3600)."""
        Attempt = Pool().get('portal.attempt')
        now = dt.datetime.now()
        hour = dt.timedelta(hours=1)
        # Codes are the server's secrets: never readable through the portal
        with without_check_access():
            sent = [c.create_date for c in cls.search([
                        ('web_user', '=', user.id),
                        ('create_date', '>=', now - hour),
                        ], order=[('create_date', 'DESC')])]
            address = Attempt.retry_at('sms')
        waits = [address - now] if address else []
        if sent:
            waits.append(sent[0] + dt.timedelta(seconds=config.getint(
                        'portal', 'phone_code_resend', default=60)) - now)
        maximum = config.getint('portal', 'phone_code_max', default=5)
        if len(sent) >= maximum:
            waits.append(sent[maximum - 1] + hour - now)
        return max([0] + [math.ceil(w.total_seconds()) for w in waits])

    @classmethod
    def issue(cls, user):
        "Send a new code to the user's phone; return the seconds to wait."
        SMS = Pool().get('portal.sms')
        wait = cls.resend_in(user)
        if wait:
            return wait
        record = cls(web_user=user, phone=user.phone)
        code = record.new_code()
        with without_check_access():
            record.save()
            Pool().get('portal.attempt').add('sms')
        SMS.send(user.phone, _(
                SMS_CODE, language=user.language, code=code,
                minutes=cls.code_validity().seconds // 60))
        return 0

    @classmethod
    def verify(cls, user, code):
        """Check the code against the latest one sent to the user's phone.

        Return 'verified', 'wrong', 'locked', 'expired' or 'missing'; a
        wrong try is counted even though no exception is raised."""
        with without_check_access():
            latest = cls._latest(user)
            if not latest:
                return 'missing'
            result = latest.check_code(code)
            if result == 'verified':
                user.phone_verified = True
                user.save()
        return 'missing' if result == 'used' else result
