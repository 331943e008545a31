# This file is part of the insurance intermediary platform.
import datetime as dt
from secrets import token_urlsafe

from sql import Literal
from sql.aggregate import Count

from trytond import config
from trytond.exceptions import RateLimitException
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

from . import i18n, mail
from .timing import check_unknown


class User(metaclass=PoolMeta):
    __name__ = 'web.user'

    first_name = fields.Char("First Name", size=100)
    surname = fields.Char("Surname", size=100)
    vat_code = fields.Char(
        "VAT or Client Code", size=20,
        help="The Italian VAT number (P.IVA) or the client code given at "
        "sign-up.")
    phone = fields.Char(
        "Phone", size=30, help="In international format (E.164).")
    phone_verified = fields.Boolean(
        "Phone Verified", readonly=True,
        help="The phone number was confirmed with a code sent by SMS.")
    verified_phone = fields.Char(
        "Verified Phone", readonly=True,
        help="The number the last code sent by SMS confirmed.")
    management_software = fields.Char("Management Software", size=100)
    condominium_count = fields.Integer("Condominiums")
    email_token_expire = fields.Timestamp("Email Token Expire", readonly=True)
    login_at = fields.Timestamp("Last Login", readonly=True)
    login_ip = fields.Char("Last Login Address", readonly=True)
    previous_login_at = fields.Timestamp("Previous Login", readonly=True)
    previous_login_ip = fields.Char("Previous Login Address", readonly=True)
    identity_changes = fields.One2Many(
        'portal.identity.change', 'web_user', "Identity Changes",
        readonly=True)
    signups = fields.One2Many(
        'portal.signup', 'web_user', "Sign-ups", readonly=True)

    @classmethod
    def __register__(cls, module):
        table = cls.__table_handler__(module)
        fill = not table.column_exist('verified_phone')
        super().__register__(module)
        if fill:
            sql_table = cls.__table__()
            cursor = Transaction().connection.cursor()
            cursor.execute(*sql_table.update(
                    [sql_table.verified_phone], [sql_table.phone],
                    where=sql_table.phone_verified == Literal(True)))

    @classmethod
    def default_phone_verified(cls):
        return False

    @classmethod
    def authenticate(cls, email, password):
        """Return the web user of the email and password, or None.

        The failures are counted by account and address: a stranger who
        tries an account's passwords is throttled, never its owner logging
        in from elsewhere (``[session] max_attempt`` failures from one
        address, ``max_attempt_ip_network`` from a network in
        ``[session] timeout``); an unknown address takes as long as a known
        one; a new password clears the account's failures."""
        pool = Pool()
        Attempt = pool.get('web.user.authenticate.attempt')
        email = (email or '').strip().lower()
        if Attempt.count_ip() > config.getint(
                'session', 'max_attempt_ip_network', default=300):
            raise RateLimitException()
        if cls.failures_here(email) >= config.getint(
                'session', 'max_attempt', default=5):
            Attempt.add(email)
            raise RateLimitException()
        users = cls.search([('email', '=', email)], limit=1)
        if not users:
            check_unknown(password)
        else:
            user, = users
            valid, new_hash = cls.check_password(
                password or '', user.password_hash)
            if valid:
                if new_hash:
                    with without_check_access():
                        cls.write([user], {'password_hash': new_hash})
                cls.forget_failures(email, here=True)
                return user
        Attempt.add(email)
        return None

    @classmethod
    def failures_here(cls, email):
        "Return the recent failed logins to the account from this network."
        Attempt = Pool().get('web.user.authenticate.attempt')
        table = Attempt.__table__()
        _, network = Transaction().remote_address()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(Count(),
                where=(table.login == email[:512])
                & (table.ip_network == (str(network) if network else None))
                & (table.create_date >= Attempt.delay())))
        return cursor.fetchone()[0]

    @classmethod
    def forget_failures(cls, email, here=False):
        "Forget the failed logins to the account: from here, or all."
        Attempt = Pool().get('web.user.authenticate.attempt')
        table = Attempt.__table__()
        where = table.login == email[:512]
        if here:
            _, network = Transaction().remote_address()
            where &= table.ip_network == (str(network) if network else None)
        Transaction().connection.cursor().execute(*table.delete(where=where))

    @property
    def acting_parties(self):
        "The parties the web user acts for: its own and its secondary ones."
        parties = [self.party] if self.party else []
        return parties + [
            p for p in self.secondary_parties if p not in parties]

    def portal_services(self):
        """Return the services of the platform the web user came for: their
        pages head the portal's menu. The intermediary's, by default."""
        return {'intermediary'}

    @property
    def language(self):
        "The portal language of the web user."
        return i18n.language_of(self.party)

    @property
    def full_name(self):
        return ' '.join(filter(None, [self.first_name, self.surname]))

    def compute_fields(self, field_names=None):
        "A new phone number is not verified: the verified one is kept."
        values = super().compute_fields(field_names)
        if field_names is None or 'phone_verified' in field_names:
            if self.phone_verified and self.verified_phone != self.phone:
                values['verified_phone'] = self.phone
        elif ('phone' in field_names and self.phone_verified
                and self.phone != self.verified_phone):
            values['phone_verified'] = False
        return values

    def send_confirmation(self):
        "Send the link that confirms the email address."
        self.email_token = token_urlsafe(32)
        self.email_token_expire = dt.datetime.now() + dt.timedelta(
            hours=config.getint('portal', 'confirm_hours', default=48))
        self.save()
        mail.send(self.email, 'portal/email/confirm.html', self.language,
            user=self, link=mail.portal_url(f'/confirm/{self.email_token}'),
            hours=config.getint('portal', 'confirm_hours', default=48),
            resource=self, transient=True)

    @classmethod
    def confirm_email(cls, token):
        "Confirm the address of the token: 'confirmed', 'expired' or None."
        users = cls.search([('email_token', '=', token)], limit=1) \
            if token else []
        if not users:
            return None
        user, = users
        if user.email_token_expire and (
                user.email_token_expire < dt.datetime.now()):
            return 'expired'
        user.email_valid = True
        user.email_token = None
        user.email_token_expire = None
        user.save()
        return 'confirmed'

    def record_login(self):
        "Keep the time and address of this login and of the previous one."
        ip_address, _ = Transaction().remote_address()
        self.previous_login_at = self.login_at
        self.previous_login_ip = self.login_ip
        self.login_at = dt.datetime.now()
        self.login_ip = str(ip_address) if ip_address else None
        self.save()

    def send_password_reset(self):
        "Send a link to set a new password."
        self.reset_password_token = token_urlsafe(32)
        minutes = config.getint('portal', 'reset_minutes', default=60)
        self.reset_password_token_expire = (
            dt.datetime.now() + dt.timedelta(minutes=minutes))
        self.save()
        mail.send(self.email, 'portal/email/reset.html', self.language,
            user=self,
            link=mail.portal_url(f'/reset/{self.reset_password_token}'),
            minutes=minutes, resource=self, transient=True)

    @classmethod
    def from_reset_token(cls, token):
        "Return the web user of the unexpired reset token, or None."
        if not token:
            return None
        users = cls.search([
                ('reset_password_token', '=', token),
                ('reset_password_token_expire', '>', dt.datetime.now()),
                ], limit=1)
        return users[0] if users else None

    def check_current_password(self, password):
        "Tell whether the password is the web user's current one."
        # the hash is the server's secret, read by no group
        with without_check_access():
            user = self.__class__(self.id)
            valid, _ = self.check_password(password or '', user.password_hash)
        return bool(password) and valid

    def change_password(self, password, keep_session=None):
        """Set the new password, close the other sessions and tell the
        owner by email."""
        with without_check_access():
            user = self.__class__(self.id)
            user.password = password
            user.reset_password_token = None
            user.reset_password_token_expire = None
            user.save()
        self.close_sessions(keep=keep_session)
        # whoever tried the old password from anywhere starts again
        self.forget_failures(self.email)
        mail.send(self.email, 'portal/email/password_changed.html',
            self.language, user=self, resource=self)

    def close_sessions(self, keep=None):
        "Close every session of the web user but the kept one."
        Session = Pool().get('web.user.session')
        # Sessions are the server's records, not the visitor's data
        domain = [('user', '=', self.id)]
        if keep:
            domain.append(('key', '!=', keep))
        with without_check_access():
            Session.delete(Session.search(domain))

    def identity_value(self, field):
        "Return the current value of an identity field."
        return getattr(self, field) or ''

