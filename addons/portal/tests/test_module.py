# This file is part of the insurance intermediary platform.
import datetime as dt
import glob
import http.server
import json
import os
import re
import tempfile
import threading

from trytond.exceptions import RateLimitException
from trytond.model.exceptions import AccessError
from trytond.modules.portal.exceptions import IdentityChangeError, SMSError
from trytond.pool import Pool
from trytond.modules.portal.tests.tools import (
    PlatformModuleTestCase, configured)
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction


def signup_data(**values):
    data = {
        'surname': "Rossi", 'first_name': "Mario",
        'phone': '+393331234567', 'email': 'mario.rossi@example.com',
        'company_name': "Rossi Amministrazioni S.r.l.",
        'street': "Via Roma", 'street_number': '1', 'postal_code': '20121',
        'city': "Milano", 'province': 'MI', 'vat_code': '00743110157',
        'management_software': "Danea", 'condominium_count': 12,
        'password': 'Segreta2026', 'language': 'fa',
        'ip_address': '192.0.2.1', 'user_agent': 'Test agent',
        'privacy_consent_date': dt.datetime(2026, 1, 2, 3, 4, 5),
        }
    data.update(values)
    return data


class PortalTestCase(PlatformModuleTestCase):
    "Test the portal module"
    module = 'portal'

    def setUp(self):
        super().setUp()
        folder = self.enterContext(tempfile.TemporaryDirectory())
        self.enterContext(configured('sms', 'outbox', folder))
        self.outbox = folder

    @with_transaction()
    def test_italian_provinces(self):
        "Italy's provinces exist with Aosta; addresses accept them"
        Subdivision = Pool().get('country.subdivision')
        provinces = Subdivision.italian_provinces()
        codes = {p.code for p in provinces}
        self.assertGreaterEqual(len(provinces), 107)
        self.assertTrue({'IT-MI', 'IT-RM', 'IT-AO', 'IT-SU'} <= codes)
        self.assertNotIn('IT-25', codes)
        self.assertEqual(Subdivision.italian_province('mi').code, 'IT-MI')
        self.assertIsNone(Subdivision.italian_province('ZZ'))
        self.assertEqual(
            Subdivision.italian_province('AO').parent.code, 'IT-23')

    @with_transaction()
    def test_privacy_notice(self):
        "The privacy notice gives each item of GDPR art. 13, configurable"
        Privacy = Pool().get('portal.privacy')
        notice = dict(Privacy(1).notice())
        self.assertEqual(list(notice), [
                "Data Controller", "Data Protection Officer", "Purposes",
                "Legal Basis", "Recipients", "Transfers Outside the EU",
                "Retention", "Rights", "Complaint"])
        self.assertTrue(all(notice.values()))
        self.assertIn("Garante", notice["Complaint"])
        privacy = Privacy(1)
        privacy.controller = "MP Service S.r.l., Via Roma 1, Milano"
        privacy.save()
        notice = dict(Privacy(1).notice())
        self.assertEqual(notice["Data Controller"],
            "MP Service S.r.l., Via Roma 1, Milano")
        self.assertIn("Garante", notice["Complaint"])

    @with_transaction()
    def test_sign_up(self):
        "Sign-up creates the person, the company, the user and its record"
        pool = Pool()
        Signup = pool.get('portal.signup')
        WebUser = pool.get('web.user')
        signup = Signup.sign_up(signup_data())
        user = signup.web_user
        self.assertEqual(user.email, 'mario.rossi@example.com')
        self.assertFalse(user.email_valid)
        self.assertEqual(user.party.name, "Mario Rossi")
        self.assertEqual(user.party.lang.code, 'fa')
        self.assertEqual(user.party.addresses[0].subdivision.code, 'IT-MI')
        self.assertEqual(user.secondary_parties, (signup.company,))
        self.assertEqual(
            signup.company.identifiers[0].code, 'IT00743110157')
        self.assertEqual(
            {m.name for m in signup.company.contact_mechanisms},
            {"Mario Rossi"})
        self.assertEqual(signup.privacy_consent_date,
            dt.datetime(2026, 1, 2, 3, 4, 5))
        self.assertEqual(signup.ip_address, '192.0.2.1')
        self.assertTrue(user.email_token)
        self.assertGreater(user.email_token_expire,
            dt.datetime.now() + dt.timedelta(hours=47))
        self.assertEqual(WebUser.authenticate(
                'MARIO.ROSSI@example.com', 'Segreta2026'), user)
        with self.assertRaises(AccessError):
            Signup.write([signup], {'email': 'other@example.com'})
        with self.assertRaises(AccessError):
            Signup.delete([signup])

    @with_transaction()
    def test_sign_up_without_company(self):
        "A client code is kept on the user; no company without its name"
        Signup = Pool().get('portal.signup')
        signup = Signup.sign_up(signup_data(
                company_name='', vat_code='AB-123456'))
        self.assertIsNone(signup.company)
        self.assertEqual(signup.web_user.vat_code, 'AB-123456')
        self.assertEqual(signup.web_user.secondary_parties, ())

    @with_transaction()
    def test_confirm_email(self):
        "The confirmation token works once and expires"
        pool = Pool()
        Signup = pool.get('portal.signup')
        WebUser = pool.get('web.user')
        user = Signup.sign_up(signup_data()).web_user
        token = user.email_token
        self.assertEqual(WebUser.confirm_email(token), 'confirmed')
        self.assertTrue(WebUser(user.id).email_valid)
        self.assertIsNone(WebUser.confirm_email(token))
        user.send_confirmation()
        user.email_token_expire = dt.datetime.now() - dt.timedelta(hours=1)
        user.save()
        self.assertEqual(WebUser.confirm_email(user.email_token), 'expired')

    @with_transaction()
    def test_password_reset_token(self):
        "A reset token finds the user until it expires; sessions are closed"
        pool = Pool()
        Signup = pool.get('portal.signup')
        WebUser = pool.get('web.user')
        Session = pool.get('web.user.session')
        user = Signup.sign_up(signup_data()).web_user
        kept = user.new_session()
        user.new_session()
        user.send_password_reset()
        self.assertEqual(
            WebUser.from_reset_token(user.reset_password_token), user)
        user.change_password('Nuova2026x', keep_session=kept)
        self.assertIsNone(user.reset_password_token)
        self.assertEqual(
            [s.key for s in Session.search([('user', '=', user.id)])],
            [kept])
        self.assertEqual(
            WebUser.authenticate(user.email, 'Nuova2026x'), user)
        user.send_password_reset()
        token = user.reset_password_token
        user.reset_password_token_expire = dt.datetime.now()
        user.save()
        self.assertIsNone(WebUser.from_reset_token(token))
        self.assertIsNone(WebUser.from_reset_token(''))

    @with_transaction()
    def test_identity_change_approved(self):
        "An approved change is applied and its request cannot change"
        pool = Pool()
        Signup = pool.get('portal.signup')
        Change = pool.get('portal.identity.change')
        user = Signup.sign_up(signup_data()).web_user
        change, = Change.create([{
                    'web_user': user.id, 'field': 'surname',
                    'new_value': "Rossi Bianchi"}])
        self.assertEqual(change.old_value, "Rossi")
        Change.approve([change])
        self.assertEqual(change.state, 'approved')
        self.assertEqual(change.decided_by.id, Transaction().user)
        self.assertEqual(user.surname, "Rossi Bianchi")
        self.assertEqual(user.party.name, "Mario Rossi Bianchi")
        with self.assertRaises(AccessError):
            Change.write([change], {'new_value': "Verdi"})
        Log = pool.get('ir.model.log')
        self.assertEqual(
            [(l.event, l.target) for l in Log.search([
                        ('resource', '=', str(user))])],
            [('write', 'surname')])

    @with_transaction()
    def test_identity_change_email(self):
        "A new email is applied to the user and its contact; no duplicates"
        pool = Pool()
        Signup = pool.get('portal.signup')
        Change = pool.get('portal.identity.change')
        user = Signup.sign_up(signup_data()).web_user
        Signup.sign_up(signup_data(email='taken@example.com'))
        taken, wanted = Change.create([{
                    'web_user': user.id, 'field': 'email',
                    'new_value': 'Taken@example.com'}, {
                    'web_user': user.id, 'field': 'email',
                    'new_value': 'new@example.com'}])
        with self.assertRaises(IdentityChangeError):
            Change.approve([taken])
        Change.approve([wanted])
        self.assertEqual(user.email, 'new@example.com')
        self.assertIn('new@example.com',
            [m.value for m in user.party.contact_mechanisms])

    @with_transaction()
    def test_identity_change_rejected(self):
        "A rejection needs its reason and leaves the data as it was"
        pool = Pool()
        Signup = pool.get('portal.signup')
        Change = pool.get('portal.identity.change')
        user = Signup.sign_up(signup_data()).web_user
        change, = Change.create([{
                    'web_user': user.id, 'field': 'first_name',
                    'new_value': "Marco"}])
        with self.assertRaises(IdentityChangeError):
            Change.reject([change])
        change.rejection_reason = "Send us an identity document."
        change.save()
        Change.reject([change])
        self.assertEqual(change.state, 'rejected')
        self.assertEqual(user.first_name, "Mario")

    @with_transaction()
    def test_phone_code(self):
        "The SMS code verifies the phone once; the file gateway keeps it"
        pool = Pool()
        Signup = pool.get('portal.signup')
        PhoneCode = pool.get('portal.phone.code')
        user = Signup.sign_up(signup_data()).web_user
        self.assertFalse(user.phone_verified)
        self.assertEqual(PhoneCode.verify(user, '123456'), 'missing')
        self.assertEqual(PhoneCode.issue(user), 0)
        self.assertGreater(PhoneCode.issue(user), 0)
        files = glob.glob(os.path.join(self.outbox, '*.txt'))
        self.assertEqual(len(files), 1)
        with open(files[0], encoding='utf-8') as file:
            text = file.read()
        self.assertIn('To: +393331234567', text)
        code = re.search(r'(\d{6})[^\d]', text.split('\n\n', 1)[1]).group(1)
        wrong = '000000' if code != '000000' else '111111'
        self.assertEqual(PhoneCode.verify(user, wrong), 'wrong')
        self.assertEqual(PhoneCode.verify(user, code), 'verified')
        self.assertTrue(user.phone_verified)
        self.assertEqual(PhoneCode.verify(user, code), 'missing')
        user.phone = '+393339999999'
        user.save()
        self.assertFalse(user.phone_verified)

    @with_transaction()
    def test_phone_code_limits(self):
        "A new number waits as the old did; an account and an address are capped"
        pool = Pool()
        Signup = pool.get('portal.signup')
        PhoneCode = pool.get('portal.phone.code')
        WebUser = pool.get('web.user')
        user = Signup.sign_up(signup_data()).web_user
        with configured('portal', 'phone_code_resend', '0'), \
                configured('portal', 'phone_code_max', '3'), \
                configured('portal', 'sms_max', '4'), \
                Transaction().set_context(
                    _request={'remote_addr': '192.0.2.9'}):
            numbers = ['+393331234567', '+393331234568', '+393331234569']
            for number in numbers:
                user.phone = number
                user.save()
                self.assertEqual(PhoneCode.issue(user), 0, number)
            # a fourth number within the hour waits for the first code's hour
            user.phone = '+393331234560'
            user.save()
            wait = PhoneCode.issue(user)
            self.assertGreater(wait, 3500)
            self.assertEqual(len(glob.glob(
                        os.path.join(self.outbox, '*.txt'))), 3)
            # another account from the same address
            other = Signup.sign_up(signup_data(
                    email='luigi@example.com')).web_user
            self.assertEqual(PhoneCode.issue(other), 0)
            other.phone = '+393401112234'
            other.save()
            self.assertGreater(PhoneCode.issue(other), 0)
        with configured('portal', 'phone_code_resend', '60'):
            WebUser.write([other], {'phone': '+393401112233'})
            # a new number does not reset the wait after the last code
            self.assertGreater(PhoneCode.resend_in(other), 0)

    @with_transaction()
    def test_unknown_logins_take_a_password_check(self):
        "An unknown login costs a password check, as a known one does"
        from unittest import mock

        from trytond.res.user import PASSWORD_HASH
        pool = Pool()
        WebUser = pool.get('web.user')
        User = pool.get('res.user')
        with mock.patch.object(PASSWORD_HASH, 'verify_and_update',
                wraps=PASSWORD_HASH.verify_and_update) as checks:
            self.assertIsNone(
                WebUser.authenticate('nobody@example.com', 'Whatever2026'))
            self.assertEqual(checks.call_count, 1)
            self.assertIsNone(User._login_password(
                    'nobody', {'password': 'Whatever2026'}))
            self.assertEqual(checks.call_count, 2)

    @with_transaction()
    def test_new_password_clears_failures(self):
        "A new password lets an address the failures throttled in again"
        pool = Pool()
        Signup = pool.get('portal.signup')
        WebUser = pool.get('web.user')
        user = Signup.sign_up(signup_data()).web_user
        with Transaction().set_context(_request={'remote_addr': '192.0.2.66'}):
            for _ in range(5):
                self.assertIsNone(
                    WebUser.authenticate(user.email, 'Wrong2026'))
            with self.assertRaises(RateLimitException):
                WebUser.authenticate(user.email, 'Segreta2026')
            user.change_password('Nuova2026x')
            self.assertEqual(
                WebUser.authenticate(user.email, 'Nuova2026x'), user)

    @with_transaction()
    def test_phone_code_locks_and_expires(self):
        "Five wrong codes lock the code; an expired code is refused"
        pool = Pool()
        Signup = pool.get('portal.signup')
        PhoneCode = pool.get('portal.phone.code')
        user = Signup.sign_up(signup_data()).web_user
        PhoneCode.issue(user)
        results = [PhoneCode.verify(user, 'abcdef') for _ in range(5)]
        self.assertEqual(results, ['wrong'] * 4 + ['locked'])
        self.assertEqual(PhoneCode.verify(user, 'abcdef'), 'locked')
        code, = PhoneCode.search([('web_user', '=', user.id)])
        code.attempts = 0
        code.expires_at = dt.datetime.now() - dt.timedelta(seconds=1)
        code.save()
        self.assertEqual(PhoneCode.verify(user, 'abcdef'), 'expired')
        self.assertFalse(user.phone_verified)

    @with_transaction()
    def test_sms_http_gateway(self):
        "The HTTP gateway posts the message to the provider"
        SMS = Pool().get('portal.sms')
        received = []

        class Provider(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers['Content-Length'])
                received.append((
                        self.headers['Authorization'],
                        json.loads(self.rfile.read(length))))
                self.send_response(202)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = http.server.HTTPServer(('127.0.0.1', 0), Provider)
        thread = threading.Thread(target=server.serve_forever)
        thread.start()
        url = f'http://127.0.0.1:{server.server_port}/messages'
        try:
            with configured('sms', 'gateway', 'http'), \
                    configured('sms', 'url', url), \
                    configured('sms', 'token', 'secret'):
                SMS.send('+393331234567', "Codice 123456")
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
        self.assertEqual(received, [('Bearer secret', {
                        'to': '+393331234567', 'text': "Codice 123456",
                        'sender': ''})])
        with configured('sms', 'gateway', 'http'), \
                configured('sms', 'url', url):
            with self.assertRaises(SMSError):
                SMS.send('+393331234567', "Codice 123456")

    @with_transaction()
    def test_attempt_limit(self):
        "The address is refused past the limit until the window passes"
        Attempt = Pool().get('portal.attempt')
        with configured('portal', 'reset_max', '2'):
            with Transaction().set_context(
                    _request={'remote_addr': '192.0.2.7'}):
                self.assertIsNone(Attempt.retry_at('reset'))
                Attempt.add('reset')
                Attempt.add('reset')
                retry_at = Attempt.retry_at('reset')
                self.assertGreater(retry_at, dt.datetime.now())
            with Transaction().set_context(
                    _request={'remote_addr': '192.0.2.8'}):
                self.assertIsNone(Attempt.retry_at('reset'))


del PlatformModuleTestCase
