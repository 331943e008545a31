# This file is part of the insurance intermediary platform.
"""The outbox: every email kept, sent to a real SMTP server after the
commit, retried while the server is down, its content read by no group."""
import datetime as dt

from trytond.model.exceptions import AccessError
from trytond.modules.portal import mail
from trytond.modules.portal.tests.tools import (
    PlatformTestCase, configured, received, smtp_server, text_of)
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction, check_access


class OutboxTestCase(PlatformTestCase):
    "Test the outbox"
    module = 'portal'

    def queue_confirmation(self, name='<b>Ada</b>'):
        pool = Pool()
        WebUser = pool.get('web.user')
        user = WebUser(email='ada@example.com', first_name=name)
        user.save()
        return mail.send(
            user.email, 'portal/email/confirm.html', 'it', user=user,
            link='http://portal.example/confirm/TOKEN', hours=48,
            resource=user, transient=True)

    @with_transaction()
    def test_sent_after_commit_retried_while_down(self):
        "An email refused by the SMTP server is scheduled again, then sent"
        pool = Pool()
        Email = pool.get('portal.email')
        Queue = pool.get('ir.queue')
        outgoing = self.queue_confirmation()
        self.assertEqual(outgoing.state, 'queued')
        task, = Queue.search([('data.method', '=', 'deliver')])

        # nothing listens on the configured port: the attempt fails
        Email.deliver([outgoing])
        self.assertEqual(outgoing.state, 'queued')
        self.assertEqual(outgoing.attempts, 1)
        self.assertTrue(outgoing.error)
        self.assertGreater(outgoing.next_attempt_at, dt.datetime.now())
        retry, = Queue.search([
                ('data.method', '=', 'deliver'), ('id', '!=', task.id)])
        self.assertTrue(retry.scheduled_at)

        with smtp_server() as folder:
            Email.deliver([outgoing])
            sent, = received(folder)
        self.assertEqual(outgoing.state, 'sent')
        self.assertEqual(outgoing.attempts, 2)
        self.assertEqual(sent['To'], 'ada@example.com')
        self.assertIn('http://portal.example/confirm/TOKEN', text_of(sent))
        # a transient email keeps no secret once sent
        self.assertIsNone(Email(outgoing.id).message)
        # an email already sent is never sent twice
        with smtp_server() as folder:
            Email.deliver([outgoing])
            self.assertEqual(received(folder), [])

    @with_transaction()
    def test_given_up_after_attempts(self):
        "After the configured attempts the email is marked failed"
        Email = Pool().get('portal.email')
        outgoing = self.queue_confirmation()
        with configured('portal', 'email_attempts', '2'):
            Email.deliver([outgoing])
            Email.deliver([outgoing])
        self.assertEqual(outgoing.state, 'failed')
        self.assertIsNone(outgoing.next_attempt_at)

    @with_transaction()
    def test_values_escaped(self):
        "Values reach the HTML part escaped, the text part as typed"
        outgoing = self.queue_confirmation('"><img src=x onerror=alert(1)>')
        message = outgoing.parsed()
        html = message.get_body(preferencelist=('html',)).get_content()
        self.assertNotIn('<img src=x', html)
        self.assertIn('&lt;img src=x', html)
        self.assertIn('<img src=x onerror=alert(1)>', text_of(message))

    @with_transaction()
    def test_history_not_sent(self):
        "Emails of loaded history are kept unsent"
        Email = Pool().get('portal.email')
        with Transaction().set_context(mail_history=True):
            outgoing = self.queue_confirmation()
        self.assertEqual(outgoing.state, 'history')
        with smtp_server() as folder:
            Email.deliver([outgoing])
            self.assertEqual(received(folder), [])

    @with_transaction()
    def test_content_read_by_no_group(self):
        "The portal administrators list the emails but never read a content"
        pool = Pool()
        Email = pool.get('portal.email')
        User = pool.get('res.user')
        Group = pool.get('res.group')
        ModelData = pool.get('ir.model.data')
        outgoing = self.queue_confirmation()
        admin = User(login='portal_admin', name="Portal Admin", groups=[
                Group(ModelData.get_id('portal', 'group_portal_admin'))])
        admin.save()
        with Transaction().set_user(admin.id), check_access():
            record, = Email.read([outgoing.id], ['to', 'subject', 'state'])
            self.assertEqual(record['to'], 'ada@example.com')
            for name in ['message', 'message_id']:
                with self.assertRaises(AccessError):
                    Email.read([outgoing.id], [name])


del PlatformTestCase
